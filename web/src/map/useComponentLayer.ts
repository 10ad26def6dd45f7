/**
 * City components on the map: the server clusters them for the view (GET
 * /api/v1/components/map: a district's hundred thousand never come to the browser), and this asks
 * again when the camera stops moving and every half minute (statuses change). Clusters are pale
 * circles with their count (HTML markers: the style has no glyphs); components one by one are
 * dots coloured by status, and those out of order show at every zoom, over the clusters.
 * `components` shows every type, `poles` the smart poles alone; both are layers of their own.
 */
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { tryOnScopeDispose, useIntervalFn } from '@vueuse/core';
import { Marker, type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import { api } from '../api/http.ts';
import { COMPONENT_SOURCE } from './style.ts';
import { throttle } from './throttle.ts';
import { useMapEvent } from './useMapEvent.ts';

const REFRESH_MS = 30_000;

interface Feature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { cluster?: boolean; count?: number; id?: string; type?: string; status?: string; overlay?: boolean };
}

export interface ComponentLayerOptions {
  scope: MaybeRefOrGetter<string>;
  /** Which of the two is on: every component, the smart poles alone, or neither. */
  layer: MaybeRefOrGetter<'components' | 'poles' | null>;
}

export function useComponentLayer(map: Readonly<Ref<MlMap | null>>, ready: Readonly<Ref<boolean>>, opts: ComponentLayerOptions) {
  const markers: Marker[] = [];
  /** Components out of order in view, for the legend and the tests. */
  const outOfOrder = ref(0);
  const shown = ref(0);
  /** Where the cluster circles are: the map's names keep clear of them. */
  const positions = shallowRef<readonly [number, number][]>([]);
  let controller: AbortController | null = null;

  function counts(m: MlMap, clusters: Feature[]): void {
    clusters.forEach((f, i) => {
      let mk = markers[i];
      if (!mk) {
        const el = document.createElement('div');
        el.className = 'map-cluster-count map-cluster-count--component';
        mk = markers[i] = new Marker({ element: el, anchor: 'center' });
      }
      mk.getElement().textContent = String(f.properties.count);
      mk.setLngLat(f.geometry.coordinates).addTo(m);
    });
    for (const mk of markers.slice(clusters.length)) mk.remove();
    markers.length = Math.min(markers.length, clusters.length);
    positions.value = clusters.map((f) => f.geometry.coordinates);
  }

  function clear(m: MlMap): void {
    (m.getSource(COMPONENT_SOURCE) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: [] });
    counts(m, []);
    outOfOrder.value = 0;
    shown.value = 0;
  }

  const refresh = throttle(async () => {
    const m = map.value;
    const layer = toValue(opts.layer);
    if (!m || !ready.value) return;
    controller?.abort();
    if (!layer) return clear(m);
    controller = new AbortController();
    const b = m.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(',');
    try {
      const fc = await api<{ features: Feature[] }>('/api/v1/components/map', {
        query: { scope: toValue(opts.scope), layer, bbox, zoom: Math.round(m.getZoom()) },
        signal: controller.signal,
      });
      if (map.value !== m) return;
      (m.getSource(COMPONENT_SOURCE) as GeoJSONSource | undefined)?.setData(fc as unknown as Parameters<GeoJSONSource['setData']>[0]);
      counts(
        m,
        fc.features.filter((f) => f.properties.cluster),
      );
      outOfOrder.value = fc.features.filter((f) => f.properties.status && f.properties.status !== 'normal').length;
      shown.value = fc.features.reduce((n, f) => n + (f.properties.count ?? 1), 0);
    } catch (e) {
      // a deployment without components (404), or a view left before the answer: nothing to draw
      if ((e as Error).name !== 'AbortError' && map.value === m) clear(m);
    }
  }, 500);

  watch([() => toValue(opts.layer), () => toValue(opts.scope), ready], () => void refresh());
  useMapEvent(map, 'moveend', () => void refresh());
  useIntervalFn(() => void refresh(), REFRESH_MS);
  tryOnScopeDispose(() => {
    refresh.cancel();
    controller?.abort();
    for (const mk of markers) mk.remove();
  });

  return { refresh, outOfOrder, shown, positions };
}
