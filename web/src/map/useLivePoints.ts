/**
 * The live points of the scope shown, kept by the points store: started afresh for each scope, fed
 * from the recent events (the list holds the last few; the store keeps them on the map a while
 * longer). `shown` are those of the layers that are on.
 */
import { computed, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { tryOnMounted } from '@vueuse/core';
import type { TickerItem } from '@commandhall/shared/metrics';
import type { MapLayer } from '@commandhall/shared/themes';
import { usePointsStore } from '../stores/points.ts';
import { visiblePoints } from './clusters.ts';

export interface LivePointsOptions {
  scope: MaybeRefOrGetter<string>;
  recent: MaybeRefOrGetter<readonly TickerItem[]>;
  layers: MaybeRefOrGetter<readonly MapLayer[]>;
}

export function useLivePoints({ scope, recent, layers }: LivePointsOptions) {
  const points = usePointsStore();

  function restart(): void {
    points.reset(toValue(scope));
    points.merge(toValue(scope), toValue(recent));
  }

  tryOnMounted(restart);
  watch(() => toValue(scope), restart);
  watch(
    () => toValue(recent),
    (r) => points.merge(toValue(scope), r),
  );

  const shown = computed(() => visiblePoints(points.points, toValue(layers)));
  /** Drops points past their age: they age out even when nothing new arrives. */
  const expire = () => points.expire();
  return { shown, restart, expire };
}
