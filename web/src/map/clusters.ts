/**
 * Clustering of the live points (supercluster, on the main thread: a few hundred points at most),
 * producing the GeoJSON the map's point source shows. Cluster counts are drawn as HTML markers.
 */
import Supercluster from 'supercluster';
import type { MapLayer } from '@commandhall/shared/themes';
import type { LivePoint } from '../stores/points.ts';

/** Minimal GeoJSON shapes (the app does not depend on @types/geojson itself). */
export interface PointFeatureOut {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: number[] };
  properties: Record<string, unknown>;
}
export interface PointCollection {
  type: 'FeatureCollection';
  features: PointFeatureOut[];
}

export interface PointProps {
  id: string;
  kind: 'appeal' | 'alert' | 'other';
  fresh: boolean;
  community: string;
  label: string;
}
interface ClusterAcc {
  alerts: number;
}

export const FRESH_MS = 90_000;

export function clusterPoints(
  points: readonly LivePoint[],
  bbox: [number, number, number, number],
  zoom: number,
  now = Date.now(),
): PointCollection {
  const index = new Supercluster<PointProps, ClusterAcc>({
    radius: 36,
    maxZoom: 15,
    minPoints: 3,
    map: (p) => ({ alerts: p.kind === 'alert' ? 1 : 0 }),
    reduce: (acc, p) => {
      acc.alerts += p.alerts;
    },
  });
  index.load(
    points.map((p) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
      properties: { id: p.id, kind: p.kind, fresh: now - p.seenAt < FRESH_MS, community: p.community, label: p.label },
    })),
  );
  return { type: 'FeatureCollection', features: index.getClusters(bbox, Math.floor(zoom)) as unknown as PointFeatureOut[] };
}

/** The points of the layers that are on: appeals and alerts are separate layers, clustered together when both are on. */
export function visiblePoints(points: readonly LivePoint[], layers: readonly MapLayer[]): readonly LivePoint[] {
  const appeals = layers.includes('points');
  const alerts = layers.includes('alerts');
  if (appeals && alerts) return points;
  return points.filter((p) => (p.kind === 'alert' ? alerts : appeals));
}
