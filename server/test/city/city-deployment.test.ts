/**
 * A city deployment (deploy/city/): the synthetic city of 10 districts × 7 streets × 9 communities,
 * with its community registry. The city is a scope level above the district: events count up to
 * it, lists and figures are bounded by it, roles are bound to it, and the simulator drives it at
 * a city's volume through the same ingest as any producer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { CityEvent, IngestResponse, ScopeNode } from '@commandhall/shared';
import { DistrictSimulator } from '../../src/simulator/district-simulator.ts';
import { appealCreated, credsOf, get, makeApp, post, tempDir, testClock } from '../helpers.ts';

export const CITY_ENV = {
  GEOGRAPHY_FILE: fileURLToPath(new URL('../../../deploy/city/synthetic-city.geojson', import.meta.url)),
  PROFILES_FILE: fileURLToPath(new URL('../../../deploy/city/synthetic-city-profiles.json', import.meta.url)),
};
const HOUR = 3_600_000;

describe('a city deployment', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  const centreOf = (code: string) => {
    const c = app.geo.area(code)!.center;
    return { lon: c[0], lat: c[1] };
  };
  const figures = async (scope: string) => {
    const res = await get(app, `/api/v1/metrics/${scope}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().metrics as Record<string, unknown>;
  };
  const as = async (username: string, password: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    expect(res.statusCode, res.body).toBe(200);
    return String(res.headers['set-cookie']).match(/ch_session=[^;]+/)![0];
  };

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env: CITY_ENV });
  });
  afterAll(async () => {
    await app?.close();
    tmp.remove();
  });

  it('serves the city as its top: 10 districts, 70 streets, 630 communities', async () => {
    expect((await app.inject({ url: '/api/v1/deployment' })).json().root).toEqual({
      scope: 'city:9901',
      level: 'city',
      code: '9901',
      name: '合成市',
    });
    const tree = (await get(app, '/api/v1/scopes')).json() as ScopeNode;
    expect(tree.id).toBe('city:9901');
    expect(tree.children).toHaveLength(10);
    expect(tree.children.flatMap((d) => d.children)).toHaveLength(70);
    expect(tree.children.flatMap((d) => d.children.flatMap((s) => s.children))).toHaveLength(630);
    expect(tree.children[2]).toMatchObject({ id: 'district:990103', name: '丙区' });
  });

  it('counts an appeal in its community, street, district and the city, and nowhere else', async () => {
    const res = await post(app, [appealCreated(clock.now(), { appealId: 'CITY-1', where: centreOf('990103004005') })]);
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 0 });
    for (const scope of ['city:9901', 'district:990103', 'street:990103004', 'community:990103004005'])
      expect((await figures(scope))['appeals.today'], scope).toBe(1);
    for (const scope of ['district:990104', 'street:990103005', 'community:990103004006'])
      expect((await figures(scope))['appeals.today'], scope).toBe(0);
  });

  it('lists an appeal in the city and its district, not in another district', async () => {
    const ids = async (scope: string) =>
      ((await get(app, `/api/v1/appeals?scope=${scope}&limit=50`)).json().items as { id: string }[]).map((a) => a.id);
    expect(await ids('city:9901')).toContain('CITY-1');
    expect(await ids('district:990103')).toContain('CITY-1');
    expect(await ids('district:990104')).not.toContain('CITY-1');
    expect(await ids('street:990103004')).toContain('CITY-1');
  });

  it('sums the city registry up to the city: grid statistics of 630 communities', async () => {
    const profile = (await figures('city:9901'))['grid.profile'] as Record<string, number>;
    const sum = app.profiles.communities.reduce((s, c) => s + c.profile.population, 0);
    expect(app.profiles.communities).toHaveLength(630);
    expect(profile.population).toBe(sum);
    expect(sum).toBeGreaterThan(10_000_000);
  });

  it('binds a city director to the city and a district director to one district', async () => {
    const { cookie, csrf } = credsOf(app);
    const create = (username: string, role: string, scope: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/admin/users',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { username, password: 'a-long-enough-password', role, scope },
      });
    expect((await create('mayor', 'city_director', 'city:9901')).statusCode).toBe(201);
    expect((await create('not-a-mayor', 'city_director', 'district:990103')).json().error.message).toBe(
      'a city_director needs a city scope, not "district:990103"',
    );
    expect((await create('bing', 'district_director', 'district:990103')).statusCode).toBe(201);
    // administrators keep the whole deployment: its top, the city
    expect((await create('admin2', 'admin', 'district:990103')).json().error.message).toMatch(/an admin needs the deployment's top scope/);
    expect((await create('admin2', 'admin', 'city:9901')).statusCode).toBe(201);

    const mayor = await as('mayor', 'a-long-enough-password');
    const bing = await as('bing', 'a-long-enough-password');
    const read = (c: string, url: string) => app.inject({ url, headers: { cookie: c } });
    expect((await read(mayor, '/api/v1/metrics/city:9901')).statusCode).toBe(200);
    expect((await read(mayor, '/api/v1/metrics/district:990107')).statusCode).toBe(200);
    expect((await read(bing, '/api/v1/metrics/district:990103')).statusCode).toBe(200);
    expect((await read(bing, '/api/v1/metrics/city:9901')).statusCode).toBe(403);
    expect((await read(bing, '/api/v1/metrics/district:990104')).statusCode).toBe(403);
    expect(((await read(bing, '/api/v1/scopes')).json() as ScopeNode).id).toBe('district:990103');
  });

  it('drives the city at 100× Pingshan’s volume through ingest, every event accepted, every district busy', async () => {
    const sent: CityEvent[] = [];
    let refused = 0;
    const sim = new DistrictSimulator(
      app.geo,
      { appealsPerDay: 800, scale: 100, speed: 1, seed: 7, utcOffsetMinutes: 480, now: clock.now, profiles: app.profiles },
      async (events) => {
        sent.push(...events);
        const r = (await post(app, events)).json() as IngestResponse;
        refused += r.rejected + r.duplicate;
        return r;
      },
    );
    const before = (await figures('city:9901'))['appeals.today'] as number;
    await sim.tick(); // starts its clock
    clock.advance(HOUR);
    await sim.tick();
    const created = sent.filter((e) => e.type === 'appeal.created');
    // Pingshan gets about 800 a day, a twentieth of them in a morning hour: the city a hundred times that
    expect(created.length).toBeGreaterThan(2000);
    expect(refused).toBe(0);
    const districts = new Set(created.map((e) => (e.data as { communityCode?: string }).communityCode?.slice(0, 6)));
    expect(districts.size).toBe(10);
    expect((await figures('city:9901'))['appeals.today']).toBe(before + created.length);
  });
});
