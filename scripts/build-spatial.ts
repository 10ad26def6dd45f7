/**
 * Builds a geography's spatial layers below the community (docs/grid-and-components.md):
 *
 * - its grid cells (网格), `<name>-grid.geojson`: each community divided into the number of cells
 *   its registry gives (`profile.gridCells`), by Lloyd-relaxed Voronoi cells clipped to the
 *   community's outline, numbered west to east, north to south as CJ/T 213 numbers unit grids;
 * - its city-component registry (城市部件), `<name>-components.json`: every component the registry
 *   counts per community and type, one by one, with its id (its smart code), type and place. The
 *   smart poles stand where scripts/pingshan-basemap.ts puts them (along their three roads and in
 *   the test zone); every other component at a random place in its community;
 * - the district's plain offline basemap, `<name>-basemap.geojson` (schematic roads and river).
 *
 *   node --import tsx scripts/build-spatial.ts [--geo FILE] [--profiles FILE] [--out-dir DIR] [--name NAME] [--no-basemap]
 *
 * Defaults: Pingshan (`public/geo/pingshan.geojson`, `shared/data/community-profiles.json`) into
 * `public/geo/`. All of it is SYNTHETIC (made up, plausibly) and deterministic: same input, the
 * same bytes. A component's id has the structure of CJ/T 214's component codes: the district's
 * 6-digit code, a 2-digit type number (the type's place in the file's `types`, from 01) and a
 * 6-digit serial within the district and type, e.g. 44031001000123, the 123rd manhole cover.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import { taxonomy } from '../shared/src/taxonomy.ts';
import { featureCollectionText, interiorCenter, roundGeometry, type AreaGeometry } from './geo-shapes.ts';
import { basemapFeatures, poleSites } from './pingshan-basemap.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 20261128;
const LLOYD_ROUNDS = 5;

interface GeoFeature {
  properties: { level: string; code: string; name: string; nameEn: string; parent: string | null };
  geometry: AreaGeometry;
}
interface Profiles {
  district: string;
  communities: { code: string; profile: { gridCells: number }; components: Record<string, number> }[];
}

/** mulberry32, as the other generators. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Shape = ReturnType<typeof turf.feature<AreaGeometry>>;

function randomPointIn(shape: Shape, bbox: number[], rnd: () => number): [number, number] {
  for (;;) {
    const p: [number, number] = [bbox[0] + (bbox[2] - bbox[0]) * rnd(), bbox[1] + (bbox[3] - bbox[1]) * rnd()];
    if (turf.booleanPointInPolygon(p, shape)) return p;
  }
}

/** `n` cells covering the community: Voronoi cells of `n` points, relaxed towards their centroids. */
function cellsOf(community: GeoFeature, n: number, rnd: () => number): AreaGeometry[] {
  const shape = turf.feature(community.geometry);
  const bbox = turf.bbox(shape);
  const pad = 0.01;
  const frame: [number, number, number, number] = [bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad];
  let seeds = Array.from({ length: n }, () => randomPointIn(shape, bbox, rnd));
  let cells: AreaGeometry[] = [];
  for (let round = 0; round <= LLOYD_ROUNDS; round++) {
    const voronoi = turf.voronoi(turf.featureCollection(seeds.map((p) => turf.point(p))), { bbox: frame });
    cells = voronoi.features.map((v, i) => {
      const clipped = v && turf.intersect(turf.featureCollection([v, shape]));
      if (!clipped) throw new Error(`${community.properties.code}: cell ${i} vanished`);
      return clipped.geometry as AreaGeometry;
    });
    if (round < LLOYD_ROUNDS)
      seeds = cells.map((c, i) => {
        const m = turf.centerOfMass(turf.feature(c)).geometry.coordinates as [number, number];
        return turf.booleanPointInPolygon(m, shape) ? m : seeds[i];
      });
  }
  return cells;
}

/** West to east within bands north to south (the order CJ/T 213 numbers unit grids in). */
function readingOrder(cells: { center: [number, number] }[], bbox: number[]): number[] {
  const rows = Math.max(1, Math.round(Math.sqrt(cells.length * ((bbox[3] - bbox[1]) / (bbox[2] - bbox[0])))));
  const band = (bbox[3] - bbox[1]) / rows;
  const rowOf = (lat: number) => Math.min(rows - 1, Math.floor((bbox[3] - lat) / band));
  return cells
    .map((c, i) => ({ i, row: rowOf(c.center[1]), lon: c.center[0] }))
    .sort((a, b) => a.row - b.row || a.lon - b.lon)
    .map((c) => c.i);
}

interface Cell {
  code: string;
  community: string;
  geometry: AreaGeometry;
  shape: Shape;
  bbox: number[];
  center: [number, number];
  name: string;
  nameEn: string;
}

function buildCells(communities: GeoFeature[], profiles: Profiles, rnd: () => number): Cell[] {
  const out: Cell[] = [];
  for (const c of communities) {
    const n = profiles.communities.find((p) => p.code === c.properties.code)?.profile.gridCells ?? 0;
    if (n === 0) continue;
    if (n > 999) throw new Error(`${c.properties.code}: ${n} grid cells do not fit a 3-digit sequence`);
    const geoms = cellsOf(c, n, rnd).map((g, i) => roundGeometry(g, `${c.properties.code} cell ${i}`));
    const centers = geoms.map(interiorCenter);
    const order = readingOrder(
      centers.map((center) => ({ center })),
      turf.bbox(turf.feature(c.geometry)),
    );
    order.forEach((i, k) => {
      const seq = String(k + 1).padStart(3, '0');
      const nn = String(k + 1).padStart(2, '0');
      out.push({
        code: `${c.properties.code}${seq}`,
        community: c.properties.code,
        geometry: geoms[i],
        shape: turf.feature(geoms[i]),
        bbox: turf.bbox(turf.feature(geoms[i])),
        center: centers[i],
        name: `${c.properties.name}第${nn}网格`,
        nameEn: `${c.properties.nameEn} Grid ${nn}`,
      });
    });
  }
  return out;
}

/** The cell of a point among a community's cells; the nearest centre when rounding left it in a sliver between them. */
function cellAt(cells: Cell[], p: [number, number]): Cell {
  for (const c of cells)
    if (p[0] >= c.bbox[0] && p[0] <= c.bbox[2] && p[1] >= c.bbox[1] && p[1] <= c.bbox[3] && turf.booleanPointInPolygon(p, c.shape))
      return c;
  let best = cells[0];
  let d = Infinity;
  for (const c of cells) {
    const e = (c.center[0] - p[0]) ** 2 + (c.center[1] - p[1]) ** 2;
    if (e < d) [best, d] = [c, e];
  }
  return best;
}

/** 1 m is plenty for where a manhole cover is; offsets from the cell's corner keep the file small. */
const UNIT = 1e5;

function buildComponents(
  communities: GeoFeature[],
  cells: Cell[],
  profiles: Profiles,
  rnd: () => number,
  poles: ReturnType<typeof poleSites>,
) {
  const types = taxonomy.componentTypes.map((t) => t.code);
  const roads = [...new Set(poles.map((p) => p.road))];
  // cell → type → places (and the road of each pole)
  const placed = new Map<string, Map<number, { p: [number, number]; road?: number }[]>>();
  const put = (cell: Cell, type: number, p: [number, number], road?: number) => {
    let byType = placed.get(cell.code);
    if (!byType) placed.set(cell.code, (byType = new Map()));
    let list = byType.get(type);
    if (!list) byType.set(type, (list = []));
    list.push({ p, road });
  };
  const poleType = types.indexOf('smart_pole');
  for (const c of communities) {
    const own = cells.filter((x) => x.community === c.properties.code);
    const entry = profiles.communities.find((p) => p.code === c.properties.code);
    if (own.length === 0 || !entry) continue;
    const shape = turf.feature(c.geometry);
    const bbox = turf.bbox(shape);
    types.forEach((type, t) => {
      if (t === poleType) return;
      for (let k = 0; k < (entry.components[type] ?? 0); k++) {
        const p = randomPointIn(shape, bbox, rnd);
        put(cellAt(own, p), t, p);
      }
    });
    for (const s of poles) {
      const p: [number, number] = [s.lon, s.lat];
      if (turf.booleanPointInPolygon(p, shape)) put(cellAt(own, p), poleType, p, roads.indexOf(s.road));
    }
  }
  const serial = types.map(() => 0);
  const rows: unknown[] = [];
  for (const cell of [...cells].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    const byType = placed.get(cell.code);
    if (!byType) continue;
    const x0 = Math.floor(cell.bbox[0] * UNIT);
    const y0 = Math.floor(cell.bbox[1] * UNIT);
    const runs: unknown[] = [];
    for (const t of [...byType.keys()].sort((a, b) => a - b)) {
      const list = byType.get(t)!;
      const first = serial[t] + 1;
      serial[t] += list.length;
      const xy = list.flatMap(({ p }) => [Math.round(p[0] * UNIT) - x0, Math.round(p[1] * UNIT) - y0]);
      runs.push(t === poleType ? [t + 1, first, xy, list.map((l) => l.road)] : [t + 1, first, xy]);
    }
    rows.push([cell.code, x0, y0, runs]);
  }
  return { types, roads, rows, total: serial.reduce((a, b) => a + b, 0) };
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const geoFile = resolve(arg('--geo') ?? join(REPO_ROOT, 'public/geo/pingshan.geojson'));
  const profilesFile = resolve(arg('--profiles') ?? join(REPO_ROOT, 'shared/data/community-profiles.json'));
  const outDir = resolve(arg('--out-dir') ?? join(REPO_ROOT, 'public/geo'));
  const name = arg('--name') ?? 'pingshan';
  const geo = JSON.parse(readFileSync(geoFile, 'utf8')) as { features: GeoFeature[] };
  const profiles = JSON.parse(readFileSync(profilesFile, 'utf8')) as Profiles;
  const communities = geo.features
    .filter((f) => f.properties.level === 'community')
    .sort((a, b) => (a.properties.code < b.properties.code ? -1 : 1));
  const rnd = random(SEED);

  const cells = buildCells(communities, profiles, rnd);
  const note = 'SYNTHETIC grid cells: each community of the schematic geography divided by scripts/build-spatial.ts, not official grids';
  writeFileSync(
    join(outDir, `${name}-grid.geojson`),
    featureCollectionText(
      { type: 'FeatureCollection', name: `${profiles.district} grid cells (synthetic)`, formatVersion: 1, note },
      cells.map((c) => ({
        type: 'Feature',
        properties: { level: 'grid', code: c.code, name: c.name, nameEn: c.nameEn, parent: c.community, center: c.center, synthetic: true },
        geometry: c.geometry,
      })),
    ),
  );

  const poles = argv.includes('--no-basemap') ? [] : poleSites();
  const components = buildComponents(communities, cells, profiles, rnd, poles);
  const head = {
    version: 1,
    note:
      'SYNTHETIC component registry: every component the community registry counts, placed by scripts/build-spatial.ts ' +
      '(smart poles along the schematic roads of scripts/pingshan-basemap.ts); do not edit by hand, run the script.',
    district: profiles.district,
    types: components.types,
    roads: components.roads,
  };
  // one cell a line: [cell code, x0, y0, [[type number, first serial, [dx, dy, …] (1e-5°), roads of poles?], …]]
  const text = `${JSON.stringify(head).slice(0, -1)},"cells":[\n${components.rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
  writeFileSync(join(outDir, `${name}-components.json`), text);

  if (!argv.includes('--no-basemap'))
    writeFileSync(
      join(outDir, `${name}-basemap.geojson`),
      featureCollectionText(
        { type: 'FeatureCollection', name: 'schematic basemap', note: 'SCHEMATIC roads and river (scripts/pingshan-basemap.ts)' },
        basemapFeatures(),
      ),
    );
  console.log(`wrote ${outDir}: ${cells.length} grid cells, ${components.total} components (${poles.length} smart poles on their roads)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
