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

/**
 * Share of pixels that differ (by more than `tolerance`, summed over channels) between a
 * rectangle of one screenshot and a same-sized rectangle of another.
 */
export async function shareDifferent(
  context: BrowserContext,
  a: { png: Buffer; x: number; y: number },
  b: { png: Buffer; x: number; y: number },
  size: { width: number; height: number },
  tolerance = 48,
): Promise<number> {
  const scratch = await context.newPage();
  try {
    return await scratch.evaluate(
      async ({ a64, b64, ax, ay, bx, by, width, height, tolerance }) => {
        const read = async (b64: string, x: number, y: number) => {
          const img = new Image();
          img.src = `data:image/png;base64,${b64}`;
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.naturalWidth;
          c.height = img.naturalHeight;
          const g = c.getContext('2d')!;
          g.drawImage(img, 0, 0);
          return g.getImageData(x, y, width, height).data;
        };
        const da = await read(a64, ax, ay);
        const db = await read(b64, bx, by);
        let differ = 0;
        for (let i = 0; i < da.length; i += 4)
          if (Math.abs(da[i] - db[i]) + Math.abs(da[i + 1] - db[i + 1]) + Math.abs(da[i + 2] - db[i + 2]) > tolerance) differ++;
        return differ / (da.length / 4);
      },
      { a64: a.png.toString('base64'), b64: b.png.toString('base64'), ax: a.x, ay: a.y, bx: b.x, by: b.y, ...size, tolerance },
    );
  } finally {
    await scratch.close();
  }
}
