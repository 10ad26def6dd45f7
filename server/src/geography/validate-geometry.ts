/**
 * Checks one feature's geometry: a Polygon or MultiPolygon whose rings are closed, have at least
 * 4 positions, hold WGS84 [lon, lat] degrees and do not cross themselves.
 */
import * as turf from '@turf/turf';
import type { AreaGeometry, Position } from './format.ts';

export interface GeometryCheck {
  /** The geometry when it passed every check, else null (then spatial checks must skip it). */
  geometry: AreaGeometry | null;
  problems: string[];
}

const isPosition = (p: unknown): p is Position => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

const fmt = (p: Position): string => `[${p[0]}, ${p[1]}]`;

/** Why a position is not lon/lat, phrased to point at the likely mistake. */
function rangeHint(lon: number, lat: number): string {
  if (Math.abs(lon) > 1000 || Math.abs(lat) > 1000) {
    return 'values look projected (metres?); GeoJSON needs WGS84 longitude/latitude in degrees';
  }
  if (Math.abs(lat) > 90 && Math.abs(lon) <= 90) return 'looks like [lat, lon]; GeoJSON needs [lon, lat]';
  return 'longitude must be within ±180 and latitude within ±90';
}

/** kinks() reads a repeated position as two segments touching: drop repeats before asking it. */
function withoutRepeats(ring: Position[]): Position[] {
  return ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
}

/**
 * Validates a feature's geometry.
 * @param label how the feature is named in messages (level, code, name)
 * @param geometry the feature's `geometry` member, unchecked
 */
export function checkGeometry(label: string, geometry: unknown): GeometryCheck {
  const problems: string[] = [];
  const fail = (msg: string): GeometryCheck => ({ geometry: null, problems: [...problems, `${label}: ${msg}`] });

  if (geometry === null || geometry === undefined) return fail('has no geometry');
  if (typeof geometry !== 'object' || Array.isArray(geometry)) return fail('geometry is not an object');
  const g = geometry as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return fail(`geometry type ${JSON.stringify(g.type)} is not supported; an area must be a Polygon or MultiPolygon`);
  }
  if (!Array.isArray(g.coordinates)) return fail(`${g.type} has no coordinates array`);
  const multi = g.type === 'MultiPolygon';
  const polygons: unknown[] = multi ? g.coordinates : [g.coordinates];
  if (polygons.length === 0) return fail('MultiPolygon is empty (no polygons)');

  const ringName = (j: number, k: number): string => `${multi ? `part ${j + 1}, ` : ''}${k === 0 ? 'outer ring' : `hole ${k}`}`;

  let structureOk = true;
  let badPosition: string | null = null;
  let outOfRange = 0;
  let firstOutOfRange: string | null = null;
  let positions = 0;

  polygons.forEach((poly, j) => {
    if (!Array.isArray(poly) || poly.length === 0) {
      problems.push(`${label}: ${multi ? `part ${j + 1}` : 'polygon'} is empty (no rings)`);
      structureOk = false;
      return;
    }
    poly.forEach((ring: unknown, k) => {
      if (!Array.isArray(ring)) {
        problems.push(`${label}: ${ringName(j, k)} is not an array of positions`);
        structureOk = false;
        return;
      }
      const bad = ring.findIndex((p) => !isPosition(p));
      if (bad >= 0) {
        badPosition ??= `${label}: ${ringName(j, k)}, position ${bad + 1} is not a [lon, lat] pair of numbers (got ${JSON.stringify(ring[bad])})`;
        structureOk = false;
        return;
      }
      const pts = ring as Position[];
      if (pts.length < 4) {
        problems.push(`${label}: ${ringName(j, k)} has ${pts.length} positions; a ring needs at least 4 (first = last)`);
        structureOk = false;
      } else if (pts[0][0] !== pts[pts.length - 1][0] || pts[0][1] !== pts[pts.length - 1][1]) {
        problems.push(
          `${label}: ${ringName(j, k)} is not closed: first position ${fmt(pts[0])} differs from last ${fmt(pts[pts.length - 1])}`,
        );
        structureOk = false;
      }
      pts.forEach((p, n) => {
        positions++;
        if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
          outOfRange++;
          firstOutOfRange ??= `${fmt(p)} (${ringName(j, k)}, position ${n + 1}): ${rangeHint(p[0], p[1])}`;
        }
      });
    });
  });
  if (badPosition) problems.push(badPosition);
  if (firstOutOfRange) {
    problems.push(
      `${label}: coordinates are not WGS84 lon/lat: ${outOfRange} of ${positions} positions out of range, first ${firstOutOfRange}`,
    );
  }
  if (!structureOk || outOfRange > 0) return { geometry: null, problems };

  const valid = g as AreaGeometry;
  const forKinks: AreaGeometry =
    valid.type === 'Polygon'
      ? { type: 'Polygon', coordinates: valid.coordinates.map(withoutRepeats) }
      : { type: 'MultiPolygon', coordinates: valid.coordinates.map((p) => p.map(withoutRepeats)) };
  const kinks = turf.kinks(forKinks).features;
  if (kinks.length > 0) {
    // kinks() reports each crossing once per direction: count distinct points.
    const distinct = new Set(kinks.map((k) => k.geometry.coordinates.map((v) => v.toFixed(6)).join(',')));
    const at = kinks[0].geometry.coordinates.map((v) => Number(v.toFixed(6)));
    problems.push(
      `${label}: polygon is self-intersecting (${distinct.size} crossing${distinct.size === 1 ? '' : 's'}, first near ${fmt(at)})`,
    );
    return { geometry: null, problems };
  }
  return { geometry: valid, problems };
}
