import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeographyError, loadGeography, parseGeography } from '../../src/geography/index.ts';
import { defaultCollection, featureOf, problemsOf, tinyDistrict, type TestCollection } from './fixtures.ts';

const LIULIAN = '440310001001'; // 六联社区, in 坪山街道 440310001
const CITY_FILE = fileURLToPath(new URL('../../../deploy/city/synthetic-city.geojson', import.meta.url));
const LIULIAN_LABEL = 'community 440310001001 六联社区';

/** Applies `mutate` to a fresh copy of the default file and returns the problems reported. */
function problemsAfter(mutate: (fc: TestCollection) => void): string[] {
  const fc = defaultCollection();
  mutate(fc);
  return problemsOf(fc);
}

/** Expects exactly one problem matching every pattern (and naming the feature when given). */
function expectProblem(problems: string[], ...patterns: (string | RegExp)[]): string {
  const hits = problems.filter((p) => patterns.every((re) => (typeof re === 'string' ? p.includes(re) : re.test(p))));
  expect(hits, `problems were:\n${problems.join('\n')}`).toHaveLength(1);
  return hits[0];
}

const ring = (fc: TestCollection, code: string): number[][] => (featureOf(fc, code).geometry!.coordinates as number[][][])[0];

describe('valid input', () => {
  it('accepts the default file and a hand-made district', () => {
    expect(problemsOf(defaultCollection())).toEqual([]);
    expect(problemsOf(tinyDistrict())).toEqual([]);
  });

  it('accepts the minimal example in docs/geography.md', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/geography.md', import.meta.url)), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(doc);
    expect(block).not.toBeNull();
    const geo = parseGeography(JSON.parse(block![1]));
    expect(geo.tree.children[0].children.map((c) => c.name)).toEqual(['东社区', '西社区']);
  });

  it('accepts a file without formatVersion, a MultiPolygon community and schematic: false', () => {
    const fc = tinyDistrict();
    delete fc.formatVersion;
    const east = fc.features[2];
    east.properties.schematic = false;
    east.geometry = { type: 'MultiPolygon', coordinates: [east.geometry!.coordinates] };
    expect(problemsOf(fc)).toEqual([]);
  });
});

describe('document shape', () => {
  it('rejects what is not a FeatureCollection', () => {
    expect(problemsOf({ type: 'Feature' })).toEqual(['not a GeoJSON FeatureCollection (got an object of type "Feature")']);
    expect(problemsOf([])[0]).toMatch(/not a GeoJSON FeatureCollection \(got an array\)/);
    expect(problemsOf(null)[0]).toMatch(/not a GeoJSON FeatureCollection/);
    expect(problemsOf({ type: 'FeatureCollection' })).toEqual(['FeatureCollection has no "features" array']);
  });

  it('rejects another format version', () => {
    expectProblem(
      problemsAfter((fc) => (fc.formatVersion = 2)),
      'formatVersion 2 is not supported',
    );
  });

  it('rejects a member that is not a Feature', () => {
    expectProblem(
      problemsAfter((fc) => (fc.features[3].type = 'Polygon')),
      'feature #3 is not a GeoJSON Feature',
    );
  });
});

describe('properties', () => {
  it('reports missing properties', () => {
    const problems = problemsAfter((fc) => delete (featureOf(fc, LIULIAN) as Partial<TestCollection['features'][0]>).properties);
    expectProblem(problems, /^feature #7: missing properties/);
  });

  it('reports a malformed level, name, nameEn, center and schematic, naming the feature', () => {
    const problems = problemsAfter((fc) => {
      const p = featureOf(fc, LIULIAN).properties;
      p.name = '';
      delete p.nameEn;
      p.center = [114.3];
      p.schematic = 'yes';
      featureOf(fc, '440310001002').properties.level = 'village';
    });
    expectProblem(problems, 'feature #7 (community 440310001001):', 'missing or empty property "name"');
    expectProblem(problems, 'missing or empty property "nameEn"');
    expectProblem(problems, 'property "center" must be [lon, lat] (got [114.3])');
    expectProblem(problems, 'property "schematic" must be true or false');
    expectProblem(
      problems,
      'feature #8 (village 440310001002 六和社区): property "level" must be "city", "district", "street" or "community" (got "village")',
    );
  });

  it('reports codes that are not strings of digits or have the wrong length', () => {
    const problems = problemsAfter((fc) => {
      featureOf(fc, LIULIAN).properties.code = 440310001001;
      featureOf(fc, '440310001002').properties.code = '44031000100';
    });
    expectProblem(problems, 'property "code" must be a string of digits (got 440310001001)');
    expectProblem(problems, 'code "44031000100" has 11 digits; a community code has 12');
  });

  it('reports codes not nested in their parent code', () => {
    const problems = problemsAfter((fc) => (featureOf(fc, LIULIAN).properties.code = '440310002099'));
    expectProblem(problems, 'community 440310002099 六联社区', "is not nested in its parent's code 440310001");
  });

  it('reports a missing parent, and a parent that is not in the file', () => {
    const problems = problemsAfter((fc) => {
      delete featureOf(fc, LIULIAN).properties.parent;
      featureOf(fc, '440310002001').properties.parent = '440310009';
    });
    expectProblem(problems, LIULIAN_LABEL, 'missing parent: a community needs "parent", the code of its street');
    expectProblem(problems, 'community 440310002001 坪环社区): parent 440310009 is not a street in this file');
    // The one missing parent is reported once, not again as a nesting problem.
    expect(problems).toHaveLength(3);
  });

  it('reports a district with a parent that is not a city of the file', () => {
    // Only this problem: the district still counts as the district for the hierarchy checks.
    expect(problemsAfter((fc) => (fc.features[0].properties.parent = '440300'))).toEqual([
      'feature #0 (district 440310 坪山区): parent "440300" is not a city code (a string of 4 digits)',
    ]);
    expect(problemsAfter((fc) => (fc.features[0].properties.parent = '4403'))).toEqual([
      'feature #0 (district 440310 坪山区): parent 4403 is not a city in this file',
    ]);
  });
});

describe('hierarchy', () => {
  it('reports duplicate codes', () => {
    const problems = problemsAfter((fc) => (featureOf(fc, '440310001002').properties.code = LIULIAN));
    expectProblem(problems, `duplicate code ${LIULIAN}: feature #7 (${LIULIAN_LABEL}) and feature #8 (community ${LIULIAN} 六和社区)`);
  });

  it('needs exactly one district', () => {
    expectProblem(
      problemsAfter((fc) => fc.features.shift()),
      'no district feature',
    );
    const two = problemsAfter((fc) => fc.features.push(structuredClone(fc.features[0])));
    expectProblem(two, '2 district features', 'exactly one is needed');
  });

  it('takes a city above its districts, and reports a second city, a district of a city without its parent, a district without streets', () => {
    const city = () => JSON.parse(readFileSync(CITY_FILE, 'utf8')) as TestCollection;
    expect(problemsOf(city())).toEqual([]);
    const two = city();
    two.features.push({ ...structuredClone(two.features[0]), properties: { ...two.features[0].properties, code: '9902' } });
    expectProblem(problemsOf(two), '2 city features', 'at most one is allowed');
    const orphan = city();
    featureOf(orphan, '990103').properties.parent = null;
    expect(problemsOf(orphan)).toEqual([
      'feature #3 (district 990103 丙区): missing parent: a district of a city needs "parent", the city\'s code',
    ]);
    const empty = city();
    empty.features = empty.features.filter((f) => !String(f.properties.code).startsWith('990110') || f.properties.level === 'district');
    expect(problemsOf(empty)).toContain('feature #10 (district 990110 癸区): district has no streets');
  });

  it('reports a street without communities', () => {
    const problems = problemsAfter((fc) => (fc.features = fc.features.filter((f) => f.properties.parent !== '440310006')));
    expect(problems).toEqual(['feature #6 (street 440310006 龙田街道): street has no communities']);
  });
});

describe('geometry', () => {
  it('reports a missing geometry and an unsupported geometry type', () => {
    const problems = problemsAfter((fc) => {
      featureOf(fc, LIULIAN).geometry = null;
      featureOf(fc, '440310001002').geometry = { type: 'Point', coordinates: [114.33, 22.7] };
    });
    expectProblem(problems, LIULIAN_LABEL, 'has no geometry');
    expectProblem(problems, '六和社区', 'geometry type "Point" is not supported; an area must be a Polygon or MultiPolygon');
  });

  it('reports empty polygons', () => {
    const problems = problemsAfter((fc) => {
      featureOf(fc, LIULIAN).geometry!.coordinates = [];
      featureOf(fc, '440310001002').geometry = { type: 'MultiPolygon', coordinates: [] };
    });
    expectProblem(problems, LIULIAN_LABEL, 'polygon is empty (no rings)');
    expectProblem(problems, '六和社区', 'MultiPolygon is empty (no polygons)');
  });

  it('reports rings with fewer than 4 positions', () => {
    const problems = problemsAfter((fc) => {
      const r = ring(fc, LIULIAN);
      featureOf(fc, LIULIAN).geometry!.coordinates = [[r[0], r[1], r[0]]];
    });
    expectProblem(problems, LIULIAN_LABEL, 'outer ring has 3 positions; a ring needs at least 4');
  });

  it('reports rings that are not closed', () => {
    const problems = problemsAfter((fc) => ring(fc, LIULIAN).pop());
    expectProblem(problems, LIULIAN_LABEL, 'outer ring is not closed: first position [');
  });

  it('reports positions that are not number pairs', () => {
    const problems = problemsAfter((fc) => (ring(fc, LIULIAN)[2] = ['114.3', '22.7'] as unknown as number[]));
    expectProblem(problems, LIULIAN_LABEL, 'outer ring, position 3 is not a [lon, lat] pair of numbers');
  });

  it('reports self-intersecting polygons', () => {
    const problems = problemsAfter((fc) => {
      // Swapping two neighbouring vertices of a convex ring turns an edge pair into a bow tie.
      const r = ring(fc, LIULIAN);
      [r[1], r[2]] = [r[2], r[1]];
    });
    expectProblem(problems, LIULIAN_LABEL, /polygon is self-intersecting \(\d+ crossings?, first near \[114\.\d+, 22\.\d+\]\)/);
  });

  it('accepts a repeated position (not a self-intersection)', () => {
    expect(problemsAfter((fc) => ring(fc, LIULIAN).splice(2, 0, [...ring(fc, LIULIAN)[2]]))).toEqual([]);
  });

  it('reports projected coordinates with a hint', () => {
    const problems = problemsAfter((fc) => {
      // Roughly Web Mercator metres.
      featureOf(fc, LIULIAN).geometry!.coordinates = [ring(fc, LIULIAN).map(([x, y]) => [x * 111_320, y * 114_000])];
    });
    const p = expectProblem(problems, LIULIAN_LABEL, 'coordinates are not WGS84 lon/lat');
    expect(p).toMatch(
      /positions out of range, first \[12\d+(\.\d+)?, 25\d+(\.\d+)?\] \(outer ring, position 1\): values look projected \(metres\?\)/,
    );
  });

  it('reports swapped lat/lon with a hint', () => {
    const problems = problemsAfter((fc) => {
      featureOf(fc, LIULIAN).geometry!.coordinates = [ring(fc, LIULIAN).map(([x, y]) => [y, x])];
    });
    expectProblem(problems, LIULIAN_LABEL, 'coordinates are not WGS84 lon/lat', 'looks like [lat, lon]; GeoJSON needs [lon, lat]');
  });

  it('reports out-of-range degrees', () => {
    const problems = problemsAfter((fc) => (ring(fc, LIULIAN)[3] = [194.3, 22.7]));
    expectProblem(problems, LIULIAN_LABEL, '1 of', 'first [194.3, 22.7] (outer ring, position 4): longitude must be within ±180');
  });

  it('reports a community lying outside its street', () => {
    const problems = problemsAfter((fc) => {
      // 六联 given 马峦社区's shape, far south in another street.
      featureOf(fc, LIULIAN).geometry = structuredClone(featureOf(fc, '440310002003').geometry);
    });
    expectProblem(problems, LIULIAN_LABEL, /100\.0 % of its area lies outside its street 440310001 坪山街道 \(at most 1 % allowed\)/);
  });

  it('tolerates a community slightly (< 1 %) outside its street, not more', () => {
    const shifted = (dx: number) =>
      problemsOf(
        ((fc) => {
          fc.features[2].geometry!.coordinates = [
            [
              [114.01, 22.6],
              [114.02 + dx, 22.6],
              [114.02 + dx, 22.61],
              [114.01, 22.61],
              [114.01, 22.6],
            ],
          ];
          return fc;
        })(tinyDistrict()),
      );
    expect(shifted(0.00005)).toEqual([]); // 0.5 % outside
    expectProblem(shifted(0.0005), /community 999999001001 东社区\): [45]\.\d % of its area lies outside its street 999999001 测试街道/);
  });

  it('reports a street lying outside the district', () => {
    const fc = tinyDistrict();
    fc.features[0].geometry!.coordinates = [
      [
        [114, 22.6],
        [114.01, 22.6],
        [114.01, 22.61],
        [114, 22.61],
        [114, 22.6],
      ],
    ];
    expectProblem(problemsOf(fc), 'street 999999001 测试街道): 50.0 % of its area lies outside its district 999999 测试区');
  });
});

describe('GeographyError', () => {
  it('collects every problem and lists them one per line', () => {
    const fc = defaultCollection();
    ring(fc, LIULIAN).pop();
    featureOf(fc, '440310001002').properties.name = '';
    fc.features = fc.features.filter((f) => f.properties.parent !== '440310006');
    let error: unknown;
    try {
      parseGeography(fc, 'fixture.geojson');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GeographyError);
    const e = error as GeographyError;
    expect(e.problems).toHaveLength(3);
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('invalid geography in fixture.geojson: 3 problems');
    expect(lines.slice(1)).toEqual(e.problems.map((p) => `  - ${p}`));
  });
});

describe('loadGeography', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geography-test-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('says clearly when the file is missing', () => {
    expect(() => loadGeography(join(dir, 'nope.geojson'))).toThrow(/geography file not found: .*nope\.geojson/);
  });

  it('says clearly when the file is not JSON', () => {
    expect(() => loadGeography(file('bad.geojson', '{"type": "FeatureCollection",'))).toThrow(/bad\.geojson is not valid JSON/);
  });

  it('names the file when its content is invalid', () => {
    expect(() => loadGeography(file('empty.geojson', '{"type":"FeatureCollection","features":[]}'))).toThrow(
      /invalid geography in .*empty\.geojson: 1 problem\n {2}- no district feature/,
    );
  });

  it('loads a valid file from anywhere', () => {
    const geo = loadGeography(file('tiny.geojson', JSON.stringify(tinyDistrict())));
    expect(geo.communities.map((c) => c.code)).toEqual(['999999001001', '999999001002']);
    rmSync(dir, { recursive: true, force: true });
  });
});
