/**
 * Builds the default district's community registry, `shared/data/community-profiles.json`: grid
 * statistics and registered city components per community, plus the two tagged communities
 * (an industrial park, a river), from the communities of `public/geo/pingshan.geojson`.
 *
 *   node --import tsx scripts/build-community-profiles.ts [--geo FILE] [--out FILE]
 *
 * The figures are SIMULATED for the demo, not official statistics: the district's totals are those
 * of its 2021 work report (679,782 residents, 41,301 buildings, 539,882 housing units, 25,303
 * legal entities, 474 multi-function smart poles), shared out over the communities at random; the
 * smart poles of a community are those standing in it along the roads and in the test zone of
 * scripts/pingshan-basemap.ts. Deterministic: same input, same file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import * as turf from '@turf/turf';
import { taxonomy } from '../shared/src/taxonomy.ts';
import { poleSites } from './pingshan-basemap.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const GEO = resolve(arg('--geo') ?? join(REPO_ROOT, 'public/geo/pingshan.geojson'));
const OUT = resolve(arg('--out') ?? join(REPO_ROOT, 'shared/data/community-profiles.json'));

const SEED = 20261127;
/** The district's totals (2021 work report). */
const TOTALS = { population: 679_782, buildings: 41_301, housingUnits: 539_882, legalEntities: 25_303 };
/** 老坑社区 (龙田街道): factories of the Pingshan high-tech zone; 沙坣社区 (马峦街道): on the 坪山河. */
const TAGS: Record<string, string[]> = { '440310006004': ['industrial'], '440310002004': ['river'] };
/** The district seat's street: denser, more street furniture and smart poles. */
const CORE_STREET = '440310001';

/** Registered components per 1,000 residents (a typical community; each one varies ±20 %). */
const PER_THOUSAND: Record<string, number> = {
  manhole_cover: 45,
  rain_grate: 30,
  street_light: 22,
  light_cabinet: 0.6,
  litter_bin: 8,
  refuse_station: 0.25,
  public_toilet: 0.35,
  fire_hydrant: 6,
  camera: 4,
  traffic_light: 1.2,
  traffic_sign: 5,
  road_name_sign: 2.5,
  guardrail: 3,
  bollard: 6,
  bus_shelter: 1,
  footbridge: 0.04,
  bike_rack: 1.5,
  newsstand: 0.1,
  telecom_cabinet: 2,
  fitness_equipment: 1.5,
  bench: 3,
  street_tree: 40,
};
/** An industrial park has more pipes, lights and hydrants per resident, fewer benches and fitness corners. */
const INDUSTRIAL_FACTOR: Record<string, number> = {
  manhole_cover: 1.4,
  rain_grate: 1.3,
  street_light: 1.3,
  light_cabinet: 1.3,
  fire_hydrant: 1.8,
  traffic_sign: 1.2,
  bench: 0.5,
  fitness_equipment: 0.5,
  newsstand: 0.3,
};

/** mulberry32, as the simulator's Random. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, between: (min: number, max: number) => min + (max - min) * next() };
}

/** Splits `total` in proportion to `weights`, in whole numbers that add up exactly (largest remainder). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}

interface GeoFeature {
  properties: { level: string; code: string; name: string; parent: string | null };
  geometry?: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

/** Exact district totals to share out (otherwise each community's figures are drawn on their own). */
export interface ProfileTotals {
  buildings: number;
  housingUnits: number;
  legalEntities: number;
}

export interface ProfileOptions {
  /** The geography's features (communities are taken from it, by code). */
  features: GeoFeature[];
  population: number;
  smartPoles: number;
  /** Where the smart poles stand: a community's count is the sites in it (else `smartPoles` is shared out). */
  poleSites?: { lon: number; lat: number }[];
  totals?: ProfileTotals;
  /** Scales the components per 1,000 residents (Pingshan: its about 100,000 components over its real population). */
  componentScale?: number;
  /** Community code → tags; each tagged community must be in the geography. */
  tags: Record<string, string[]>;
  /** Streets denser than the rest (more people, street furniture and smart poles). */
  coreStreets: ReadonlySet<string>;
  note: string;
  seed?: number;
}

/** The registry's object, before formatting: deterministic for the same options. */
export function buildProfiles(o: ProfileOptions) {
  const top = o.features.find((f) => f.properties.level === 'city') ?? o.features.find((f) => f.properties.level === 'district')!;
  const communities = o.features
    .filter((f) => f.properties.level === 'community')
    .map((f) => f.properties)
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  for (const code of Object.keys(o.tags))
    if (!communities.some((c) => c.code === code)) throw new Error(`tagged community ${code} is not in the geography`);
  for (const type of Object.keys(PER_THOUSAND))
    if (!taxonomy.componentTypes.some((t) => t.code === type)) throw new Error(`component type ${type} is not in the taxonomy`);

  const rng = random(o.seed ?? SEED);
  const industrial = (code: string) => o.tags[code]?.includes('industrial') ?? false;
  const core = (c: { parent: string | null }) => c.parent !== null && o.coreStreets.has(c.parent);
  // the core street is denser; 新和 (Pingshan's newest community) is small
  const size = communities.map((c) => rng.between(0.55, 1.6) * (core(c) ? 1.25 : 1) * (c.code === '440310001005' ? 0.6 : 1));
  // round tens of people unless the total itself is not (a real district's count)
  const population = o.population % 10 === 0 ? apportion(o.population / 10, size).map((p) => p * 10) : apportion(o.population, size);
  const drawn = apportion(
    o.smartPoles,
    communities.map((c, i) => population[i] * (core(c) ? 2.2 : 1) * (industrial(c.code) ? 1.5 : 1) * rng.between(0.6, 1.4)),
  );
  const poles = o.poleSites ? polesPerCommunity(o.features, communities, o.poleSites) : drawn;

  const rows = communities.map((c, i) => {
    const pop = population[i];
    const ind = industrial(c.code);
    // industrial: many single workers in dormitories (fewer people per household), factories, companies
    const households = Math.round(pop / (ind ? rng.between(1.7, 2.0) : rng.between(2.3, 2.9)));
    const gridCells = Math.max(4, Math.round(pop / rng.between(850, 1100)));
    const components: Record<string, number> = {};
    for (const t of taxonomy.componentTypes) {
      if (t.code === 'smart_pole') components[t.code] = poles[i];
      else {
        const per = PER_THOUSAND[t.code] ?? 0;
        components[t.code] = Math.round(
          (pop / 1000) * per * (o.componentScale ?? 1) * (ind ? (INDUSTRIAL_FACTOR[t.code] ?? 1) : 1) * rng.between(0.8, 1.2),
        );
      }
    }
    return {
      code: c.code,
      name: c.name,
      tags: o.tags[c.code] ?? [],
      profile: {
        population: pop,
        households,
        buildings: Math.round(pop * rng.between(0.045, 0.075) * (ind ? 1.3 : 1)),
        housingUnits: Math.round(pop * rng.between(0.7, 0.88)),
        legalEntities: Math.round(pop * rng.between(0.025, 0.045) * (ind ? 3 : 1)),
        gridCells,
        gridInspectors: Math.round(gridCells * rng.between(1.0, 1.25)),
      },
      components,
    };
  });
  if (o.totals) {
    // the drawn figures become weights: the district's totals shared out in proportion
    for (const key of ['buildings', 'housingUnits', 'legalEntities'] as const) {
      const shared = apportion(
        o.totals[key],
        rows.map((r) => r.profile[key]),
      );
      rows.forEach((r, i) => (r.profile[key] = shared[i]));
    }
  }
  return { version: 1, note: o.note, district: top.properties.code, communities: rows };
}

/** How many of the pole sites stand in each community (a site outside every community is an error). */
function polesPerCommunity(features: GeoFeature[], communities: { code: string }[], sites: { lon: number; lat: number }[]): number[] {
  const shapes = communities.map((c) => {
    const f = features.find((x) => x.properties.level === 'community' && x.properties.code === c.code);
    if (!f?.geometry) throw new Error(`community ${c.code} has no geometry`);
    return turf.feature(f.geometry as Parameters<typeof turf.feature>[0]);
  });
  const counts = communities.map(() => 0);
  for (const s of sites) {
    const i = shapes.findIndex((g) => turf.booleanPointInPolygon([s.lon, s.lat], g as never));
    if (i < 0) throw new Error(`smart pole at ${s.lon},${s.lat} is outside every community`);
    counts[i]++;
  }
  return counts;
}

/** Writes the registry formatted as the repository's prettier config says, so that `prettier --check .` leaves it alone. */
export async function writeProfiles(out: string, profiles: ReturnType<typeof buildProfiles>): Promise<void> {
  const options = (await prettier.resolveConfig(out)) ?? {};
  writeFileSync(out, await prettier.format(JSON.stringify(profiles), { ...options, filepath: out }));
}

async function main(): Promise<void> {
  const geo = JSON.parse(readFileSync(GEO, 'utf8')) as { features: GeoFeature[] };
  const sites = poleSites();
  const out = buildProfiles({
    features: geo.features,
    population: TOTALS.population,
    smartPoles: sites.length,
    poleSites: sites,
    totals: TOTALS,
    componentScale: 0.8,
    tags: TAGS,
    coreStreets: new Set([CORE_STREET]),
    note:
      'SIMULATED for the demo: the district totals of its 2021 work report (679,782 residents, 41,301 buildings, ' +
      '539,882 housing units, 25,303 legal entities, 474 smart poles) shared out at random over 24 communities, ' +
      'not official statistics per community. Generated by scripts/build-community-profiles.ts from ' +
      'public/geo/pingshan.geojson and scripts/pingshan-basemap.ts; do not edit by hand, run the script.',
  });
  await writeProfiles(OUT, out);
  const total = out.communities.reduce((s, c) => s + Object.values(c.components).reduce((a, b) => a + b, 0), 0);
  console.log(`wrote ${OUT}: ${out.communities.length} communities, ${TOTALS.population} people, ${total} components`);
}

// Run only when executed, not when imported (by the synthetic city's build).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
