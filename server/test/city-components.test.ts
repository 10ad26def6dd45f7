/**
 * component.status_changed, inspection kinds and enterprise appeals through ingest: what is
 * refused and why, what the figures become over REST and the live channel, and that a restart
 * rebuilds them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type { Ack, CityEvent, ClientToServerEvents, ScopePatch, ScopeSnapshot, ServerToClientEvents } from '@commandhall/shared';
import { appealCreated, credsOf, get, KENGZI, LIULIAN, makeApp, post, tempDir, testClock } from './helpers.ts';
import { changedKeys, Shown } from './live-figures.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const DISTRICT = 'district:440310';
const MIN = 60_000;

let n = 0;
const component = (at: number, componentId: string, componentType: string, status: string, where = LIULIAN): CityEvent =>
  ({
    id: `CS-${++n}`,
    type: 'component.status_changed',
    occurredAt: new Date(at).toISOString(),
    data: { componentId, componentType, status, location: { lon: where.lon, lat: where.lat } },
  }) as CityEvent;

const inspection = (at: number, extra: Record<string, unknown> = {}): CityEvent =>
  ({
    id: `GI-${++n}`,
    type: 'grid_inspection.reported',
    occurredAt: new Date(at).toISOString(),
    data: {
      inspectionId: `GI-${n}`,
      inspectorId: 'RIVER-1',
      location: { lon: LIULIAN.lon, lat: LIULIAN.lat },
      issuesFound: 2,
      issuesHandledOnSite: 1,
      ...extra,
    },
  }) as CityEvent;

const reasons = (body: { results: { status: string; reason?: string }[] }) => body.results.map((r) => r.reason ?? r.status);

describe('city components, inspection kinds and enterprise appeals through ingest', () => {
  const tmp = tempDir();
  const clock = testClock(); // 2026-11-27 10:00 local
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('refuses malformed or meaningless events, each with its reason, and stores the rest', async () => {
    const t = clock.now() - 30 * MIN;
    const bad = [
      component(t, 'X1', 'spaceship', 'fault'),
      component(t, 'X2', 'street_light', 'broken'),
      { ...component(t, 'X3', 'street_light', 'fault'), data: { componentType: 'street_light', status: 'fault', location: LIULIAN } },
      component(t, 'X4', 'street_light', 'fault', { code: '', lon: 113.26, lat: 23.13 }),
      inspection(t, { kind: 'boat' }),
      { ...appealCreated(t), data: { ...(appealCreated(t).data as object), reporterKind: 'government' } },
      component(t, 'OK1', 'street_light', 'fault'),
    ];
    const res = await post(app, bad);
    expect(res.statusCode).toBe(207);
    const r = reasons(res.json());
    expect(r[0]).toBe('/data/componentType "spaceship" is not a known componentType code');
    expect(r[1]).toMatch(/^\/data\/status /);
    expect(r[2]).toMatch(/missing required field "componentId"/);
    expect(r[3]).toMatch(/outside every community/);
    expect(r[4]).toMatch(/^\/data\/kind /);
    expect(r[5]).toMatch(/^\/data\/reporterKind /);
    expect(r[6]).toBe('accepted');
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 6 });
  });

  it('a component not back to normal keeps its type, in the same batch and later ones; once normal it is forgotten', async () => {
    const t = clock.now() - 20 * MIN;
    const first = (
      await post(app, [component(t, 'C1', 'street_light', 'fault'), component(t + 1, 'C1', 'manhole_cover', 'repairing')])
    ).json();
    expect(reasons(first)).toEqual([
      'accepted',
      '/data/componentType "manhole_cover" does not match component "C1": it is a "street_light" (not back to normal yet)',
    ]);
    const later = (await post(app, [component(t + 2, 'C1', 'bench', 'normal')])).json();
    expect(reasons(later)[0]).toMatch(/does not match component "C1": it is a "street_light"/);
    // back to normal, then (the record being forgotten) another type is taken
    const back = (await post(app, [component(t + 3, 'C1', 'street_light', 'normal'), component(t + 4, 'C1', 'bench', 'fault')])).json();
    expect(reasons(back)).toEqual(['accepted', 'accepted']);
    expect(app.engine.components.get('C1')).toEqual({
      type: 'bench',
      status: 'fault',
      community: LIULIAN.code,
      // held in the grid cell its place lies in
      place: app.geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat),
    });
    expect(app.engine.components.get('C1')!.place).toMatch(new RegExp(`^${LIULIAN.code}\\d{3}$`));
    expect((await post(app, [component(t + 5, 'C1', 'bench', 'normal')])).json().accepted).toBe(1);
    expect(app.engine.components.has('C1')).toBe(false);
  });

  it('the figures follow: components, poles, inspection kinds, enterprise appeals', async () => {
    const t = clock.now() - 10 * MIN;
    const before = (await get(app, `/api/v1/metrics/${DISTRICT}`)).json().metrics;
    const res = await post(app, [
      component(t, 'P1', 'smart_pole', 'offline'),
      component(t, 'P2', 'smart_pole', 'offline', KENGZI),
      component(t + 1, 'P2', 'smart_pole', 'online', KENGZI), // online is normal
      inspection(t, { kind: 'river' }),
      inspection(t),
      appealCreated(t, { appealId: 'ENT-1', category: '8', channel: 'enterprise' }), // no reporterKind: a resident's
    ]);
    expect(res.json().accepted).toBe(6);
    // the appeal builder has no reporterKind: add it
    const ent = appealCreated(t, { appealId: 'ENT-2', category: '8', channel: 'enterprise' });
    (ent.data as Record<string, unknown>).reporterKind = 'enterprise';
    expect((await post(app, [ent])).json().accepted).toBe(1);
    const m = (await get(app, `/api/v1/metrics/${DISTRICT}`)).json().metrics;
    expect(m['poles.status']).toMatchObject({ online: before['poles.status'].online - 1, total: 474, faults: 0 });
    expect(m['components.byStatus'].offline).toBe(1);
    expect(m['components.byStatus'].fault).toBe(1); // OK1 from the first test
    expect(m['components.faultsByType']).toEqual({ street_light: 1, smart_pole: 1 });
    expect(m['inspections.byKind']).toEqual({ grid: 1, river: 1, enterprise: 0, fire: 0 });
    expect(m['inspections.issuesByKind']).toEqual({ grid: 2, river: 2, enterprise: 0, fire: 0 });
    expect(m['inspections.handledToday']).toBe(2);
    expect(m['appeals.enterpriseToday']).toBe(1);
    expect(m['appeals.enterpriseOpen']).toBe(1);
    expect(m['appeals.enterpriseByCategory']).toEqual({ '8': 1 });
    expect(m['grid.profile'].population).toBe(679_782);
  });

  it('a restart rebuilds the same figures and the same components', async () => {
    const snapshots = () => Object.fromEntries(app.engine.scopes().map((s) => [s, app.engine.snapshot(s)]));
    const before = { scopes: snapshots(), components: [...app.engine.components] };
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    expect({ scopes: snapshots(), components: [...app.engine.components] }).toEqual(before);
  });
});

describe('the new figures over the live channel', () => {
  const tmp = tempDir();
  const clock = testClock();
  let app: FastifyInstance;
  let client: Client;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    client = io(`${url}/live`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: credsOf(app).cookie } });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
  });
  afterAll(async () => {
    client.close();
    await app.close();
    tmp.remove();
  });

  it('the snapshot carries every new key; a patch carries only the keys that changed', async () => {
    const snap = (await client.timeout(5000).emitWithAck('scope:watch', { scope: DISTRICT })) as Ack<ScopeSnapshot>;
    if (!('data' in snap)) throw new Error('watch failed');
    const m = snap.data.metrics;
    expect(m['grid.profile']!.gridInspectors).toBeGreaterThan(0);
    expect(m['inspections.byKind']).toEqual({ grid: 0, river: 0, enterprise: 0, fire: 0 });
    expect(m['inspections.daily']).toHaveLength(30);
    expect(m['scans.daily']).toHaveLength(30);
    expect(m['scans.byPurpose']).toEqual({ inspection: 0, report: 0, query: 0 });
    expect(m['components.byStatus']!.fault).toBe(0);
    expect(m['components.health']!.rate).toBe(1);
    expect(m['poles.status']).toEqual({ online: 474, total: 474, faults: 0, rate: 1 });
    expect(m['appeals.enterpriseOpen']).toBe(0);

    const shown = new Shown(snap.data);
    const patch = new Promise<ScopePatch>((resolve) => {
      const on = (p: ScopePatch) => {
        if (p.scope !== DISTRICT) return;
        expect(shown.apply(p)).toBe('applied');
        if (!changedKeys(p).includes('components.byStatus')) return;
        client.off('metrics:patch', on);
        resolve(p);
      };
      client.on('metrics:patch', on);
    });
    expect((await post(app, [component(clock.now() - MIN, 'L1', 'smart_pole', 'fault')])).json().accepted).toBe(1);
    const p = await patch;
    expect(changedKeys(p).sort()).toEqual([
      'components.byStatus',
      'components.faultsByType',
      'components.health',
      'poles.status',
      'recent',
    ]);
    expect(shown.metrics['poles.status']).toEqual({ online: 474, total: 474, faults: 1, rate: 1 });
    // the change reaches the live ticker: the type and the new status, where the component is
    expect(shown.metrics.recent[0]).toMatchObject({
      type: 'component.status_changed',
      label: 'smart_pole',
      status: 'fault',
      community: LIULIAN.code,
    });
  });
});
