/**
 * Geometry helpers of the geography generators (scripts/build-geography.ts for Pingshan,
 * scripts/build-synthetic-city.ts for the synthetic city): rounding to the file format's
 * precision without creating self-intersections, interior label points, and the byte-stable
 * file layout (one feature per line) both write.
 */
import * as turf from '@turf/turf';

export type Position = number[];
export type Rings = Position[][];
export type AreaGeometry = { type: 'Polygon'; coordinates: Rings } | { type: 'MultiPolygon'; coordinates: Rings[] };

/** 6 decimals ≈ 0.1 m: far below the accuracy of any schematic or synthetic boundary. */
export const DECIMALS = 6;

export const round = (v: number): number => {
  const r = Math.round(v * 10 ** DECIMALS) / 10 ** DECIMALS;
  return Object.is(r, -0) ? 0 : r;
};

/** Rounds a ring and drops the consecutive duplicates rounding can create; keeps it closed. */
export function roundRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const q = [round(p[0]), round(p[1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  return out;
}

/** Rounds every position; polygons whose rings collapse below 4 positions are dropped. */
export function roundGeometry(g: AreaGeometry, label: string): AreaGeometry {
  const roundPolygon = (rings: Rings): Rings | null => {
    const rr = rings.map(roundRing);
    if (rr[0].length < 4) return null;
    return [rr[0], ...rr.slice(1).filter((r) => r.length >= 4)];
  };
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map(roundPolygon).filter((p): p is Rings => p !== null);
  if (polys.length === 0) throw new Error(`${label}: geometry vanished when rounded`);
  // RFC 7946 winding (exterior counter-clockwise) so every consumer draws it the same way.
  const rounded: AreaGeometry =
    polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
  const rewound = (turf.rewind(turf.feature(rounded), { mutate: true }) as { geometry: AreaGeometry }).geometry;
  const kinks = turf.kinks(rewound).features;
  if (kinks.length > 0) {
    const at = kinks[0].geometry.coordinates.map((v) => v.toFixed(DECIMALS)).join(', ');
    throw new Error(`${label}: self-intersection after rounding near [${at}]`);
  }
  return rewound;
}

export const vertexCount = (g: AreaGeometry): number =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).reduce((n, rings) => n + rings.reduce((m, r) => m + r.length - 1, 0), 0);

/** A point guaranteed inside the area: its centre of mass when that is inside, else a point on its surface. */
export function interiorCenter(g: AreaGeometry): [number, number] {
  const f = turf.feature(g);
  const com = turf.centerOfMass(f).geometry.coordinates;
  const candidate: [number, number] = [round(com[0]), round(com[1])];
  if (turf.booleanPointInPolygon(candidate, f, { ignoreBoundary: true })) return candidate;
  const p = turf.pointOnFeature(f).geometry.coordinates;
  return [round(p[0]), round(p[1])];
}

export const km2 = (g: AreaGeometry): number => Math.round(turf.area(turf.feature(g)) / 1e4) / 100;

/** One feature per line: small diffs when a boundary changes, still valid JSON for any reader. */
export function featureCollectionText(head: Record<string, unknown>, features: unknown[]): string {
  const open = JSON.stringify(head).slice(0, -1);
  return `${open},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}
