/**
 * Big-screen scaling. A screen is designed at a fixed resolution (1920×1080) and drawn scaled to
 * the display by a CSS transform: `fit` keeps the aspect ratio and letterboxes, `fill` stretches each
 * axis. HTML text stays sharp under the transform, but canvases (ECharts, MapLibre) would be
 * stretched bitmaps, so the scale is also provided to them as a render factor: they draw at
 * `devicePixelRatio × factor` pixels per design pixel and are crisp at 4K and 8K.
 */
import { inject, ref, type InjectionKey, type Ref } from 'vue';

export type ScaleMode = 'fit' | 'fill';

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
  return v === 'fill' ? 'fill' : 'fit';
}

export function computeTransform(
  mode: ScaleMode,
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
