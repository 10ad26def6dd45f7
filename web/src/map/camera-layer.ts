/**
 * The cameras of the scope on the map: a small ring per camera, blue when online and grey when
 * offline (told apart by fill as well as hue), larger and vermillion when it has open alerts, the
 * bigger the more. Hovering one names it with its status and open alerts. Statuses come from
 * `GET /api/v1/cameras` every half minute (cameras report every 30–60 s); alert counts from the
 * scope's alert queue as it changes.
 */
import { watch, type Ref } from 'vue';
import { Popup, type GeoJSONSource, type Map as MlMap, type MapLayerMouseEvent } from 'maplibre-gl';
import type { AlertView } from '@commandhall/shared/alert-lifecycle';
import { api } from '../api/http.ts';
import { OKABE_ITO } from '../theme/palette.ts';

export const CAMERA_SOURCE = 'cameras';
export const CAMERA_LAYER = 'camera';
const REFRESH_MS = 30_000;

interface Camera {
  id: string;
  name: string;
  status: 'online' | 'offline';
  location: { lon: number; lat: number };
}

/** Camera features with their open alert counts (pure, for tests). */
export function cameraFeatures(cameras: readonly Camera[], queue: readonly AlertView[]) {
  const open = new Map<string, number>();
  for (const a of queue) open.set(a.cameraId, (open.get(a.cameraId) ?? 0) + 1);
  return {
    type: 'FeatureCollection' as const,
    features: cameras.map((c) => ({
      type: 'Feature' as const,
      id: c.id,
      geometry: { type: 'Point' as const, coordinates: [c.location.lon, c.location.lat] },
      properties: { id: c.id, name: c.name, online: c.status === 'online', alerts: open.get(c.id) ?? 0 },
    })),
  };
}

/** Adds the layer to a loaded map and keeps it current until the map is removed; returns a stop
 * function, which takes it off. */
export function attachCameraLayer(
  m: MlMap,
  scope: Ref<string>,
  queue: Ref<readonly AlertView[]>,
  label: (p: { name: string; online: boolean; alerts: number }) => string,
): () => void {
  let cameras: Camera[] = [];
  let stopped = false;
  m.addSource(CAMERA_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  m.addLayer(
    {
      id: CAMERA_LAYER,
      type: 'circle',
      source: CAMERA_SOURCE,
      paint: {
        'circle-radius': ['case', ['>', ['get', 'alerts'], 0], ['min', 11, ['+', 5, ['*', 2, ['get', 'alerts']]]], 2.6],
        'circle-color': ['case', ['>', ['get', 'alerts'], 0], OKABE_ITO.vermillion, ['get', 'online'], OKABE_ITO.sky, '#5b6675'],
        'circle-opacity': ['case', ['get', 'online'], 0.95, 0.55],
        'circle-stroke-color': ['case', ['get', 'online'], '#e8f1ff', '#8c96a3'],
        'circle-stroke-width': ['case', ['>', ['get', 'alerts'], 0], 1.5, 0.6],
      },
    },
    // under the live points and their halos, above the areas
    m.getLayer('point-halo') ? 'point-halo' : undefined,
  );

  const draw = () => {
    if (stopped) return;
    (m.getSource(CAMERA_SOURCE) as GeoJSONSource | undefined)?.setData(
      cameraFeatures(cameras, queue.value) as Parameters<GeoJSONSource['setData']>[0],
    );
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  const load = async () => {
    if (timer) clearTimeout(timer);
    try {
      cameras = (await api<{ cameras: Camera[] }>('/api/v1/cameras', { query: { scope: scope.value } })).cameras;
      draw();
    } catch {
      /* offline or not allowed: keep what is drawn, try again */
    }
    if (!stopped) timer = setTimeout(() => void load(), REFRESH_MS);
  };
  void load();
  const stopScope = watch(scope, () => void load());
  const stopQueue = watch(queue, draw);

  const popup = new Popup({ closeButton: false, closeOnClick: false, className: 'map-camera-popup', offset: 8 });
  const onMove = (e: MapLayerMouseEvent) => {
    const f = e.features?.[0];
    if (!f) return;
    const p = f.properties as { name: string; online: boolean; alerts: number };
    popup.setLngLat(e.lngLat).setText(label(p)).addTo(m);
  };
  const onLeave = () => popup.remove();
  m.on('mousemove', CAMERA_LAYER, onMove);
  m.on('mouseleave', CAMERA_LAYER, onLeave);

  const halt = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    stopScope();
    stopQueue();
    popup.remove();
    m.off('mousemove', CAMERA_LAYER, onMove);
    m.off('mouseleave', CAMERA_LAYER, onLeave);
    m.off('remove', halt);
  };
  // A removed map takes its layers with it (and has no style left to remove them from): the
  // polling stops then, and the stop function below has nothing more to do.
  m.on('remove', halt);

  return () => {
    if (stopped) return;
    halt();
    // the layer can be turned on again later: it must not be there then
    if (m.getLayer(CAMERA_LAYER)) {
      m.removeLayer(CAMERA_LAYER);
      m.removeSource(CAMERA_SOURCE);
    }
  };
}
