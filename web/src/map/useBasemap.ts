/**
 * The plain offline basemap: the deployment's roads, water and the test zone as lines drawn from
 * its own data (GET /api/v1/geography/basemap; Pingshan's is schematic), loaded once per map.
 * Nothing comes from a tile server.
 */
import { watch, type Ref } from 'vue';
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { api } from '../api/http.ts';
import { BASEMAP_SOURCE } from './style.ts';

let cached: Promise<unknown> | null = null;

export function useBasemap(map: Readonly<Ref<MlMap | null>>, ready: Readonly<Ref<boolean>>) {
  watch(
    ready,
    async (r) => {
      const m = map.value;
      if (!r || !m) return;
      cached ??= api<unknown>('/api/v1/geography/basemap').catch(() => {
        cached = null;
        return { type: 'FeatureCollection', features: [] };
      });
      const data = await cached;
      // the map may have gone (its screen closed) while the basemap came
      if (map.value !== m) return;
      (m.getSource(BASEMAP_SOURCE) as GeoJSONSource | undefined)?.setData(data as Parameters<GeoJSONSource['setData']>[0]);
    },
    { immediate: true },
  );
}
