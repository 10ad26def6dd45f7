/**
 * The default district's plain offline basemap and where its smart poles stand: the three roads
 * the district's smart poles line (聚龙路, 高新大道, 金田东路), the 智能网联测试区 (the connected-vehicle
 * test zone, in the high-tech zone's industrial park), and the 坪山河 river.
 *
 * SCHEMATIC, like the district's boundaries (docs/geography.md): the lines follow the approximate
 * course of each road and of the river between the schematic communities they pass, drawn by hand
 * from public maps to about a few hundred metres, not surveyed. Enough to place the poles along
 * their road and to give a wall a sense of place; a real deployment imports its own road network.
 * Read by scripts/build-community-profiles.ts (smart poles per community) and
 * scripts/build-spatial.ts (the basemap file, the poles' places).
 */
import * as turf from '@turf/turf';

export interface Road {
  name: string;
  nameEn: string;
  kind: 'road' | 'river';
  /** [lon, lat] WGS84, along the road. */
  line: [number, number][];
  /** Smart poles along it (roads only). */
  poles?: number;
}

export const ROADS: Road[] = [
  {
    name: '聚龙路',
    nameEn: 'Julong Road',
    kind: 'road',
    line: [
      [114.3636, 22.6985],
      [114.3641, 22.7072],
      [114.3622, 22.7168],
      [114.3598, 22.7255],
      [114.3603, 22.7352],
      [114.3618, 22.7455],
      [114.3641, 22.7538],
    ],
    poles: 130,
  },
  {
    name: '高新大道',
    nameEn: 'Gaoxin Avenue',
    kind: 'road',
    line: [
      [114.3205, 22.6952],
      [114.3301, 22.6968],
      [114.3402, 22.6975],
      [114.3498, 22.6999],
      [114.3597, 22.7031],
      [114.3712, 22.7082],
      [114.3828, 22.7121],
    ],
    poles: 150,
  },
  {
    name: '金田东路',
    nameEn: 'Jintian East Road',
    kind: 'road',
    line: [
      [114.3655, 22.7432],
      [114.3745, 22.7428],
      [114.3842, 22.7415],
      [114.3938, 22.7402],
      [114.4031, 22.7391],
    ],
    poles: 94,
  },
  {
    name: '坪山河',
    nameEn: 'Pingshan River',
    kind: 'river',
    line: [
      [114.3012, 22.6655],
      [114.3153, 22.6731],
      [114.3288, 22.6822],
      [114.3409, 22.6871],
      [114.3532, 22.6893],
      [114.3665, 22.6878],
      [114.3787, 22.6921],
      [114.3905, 22.7003],
      [114.4042, 22.7071],
      [114.4189, 22.7118],
    ],
  },
];

/** The connected-vehicle test zone: a block of the industrial park whose streets are lined with poles. */
export const TEST_ZONE = {
  name: '智能网联测试区',
  nameEn: 'Connected-vehicle test zone',
  /** [west, south, east, north] */
  bbox: [114.3512, 22.7262, 114.3628, 22.7352] as [number, number, number, number],
  poles: 100,
};

/** The poles of the district: 474 in all (the district's count), as [lon, lat] and the road they stand on. */
export const SMART_POLES = ROADS.reduce((n, r) => n + (r.poles ?? 0), 0) + TEST_ZONE.poles;

export interface PoleSite {
  lon: number;
  lat: number;
  /** Road name, or the test zone's. */
  road: string;
}

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * Where the poles stand: evenly along each road, alternating sides (about 12 m from its axis),
 * and on the test zone's street grid (three streets each way). Deterministic.
 */
export function poleSites(): PoleSite[] {
  const out: PoleSite[] = [];
  for (const road of ROADS) {
    if (!road.poles) continue;
    const line = turf.lineString(road.line);
    const length = turf.length(line, { units: meters });
    const step = length / road.poles;
    for (let i = 0; i < road.poles; i++) {
      const along = (i + 0.5) * step;
      const p = turf.along(line, along, { units: meters }).geometry.coordinates;
      const ahead = turf.along(line, Math.min(length, along + 5), { units: meters }).geometry.coordinates;
      const bearing = turf.bearing(p, ahead) + (i % 2 === 0 ? 90 : -90);
      const q = turf.destination(p, 12, bearing, { units: meters }).geometry.coordinates;
      out.push({ lon: r6(q[0]), lat: r6(q[1]), road: road.name });
    }
  }
  const [w, s, e, n] = TEST_ZONE.bbox;
  const streets: [number, number][][] = [];
  for (let k = 1; k <= 3; k++) {
    const lat = s + ((n - s) * k) / 4;
    const lon = w + ((e - w) * k) / 4;
    streets.push([
      [w, lat],
      [e, lat],
    ]);
    streets.push([
      [lon, s],
      [lon, n],
    ]);
  }
  const per = Math.floor(TEST_ZONE.poles / streets.length);
  let left = TEST_ZONE.poles - per * streets.length;
  for (const st of streets) {
    const n = per + (left-- > 0 ? 1 : 0);
    const line = turf.lineString(st);
    const length = turf.length(line, { units: meters });
    for (let i = 0; i < n; i++) {
      const p = turf.along(line, ((i + 0.5) * length) / n, { units: meters }).geometry.coordinates;
      out.push({ lon: r6(p[0]), lat: r6(p[1]), road: TEST_ZONE.name });
    }
  }
  return out;
}

const meters = 'meters' as const;

/** The basemap as GeoJSON features: roads and the river as lines, the test zone as a polygon. */
export function basemapFeatures() {
  const [w, s, e, n] = TEST_ZONE.bbox;
  return [
    ...ROADS.map((r) => ({
      type: 'Feature' as const,
      properties: { kind: r.kind, name: r.name, nameEn: r.nameEn, schematic: true },
      geometry: { type: 'LineString' as const, coordinates: r.line },
    })),
    {
      type: 'Feature' as const,
      properties: { kind: 'zone', name: TEST_ZONE.name, nameEn: TEST_ZONE.nameEn, schematic: true },
      geometry: {
        type: 'Polygon' as const,
        coordinates: [
          [
            [w, s],
            [e, s],
            [e, n],
            [w, n],
            [w, s],
          ],
        ],
      },
    },
  ];
}
