/**
 * What the map is focused on: the scope's area, framed with room for the legend, filled brighter
 * than the rest of the district and outlined. `flyTo` frames it again after a change of scope:
 * animated on a desk, at once on a wall (nobody there to watch the flight).
 */
import { computed, toValue, type MaybeRefOrGetter, type Ref } from 'vue';
import type { ExpressionSpecification, LngLatBoundsLike, Map as MlMap, PaddingOptions } from 'maplibre-gl';
import { parseScope } from '@commandhall/shared/scope';
import { useScopesStore, type GeoCollection } from '../stores/scopes.ts';
import { rootScope } from '../deployment.ts';
import { buildStyle, gridFilter, gridOpacity, inScopeExpr, LAYERS } from './style.ts';

/** Room for the legend on the left of a map this size, if it has one (px). */
const LEGEND_ROOM = 236;

/** Camera padding: a margin all round, and room for the legend on the left when the map is narrow. */
export function cameraPadding(width: number, height: number, legend: boolean): PaddingOptions {
  const p = Math.round(Math.max(16, height * 0.05));
  const room = legend ? LEGEND_ROOM : 0;
  // Only when the area would otherwise run under the legend (a square-ish area drawn `height` tall).
  const left = room && (width - height) / 2 < room ? Math.min(room, Math.round(width * 0.3)) : p;
  return { top: p, bottom: p, left, right: p };
}

export interface MapFocusOptions {
  scope: MaybeRefOrGetter<string>;
  legend: MaybeRefOrGetter<boolean>;
  animate: MaybeRefOrGetter<boolean>;
}

export function useMapFocus(container: Readonly<Ref<HTMLElement | null>>, opts: MapFocusOptions) {
  const scopes = useScopesStore();
  const focus = computed(() => parseScope(toValue(opts.scope)) ?? parseScope(rootScope())!);
  /** The scope the map's style was built for. */
  let styledFor: string | null = null;

  function boundsOf(scope: string): LngLatBoundsLike | null {
    const b = scopes.get(scope)?.bbox ?? scopes.root?.bbox;
    return b
      ? [
          [b[0], b[1]],
          [b[2], b[3]],
        ]
      : null;
  }
  const padding = () => cameraPadding(container.value?.clientWidth ?? 900, container.value?.clientHeight ?? 600, toValue(opts.legend));

  /** The style and camera a new map starts with: built for the focus, framing the scope. */
  function start(geo: GeoCollection) {
    styledFor = toValue(opts.scope);
    return { style: buildStyle(geo, focus.value), bounds: boundsOf(styledFor) ?? undefined, fitBoundsOptions: { padding: padding() } };
  }

  /** Whether the scope changed since the style was built (it takes a moment to load). */
  const styledForOtherScope = () => styledFor !== null && styledFor !== toValue(opts.scope);

  /** Brightens the areas in the scope (more so under the pointer) and outlines the scope itself. */
  function highlight(m: MlMap): void {
    const f = focus.value;
    const fillOpacity: ExpressionSpecification = [
      'case',
      inScopeExpr(f.level, f.code),
      ['case', ['boolean', ['feature-state', 'hover'], false], 0.98, 0.82],
      0.18,
    ];
    m.setPaintProperty(LAYERS.communityFill, 'fill-opacity', fillOpacity);
    m.setFilter(LAYERS.gridFill, gridFilter(f));
    m.setFilter(LAYERS.gridLine, gridFilter(f));
    m.setPaintProperty(LAYERS.gridFill, 'fill-opacity', gridOpacity(f));
    m.setFilter(LAYERS.focusLine, ['all', ['==', ['get', 'level'], f.level], ['==', ['get', 'code'], f.code]]);
    m.setLayoutProperty(LAYERS.focusLine, 'visibility', f.level === parseScope(rootScope())?.level ? 'none' : 'visible');
  }

  function flyTo(m: MlMap): void {
    const b = boundsOf(toValue(opts.scope));
    if (b) m.fitBounds(b, { padding: padding(), duration: toValue(opts.animate) ? 700 : 0 });
  }

  return { focus, start, styledForOtherScope, highlight, flyTo };
}
