/**
 * Walls come in every shape: a 16:9 screen, a 21:9 one, rows of two or three spliced monitors
 * (32:9, 48:9), a portrait kiosk, a small desktop screen. A theme's layout is drawn for one shape
 * at a time (its aspect class), at that shape's design resolution, and scaled to the screen as a
 * whole, never stretched: each class has a layout of its own, authored or reflowed (reflow.ts).
 */

export const ASPECT_CLASSES = ['wide', 'ultrawide', 'row32', 'row48', 'portrait', 'small'] as const;
export type AspectClass = (typeof ASPECT_CLASSES)[number];

/** The layouts a theme may carry besides its base one (which is `wide`, 16:9). */
export type VariantClass = Exclude<AspectClass, 'wide'>;
export const VARIANT_CLASSES = ASPECT_CLASSES.filter((c): c is VariantClass => c !== 'wide');

/** Each class's design resolution (CSS px) and grid: cells of about 40 px, as the 16:9 base's 48 × 27. */
export const ASPECT_GRIDS: Record<AspectClass, { width: number; height: number; cols: number; rows: number; gap: number }> = {
  wide: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
  ultrawide: { width: 2560, height: 1080, cols: 64, rows: 27, gap: 12 },
  row32: { width: 3840, height: 1080, cols: 96, rows: 27, gap: 12 },
  row48: { width: 5760, height: 1080, cols: 144, rows: 27, gap: 12 },
  portrait: { width: 1080, height: 1920, cols: 27, rows: 48, gap: 12 },
  small: { width: 1366, height: 768, cols: 34, rows: 19, gap: 10 },
};

/** What the classes are called where a person chooses one (the editor, the docs). */
export const ASPECT_LABELS: Record<AspectClass, { zh: string; en: string }> = {
  wide: { zh: '16:9 标准屏', en: '16:9 screen' },
  ultrawide: { zh: '21:9 带鱼屏', en: '21:9 ultrawide' },
  row32: { zh: '32:9 双屏拼接', en: '32:9 two-screen row' },
  row48: { zh: '48:9 三屏拼接', en: '48:9 three-screen row' },
  portrait: { zh: '竖屏', en: 'Portrait' },
  small: { zh: '小屏（1366×768）', en: 'Small (1366×768)' },
};

/**
 * The class of a screen (the whole wall, for a splice) by its shape in CSS pixels: portrait below
 * 0.9, then 21:9 from 2.1, a 32:9 row from 2.9 and a 48:9 row from 4.2 (between the classes'
 * own ratios); 4:3 to 16:10 and 16:9 are `wide`, or `small` when the screen is no larger than
 * 1440 × 900 (a desktop monitor or a laptop, read from closer).
 */
export function aspectClassOf(view: { width: number; height: number }): AspectClass {
  const r = view.width / Math.max(1, view.height);
  if (r < 0.9) return 'portrait';
  if (r >= 4.2) return 'row48';
  if (r >= 2.9) return 'row32';
  if (r >= 2.1) return 'ultrawide';
  return view.width <= 1440 && view.height <= 900 ? 'small' : 'wide';
}
