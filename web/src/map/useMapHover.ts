/**
 * The community under the pointer: outlined (feature state `hover`) and described in a tooltip
 * beside the pointer, kept inside the map. `show` is also what a tap does (touch walls have no
 * hover); `clear` takes both away.
 */
import { computed, ref, toValue, type MaybeRefOrGetter, type Ref } from 'vue';
import type { Map as MlMap, MapLayerMouseEvent } from 'maplibre-gl';
import type { CommunityFigures } from '@commandhall/shared/metrics';
import { useScopesStore } from '../stores/scopes.ts';
import { useLang } from '../i18n/useLang.ts';
import { GEO_SOURCE, LAYERS } from './style.ts';
import { useMapEvent } from './useMapEvent.ts';

/** About the tooltip's size (px): it stays this far from the map's right and bottom edges. */
const TOOLTIP = { w: 200, h: 170 };
/** Where it sits from the pointer (px), down and right, clear of the cursor. */
const OFFSET = 14;

export interface MapHoverOptions {
  figures: MaybeRefOrGetter<Record<string, CommunityFigures> | undefined>;
  /** Whether the map is clickable: then the pointer says so. */
  interactive: MaybeRefOrGetter<boolean>;
  /** A line at the foot of the tooltip, say what a click on the community does. */
  hint: (code: string) => string | undefined;
}

/** The code of the area (a community, or a grid cell) under the pointer, if any. */
export function communityAt(e: MapLayerMouseEvent): string | undefined {
  return e.features?.[0]?.properties?.code as string | undefined;
}

/** The scope of the area under the pointer: `community:…` or `grid:…`. */
export function areaAt(e: MapLayerMouseEvent): string | undefined {
  const p = e.features?.[0]?.properties;
  return p?.code ? `${(p.level as string) ?? 'community'}:${p.code as string}` : undefined;
}

export function useMapHover(map: Readonly<Ref<MlMap | null>>, container: Readonly<Ref<HTMLElement | null>>, opts: MapHoverOptions) {
  const scopes = useScopesStore();
  const { lang } = useLang();
  const hovered = ref<{ code: string; level: string; x: number; y: number } | null>(null);
  /** The community whose feature state says `hover`. */
  let outlined: string | null = null;

  function outline(code: string | null): void {
    const m = map.value;
    if (!m || code === outlined) return;
    if (outlined) m.setFeatureState({ source: GEO_SOURCE, id: outlined }, { hover: false });
    outlined = code;
    if (code) m.setFeatureState({ source: GEO_SOURCE, id: code }, { hover: true });
  }

  function show(e: MapLayerMouseEvent): void {
    const code = communityAt(e);
    if (!code) return;
    const level = (e.features?.[0]?.properties?.level as string | undefined) ?? 'community';
    // a community under one of its grid cells: the cell is what the pointer is on
    if (
      level === 'community' &&
      map.value?.getLayer(LAYERS.gridFill) &&
      map.value.queryRenderedFeatures(e.point, { layers: [LAYERS.gridFill] }).length
    )
      return;
    outline(code);
    const w = container.value?.clientWidth ?? 0;
    const h = container.value?.clientHeight ?? 0;
    hovered.value = { code, level, x: Math.min(e.point.x + OFFSET, w - TOOLTIP.w), y: Math.min(e.point.y + OFFSET, h - TOOLTIP.h) };
    if (map.value) map.value.getCanvas().style.cursor = toValue(opts.interactive) ? 'pointer' : '';
  }

  function clear(): void {
    outline(null);
    hovered.value = null;
    if (map.value) map.value.getCanvas().style.cursor = '';
  }

  const tooltip = computed(() => {
    const h = hovered.value;
    if (!h) return null;
    const id = `${h.level}:${h.code}`;
    const parent = scopes.get(id)?.parent;
    return {
      ...h,
      name: scopes.name(id, lang.value),
      parent: parent ? scopes.name(parent, lang.value) : '',
      figures: toValue(opts.figures)?.[h.code] ?? null,
      hint: opts.hint(h.code),
    };
  });

  useMapEvent(map, 'mousemove', LAYERS.communityFill, show);
  useMapEvent(map, 'mouseleave', LAYERS.communityFill, clear);
  useMapEvent(map, 'mousemove', LAYERS.gridFill, show);

  return { tooltip, show, clear };
}
