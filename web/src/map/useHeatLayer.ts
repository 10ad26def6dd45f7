/**
 * The heat map: appeals and video alerts of the scope per 200 m bin over a window (today, 7 or 30
 * days; GET /api/v1/heat), drawn by MapLibre's heatmap layer with each bin weighted by its share
 * of the busiest. Asked again when the window or the scope changes and every minute.
 */
import { ref, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { tryOnScopeDispose, useIntervalFn } from '@vueuse/core';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { api } from '../api/http.ts';
import { HEAT_SOURCE } from './style.ts';

export const HEAT_WINDOWS = ['today', '7d', '30d'] as const;
export type HeatWindow = (typeof HEAT_WINDOWS)[number];
const REFRESH_MS = 60_000;

interface Heat {
  max: number;
  points: { lon: number; lat: number; count: number }[];
}

/** The bins as weighted points (pure, for tests). */
export function heatFeatures(h: Heat) {
  return {
    type: 'FeatureCollection' as const,
    features: h.points.map((p) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
      properties: { w: h.max > 0 ? p.count / h.max : 0, count: p.count },
    })),
  };
}

export function useHeatLayer(
  map: Readonly<Ref<MlMap | null>>,
  ready: Readonly<Ref<boolean>>,
  opts: { scope: MaybeRefOrGetter<string>; on: MaybeRefOrGetter<boolean>; window: MaybeRefOrGetter<HeatWindow> },
) {
  /** The busiest bin's count and how many events the window holds, for the legend. */
  const max = ref(0);
  const total = ref(0);
  let controller: AbortController | null = null;

  async function refresh(): Promise<void> {
    const m = map.value;
    if (!m || !ready.value) return;
    controller?.abort();
    const source = m.getSource(HEAT_SOURCE) as GeoJSONSource | undefined;
    if (!toValue(opts.on)) {
      source?.setData({ type: 'FeatureCollection', features: [] });
      return;
    }
    controller = new AbortController();
    try {
      const h = await api<Heat>('/api/v1/heat', {
        query: { scope: toValue(opts.scope), window: toValue(opts.window) },
        signal: controller.signal,
      });
      if (map.value !== m) return;
      source?.setData(heatFeatures(h) as Parameters<GeoJSONSource['setData']>[0]);
      max.value = h.max;
      total.value = h.points.reduce((n, p) => n + p.count, 0);
    } catch (e) {
      if ((e as Error).name !== 'AbortError' && map.value === m) source?.setData({ type: 'FeatureCollection', features: [] });
    }
  }

  watch([() => toValue(opts.on), () => toValue(opts.scope), () => toValue(opts.window), ready], () => void refresh());
  useIntervalFn(() => void refresh(), REFRESH_MS);
  tryOnScopeDispose(() => controller?.abort());
  return { max, total, refresh };
}
