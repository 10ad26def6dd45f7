/**
 * Big-screen scaling. A screen is designed at a fixed resolution (1920×1080) and drawn scaled to
 * the display by a CSS transform: `fit` keeps the aspect ratio and letterboxes, `fill` stretches each
 * axis. HTML text stays sharp under the transform, but canvases (ECharts, MapLibre) would be
 * stretched bitmaps, so the scale is also provided to them as a render factor: they draw at
 * `devicePixelRatio × factor` pixels per design pixel and are crisp at 4K and 8K.
 *
 * `extend` is for walls much wider (or taller) than the design, such as two 4K monitors side by
 * side: the design keeps its height and its width grows to the wall's shape, so the grid's cells
 * widen and nothing is letterboxed or stretched. `auto` (the default) picks `fit` when the wall's
 * shape is within a fifth of the design's, else `extend`.
 */
import { inject, ref, type InjectionKey, type Ref } from 'vue';

export type ScaleMode = 'fit' | 'fill' | 'extend' | 'auto';

export interface ScreenTransform {
  sx: number;
  sy: number;
  /** Offset of the scaled canvas in the viewport (letterbox margins in fit mode). */
  ox: number;
  oy: number;
  /** Pixels per design pixel the canvases need to render at to stay sharp. */
  renderFactor: number;
}

export function parseScaleMode(v: unknown): ScaleMode {
  return v === 'fill' || v === 'fit' || v === 'extend' ? v : 'auto';
}

/** The design size to draw at on a view: the theme's own, or (extend) the view's shape at the design's height or width. */
export function designFor(
  mode: ScaleMode,
  design: { width: number; height: number },
  view: { width: number; height: number },
): { width: number; height: number; mode: 'fit' | 'fill' } {
  if (mode === 'fit' || mode === 'fill') return { ...design, mode };
  const ratio = view.width / view.height / (design.width / design.height);
  if (mode === 'auto' && Math.abs(ratio - 1) <= 0.2) return { ...design, mode: 'fit' };
  return ratio >= 1
    ? { width: Math.round(design.height * (view.width / view.height)), height: design.height, mode: 'fit' }
    : { width: design.width, height: Math.round(design.width / (view.width / view.height)), mode: 'fit' };
}

export function computeTransform(
  mode: 'fit' | 'fill',
  design: { width: number; height: number },
  view: { width: number; height: number },
): ScreenTransform {
  const kx = view.width / design.width;
  const ky = view.height / design.height;
  if (mode === 'fill') return { sx: kx, sy: ky, ox: 0, oy: 0, renderFactor: Math.max(kx, ky) };
  const k = Math.min(kx, ky);
  return {
    sx: k,
    sy: k,
    ox: Math.round((view.width - design.width * k) / 2),
    oy: Math.round((view.height - design.height * k) / 2),
    renderFactor: k,
  };
}

/** Render factor, rounded to quarter steps (avoids re-creating canvases for tiny resizes), at least 1. */
export function quantizeFactor(f: number): number {
  return Math.max(1, Math.ceil(f * 4 - 0.05) / 4);
}

export const RENDER_FACTOR: InjectionKey<Ref<number>> = Symbol('render-factor');

/** Pixel ratio a canvas should use: the device's times the screen's scale (1 outside a scaled screen). */
export function useRenderFactor(): Ref<number> {
  return inject(RENDER_FACTOR, ref(1));
}
