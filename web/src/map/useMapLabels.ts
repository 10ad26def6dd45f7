/**
 * The names of the streets and communities (./map-label.ts): placed without overlap and clear of
 * the cluster circles, each on its own area, in the short form where space is tight, hidden where
 * there is no room (./labels.ts). Laid out again when the camera or the map's box moves, renamed
 * when the language changes.
 */
import { toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { tryOnScopeDispose } from '@vueuse/core';
import type { Map as MlMap } from 'maplibre-gl';
import { useScopesStore, type GeoCollection } from '../stores/scopes.ts';
import { useLang } from '../i18n/useLang.ts';
import { placeLabels, type LabelBox } from './labels.ts';
import { compactForm, fullForm, type LabelledArea } from './label-rules.ts';
import { createLabel, labelBox, measureLabel, putLabel, type MapLabel } from './map-label.ts';
import { useMapEvent } from './useMapEvent.ts';
import { topLevelOf } from './style.ts';

export interface MapLabelsOptions {
  /** Where cluster circles are (lon/lat): names keep clear of them. */
  obstacles: MaybeRefOrGetter<readonly [number, number][]>;
  /** Which names go down first; below 0, not at all (./label-rules.ts). */
  priority: (area: LabelledArea) => number;
  /** The community whose grid cells are named (their labels are made when first needed). */
  cellsOf?: MaybeRefOrGetter<string | null>;
}

/** A cluster circle as a box (px): the largest circle with its stroke. */
const CLUSTER_BOX = 36;

export function useMapLabels(map: Readonly<Ref<MlMap | null>>, container: Readonly<Ref<HTMLElement | null>>, opts: MapLabelsOptions) {
  const scopes = useScopesStore();
  const { lang } = useLang();
  let labels: MapLabel[] = [];
  let source: GeoCollection | null = null;
  /** Communities whose cells have labels already. */
  const cellsLabelled = new Set<string>();

  /**
   * A label for every area below the top (the top, a district or a city, is named by the screen's
   * title) but the grid cells: hundreds of them, named only inside their community, so made then.
   */
  function create(geo: GeoCollection): void {
    const m = map.value;
    if (!m) return;
    source = geo;
    const top = topLevelOf(geo);
    for (const f of geo.features) if (f.properties.level !== top && f.properties.level !== 'grid') labels.push(createLabel(m, f));
    rename();
  }

  /** Labels for the cells of the community now named, the first time it is. */
  function ensureCells(): boolean {
    const community = toValue(opts.cellsOf);
    const m = map.value;
    if (!community || !m || !source || cellsLabelled.has(community)) return false;
    cellsLabelled.add(community);
    for (const f of source.features) if (f.properties.level === 'grid' && f.properties.parent === community) labels.push(createLabel(m, f));
    return true;
  }

  function rename(): void {
    for (const l of labels) {
      const name = scopes.name(l.id, lang.value);
      l.forms[0].text = fullForm(name, lang.value, l.level);
      l.forms[1].text = compactForm(name, l.level, lang.value);
    }
    labels.forEach(measureLabel);
    layout();
  }

  function layout(): void {
    const m = map.value;
    const box = container.value;
    if (!m || !box) return;
    if (ensureCells()) return rename();
    // Fonts may not have been ready when the labels were first measured.
    if (labels.some((l) => !l.forms[0].w)) labels.forEach(measureLabel);
    const b = m.getBounds();
    const camera = `${b.getWest()},${b.getSouth()},${b.getEast()},${b.getNorth()},${m.getZoom()},${box.clientWidth}x${box.clientHeight}`;
    const boxes: LabelBox[] = [];
    for (const l of labels) {
      const priority = opts.priority(l);
      if (priority >= 0) boxes.push(labelBox(l, m, camera, priority));
    }
    toValue(opts.obstacles).forEach((c, i) => {
      const p = m.project(c);
      boxes.push({ id: `cluster:${i}`, x: p.x, y: p.y, w: CLUSTER_BOX, h: CLUSTER_BOX, priority: Number.MAX_SAFE_INTEGER, fixed: true });
    });
    const placed = placeLabels(boxes, { width: box.clientWidth, height: box.clientHeight });
    for (const l of labels) putLabel(l, placed.get(l.id) ?? null);
  }

  useMapEvent(map, 'moveend', layout);
  useMapEvent(map, 'resize', layout);
  watch(lang, rename);
  tryOnScopeDispose(() => {
    for (const l of labels) l.marker.remove();
    labels = [];
  });

  return { create, layout };
}
