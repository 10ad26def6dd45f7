/**
 * Grid records (网格管理): synthetic ones in demo mode matching the district's totals, stored
 * (SQLite, or PostgreSQL in the server-pg run), listed within the caller's area through the
 * classification table, imported from CSV with progress and rejected rows; grid inspections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { LIULIAN, KENGZI, dropTestDatabases, get, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { as, person, untilFinished, type Person } from '../appeal-io/helpers.ts';

const MIN = 60_000;

describe('grid records', () => {
  const tmp = tempDir();
  const clock = testClock();
  let app: FastifyInstance;
  let cell: string;
  let director: Person;
  let cleared: Person;
  let worker: Person;
  let operator: Person;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env: { DEMO_MODE: 'on' } });
    cell = app.geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat);
    director = await person(app, 'gr-director', 'community_director', `community:${LIULIAN.code}`);
    cleared = await person(app, 'gr-cleared', 'community_director', `community:${LIULIAN.code}`, true);
    worker = await person(app, 'gr-worker', 'grid_worker', `grid:${cell}`);
    operator = await person(app, 'gr-operator', 'operator', 'street:440310001');
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await dropTestDatabases();
    tmp.remove();
  });

  const read = (who: Person, url: string) => as(app, who, { method: 'GET', url });

  it('demo mode writes synthetic records that add up to the district’s totals, once', async () => {
    const all = (await get(app, '/api/v1/grid/cells?scope=district:440310')).json();
    expect(all.synthetic).toBe(true);
    expect(all.cells).toHaveLength(700);
    const sum = (k: string) => all.cells.reduce((s: number, c: Record<string, number>) => s + c[k], 0);
    expect(sum('residents')).toBe(679_782);
    expect(sum('buildings')).toBe(41_301);
    expect(sum('housingUnits')).toBe(539_882);
    expect(sum('legalEntities')).toBe(25_303);
    expect(sum('components')).toBe(100_794);
    expect(await app.gridRecords.counts()).toEqual({ buildings: 41_301, entities: 25_303, workers: 700 });
  });

  it('each reader sees the fields its clearance allows: public, internal, sensitive, personal', async () => {
    const cellOf = async (who: Person) => (await read(who, `/api/v1/grid/cells?scope=grid:${cell}`)).json().cells[0];
    // a grid worker (internal) sees who works the cell, not how to reach them
    const w = await cellOf(worker);
    expect(w.worker).toHaveProperty('name');
    expect(w.worker).not.toHaveProperty('phone');
    // a director (sensitive) sees the worker's phone
    expect((await cellOf(director)).worker.phone).toMatch(/^170\d{8}$/);
    const building = async (who: Person) => (await read(who, `/api/v1/grid/buildings?scope=grid:${cell}&limit=1`)).json().items[0];
    const b = await building(director);
    expect(b.risk).toMatch(/^(low|medium|high)$/);
    expect(b.manager.phone).toMatch(/^170\*\*\*\*\d{4}$/);
    expect(b.manager.name).toMatch(/\*/);
    const w2 = await building(worker);
    expect(w2).not.toHaveProperty('risk');
    expect(w2.residents).toBeGreaterThanOrEqual(0);
    const full = await building(cleared);
    expect(full.manager.phone).toMatch(/^170\d{8}$/);
    expect(full.manager.name).not.toMatch(/\*/);
    // a wall (public): no address, no residents, no risk
    const wall = (await app.auth.issueDevice('gr-wall', 'district:440310', { actor: 'test', ip: null })).token;
    const pub = (
      await app.inject({ url: `/api/v1/grid/buildings?scope=grid:${cell}&limit=1`, headers: { authorization: `Bearer ${wall}` } })
    ).json().items[0];
    expect(Object.keys(pub).sort()).toEqual(['address', 'cell', 'floors', 'housingUnits', 'id', 'manager', 'name', 'use']);
    expect(pub.address).toBe('坪山街道');
    const entity = (await read(operator, `/api/v1/grid/entities?scope=grid:${cell}&limit=1`)).json().items[0];
    expect(entity).toHaveProperty('creditCode');
    expect(entity).not.toHaveProperty('employees');
  });

  it('lists within the caller’s area only, by type and risk, a page at a time', async () => {
    expect((await read(worker, `/api/v1/grid/buildings?scope=community:${LIULIAN.code}`)).statusCode).toBe(403);
    expect((await read(director, `/api/v1/grid/entities?scope=community:${KENGZI.code}`)).statusCode).toBe(403);
    const mine = (await read(worker, '/api/v1/grid/buildings?limit=500')).json();
    expect(mine.items.every((b: { cell: string }) => b.cell === cell)).toBe(true);
    const high = (await read(director, '/api/v1/grid/buildings?risk=high&type=residential&limit=500')).json();
    expect(
      high.items.every(
        (b: { risk: string; use: string; cell: string }) => b.risk === 'high' && b.use === 'residential' && b.cell.startsWith(LIULIAN.code),
      ),
    ).toBe(true);
    const page2 = (await read(director, '/api/v1/grid/buildings?limit=10&offset=10')).json();
    expect(page2.items).toHaveLength(10);
    expect(page2.total).toBe((await read(director, '/api/v1/grid/buildings?limit=1')).json().total);
  });

  it('imports records from CSV: rows of other areas and bad rows rejected with their lines; the same file again changes nothing', async () => {
    const other = app.geo.cells.find((c) => c.parent === KENGZI.code)!.code;
    const csv = [
      'id,cell,name,address,use,floors,housingUnits,residents,managerName,managerPhone,risk',
      `IMP-B1,${cell},六联新村1栋,坪山街道六联社区新村1号,residential,9,40,96,李四,13600002222,low`,
      `IMP-B2,${cell},六联新村2栋,坪山街道六联社区新村2号,spaceship,9,40,96,,,low`,
      `IMP-B3,${other},坑梓某栋,坑梓街道某号,residential,3,6,12,,,low`,
      `IMP-B4,${cell},六联新村4栋,坪山街道六联社区新村4号,commercial,two,0,0,,,medium`,
    ].join('\n');
    const start = async () => {
      const res = await as(app, director, {
        method: 'POST',
        url: '/api/v1/grid/imports?kind=buildings&name=楼栋.csv',
        payload: csv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.statusCode).toBe(202);
      return untilFinished(app, director, `/api/v1/grid/imports/${res.json().id}`);
    };
    const first = await start();
    expect(first.state).toBe('done');
    expect(first.rows).toEqual({ read: 4, imported: 1, updated: 0, unchanged: 0, rejected: 3 });
    expect(first.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5]);
    expect(first.errors[0].reason).toMatch(/use "spaceship" is not one of/);
    expect(first.errors[1].reason).toMatch(/outside your area/);
    expect(first.errors[2].reason).toMatch(/floors "two" is not a whole number/);
    const again = await start();
    expect(again.rows).toMatchObject({ imported: 0, updated: 0, unchanged: 1, rejected: 3 });
    const b = (await read(cleared, `/api/v1/grid/buildings?scope=grid:${cell}&limit=500`))
      .json()
      .items.find((x: { id: string }) => x.id === 'IMP-B1');
    expect(b).toMatchObject({ name: '六联新村1栋', residents: 96, manager: { name: '李四', phone: '13600002222' } });
    // a grid worker may not import; a file without the columns fails as a whole, saying which
    expect(
      (
        await as(app, worker, {
          method: 'POST',
          url: '/api/v1/grid/imports?kind=workers',
          payload: 'cell,id\n',
          headers: { 'content-type': 'text/csv' },
        })
      ).statusCode,
    ).toBe(403);
    const bad = await as(app, director, {
      method: 'POST',
      url: '/api/v1/grid/imports?kind=entities',
      payload: 'id,cell\nX,1\n',
      headers: { 'content-type': 'text/csv' },
    });
    const failed = await untilFinished(app, director, `/api/v1/grid/imports/${bad.json().id}`);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/lacks the column\(s\) name, creditCode/);
  });

  it('lists the grid inspections of a scope, newest first, by kind and issues', async () => {
    const t = clock.now() - 30 * MIN;
    const inspection = (id: string, at: number, kind: string, issues: number, where = LIULIAN) => ({
      id,
      type: 'grid_inspection.reported',
      occurredAt: new Date(at).toISOString(),
      data: {
        inspectionId: id,
        inspectorId: 'GW-1',
        location: { lon: where.lon, lat: where.lat },
        issuesFound: issues,
        issuesHandledOnSite: 0,
        kind,
      },
    });
    expect(
      (
        await post(app, [
          inspection('IN-1', t, 'grid', 0),
          inspection('IN-2', t + MIN, 'fire', 2),
          inspection('IN-3', t, 'grid', 1, KENGZI),
        ])
      ).json().accepted,
    ).toBe(3);
    const mine = (await read(worker, '/api/v1/grid/inspections')).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual(['IN-2', 'IN-1']);
    expect(mine.items[0]).toMatchObject({ kind: 'fire', cell, issuesFound: 2 });
    // exact places are personal: rounded for a reader without clearance
    expect(mine.items[0].lon).toBe(Math.round(LIULIAN.lon * 1000) / 1000);
    expect((await read(director, '/api/v1/grid/inspections?kind=fire')).json().items.map((i: { id: string }) => i.id)).toEqual(['IN-2']);
    expect((await read(director, '/api/v1/grid/inspections?issues=found')).json().total).toBe(1);
    expect((await get(app, '/api/v1/grid/inspections?scope=district:440310')).json().total).toBe(3);
    expect((await read(worker, `/api/v1/grid/inspections?scope=community:${LIULIAN.code}`)).statusCode).toBe(403);
  });
});
