/**
 * The live points on the map, clustered (./clusters.ts) and sent to the point source at most once
 * a second: when they change and when the camera has moved. Cluster counts are HTML markers (the
 * style has no glyphs), from a small pool that is reused. `positions` says where the circles are,
 * so that names can keep clear of them.
 */
import { shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { createEventHook, tryOnScopeDispose } from '@vueuse/core';
import { Marker, type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import type { LivePoint } from '../stores/points.ts';
import { clusterPoints, type PointFeatureOut } from './clusters.ts';
import { POINT_SOURCE } from './style.ts';
import { throttle } from './throttle.ts';
import { useMapEvent } from './useMapEvent.ts';

type LngLat = [number, number];

export function useClusterMarkers(
  map: Readonly<Ref<MlMap | null>>,
  ready: Readonly<Ref<boolean>>,
  points: MaybeRefOrGetter<readonly LivePoint[]>,
) {
  const pool: { marker: Marker; shown: boolean }[] = [];
  const positions = shallowRef<readonly LngLat[]>([]);
  const updated = createEventHook<void>();

  function markerAt(i: number) {
    if (!pool[i]) {
      const el = document.createElement('div');
      el.className = 'map-cluster-count';
      pool.push({ marker: new Marker({ element: el, anchor: 'center' }), shown: false });
    }
    return pool[i];
  }

  function showCounts(m: MlMap, clusters: PointFeatureOut[]): void {
    clusters.forEach((f, i) => {
      const mk = markerAt(i);
      const el = mk.marker.getElement();
      const count = String(f.properties.point_count);
      if (el.textContent !== count) el.textContent = count;
      mk.marker.setLngLat(f.geometry.coordinates as LngLat);
      // addTo takes the element out of the page and puts it back: only when it is not there yet.
      if (!mk.shown) mk.marker.addTo(m);
      mk.shown = true;
    });
    for (const mk of pool.slice(clusters.length)) {
      if (mk.shown) mk.marker.remove();
      mk.shown = false;
    }
  }

  const update = throttle(() => {
    const m = map.value;
    if (!m || !ready.value) return;
    const b = m.getBounds();
    const data = clusterPoints(toValue(points), [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], m.getZoom());
    (m.getSource(POINT_SOURCE) as GeoJSONSource | undefined)?.setData(data as Parameters<GeoJSONSource['setData']>[0]);
    const clusters = data.features.filter((f) => typeof f.properties.point_count === 'number');
    showCounts(m, clusters);
    positions.value = clusters.map((f) => f.geometry.coordinates as LngLat);
    void updated.trigger();
  }, 1000);

  watch(
    () => toValue(points),
    () => update(),
  );
  useMapEvent(map, 'moveend', () => update());
  tryOnScopeDispose(() => {
    update.cancel();
    for (const mk of pool) mk.marker.remove();
  });

  return { positions: positions as Readonly<Ref<readonly LngLat[]>>, update, onUpdated: updated.on };
}
