/**
 * The MapLibre map of a component: created once the container is mounted and the geography has
 * loaded, `ready` once its style has loaded (then `onLoad` runs), removed when the component
 * goes. It draws at the device's pixel ratio times the screen's render factor, so that it stays
 * sharp on a scaled wall.
 */
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref, type ShallowRef } from 'vue';
import { createEventHook, tryOnMounted, tryOnScopeDispose } from '@vueuse/core';
import { Map as MlMap, setWorkerUrl, type MapOptions } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { GeoCollection } from '../stores/scopes.ts';
import { FONT_FAMILY } from '../theme/palette.ts';
import { exposeForTests } from '../testing.ts';

// The worker is bundled with the app (no CDN).
setWorkerUrl(workerUrl);

export interface MapInstanceOptions {
  geo: MaybeRefOrGetter<GeoCollection | null | undefined>;
  /** Whether people pan and zoom it (a desk); a wall's map only follows its scope. Read at creation. */
  interactive: MaybeRefOrGetter<boolean>;
  pixelRatio: MaybeRefOrGetter<number>;
  /** The style and camera it starts with, for the geography: read once, at creation. */
  start: (geo: GeoCollection) => Pick<MapOptions, 'style' | 'bounds' | 'fitBoundsOptions'>;
}

/** A flat, north-up schematic of the district, offline: nothing rotates, tilts or fades. */
function fixedOptions(interactive: boolean): Omit<MapOptions, 'container'> {
  return {
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    boxZoom: false,
    keyboard: interactive,
    scrollZoom: interactive,
    dragPan: interactive,
    doubleClickZoom: interactive,
    touchZoomRotate: interactive,
    renderWorldCopies: false,
    fadeDuration: 0,
    localIdeographFontFamily: FONT_FAMILY,
    minZoom: 8,
    // a grid cell is a few hundred metres across: zoom 17 frames it
    maxZoom: 18,
  };
}

export function useMapInstance(container: Readonly<Ref<HTMLElement | null>>, opts: MapInstanceOptions) {
  const map = shallowRef<MlMap | null>(null);
  const ready = ref(false);
  const loaded = createEventHook<[MlMap, GeoCollection]>();

  function create(): void {
    const geo = toValue(opts.geo);
    if (!geo || !container.value || map.value) return;
    const m = new MlMap({
      container: container.value,
      ...opts.start(geo),
      pixelRatio: toValue(opts.pixelRatio),
      ...fixedOptions(toValue(opts.interactive)),
    });
    map.value = m;
    m.on('load', () => {
      ready.value = true;
      void loaded.trigger(m, geo);
      exposeForTests({ map: m });
    });
  }

  tryOnMounted(create);
  watch(() => toValue(opts.geo), create);
  watch(
    () => toValue(opts.pixelRatio),
    (r) => map.value?.setPixelRatio(r),
  );
  tryOnScopeDispose(() => {
    exposeForTests({ map: null });
    map.value?.remove();
    map.value = null;
  });

  return { map: map as Readonly<ShallowRef<MlMap | null>>, ready: ready as Readonly<Ref<boolean>>, onLoad: loaded.on };
}
