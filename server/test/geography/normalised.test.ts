// The generator (scripts/build-geography.ts) reads ../shared/reference, which tests must not: these
// tests check instead that the committed file is in the generator's normalised form.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_GEOGRAPHY_FILE } from '../../src/geography/index.ts';

const text = readFileSync(DEFAULT_GEOGRAPHY_FILE, 'utf8');
const fc = JSON.parse(text) as {
  type: string;
  name: string;
  formatVersion: number;
  features: { type: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: number[][][] } }[];
};

const positions = (coords: unknown): number[][] =>
  Array.isArray(coords) && typeof coords[0] === 'number' ? [coords as number[]] : (coords as unknown[]).flatMap(positions);
const decimals = (v: number): number => (String(v).split('.')[1] ?? '').length;

describe('committed pingshan.geojson is normalised', () => {
  it('has the top-level members of format version 1', () => {
    expect(Object.keys(fc)).toEqual(['type', 'name', 'formatVersion', 'features']);
    expect(fc).toMatchObject({ type: 'FeatureCollection', name: '坪山区 (schematic)', formatVersion: 1 });
  });

  it('sorts features: the district, then streets, then communities, each by code', () => {
    const order = { district: 0, street: 1, community: 2 } as Record<string, number>;
    const keys = fc.features.map((f) => `${order[f.properties.level as string]}:${f.properties.code as string}`);
    expect(keys).toEqual([...keys].sort());
    expect(fc.features.map((f) => f.properties.level)).toEqual(['district', ...Array(6).fill('street'), ...Array(24).fill('community')]);
  });

  it('writes the properties in one order, all marked schematic', () => {
    for (const f of fc.features) {
      expect(Object.keys(f)).toEqual(['type', 'properties', 'geometry']);
      expect(Object.keys(f.properties)).toEqual(['level', 'code', 'name', 'nameEn', 'parent', 'center', 'schematic']);
      expect(f.properties.schematic).toBe(true);
    }
  });

  it('rounds every coordinate and centre to at most 6 decimals', () => {
    for (const f of fc.features) {
      for (const p of [...positions(f.geometry.coordinates), f.properties.center as number[]]) {
        expect(p).toHaveLength(2);
        expect(Math.max(decimals(p[0]), decimals(p[1]))).toBeLessThanOrEqual(6);
      }
    }
  });

  it('keeps the district outline simplified (≤ ~110 vertices)', () => {
    const district = fc.features[0];
    expect(district.geometry.type).toBe('Polygon');
    expect(district.geometry.coordinates).toHaveLength(1);
    expect(district.geometry.coordinates[0].length - 1).toBeLessThanOrEqual(110);
  });

  it('is written one feature per line, ending with a newline', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(fc.features.length + 2);
  });
});
