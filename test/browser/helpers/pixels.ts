/**
 * Reads pixels of a screenshot by decoding the PNG in a scratch page of the same browser
 * (no image library needed on the Node side).
 */
import type { BrowserContext } from 'playwright-core';

export type RGB = [number, number, number];

export async function readPixels(context: BrowserContext, png: Buffer, points: { x: number; y: number }[]): Promise<RGB[]> {
  const scratch = await context.newPage();
  try {
    return await scratch.evaluate(
      async ({ b64, points }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        const g = c.getContext('2d')!;
        g.drawImage(img, 0, 0);
        return points.map(({ x, y }) => {
          const d = g.getImageData(Math.round(x), Math.round(y), 1, 1).data;
          return [d[0], d[1], d[2]] as [number, number, number];
        });
      },
      { b64: png.toString('base64'), points },
    );
  } finally {
    await scratch.close();
  }
}

/** Share of pixels in a rectangle that differ from a colour by more than `tolerance` (per channel sum). */
export async function shareUnlike(
  context: BrowserContext,
  png: Buffer,
  rect: { x: number; y: number; width: number; height: number },
  colour: RGB,
  tolerance = 40,
): Promise<number> {
  const scratch = await context.newPage();
  try {
    return await scratch.evaluate(
      async ({ b64, rect, colour, tolerance }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        const g = c.getContext('2d')!;
        g.drawImage(img, 0, 0);
        const d = g.getImageData(rect.x, rect.y, rect.width, rect.height).data;
        let unlike = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - colour[0]) + Math.abs(d[i + 1] - colour[1]) + Math.abs(d[i + 2] - colour[2]) > tolerance) unlike++;
        }
        return unlike / (d.length / 4);
      },
      { b64: png.toString('base64'), rect, colour, tolerance },
    );
  } finally {
    await scratch.close();
  }
}

export const luminance = ([r, g, b]: RGB) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
export const hexToRgb = (hex: string): RGB => [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
