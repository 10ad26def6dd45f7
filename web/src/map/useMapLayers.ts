/**
 * The map's layers that are on (`layers`: the layout's, or the person's choice): the style's
 * layers of each are shown or hidden (LAYERS_OF), and the camera layer is attached or taken off
 * whole (it asks the server for the cameras while it is on). The points, components, heat and
 * names that follow the layers are MapView's to redo.
 */
import { computed, toValue, type MaybeRefOrGetter, type Ref } from 'vue';
import { tryOnScopeDispose } from '@vueuse/core';
import { useI18n } from 'vue-i18n';
import type { Map as MlMap } from 'maplibre-gl';
import type { MapLayer } from '@commandhall/shared/themes';
import { useAlertQueue } from '../alerts/useAlertQueue.ts';
import { attachCameraLayer } from './camera-layer.ts';
import { LAYERS_OF } from './style.ts';

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
    for (const [layer, ids] of Object.entries(LAYERS_OF)) {
      // the smart poles are drawn with the components' layers
      const on = shows(layer as MapLayer) || (layer === 'components' && shows('poles'));
      for (const id of ids) m.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    }
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
