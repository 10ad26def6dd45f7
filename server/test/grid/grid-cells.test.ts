/**
 * Grid cells, the level below the community: in the scope tree, counted like every other level,
 * and bounding a grid worker's reading to its cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ScopeNode } from '@commandhall/shared';
import { DEFAULT_GEOGRAPHY_FILE, loadGeography, parseGeography } from '../../src/geography/index.ts';
import { DEFAULT_GRID_FILE, withGrid } from '../../src/geography/grid.ts';
import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import { LIULIAN, alertRaised, appealCreated, dropTestDatabases, get, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { as, person } from '../appeal-io/helpers.ts';

const MIN = 60_000;
const gridJson = () => JSON.parse(readFileSync(DEFAULT_GRID_FILE, 'utf8')) as { features: { properties: Record<string, unknown> }[] };

describe('grid cells', () => {
  const tmp = tempDir();
  const clock = testClock();
  let app: FastifyInstance;
  let cell: string;
  let sibling: string;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    cell = app.geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat);
    sibling = app.geo.cells.find((c) => c.parent === LIULIAN.code && c.code !== cell)!.code;
  });
  afterAll(async () => {
    await app.close();
    await dropTestDatabases();
    tmp.remove();
  });

  it('GET /api/v1/scopes has each community’s cells below it, with 15-digit codes that start with the community’s', async () => {
    const tree = (await get(app, '/api/v1/scopes')).json() as ScopeNode;
    const communities = tree.children.flatMap((s) => s.children);
    const cells = communities.flatMap((c) => c.children);
    expect(cells).toHaveLength(700);
    for (const c of communities) {
      expect(c.children.length).toBeGreaterThanOrEqual(4);
      for (const g of c.children) {
        expect(g).toMatchObject({ level: 'grid', children: [] });
        expect(g.id).toBe(`grid:${g.code}`);
        expect(g.code).toMatch(new RegExp(`^${c.code}\\d{3}$`));
        expect(g.name).toMatch(/^.+社区第\d{2}网格$/);
      }
    }
    expect(cell).toMatch(/^440310001001\d{3}$/);
  });

  it('an appeal and an alert count in the cell they lie in, in its community and up; not in the cell beside it', async () => {
    const t = clock.now() - 5 * MIN;
    expect((await post(app, [appealCreated(t, { appealId: 'G-1' }), alertRaised(t, 'GA-1')])).json().accepted).toBe(2);
    const own = (await get(app, `/api/v1/metrics/grid:${cell}`)).json();
    const next = (await get(app, `/api/v1/metrics/grid:${sibling}`)).json();
    const community = (await get(app, `/api/v1/metrics/community:${LIULIAN.code}`)).json();
    expect(own.metrics['appeals.today']).toBe(1);
    expect(own.metrics['alerts.today']).toBe(1);
    expect(next.metrics['appeals.today']).toBe(0);
    expect(community.metrics['appeals.today']).toBe(1);
    // the community's map colours its cells; the cell's map, the cell alone
    expect(Object.keys(community.metrics['map.communities'])).toContain(cell);
    expect(community.metrics['map.communities'][cell].today).toBe(1);
    expect(Object.keys(own.metrics['map.communities'])).toEqual([cell]);
    // the ticker of the cell has it, and names the community
    expect(own.metrics.recent.map((r: { id: string }) => r.id).sort()).toEqual(['G-1.created', 'GA-1.raised']);
    expect(own.metrics.recent[0].community).toBe(LIULIAN.code);
    expect(next.metrics.recent).toEqual([]);
  });

  it('a grid worker reads its cell and nothing beside or above it', async () => {
    const worker = await person(app, 'gw-liulian', 'grid_worker', `grid:${cell}`);
    const read = (url: string) => as(app, worker, { method: 'GET', url });
    expect((await read(`/api/v1/metrics/grid:${cell}`)).statusCode).toBe(200);
    expect((await read(`/api/v1/metrics/grid:${sibling}`)).statusCode).toBe(403);
    expect((await read(`/api/v1/metrics/community:${LIULIAN.code}`)).statusCode).toBe(403);
    const tree = (await read('/api/v1/scopes')).json();
    expect(tree).toMatchObject({ id: `grid:${cell}`, level: 'grid', children: [] });
    const me = (await read('/api/v1/auth/me')).json();
    expect(me.allowedScopes).toEqual([`grid:${cell}`]);
  });

  it('a grid worker is bound to a cell, and a cell to nobody but a grid worker or an operator', async () => {
    const sys = { actor: 'test', ip: null };
    await expect(
      app.auth.createUser(
        { username: 'gw-bad', password: 'gw-bad-password-1', role: 'grid_worker', scope: `community:${LIULIAN.code}` },
        sys,
      ),
    ).rejects.toThrow(/needs a grid scope/);
    await expect(
      app.auth.createUser({ username: 'cd-bad', password: 'cd-bad-password-1', role: 'community_director', scope: `grid:${cell}` }, sys),
    ).rejects.toThrow(/needs a community scope/);
    await expect(
      app.auth.createUser(
        { username: 'gw-nowhere', password: 'gw-no-password-1', role: 'grid_worker', scope: 'grid:440310001001999' },
        sys,
      ),
    ).rejects.toThrow(/unknown scope/);
  });
});

describe('the grid file', () => {
  const geo = loadGeography(DEFAULT_GEOGRAPHY_FILE);

  it('joins the geography: a point of a community is placed in the cell that holds it', () => {
    const joined = withGrid(geo, gridJson());
    expect(joined.cells).toHaveLength(700);
    for (const c of joined.cells.slice(0, 50)) expect(joined.placeOf(c.parent!, c.center[0], c.center[1])).toBe(c.code);
    // near their edges too, where the nearest centre is often another cell's: by the outline, not the centre
    const features = gridJson().features as unknown as {
      properties: { code: string; parent: string };
      geometry: { type: string; coordinates: number[][][] };
    }[];
    let edgeCases = 0;
    for (const f of features.slice(0, 150)) {
      if (f.geometry.type !== 'Polygon') continue;
      const c = joined.area(f.properties.code)!.center;
      for (const v of f.geometry.coordinates[0]) {
        const p: [number, number] = [c[0] + 0.97 * (v[0] - c[0]), c[1] + 0.97 * (v[1] - c[1])];
        if (!turf.booleanPointInPolygon(p, turf.polygon(f.geometry.coordinates))) continue;
        expect(joined.placeOf(f.properties.parent, p[0], p[1])).toBe(f.properties.code);
        const nearest = joined.cells
          .filter((x) => x.parent === f.properties.parent)
          .sort(
            (a, b) => (a.center[0] - p[0]) ** 2 + (a.center[1] - p[1]) ** 2 - ((b.center[0] - p[0]) ** 2 + (b.center[1] - p[1]) ** 2),
          )[0];
        if (nearest.code !== f.properties.code) edgeCases++;
      }
    }
    expect(edgeCases).toBeGreaterThan(10);
    expect(joined.contains('440310001', joined.cells[0].code)).toBe(true);
    expect(joined.contains('440310002', joined.cells[0].code)).toBe(false);
    // the geography itself is left as it was
    expect(geo.cells).toEqual([]);
    expect(geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat)).toBe(LIULIAN.code);
  });

  it('is refused with every problem listed: an unknown community, a code not nested, a centre elsewhere, a duplicate', () => {
    const json = gridJson();
    const f = json.features;
    f[0].properties.parent = '440310009009';
    f[1].properties.code = '440310002001001';
    f[2].properties.center = [114.378589, 22.749569];
    f[4].properties.code = f[3].properties.code;
    let message = '';
    try {
      withGrid(geo, json, 'bad-grid.geojson');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/bad-grid\.geojson/);
    expect(message).toMatch(/parent "440310009009" is not a community of the geography/);
    expect(message).toMatch(/code 440310002001001 does not start with its community's code 440310001001/);
    expect(message).toMatch(/centre \[114\.378589,22\.749569\] is not in its community/);
    expect(message).toMatch(/duplicate code/);
  });

  it('a geography with grid cells in it is refused: they go in the grid file', () => {
    const json = JSON.parse(readFileSync(DEFAULT_GEOGRAPHY_FILE, 'utf8'));
    json.features.push({ ...gridJson().features[0], type: 'Feature' });
    expect(() => parseGeography(json)).toThrow(/grid cells belong in the grid file/);
  });
});

describe('a grid worker’s appeals', () => {
  const tmp = tempDir();
  const clock = testClock();
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  });
  afterAll(async () => {
    await app.close();
    await dropTestDatabases();
    tmp.remove();
  });

  it('lists and opens the appeals of its cell, and no other, and acts on them', async () => {
    const cell = app.geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat);
    const other = app.geo.cells.find((c) => c.parent === LIULIAN.code && c.code !== cell)!;
    const t = clock.now() - 5 * MIN;
    await post(app, [
      appealCreated(t, { appealId: 'GW-A1' }),
      appealCreated(t, { appealId: 'GW-A2', where: { lon: other.center[0], lat: other.center[1] } }),
    ]);
    const worker = await person(app, 'gw-appeals', 'grid_worker', `grid:${cell}`);
    const list = await as(app, worker, { method: 'GET', url: '/api/v1/appeals' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((a: { id: string }) => a.id)).toEqual(['GW-A1']);
    expect((await as(app, worker, { method: 'GET', url: '/api/v1/appeals/GW-A1' })).statusCode).toBe(200);
    expect((await as(app, worker, { method: 'GET', url: '/api/v1/appeals/GW-A2' })).statusCode).toBe(404);
    const other_ = await as(app, worker, { method: 'GET', url: `/api/v1/appeals?scope=grid:${other.code}` });
    expect(other_.statusCode).toBe(403);
    // the community director sees both, in a cell's list the cell's only
    const cd = await person(app, 'cd-appeals', 'community_director', `community:${LIULIAN.code}`);
    expect(
      (await as(app, cd, { method: 'GET', url: `/api/v1/appeals?scope=grid:${other.code}` })).json().items.map((a: { id: string }) => a.id),
    ).toEqual(['GW-A2']);
    const act = await as(app, worker, { method: 'POST', url: '/api/v1/appeals/GW-A1/actions', payload: { action: 'verify' } });
    expect(act.statusCode).toBe(200);
  });
});
