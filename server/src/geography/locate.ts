/**
 * Point → community lookup. Every ingested event is placed with it, so it must be cheap: each
 * community's bounding box is precomputed and tested before the exact point-in-polygon test,
 * which then runs on the two or three communities whose boxes hold the point.
 */
import * as turf from '@turf/turf';
import type { AreaGeometry } from './format.ts';

interface Entry {
  code: string;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  feature: ReturnType<typeof turf.feature<AreaGeometry>>;
}

/**
 * Builds a locator over the given communities.
 * @param communities code and geometry of each community; ties on shared boundaries go to the
 *   first in this order, so pass them sorted by code
 * @returns `locate(lon, lat)`: the containing community's code, or null
 */
export function createLocator(communities: { code: string; geometry: AreaGeometry }[]): (lon: number, lat: number) => string | null {
  const entries: Entry[] = communities.map(({ code, geometry }) => {
    const [minLon, minLat, maxLon, maxLat] = turf.bbox(geometry);
    return { code, minLon, minLat, maxLon, maxLat, feature: turf.feature(geometry) };
  });
  // The union of all boxes rejects far-away points (most bad input) with four comparisons.
  const minLon = Math.min(...entries.map((e) => e.minLon));
  const minLat = Math.min(...entries.map((e) => e.minLat));
  const maxLon = Math.max(...entries.map((e) => e.maxLon));
  const maxLat = Math.max(...entries.map((e) => e.maxLat));

  return (lon: number, lat: number): string | null => {
    // NaN fails every comparison below, so it is rejected here too.
    if (!(lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat)) return null;
    const pt = [lon, lat];
    for (const e of entries) {
      if (lon < e.minLon || lon > e.maxLon || lat < e.minLat || lat > e.maxLat) continue;
      if (turf.booleanPointInPolygon(pt, e.feature)) return e.code;
    }
    return null;
  };
}
