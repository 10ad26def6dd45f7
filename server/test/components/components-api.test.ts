/**
 * City components one by one: the registry behind the API and the map layer, scope checks at
 * every level, smart codes (QR and label sheets), the heat map and the offline basemap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { LIULIAN, KENGZI, appealCreated, dropTestDatabases, get, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { as, person, type Person } from '../appeal-io/helpers.ts';

const MIN = 60_000;

describe('city components', () => {
  const tmp = tempDir();
  const clock = testClock();
  let app: FastifyInstance;
  let community: Person;
  let otherStreet: Person;
  let worker: Person;
  let cell: string;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    cell = app.geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat);
    community = await person(app, 'cd-liulian', 'community_director', `community:${LIULIAN.code}`);
    otherStreet = await person(app, 'sd-kengzi', 'street_director', 'street:440310005');
    worker = await person(app, 'gw-comp', 'grid_worker', `grid:${cell}`);
  });
  afterAll(async () => {
    await app.close();
    await dropTestDatabases();
    tmp.remove();
  });

  const read = (who: Person, url: string) => as(app, who, { method: 'GET', url });
  const registry = () => app.componentService!.registry;

  it('the registry holds every component the community registry counts, 474 smart poles among them', () => {
    expect(registry().size).toBe(100_794);
    const poles = [...registry().within(app.geo.rootScope, (t) => t === 'smart_pole')];
    expect(poles).toHaveLength(474);
    const roads = new Set(poles.map((p) => p.road));
    expect([...roads].sort()).toEqual(['智能网联测试区', '聚龙路', '金田东路', '高新大道'].sort());
    // every component stands in its cell
    for (const c of poles.slice(0, 40)) expect(app.geo.placeOf(c.community, c.lon, c.lat)).toBe(c.cell);
  });

  it('lists the components of a scope within the caller’s area, and refuses a scope outside it', async () => {
    const res = await read(community, `/api/v1/components?scope=community:${LIULIAN.code}&limit=50`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(registry().count(`community:${LIULIAN.code}`));
    expect(body.total).toBeGreaterThan(1000);
    expect(body.items).toHaveLength(50);
    for (const c of body.items) {
      expect(c.community).toBe(LIULIAN.code);
      expect(c.cell.startsWith(LIULIAN.code)).toBe(true);
      expect(c.status).toBe('normal');
    }
    // default: the caller's own scope
    expect((await read(community, '/api/v1/components?limit=1')).json().scope).toBe(`community:${LIULIAN.code}`);
    expect((await read(otherStreet, `/api/v1/components?scope=community:${LIULIAN.code}`)).statusCode).toBe(403);
    expect((await read(community, '/api/v1/components?scope=street:440310001')).statusCode).toBe(403);
    expect((await read(community, `/api/v1/components?scope=grid:${LIULIAN.code}999`)).statusCode).toBe(404);
    expect((await read(community, '/api/v1/components?type=spaceship')).statusCode).toBe(400);
    const poles = (await read(community, `/api/v1/components?type=smart_pole&limit=500`)).json();
    expect(poles.items.every((c: { type: string }) => c.type === 'smart_pole')).toBe(true);
  });

  it('a grid worker lists its cell’s components and nothing else', async () => {
    const mine = (await read(worker, '/api/v1/components?limit=500')).json();
    expect(mine.total).toBe(registry().count(`grid:${cell}`));
    expect(mine.items.every((c: { cell: string }) => c.cell === cell)).toBe(true);
    expect((await read(worker, `/api/v1/components?scope=community:${LIULIAN.code}`)).statusCode).toBe(403);
    const elsewhere = [...registry().within(`community:${LIULIAN.code}`)].find((c) => c.cell !== cell)!;
    expect((await read(worker, `/api/v1/components/${elsewhere.id}`)).statusCode).toBe(404);
  });

  it('a component’s status comes from its events: filters, detail and the map follow', async () => {
    const c = [...registry().within(`grid:${cell}`, (t) => t === 'street_light')][0];
    const t = clock.now() - 10 * MIN;
    const ev = {
      id: `fault-${c.id}`,
      type: 'component.status_changed',
      occurredAt: new Date(t).toISOString(),
      data: { componentId: c.id, componentType: c.type, status: 'fault', location: { lon: c.lon, lat: c.lat } },
    };
    expect((await post(app, [ev])).json().accepted).toBe(1);
    const faulty = (await read(community, '/api/v1/components?status=fault')).json();
    expect(faulty.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await read(community, `/api/v1/components/${c.id}`)).json()).toMatchObject({ id: c.id, status: 'fault', cell, road: null });
    // the cell's figures count it against the cell's own registered components
    const m = (await get(app, `/api/v1/metrics/grid:${cell}`)).json().metrics;
    expect(m['components.byStatus'].fault).toBe(1);
    expect(m['components.health'].total).toBe(registry().count(`grid:${cell}`));
    // at district zoom it is a point of its own over the clusters; at street zoom too
    const [w, s, e, n] = [114.25, 22.6, 114.45, 22.8];
    const far = (await read(community, `/api/v1/components/map?scope=community:${LIULIAN.code}&bbox=${w},${s},${e},${n}&zoom=11`)).json();
    const clusters = far.features.filter((f: { properties: { cluster?: boolean } }) => f.properties.cluster);
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.length).toBeLessThan(200);
    const counted = far.features.reduce(
      (sum: number, f: { properties: { count?: number; overlay?: boolean } }) =>
        sum + (f.properties.count ?? (f.properties.overlay ? 0 : 1)),
      0,
    );
    expect(counted).toBe(registry().count(`community:${LIULIAN.code}`));
    expect(far.features.find((f: { properties: { id?: string } }) => f.properties.id === c.id).properties).toMatchObject({
      status: 'fault',
      overlay: true,
    });
    const near = (
      await read(
        community,
        `/api/v1/components/map?scope=grid:${cell}&bbox=${c.lon - 0.002},${c.lat - 0.002},${c.lon + 0.002},${c.lat + 0.002}&zoom=17`,
      )
    ).json();
    expect(near.features.every((f: { properties: { cluster?: boolean } }) => !f.properties.cluster)).toBe(true);
    expect(near.features.find((f: { properties: { id?: string } }) => f.properties.id === c.id).properties).toMatchObject({
      status: 'fault',
      type: 'street_light',
    });
    expect(
      (await read(otherStreet, `/api/v1/components/map?scope=community:${LIULIAN.code}&bbox=${w},${s},${e},${n}&zoom=11`)).statusCode,
    ).toBe(403);
    expect((await read(community, `/api/v1/components/map?bbox=1,2,0,3&zoom=11`)).statusCode).toBe(400);
  });

  it('draws a component’s smart code and prints sheets of labels of a scope', async () => {
    const c = [...registry().within(`grid:${cell}`)][0];
    const qr = await read(community, `/api/v1/components/${c.id}/code.svg`);
    expect(qr.statusCode).toBe(200);
    expect(qr.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(qr.body).toContain(`/code/${c.id}</title>`);
    expect(qr.body).toMatch(/<path d="M\d/);
    const sheet = await read(community, `/api/v1/components/labels.svg?scope=grid:${cell}&type=street_light`);
    expect(sheet.statusCode).toBe(200);
    const lights = [...registry().within(`grid:${cell}`, (t) => t === 'street_light')];
    expect(Number(sheet.headers['x-total-pages'])).toBe(Math.max(1, Math.ceil(lights.length / 21)));
    expect(sheet.body.match(/<g>/g)).toHaveLength(Math.min(21, lights.length));
    expect(sheet.body).toContain(lights[0].id);
    expect(sheet.body).toContain('路灯');
    expect((await read(worker, `/api/v1/components/labels.svg?scope=grid:${cell}`)).statusCode).toBe(403);
    expect((await read(otherStreet, `/api/v1/components/labels.svg?scope=grid:${cell}`)).statusCode).toBe(403);
  });

  it('the heat map counts appeals on a 200 m grid within the caller’s area, over the window asked', async () => {
    const t = clock.now() - 30 * MIN;
    await post(app, [
      appealCreated(t, { appealId: 'H-1' }),
      appealCreated(t, { appealId: 'H-2' }),
      appealCreated(t, { appealId: 'H-3', where: KENGZI }),
    ]);
    const heat = (await read(community, '/api/v1/heat?kinds=appeals')).json();
    expect(heat.points.reduce((s: number, p: { count: number }) => s + p.count, 0)).toBe(2);
    const district = (await get(app, '/api/v1/heat?scope=district:440310&window=7d&kinds=appeals')).json();
    expect(district.points.reduce((s: number, p: { count: number }) => s + p.count, 0)).toBeGreaterThanOrEqual(3);
    for (const p of district.points) expect(Math.round(p.lon / 0.002) * 0.002).toBeCloseTo(p.lon, 6);
    expect((await read(community, '/api/v1/heat?scope=district:440310')).statusCode).toBe(403);
  });

  it('serves the plain offline basemap: the schematic roads and the river', async () => {
    const map = (await get(app, '/api/v1/geography/basemap')).json();
    expect(map.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(
      expect.arrayContaining(['聚龙路', '高新大道', '金田东路', '坪山河', '智能网联测试区']),
    );
  });
});
