/**
 * The size of this window (CSS px, followed through resizes once a frame at most) and of the
 * whole wall it belongs to: the window itself, or all the monitors of a splice (./splice.ts).
 */
import { computed, ref, toValue, type MaybeRefOrGetter } from 'vue';
import { tryOnScopeDispose, useEventListener } from '@vueuse/core';
import { wallSize, type Tile } from './splice.ts';

export function useWallSize(tile: MaybeRefOrGetter<Tile | undefined>) {
  const view = ref({ width: window.innerWidth, height: window.innerHeight });
  let raf = 0;
  useEventListener(window, 'resize', () => {
    cancelAnimationFrame(raf);
    raf = requestAnimationFrame(() => (view.value = { width: window.innerWidth, height: window.innerHeight }));
  });
  tryOnScopeDispose(() => cancelAnimationFrame(raf));
  const wall = computed(() => {
    const t = toValue(tile);
    return t ? wallSize(t, view.value) : view.value;
  });
  return { view, wall };
}
