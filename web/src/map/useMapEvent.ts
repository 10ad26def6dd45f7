/**
 * A listener on the map for as long as the caller's scope lives. The map is created after the
 * component mounts, so the listener goes on as soon as the map exists (before its style loads,
 * so that `load` is not missed) and comes off when the map changes or the scope ends.
 */
import { watch, type Ref } from 'vue';
import { tryOnScopeDispose } from '@vueuse/core';
import type { Map as MlMap, MapEventType, MapLayerEventType } from 'maplibre-gl';

type MapRef = Readonly<Ref<MlMap | null>>;
type Listener = (ev: never) => void;
/** MapLibre's on/off, without the overloads (these are chosen by the arguments at run time). */
type OnOff = (type: string, ...rest: unknown[]) => unknown;

export function useMapEvent<T extends keyof MapEventType>(map: MapRef, type: T, listener: (ev: MapEventType[T]) => void): void;
export function useMapEvent<T extends keyof MapLayerEventType>(
  map: MapRef,
  type: T,
  layer: string,
  listener: (ev: MapLayerEventType[T]) => void,
): void;
export function useMapEvent(map: MapRef, type: string, layerOrListener: string | Listener, maybeListener?: Listener): void {
  const args = typeof layerOrListener === 'string' ? [layerOrListener, maybeListener] : [layerOrListener];
  let attached: MlMap | null = null;
  const detach = () => {
    if (attached) (attached.off as OnOff)(type, ...args);
    attached = null;
  };
  // sync: on the map the moment it is created, before anything can fire
  watch(
    map,
    (m) => {
      detach();
      if (m) (m.on as OnOff)(type, ...args);
      attached = m;
    },
    { immediate: true, flush: 'sync' },
  );
  tryOnScopeDispose(detach);
}
