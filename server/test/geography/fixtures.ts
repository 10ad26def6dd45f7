// Helpers shared by the geography tests: fixtures are built from the committed default file (never
// from ../shared/reference) or by hand.
import { readFileSync } from 'node:fs';
import { DEFAULT_GEOGRAPHY_FILE, GeographyError, parseGeography } from '../../src/geography/index.ts';

export interface TestFeature {
  type: string;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown } | null;
}
export interface TestCollection {
  type: string;
  features: TestFeature[];
  [k: string]: unknown;
}

const defaultText = readFileSync(DEFAULT_GEOGRAPHY_FILE, 'utf8');

/** A fresh, mutable copy of the default geography. */
export const defaultCollection = (): TestCollection => JSON.parse(defaultText) as TestCollection;

export const featureOf = (fc: TestCollection, code: string): TestFeature => {
  const f = fc.features.find((x) => x.properties?.code === code);
  if (!f) throw new Error(`no feature ${code} in fixture`);
  return f;
};

/** The problems parseGeography reports for `json` (empty when it is accepted). */
export function problemsOf(json: unknown): string[] {
  try {
    parseGeography(json);
    return [];
  } catch (err) {
    if (err instanceof GeographyError) return err.problems;
    throw err;
  }
}

/** A hand-made district: a 2 × 1 km rectangle, one street, two communities side by side. */
export function tinyDistrict(): TestCollection {
  const box = (x0: number, x1: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [x0, 22.6],
        [x1, 22.6],
        [x1, 22.61],
        [x0, 22.61],
        [x0, 22.6],
      ],
    ],
  });
  const props = (level: string, code: string, name: string, nameEn: string, parent: string | null, lon: number) => ({
    level,
    code,
    name,
    nameEn,
    parent,
    center: [lon, 22.605],
  });
  return {
    type: 'FeatureCollection',
    formatVersion: 1,
    features: [
      { type: 'Feature', properties: props('district', '999999', '测试区', 'Test District', null, 114.01), geometry: box(114, 114.02) },
      {
        type: 'Feature',
        properties: props('street', '999999001', '测试街道', 'Test Subdistrict', '999999', 114.01),
        geometry: box(114, 114.02),
      },
      {
        type: 'Feature',
        properties: props('community', '999999001001', '东社区', 'Dong Community', '999999001', 114.015),
        geometry: box(114.01, 114.02),
      },
      {
        type: 'Feature',
        properties: props('community', '999999001002', '西社区', 'Xi Community', '999999001', 114.005),
        geometry: box(114, 114.01),
      },
    ],
  };
}
