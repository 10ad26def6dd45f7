/**
 * Builds the SYNTHETIC city of the city deployment (deploy/city/): a geography of 10 districts ×
 * 7 streets × 9 communities (630 communities, Shenzhen's order of size: 10 districts, 74 streets,
 * about 660 communities) and its community registry. Nothing in it is real: the city, its names,
 * codes and boundaries are made up for load and for trying the console and walls at city level.
 *
 *   node --import tsx scripts/build-synthetic-city.ts [--out-dir DIR]
 *
 * The city code 9901 belongs to no province (real province codes run from 11 to 82), so no one
 * can take its codes for official ones. Boundaries are nested Voronoi cells: districts grown from
 * relaxed seeds inside a noisy outline, streets inside each district, communities inside each
 * street; streets and districts are then the unions of their rounded communities, so that every
 * edge is shared exactly. Deterministic: the same seed gives a byte-identical file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import { featureCollectionText, interiorCenter, round, roundGeometry, type AreaGeometry } from './geo-shapes.ts';
import { buildProfiles, writeProfiles } from './build-community-profiles.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 20261207;
export const CITY = { code: '9901', name: '合成市', nameEn: 'Synthetic City' };
const CENTRE: [number, number] = [114.05, 22.62];
/** Half-axes of the outline in degrees: about 80 km east–west and 35 km north–south, as Shenzhen. */
const RADIUS: [number, number] = [0.39, 0.16];
const DISTRICTS = 10;
const STREETS = 7;
const COMMUNITIES = 9;
/** 100× Pingshan (550,000 people, 474 smart poles in its registry). */
const POPULATION = 55_000_000 / 4;
const SMART_POLES = 474 * 26;

/** 甲乙丙丁戊己庚辛壬癸: ten heavenly stems name ten made-up districts. */
const STEMS = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const STEMS_EN = ['Jia', 'Yi', 'Bing', 'Ding', 'Wu', 'Ji', 'Geng', 'Xin', 'Ren', 'Gui'];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

type Shape = ReturnType<typeof turf.polygon> | ReturnType<typeof turf.multiPolygon>;
// turf's point-in-polygon is generic over one geometry type: a union of the two needs this nudge
const inside = (p: [number, number], area: Shape) => turf.booleanPointInPolygon(p, area as ReturnType<typeof turf.polygon>);

/** mulberry32, as the simulator's Random. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = random(SEED);
const between = (a: number, b: number) => a + (b - a) * rng();

/** A closed, wobbly ellipse: the city's outline. */
function outline(): Shape {
  const n = 64;
  const wobble = Array.from({ length: 5 }, () => [between(0.03, 0.09), between(0, 2 * Math.PI)] as const);
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = 1 + wobble.reduce((s, [amp, phase], k) => s + amp * Math.sin((k + 2) * a + phase), 0);
    ring.push([round(CENTRE[0] + RADIUS[0] * r * Math.cos(a)), round(CENTRE[1] + RADIUS[1] * r * Math.sin(a))]);
  }
  ring.push(ring[0]);
  return turf.polygon([ring]);
}

/** `n` random points inside `area`, spread out by a few rounds of Lloyd's relaxation. */
function seedsIn(area: Shape, n: number): [number, number][] {
  const [w, s, e, nn] = turf.bbox(area);
  let pts: [number, number][] = [];
  while (pts.length < n) {
    const p: [number, number] = [between(w, e), between(s, nn)];
    if (inside(p, area)) pts.push(p);
  }
  for (let round = 0; round < 4; round++) pts = cellsOf(area, pts).map((c, i) => (c ? centroidIn(c, pts[i]) : pts[i]));
  return pts;
}

function centroidIn(cell: Shape, fallback: [number, number]): [number, number] {
  const c = turf.centroid(cell).geometry.coordinates as [number, number];
  return inside(c, cell) ? c : fallback;
}

/** The Voronoi cells of `points`, clipped to `area` (null where a cell falls outside it). */
function cellsOf(area: Shape, points: [number, number][]): (Shape | null)[] {
  const [w, s, e, n] = turf.bbox(area);
  const cells = turf.voronoi(turf.featureCollection(points.map((p) => turf.point(p))), { bbox: [w - 0.1, s - 0.1, e + 0.1, n + 0.1] });
  return points.map((_, i) => {
    const cell = cells.features[i];
    return cell
      ? (turf.intersect(
          turf.featureCollection<ReturnType<typeof turf.polygon>['geometry'] | ReturnType<typeof turf.multiPolygon>['geometry']>([
            cell,
            area,
          ]),
        ) as Shape | null)
      : null;
  });
}

/** Splits `area` into `n` cells grown from relaxed seeds; every cell non-empty. */
function split(area: Shape, n: number, label: string): Shape[] {
  const cells = cellsOf(area, seedsIn(area, n));
  return cells.map((c, i) => {
    if (!c) throw new Error(`${label}: cell ${i + 1} is empty (try another seed)`);
    return c;
  });
}

interface Area {
  level: 'city' | 'district' | 'street' | 'community';
  code: string;
  name: string;
  nameEn: string;
  parent: string | null;
  geometry: AreaGeometry;
}

export function buildSyntheticCity(): { text: string; areas: Area[] } {
  const city = outline();
  // the seeds nest (districts → streets → communities); the cells come from one diagram of all
  // the community seeds, so that neighbours share their edges vertex for vertex
  const seeds: { code: string; point: [number, number] }[] = [];
  const districts: Omit<Area, 'geometry'>[] = [];
  const streets: Omit<Area, 'geometry'>[] = [];
  split(city, DISTRICTS, 'city').forEach((d, di) => {
    const dCode = `${CITY.code}${String(di + 1).padStart(2, '0')}`;
    districts.push({ level: 'district', code: dCode, name: `${STEMS[di]}区`, nameEn: `${STEMS_EN[di]} District`, parent: CITY.code });
    split(d, STREETS, dCode).forEach((s, si) => {
      const sCode = `${dCode}${String(si + 1).padStart(3, '0')}`;
      streets.push({
        level: 'street',
        code: sCode,
        name: `${STEMS[di]}${NUMERALS[si]}街道`,
        nameEn: `${STEMS_EN[di]} ${si + 1} Subdistrict`,
        parent: dCode,
      });
      seedsIn(s, COMMUNITIES).forEach((point, ci) => seeds.push({ code: `${sCode}${String(ci + 1).padStart(3, '0')}`, point }));
    });
  });
  const cells = cellsOf(
    city,
    seeds.map((s) => s.point),
  );
  const communities: Area[] = seeds.map(({ code }, i) => {
    const cell = cells[i];
    if (!cell) throw new Error(`community ${code}: its cell is empty (try another seed)`);
    const [di, si, ci] = [Number(code.slice(4, 6)) - 1, Number(code.slice(6, 9)) - 1, Number(code.slice(9))];
    return {
      level: 'community',
      code,
      name: `${STEMS[di]}${NUMERALS[si]}街${ci}社区`,
      nameEn: `${STEMS_EN[di]} ${si + 1}-${ci} Community`,
      parent: code.slice(0, 9),
      geometry: roundGeometry(cell.geometry as AreaGeometry, `community ${code}`),
    };
  });

  // a parent is the union of its rounded children: shared edges stay exactly shared
  const union = (parts: Area[], label: string): AreaGeometry => {
    const merged = turf.union(turf.featureCollection(parts.map((p) => turf.feature(p.geometry))));
    if (!merged) throw new Error(`${label}: union is empty`);
    return roundGeometry(merged.geometry as AreaGeometry, label);
  };
  const streetAreas: Area[] = streets.map((s) => ({
    ...s,
    geometry: union(
      communities.filter((c) => c.parent === s.code),
      `street ${s.code}`,
    ),
  }));
  const districtAreas: Area[] = districts.map((d) => ({
    ...d,
    geometry: union(
      streetAreas.filter((s) => s.parent === d.code),
      `district ${d.code}`,
    ),
  }));
  const top: Area = { level: 'city', ...CITY, parent: null, geometry: union(districtAreas, 'city') };

  const areas = [top, ...districtAreas, ...streetAreas, ...communities];
  const features = areas.map((a) => ({
    type: 'Feature',
    // fixed key order: the file is diffed and must be byte-stable
    properties: {
      level: a.level,
      code: a.code,
      name: a.name,
      nameEn: a.nameEn,
      parent: a.parent,
      center: interiorCenter(a.geometry),
      schematic: true,
      synthetic: true,
    },
    geometry: a.geometry,
  }));
  const text = featureCollectionText(
    { type: 'FeatureCollection', name: '合成市 (synthetic: a made-up city for load)', formatVersion: 1 },
    features,
  );
  return { text, areas };
}

async function main(argv: string[]): Promise<void> {
  const i = argv.indexOf('--out-dir');
  const dir = resolve(i >= 0 ? argv[i + 1] : join(REPO_ROOT, 'deploy/city'));
  mkdirSync(dir, { recursive: true });
  const { text, areas } = buildSyntheticCity();
  const geoFile = join(dir, 'synthetic-city.geojson');
  writeFileSync(geoFile, text);
  console.log(`wrote ${geoFile} (${Buffer.byteLength(text)} bytes, ${areas.length} areas)`);

  const features = areas.map((a) => ({ properties: { level: a.level, code: a.code, name: a.name, parent: a.parent } }));
  const districts = areas.filter((a) => a.level === 'district');
  // one industrial park and one river community in each district: the first and the last community
  const tags: Record<string, string[]> = {};
  for (const d of districts) {
    const own = areas.filter((a) => a.level === 'community' && a.code.startsWith(d.code));
    tags[own[0].code] = ['industrial'];
    tags[own[own.length - 1].code] = ['river'];
  }
  const profiles = buildProfiles({
    features,
    population: POPULATION,
    smartPoles: SMART_POLES,
    tags,
    coreStreets: new Set(districts.map((d) => `${d.code}001`)),
    seed: SEED,
    note:
      'SYNTHETIC: a made-up city for load and for trying the city level (630 communities, about 13.75 million people), ' +
      'nothing official. Generated by scripts/build-synthetic-city.ts; do not edit by hand, run the script.',
  });
  const profilesFile = join(dir, 'synthetic-city-profiles.json');
  await writeProfiles(profilesFile, profiles);
  console.log(`wrote ${profilesFile} (${profiles.communities.length} communities)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
