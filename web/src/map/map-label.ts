/**
 * One name on the map: an HTML marker on its area's centre, in two forms (the name, and a short
 * form in a smaller type), measured once laid out, and moved to where the placement puts it.
 */
import { Marker, type Map as MlMap } from 'maplibre-gl';
import type { GeoCollection } from '../stores/scopes.ts';
import { insideRings, type LabelBox, type Placement } from './labels.ts';
import type { LabelledArea } from './label-rules.ts';

type Ring = [number, number][];
type Feature = GeoCollection['features'][number];

interface LabelForm {
  text: string;
  w: number;
  h: number;
}

export interface MapLabel extends LabelledArea {
  id: string;
  center: [number, number];
  /** The area's outline (lon/lat rings): a label must sit on its own area to name it. */
  rings: Ring[];
  /** The outline in screen px, for the camera `ringsAt`. */
  screenRings: Ring[];
  ringsAt: string;
  marker: Marker;
  el: HTMLDivElement;
  /** The name as it is, and a short form in a smaller type for crowded spots. */
  forms: [LabelForm, LabelForm];
  placed: Placement | null;
  /** Offset last given to the marker: setting it again re-renders the marker for nothing. */
  offset: string;
}

function ringsOf(g: Feature['geometry']): Ring[] {
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Ring[][];
  return polys.flat();
}

/** A label for a street or community, on the map, still without words. */
export function createLabel(m: MlMap, f: Feature): MapLabel {
  const p = f.properties;
  const el = document.createElement('div');
  el.className = `map-label map-label--${p.level}`;
  el.dataset.code = p.code;
  const marker = new Marker({ element: el, anchor: 'center' }).setLngLat(p.center).addTo(m);
  const empty = { text: '', w: 0, h: 0 };
  return {
    id: `${p.level}:${p.code}`,
    level: p.level,
    code: p.code,
    center: p.center,
    rings: ringsOf(f.geometry),
    screenRings: [],
    ringsAt: '',
    marker,
    el,
    forms: [{ ...empty }, { ...empty }],
    placed: null,
    offset: '',
  };
}

/** Writes a label in one of its forms; its element is the marker itself. */
export function showForm(l: MapLabel, compact: boolean): void {
  const text = l.forms[compact ? 1 : 0].text;
  if (l.el.textContent !== text) l.el.textContent = text;
  l.el.classList.toggle('map-label--compact', compact);
}

/** Sizes of both forms, read from the laid-out element (design px, as the map projects). */
export function measureLabel(l: MapLabel): void {
  for (const compact of [false, true]) {
    showForm(l, compact);
    const f = l.forms[compact ? 1 : 0];
    f.w = l.el.offsetWidth;
    f.h = l.el.offsetHeight;
  }
  showForm(l, l.placed?.variant === 0);
}

/** The label as the placement sees it. The outline is projected again only when `camera` (the
 * view and the box, as a string) moved. */
export function labelBox(l: MapLabel, m: MlMap, camera: string, priority: number): LabelBox {
  const p = m.project(l.center);
  if (l.ringsAt !== camera) {
    l.screenRings = l.rings.map((r) =>
      r.map((c) => {
        const q = m.project(c);
        return [q.x, q.y] as [number, number];
      }),
    );
    l.ringsAt = camera;
  }
  const rings = l.screenRings;
  const [full, compact] = l.forms;
  return {
    id: l.id,
    x: p.x,
    y: p.y,
    w: full.w,
    h: full.h,
    priority,
    alternatives: compact.w ? [{ w: compact.w, h: compact.h }] : [],
    accept: (x, y) => insideRings(x, y, rings),
    previous: l.placed ?? undefined,
  };
}

/** Shows the label where it was placed, in the form placed, or hides it (`at` null). */
export function putLabel(l: MapLabel, at: Placement | null): void {
  l.placed = at;
  l.el.classList.toggle('map-label--hidden', !at);
  if (!at) return;
  showForm(l, at.variant === 0);
  const offset: [number, number] = [Math.round(at.dx), Math.round(at.dy)];
  if (l.offset !== `${offset}`) l.marker.setOffset(offset);
  l.offset = `${offset}`;
}
