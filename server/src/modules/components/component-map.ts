/**
 * The components' map layer, clustered on the server (supercluster): a wall at district zoom gets
 * a few dozen cluster circles with their counts, a street or community hall the components one by
 * one, never the hundred thousand points themselves. One index per scope and layer, built on
 * first use from the registry (static places), kept for the {@link CACHED} scopes asked last.
 * Statuses are not in the index: points get theirs when served, and the components out of order
 * inside a cluster are served beside it one by one (`overlay`), so a fault shows at every zoom.
 */
import Supercluster from 'supercluster';
import { SMART_POLE_TYPE, type ComponentStatus } from '@commandhall/shared';
import type { ComponentRegistry } from './component-registry.ts';
import type { ComponentState } from '../grid/component-projection.ts';

/** The layers the map draws from the registry: every component, or the smart poles alone. */
export const COMPONENT_LAYERS = ['components', 'poles'] as const;
export type ComponentLayer = (typeof COMPONENT_LAYERS)[number];

const CACHED = 24;
/** Zoom from which every component is a point of its own (a community fills the screen). */
export const POINTS_FROM_ZOOM = 16;

interface Props {
  id: string;
  type: string;
}

export interface MapFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    cluster?: true;
    count?: number;
    id?: string;
    type?: string;
    status?: ComponentStatus;
    /** A component out of order inside a cluster, shown on top of it. */
    overlay?: true;
  };
}

export class ComponentMap {
  private indexes = new Map<string, Supercluster<Props>>();

  constructor(private registry: ComponentRegistry) {}

  private index(scope: string, layer: ComponentLayer): Supercluster<Props> {
    const key = `${scope}|${layer}`;
    let index = this.indexes.get(key);
    if (index) {
      // the most recently used last: the first is the one to drop
      this.indexes.delete(key);
      this.indexes.set(key, index);
      return index;
    }
    // a wide radius: at a district's zoom a few dozen circles, not a carpet of them
    index = new Supercluster<Props>({ radius: 72, maxZoom: POINTS_FROM_ZOOM - 1, minPoints: 3 });
    const points = [];
    for (const c of this.registry.within(scope, layer === 'poles' ? (type) => type === SMART_POLE_TYPE : undefined))
      points.push({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [c.lon, c.lat] },
        properties: { id: c.id, type: c.type },
      });
    index.load(points);
    this.indexes.set(key, index);
    if (this.indexes.size > CACHED) this.indexes.delete(this.indexes.keys().next().value!);
    return index;
  }

  /**
   * The clusters and points of a scope in a box at a zoom, with the statuses of `notNormal`.
   * @param bbox [west, south, east, north]
   */
  features(
    scope: string,
    layer: ComponentLayer,
    bbox: [number, number, number, number],
    zoom: number,
    notNormal: ReadonlyMap<string, ComponentState>,
  ): MapFeature[] {
    const out: MapFeature[] = [];
    const shown = new Set<string>();
    for (const f of this.index(scope, layer).getClusters(bbox, zoom)) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      const p = f.properties as Props & { cluster?: boolean; point_count?: number };
      if (p.cluster)
        out.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties: { cluster: true, count: p.point_count },
        });
      else {
        shown.add(p.id);
        out.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties: { id: p.id, type: p.type, status: notNormal.get(p.id)?.status ?? 'normal' },
        });
      }
    }
    const code = scope.slice(scope.indexOf(':') + 1);
    const [w, s, e, n] = bbox;
    for (const [id, st] of notNormal) {
      if (shown.has(id) || (layer === 'poles' && st.type !== SMART_POLE_TYPE)) continue;
      const c = this.registry.get(id);
      // a component the registry does not hold has no place to draw it at
      if (!c || c.lon < w || c.lon > e || c.lat < s || c.lat > n || !c.cell.startsWith(code)) continue;
      out.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
        properties: { id, type: c.type, status: st.status, overlay: true },
      });
    }
    return out;
  }
}
