import { describe, it, expect } from 'vitest';
import { DEFAULT_GEOGRAPHY_FILE, loadGeography, parseGeography } from '../../src/geography/index.ts';
import { tinyDistrict } from './fixtures.ts';

const geo = loadGeography(DEFAULT_GEOGRAPHY_FILE);

const STREETS: Record<string, string> = {
  '440310001': '坪山街道',
  '440310002': '马峦街道',
  '440310003': '碧岭街道',
  '440310004': '石井街道',
  '440310005': '坑梓街道',
  '440310006': '龙田街道',
};
const COMMUNITIES: Record<string, string> = {
  '440310001001': '六联社区',
  '440310001002': '六和社区',
  '440310001003': '坪山社区',
  '440310001004': '和平社区',
  '440310001005': '新和社区',
  '440310002001': '坪环社区',
  '440310002002': '江岭社区',
  '440310002003': '马峦社区',
  '440310002004': '沙坣社区',
  '440310003001': '碧岭社区',
  '440310003002': '汤坑社区',
  '440310003003': '沙湖社区',
  '440310004001': '金龟社区',
  '440310004002': '石井社区',
  '440310004003': '田头社区',
  '440310004004': '田心社区',
  '440310005001': '坑梓社区',
  '440310005002': '秀新社区',
  '440310005003': '金沙社区',
  '440310005004': '沙田社区',
  '440310006001': '龙田社区',
  '440310006002': '南布社区',
  '440310006003': '竹坑社区',
  '440310006004': '老坑社区',
};

describe('default geography (Pingshan)', () => {
  it('has one district, 6 streets and 24 communities with the official codes and names', () => {
    expect(geo.root).toMatchObject({ code: '440310', level: 'district', name: '坪山区', nameEn: 'Pingshan District', parent: null });
    expect(Object.fromEntries(geo.streets.map((s) => [s.code, s.name]))).toEqual(STREETS);
    expect(Object.fromEntries(geo.communities.map((c) => [c.code, c.name]))).toEqual(COMMUNITIES);
    expect(geo.streets.every((s) => s.parent === '440310' && s.level === 'street' && s.nameEn.endsWith(' Subdistrict'))).toBe(true);
    expect(geo.communities.every((c) => c.parent === c.code.slice(0, 9) && c.nameEn.endsWith(' Community'))).toBe(true);
    expect(geo.area('440310001001')).toMatchObject({ name: '六联社区', nameEn: 'Liulian Community' });
    expect(geo.area('440310001')?.nameEn).toBe('Pingshan Subdistrict');
  });

  it('leaves out the bonded zone and its virtual community', () => {
    expect(geo.area('440310401')).toBeUndefined();
    expect(geo.area('440310401498')).toBeUndefined();
  });

  it('builds the scope tree district → streets → communities', () => {
    expect(geo.tree.id).toBe('district:440310');
    expect(geo.tree.children.map((s) => s.id)).toEqual(Object.keys(STREETS).map((c) => `street:${c}`));
    expect(geo.tree.children.map((s) => s.children.length)).toEqual([5, 4, 3, 4, 4, 4]);
    expect(geo.tree.children[0].children[0]).toEqual({
      id: 'community:440310001001',
      level: 'community',
      code: '440310001001',
      name: '六联社区',
      center: geo.area('440310001001')!.center,
      children: [],
    });
  });

  it('exposes the raw FeatureCollection for the web', () => {
    const fc = geo.geojson as { type: string; name: string; features: unknown[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.name).toBe('坪山区 (schematic)');
    expect(fc.features).toHaveLength(31);
  });

  it('answers containment by the code hierarchy', () => {
    expect(geo.contains('440310', '440310001001')).toBe(true);
    expect(geo.contains('440310', '440310002')).toBe(true);
    expect(geo.contains('440310001', '440310001005')).toBe(true);
    expect(geo.contains('440310002', '440310001005')).toBe(false);
    expect(geo.contains('440310001001', '440310001')).toBe(false);
    expect(geo.contains('440310001', '440310001')).toBe(true);
    expect(geo.contains('440310001', '440310001999')).toBe(false);
    expect(geo.contains('440399', '440310001001')).toBe(false);
  });

  it('areas are frozen so one caller cannot change them for all', () => {
    expect(Object.isFrozen(geo.root)).toBe(true);
    expect(Object.isFrozen(geo.root.center)).toBe(true);
  });
});

describe('locate', () => {
  it("puts each community's centre in that community", () => {
    for (const c of geo.communities) expect(geo.locate(c.center[0], c.center[1]), c.name).toBe(c.code);
  });

  it('puts each street centre in a community of that street', () => {
    for (const s of geo.streets) expect(geo.locate(s.center[0], s.center[1])?.slice(0, 9), s.name).toBe(s.code);
  });

  it('finds nothing far outside or for nonsense input', () => {
    expect(geo.locate(113.2644, 23.1291)).toBeNull(); // Guangzhou
    expect(geo.locate(114.0579, 22.5431)).toBeNull(); // Futian, Shenzhen
    expect(geo.locate(22.7, 114.35)).toBeNull(); // swapped
    expect(geo.locate(Number.NaN, 22.7)).toBeNull();
    expect(geo.locate(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBeNull();
  });

  it('is fast enough to place every ingested event', () => {
    const n = 200_000;
    const pts = new Float64Array(2 * n);
    // Deterministic spread over the district's bounding box (half the points fall outside it).
    for (let i = 0; i < n; i++) {
      pts[2 * i] = 114.26 + ((i * 7919) % 1000) * 0.00018;
      pts[2 * i + 1] = 22.62 + ((i * 104729) % 1000) * 0.000165;
    }
    const t0 = performance.now();
    let found = 0;
    for (let i = 0; i < n; i++) if (geo.locate(pts[2 * i], pts[2 * i + 1]) !== null) found++;
    const perSecond = n / ((performance.now() - t0) / 1000);
    expect(found).toBeGreaterThan(n * 0.3);
    // The target is > 200k/s; the bound is looser so a busy CI machine does not fail it.
    expect(perSecond).toBeGreaterThan(50_000);
  });

  it('works on a hand-made district', () => {
    const tiny = parseGeography(tinyDistrict());
    expect(tiny.locate(114.015, 22.605)).toBe('999999001001');
    expect(tiny.locate(114.005, 22.605)).toBe('999999001002');
    expect(tiny.locate(114.03, 22.605)).toBeNull();
  });
});
