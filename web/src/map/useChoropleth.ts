/**
 * The communities (inside a community, its grid cells) coloured by their open appeals. Figures go into the map's feature state, at most
 * once a second and only those that changed (each change re-renders the map). The colour ramp runs
 * from 0 to a round maximum, `legendMax` (for the legend), set again only when that changes.
 */
import { ref, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { createEventHook, tryOnScopeDispose } from '@vueuse/core';
import type { Map as MlMap } from 'maplibre-gl';
import type { CommunityFigures } from '@commandhall/shared/metrics';
import { choroplethColor, GEO_SOURCE, LAYERS, niceMax } from './style.ts';
import { throttle } from './throttle.ts';

export function useChoropleth(
  map: Readonly<Ref<MlMap | null>>,
  ready: Readonly<Ref<boolean>>,
  figures: MaybeRefOrGetter<Record<string, CommunityFigures> | undefined>,
) {
  const legendMax = ref(10);
  const applied = createEventHook<void>();
  /** Open counts already in the feature state, by community code. */
  let stated = new Map<string, number>();

  const apply = throttle(() => {
    const m = map.value;
    if (!m || !ready.value) return;
    const next = new Map<string, number>();
    let max = 0;
    for (const [code, f] of Object.entries(toValue(figures) ?? {})) {
      if (stated.get(code) !== f.open) m.setFeatureState({ source: GEO_SOURCE, id: code }, { open: f.open });
      next.set(code, f.open);
      if (f.open > max) max = f.open;
    }
    for (const code of stated.keys()) if (!next.has(code)) m.removeFeatureState({ source: GEO_SOURCE, id: code }, 'open');
    stated = next;
    const nm = niceMax(max);
    if (nm !== legendMax.value) {
      legendMax.value = nm;
      m.setPaintProperty(LAYERS.communityFill, 'fill-color', choroplethColor(nm));
      m.setPaintProperty(LAYERS.gridFill, 'fill-color', choroplethColor(nm));
    }
    void applied.trigger();
  }, 1000);

  watch(
    () => toValue(figures),
    () => apply(),
  );
  tryOnScopeDispose(apply.cancel);

  return { legendMax: legendMax as Readonly<Ref<number>>, apply, onApplied: applied.on };
}
