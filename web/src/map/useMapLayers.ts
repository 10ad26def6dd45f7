/**
 * The map's layers that a layout can turn off (`layers`): the communities' fill and outlines are
 * hidden, and the camera layer is attached or taken off whole (it asks the server for the cameras
 * while it is on). The points and names that follow the layers are MapView's to redo.
 */
import { computed, toValue, type MaybeRefOrGetter, type Ref } from 'vue';
import { tryOnScopeDispose } from '@vueuse/core';
import { useI18n } from 'vue-i18n';
import type { Map as MlMap } from 'maplibre-gl';
import type { MapLayer } from '@commandhall/shared/themes';
import { useAlertQueue } from '../alerts/useAlertQueue.ts';
import { attachCameraLayer } from './camera-layer.ts';
import { LAYERS } from './style.ts';

const COMMUNITY_LAYERS = [LAYERS.communityFill, LAYERS.communityLine, LAYERS.hoverLine];

export function useMapLayers(
  map: Readonly<Ref<MlMap | null>>,
  ready: Readonly<Ref<boolean>>,
  opts: { layers: MaybeRefOrGetter<readonly MapLayer[]>; scope: MaybeRefOrGetter<string> },
) {
  const { t } = useI18n();
  const { queue: alertQueue } = useAlertQueue(opts.scope);
  let detachCameras: (() => void) | null = null;
  const shows = (l: MapLayer) => toValue(opts.layers).includes(l);

  function apply(): void {
    const m = map.value;
    if (!m || !ready.value) return;
    const vis = shows('communities') ? 'visible' : 'none';
    for (const id of COMMUNITY_LAYERS) m.setLayoutProperty(id, 'visibility', vis);
    if (shows('cameras') && !detachCameras) {
      detachCameras = attachCameraLayer(
        m,
        computed(() => toValue(opts.scope)),
        alertQueue,
        (c) => t('map.cameraLabel', { name: c.name, status: t(c.online ? 'map.cameraOnline' : 'map.cameraOffline'), n: c.alerts }),
      );
    } else if (!shows('cameras') && detachCameras) {
      detachCameras();
      detachCameras = null;
    }
  }

  tryOnScopeDispose(() => {
    detachCameras?.();
    detachCameras = null;
  });

  return { shows, apply };
}
