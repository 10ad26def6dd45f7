/**
 * Text measurement for ECharts. zrender measures every label on one detached canvas that never
 * draws a frame; Chromium keeps the shaping of every string measured on such a canvas in a
 * per-font cache that is trimmed only at frame ends or past 32,768 entries. A wall whose figures
 * change all day would keep shaping results for every number it ever showed (about 1.3 KB each,
 * tens of MB per font). Measuring on a fresh canvas every so often lets the old cache go with it.
 */
export type MeasureContext = Pick<CanvasRenderingContext2D, 'font' | 'measureText'>;

/** Measurements made on one canvas before it is replaced. zrender caches widths itself (500 per
 * font), so this is roughly the number of distinct strings measured. */
export const MEASURES_PER_CANVAS = 1000;

/** A rough width where there is no canvas at all (tests without one): CJK full width, others 0.55 em. */
export function estimateWidth(text: string, font: string): number {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) > 0x2e80 ? size : size * 0.55;
  return w;
}

export function createTextMeasurer(
  newContext: () => MeasureContext | null,
  perCanvas = MEASURES_PER_CANVAS,
): (text: string, font?: string) => { width: number } {
  let ctx: MeasureContext | null = null;
  let used = 0;
  let current = '';
  return (text, font = '12px sans-serif') => {
    if (!ctx || used >= perCanvas) {
      ctx = newContext();
      used = 0;
      current = '';
    }
    if (!ctx) return { width: estimateWidth(text, font) };
    used++;
    if (current !== font) ctx.font = current = font;
    const width = ctx.measureText(text)?.width;
    return { width: Number.isFinite(width) ? width : estimateWidth(text, font) };
  };
}

export function canvasContext(): MeasureContext | null {
  return typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
}
