/**
 * Builds the default district's community registry, `shared/data/community-profiles.json`: grid
 * statistics and registered city components per community, plus the two tagged communities
 * (an industrial park, a river), from the communities of `public/geo/pingshan.geojson`.
 *
 *   node --import tsx scripts/build-community-profiles.ts [--geo FILE] [--out FILE]
 *
 * The figures are SIMULATED for the demo: plausible for Pingshan (about 550,000 people; per-person
 * ratios of buildings, housing units and legal entities as in the district's 2021 work report;
 * 474 multi-function smart poles), not official statistics. Deterministic: same input, same file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { taxonomy } from '../shared/src/taxonomy.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const GEO = resolve(arg('--geo') ?? join(REPO_ROOT, 'public/geo/pingshan.geojson'));
const OUT = resolve(arg('--out') ?? join(REPO_ROOT, 'shared/data/community-profiles.json'));

const SEED = 20261127;
const POPULATION = 550_000;
const SMART_POLES = 474;
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
}

export interface ProfileOptions {
  /** The geography's features (communities are taken from it, by code). */
  features: GeoFeature[];
  population: number;
  smartPoles: number;
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
  const population = apportion(o.population / 10, size).map((p) => p * 10);
  const poles = apportion(
    o.smartPoles,
    communities.map((c, i) => population[i] * (core(c) ? 2.2 : 1) * (industrial(c.code) ? 1.5 : 1) * rng.between(0.6, 1.4)),
  );

  return {
    version: 1,
    note: o.note,
    district: top.properties.code,
    communities: communities.map((c, i) => {
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
          components[t.code] = Math.round((pop / 1000) * per * (ind ? (INDUSTRIAL_FACTOR[t.code] ?? 1) : 1) * rng.between(0.8, 1.2));
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
    }),
  };
}

/** Writes the registry formatted as the repository's prettier config says, so that `prettier --check .` leaves it alone. */
export async function writeProfiles(out: string, profiles: ReturnType<typeof buildProfiles>): Promise<void> {
  const options = (await prettier.resolveConfig(out)) ?? {};
  writeFileSync(out, await prettier.format(JSON.stringify(profiles), { ...options, filepath: out }));
}

async function main(): Promise<void> {
  const geo = JSON.parse(readFileSync(GEO, 'utf8')) as { features: GeoFeature[] };
  const out = buildProfiles({
    features: geo.features,
    population: POPULATION,
    smartPoles: SMART_POLES,
    tags: TAGS,
    coreStreets: new Set([CORE_STREET]),
    note:
      'SIMULATED for the demo: plausible figures for Pingshan (about 550,000 people over 24 communities, ' +
      '474 smart poles), not official statistics. Generated by scripts/build-community-profiles.ts from ' +
      'public/geo/pingshan.geojson; do not edit by hand, run the script.',
  });
  await writeProfiles(OUT, out);
  const total = out.communities.reduce((s, c) => s + Object.values(c.components).reduce((a, b) => a + b, 0), 0);
  console.log(`wrote ${OUT}: ${out.communities.length} communities, ${POPULATION} people, ${total} components`);
}

// Run only when executed, not when imported (by the synthetic city's build).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
