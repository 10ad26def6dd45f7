/**
 * Alerts on the live channel, with real sockets: `alert:update` at once (with its batch, not the
 * tick, which is stopped or driven by hand) to the watchers of the alert's community, street and district and to no
 * other; acting on one screen updates every screen; escalation by the (fake) clock; the queue in
 * the snapshot after a reconnect and after a restart; camera figures patched when cameras change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type {
  AlertUpdate,
  Ack,
  ClientToServerEvents,
  FullScopeMetrics,
  ScopePatch,
  ScopeSnapshot,
  ServerToClientEvents,
} from '@commandhall/shared';
import { makeApp, post, tempDir, testClock, LIULIAN } from '../helpers.ts';
import { COMMUNITY, DISTRICT, OTHER_STREET, SIBLING, STREET, device, person, type Who } from '../appeals/fixtures.ts';
import { KENGZI_COMMUNITY, actOnAlert, detection } from './fixtures.ts';
import { Shown } from '../live-figures.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const MIN = 60_000;
const SIBLING_SCOPE = `community:${SIBLING.code}`;

/** A client that records every alert update it gets. */
interface Screen {
  socket: Client;
  updates: AlertUpdate[];
  /** Resolves with the next update matching `pred` (or one already received). */
  next(pred: (u: AlertUpdate) => boolean): Promise<AlertUpdate>;
}

function connect(url: string, w: Who): Promise<Screen> {
  const socket: Client = io(`${url}/live`, {
    transports: ['websocket'],
    reconnection: false,
    ...(w.token ? { auth: { token: w.token } } : { extraHeaders: { cookie: w.cookie! } }),
  });
  const updates: AlertUpdate[] = [];
  const waiting: { pred: (u: AlertUpdate) => boolean; resolve: (u: AlertUpdate) => void }[] = [];
  socket.on('alert:update', (u) => {
    updates.push(u);
    for (const wt of [...waiting])
      if (wt.pred(u)) {
        waiting.splice(waiting.indexOf(wt), 1);
        wt.resolve(u);
      }
  });
  const screen: Screen = {
    socket,
    updates,
    next: (pred) => {
      const seen = updates.find(pred);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ pred, resolve }));
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(screen));
    socket.once('connect_error', reject);
  });
}

async function watch(s: Screen, scope: string): Promise<ScopeSnapshot & { metrics: FullScopeMetrics }> {
  const res = (await s.socket.timeout(5000).emitWithAck('scope:watch', { scope })) as Ack<ScopeSnapshot>;
  if (!('data' in res)) throw new Error(`watch ${scope}: ${res.error.message}`);
  return res.data as ScopeSnapshot & { metrics: FullScopeMetrics };
}

const about = (id: string, kind?: string) => (u: AlertUpdate) => u.alert.id === id && (kind === undefined || u.kind === kind);

describe('alerts on the live channel', () => {
  const tmp = tempDir();
  const clock = testClock();
  const env = { TICK_MS: '10000' };
  let app: FastifyInstance;
  let url: string;
  const who: Record<string, Who> = {};
  const screens: Screen[] = [];
  const open = async (w: Who, ...scopes: string[]) => {
    const s = await connect(url, w);
    screens.push(s);
    for (const scope of scopes) await watch(s, scope);
    return s;
  };

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    who.district = await person(app, 'dir-district', 'district_director', DISTRICT);
    who.community = await person(app, 'dir-community', 'community_director', COMMUNITY);
    who.sibling = await person(app, 'dir-sibling', 'community_director', SIBLING_SCOPE);
    who.otherStreet = await person(app, 'dir-kengzi', 'street_director', OTHER_STREET);
    who.operator = await person(app, 'op-street', 'operator', STREET);
    who.wall = await device(app, 'liulian hall', COMMUNITY);
  });
  afterAll(async () => {
    for (const s of screens) s.socket.close();
    await app.close();
    tmp.remove();
  });

  it('sends each change at once to the watchers of the alert’s community, street and district, and to no other', async () => {
    const wall = await open(who.wall, COMMUNITY); // the community hall
    const street = await open(who.operator, STREET);
    const district = await open(who.district, DISTRICT);
    const both = await open(who.district, DISTRICT, COMMUNITY); // in two of the rooms: gets one copy
    const sibling = await open(who.sibling, SIBLING_SCOPE); // the next community of the same street
    const kengzi = await open(who.otherStreet, OTHER_STREET);
    // no tick in this test: whatever arrives was sent at once, with its batch
    const tick = app.live.tick;
    app.live.tick = () => undefined;

    const t = clock.now();
    await post(app, [detection(t - MIN, 'LV-1', { snapshotUrl: '/api/v1/snapshots/SN-abcdefghijklmnopqrst' })]);
    for (const s of [wall, street, district, both]) {
      const u = await s.next(about('LV-1', 'raised'));
      // its grid cell first (where its point lies), then the community, the street and the district
      expect(u.scopes).toEqual([`grid:${app.geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat)}`, COMMUNITY, STREET, DISTRICT]);
      expect(u.alert).toMatchObject({ id: 'LV-1', status: 'raised', count: 1, community: LIULIAN.code, level: 'community' });
      expect(u.alert.snapshotUrl).toBe('/api/v1/snapshots/SN-abcdefghijklmnopqrst');
    }

    // markers in the other screens' own areas: they arrive, and nothing about LV-1 came before them
    await post(app, [
      detection(t - MIN, 'LV-S', { community: SIBLING.code, camera: 'CAM-S' }),
      detection(t - MIN, 'LV-K', { community: KENGZI_COMMUNITY, camera: 'CAM-K' }),
    ]);
    await sibling.next(about('LV-S'));
    await kengzi.next(about('LV-K'));
    expect(sibling.updates.map((u) => u.alert.id)).toEqual(['LV-S']);
    expect(kengzi.updates.map((u) => u.alert.id)).toEqual(['LV-K']);
    await street.next(about('LV-S'));
    await district.next(about('LV-K'));
    expect(street.updates.map((u) => u.alert.id)).toEqual(['LV-1', 'LV-S']); // not 坑梓's
    expect(wall.updates.map((u) => u.alert.id)).toEqual(['LV-1']);

    // a repeated detection merges; acting on one screen updates every screen
    await post(app, [detection(t - MIN / 2, 'LV-1b')]);
    const merged = await wall.next(about('LV-1', 'merged'));
    expect(merged).toMatchObject({ detectionId: 'LV-1b', alert: { count: 2 } });
    const res = await actOnAlert(app, who.community, 'LV-1', { action: 'acknowledge' });
    expect(res.statusCode, res.body).toBe(200);
    for (const s of [wall, street, district, both]) {
      const u = await s.next(about('LV-1', 'acknowledged'));
      expect(u.alert).toMatchObject({ status: 'acknowledged', by: 'user:dir-community', count: 2 });
    }
    await district.next(about('LV-1', 'acknowledged'));
    expect(both.updates.filter((u) => u.alert.id === 'LV-1').map((u) => u.kind)).toEqual(['raised', 'merged', 'acknowledged']);
    expect(sibling.updates.map((u) => u.alert.id)).toEqual(['LV-S']);
    app.live.tick = tick;
  });

  it('escalates by the clock: the update goes out on the next tick, and the queue follows in the patch', async () => {
    app.live.tick(); // the snapshot is the figures of the last tick
    const district = await open(who.district);
    const snap = await watch(district, DISTRICT);
    const pending = snap.metrics['alerts.queue'].find((a) => a.id === 'LV-S')!;
    expect(pending).toMatchObject({ status: 'raised', level: 'community' });
    const patch = new Promise<ScopePatch>((resolve) => district.socket.once('metrics:patch', resolve));
    clock.advance(5 * MIN);
    app.live.tick();
    const u = await district.next(about('LV-S', 'escalated'));
    expect(u.alert).toMatchObject({ level: 'street', escalated: true });
    const shown = new Shown(snap);
    expect(shown.apply(await patch)).toBe('applied');
    expect(shown.metrics['alerts.escalated']).toBe(2); // LV-S and LV-K
    expect(shown.metrics['alerts.queue'].find((a) => a.id === 'LV-S')!.level).toBe('street');
  });

  it('a screen that reconnects gets the pending alerts in the snapshot', async () => {
    // a snapshot is the figures of the last tick (the next patch edits them): one passes here
    app.live.tick();
    const s = await open(who.wall);
    const first = await watch(s, COMMUNITY);
    s.socket.disconnect();
    s.socket.connect();
    await new Promise<void>((r) => s.socket.once('connect', () => r()));
    const again = await watch(s, COMMUNITY);
    expect(again.metrics['alerts.queue']).toEqual(first.metrics['alerts.queue']);
    expect(again.metrics['alerts.queue'].map((a) => [a.id, a.status, a.count])).toEqual([['LV-1', 'acknowledged', 2]]);
    expect(again.metrics['alerts.open']).toBe(1);
  });

  it('after a restart on the same data, the pending alerts are still there', async () => {
    app.live.tick();
    const before = (await watch(await open(who.district), DISTRICT)).metrics;
    for (const s of screens.splice(0)) s.socket.close();
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const after = (await watch(await open(who.district), DISTRICT)).metrics;
    expect(after['alerts.queue'].map((a) => a.id)).toEqual(['LV-S', 'LV-K', 'LV-1']);
    expect(after['alerts.queue']).toEqual(before['alerts.queue']);
    expect(after['alerts.pendingByLevel']).toEqual({ community: 0, street: 2, district: 0 });

    // and they still reach the screens
    const wall = await open(who.wall, COMMUNITY);
    await actOnAlert(app, who.community, 'LV-1b', { action: 'dismiss', reason: '已自行整改' });
    expect((await wall.next(about('LV-1', 'dismissed'))).alert.reason).toBe('已自行整改');
  });

  it('camera figures follow the registry: a camera added and heard is patched into its scopes', async () => {
    const s = await open(who.wall);
    const snap = await watch(s, COMMUNITY);
    const shown = new Shown(snap);
    expect(snap.metrics['cameras.online']).toEqual({ online: 0, total: 0, rate: null });
    const patch = new Promise<ScopePatch>((resolve) => s.socket.once('metrics:patch', resolve));
    await app.cameras.create(
      { id: 'CAM-NEW', name: '深坪路口', location: { lon: LIULIAN.lon, lat: LIULIAN.lat } },
      { actor: 'test', ip: null },
    );
    await app.cameras.heartbeat([{ cameraId: 'CAM-NEW' }]);
    app.live.tick();
    expect(shown.apply(await patch)).toBe('applied');
    expect(shown.metrics['cameras.online']).toEqual({ online: 1, total: 1, rate: 1 });
    // a community's map is of its grid cells: the camera counts in the cell it stands in
    expect(shown.metrics['map.alerts'][app.geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat)]).toMatchObject({ camerasOnline: 1, camerasTotal: 1 });
  });
});
