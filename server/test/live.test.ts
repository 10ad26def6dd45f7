import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import {
  RECENT_CAP,
  type Ack,
  type ClientToServerEvents,
  type ListEdit,
  type ScopePatch,
  type ScopeSnapshot,
  type ServerToClientEvents,
  type TickerItem,
} from '@commandhall/shared';
import { appealCreated, credsOf, makeApp, post, tempDir, KENGZI, LIULIAN } from './helpers.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let adminCookie = '';

/** A client signed in by `cookie` (the administrator's unless told otherwise). */
function connect(url: string, cookie = adminCookie): Promise<Client> {
  const s: Client = io(`${url}/live`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}
const watch = (s: Client, scope: unknown) =>
  s.timeout(5000).emitWithAck('scope:watch', scope as { scope: string }) as Promise<Ack<ScopeSnapshot>>;
const nextPatch = (s: Client, scope: string) =>
  new Promise<ScopePatch>((resolve) => {
    const on = (p: ScopePatch) => {
      if (p.scope !== scope) return;
      s.off('metrics:patch', on);
      resolve(p);
    };
    s.on('metrics:patch', on);
  });

describe('live channel /live', () => {
  let app: FastifyInstance;
  let url: string;
  const tmp = tempDir();
  const clients: Client[] = [];

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    adminCookie = credsOf(app).cookie;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app.close();
    tmp.remove();
  });

  it('two clients get a snapshot, then the same numbered patch of changed keys only', async () => {
    const a = await connect(url);
    const b = await connect(url);
    clients.push(a, b);
    const [sa, sb] = await Promise.all([watch(a, { scope: 'district:440310' }), watch(b, { scope: 'street:440310005' })]);
    if (!('data' in sa) || !('data' in sb)) throw new Error('watch failed');
    expect(sa.data.metrics['appeals.today']).toBe(0);
    expect(sb.data.metrics.scope).toBe('street:440310005');
    expect(Object.keys(sb.data.metrics['map.communities'])).toHaveLength(4);

    const pa = nextPatch(a, 'district:440310');
    const pb = nextPatch(b, 'street:440310005');
    await post(app, [appealCreated(Date.now() - 1000, { where: KENGZI })]);
    const [patchA, patchB] = await Promise.all([pa, pb]);
    expect(patchA.seq).toBe(sa.data.seq + 1);
    expect(patchA.changes['appeals.today']).toBe(1);
    expect(patchA.changes['appeals.open']).toBe(1);
    expect(patchA.changes).not.toHaveProperty('alerts.today'); // unchanged keys are not sent
    expect(patchB.changes['appeals.today']).toBe(1);
  });

  it('patches are coalesced: many events in one tick make one patch', async () => {
    const c = await connect(url);
    clients.push(c);
    const snap = await watch(c, { scope: 'community:' + KENGZI.code });
    if (!('data' in snap)) throw new Error('watch failed');
    const seen: ScopePatch[] = [];
    c.on('metrics:patch', (p) => p.scope === 'community:' + KENGZI.code && seen.push(p));
    const before = snap.data.metrics['appeals.today'];
    await post(
      app,
      Array.from({ length: 50 }, () => appealCreated(Date.now() - 1000, { where: KENGZI })),
    );
    await new Promise((r) => setTimeout(r, 500)); // several 100 ms ticks
    expect(seen).toHaveLength(1);
    expect(seen[0].changes['appeals.today']).toBe(before + 50);
  });

  it('each tick, a socket hears the clock once: in its patch, or else in live:tick', async () => {
    const patched = await connect(url);
    const idle = await connect(url);
    clients.push(patched, idle);
    await watch(patched, { scope: 'community:' + KENGZI.code });
    await watch(idle, { scope: 'community:440310001004' }); // nothing happens there: no patch
    const ticks = { patched: [] as number[], idle: [] as number[] };
    patched.on('live:tick', (t) => ticks.patched.push(t.at));
    idle.on('live:tick', (t) => ticks.idle.push(t.at));
    const patch = nextPatch(patched, 'community:' + KENGZI.code);
    await post(app, [appealCreated(Date.now() - 1000, { where: KENGZI })]);
    const { at } = await patch;
    expect(typeof at).toBe('number');
    // the idle socket heard that same tick as a live:tick; the patched one did not
    for (let i = 0; i < 200 && !ticks.idle.some((t) => t >= at!); i++) await new Promise((r) => setTimeout(r, 10));
    expect(ticks.idle).toContain(at);
    expect(ticks.patched).not.toContain(at);
    // and it hears the next tick, which has no patch for it
    for (let i = 0; i < 200 && !ticks.patched.some((t) => t > at!); i++) await new Promise((r) => setTimeout(r, 10));
    expect(ticks.patched.some((t) => t > at!)).toBe(true);
  });

  it('the ticker past its cap travels as the items that came and the run still shown', async () => {
    const scope = 'community:' + LIULIAN.code;
    const c = await connect(url);
    clients.push(c);
    const first = await watch(c, { scope });
    if (!('data' in first)) throw new Error('watch failed');
    const t = Date.now() - 60_000;
    const carrying = (id: string) =>
      new Promise<ScopePatch>((resolve) => {
        const on = (p: ScopePatch) => {
          if (p.scope !== scope || !JSON.stringify(p).includes(id)) return;
          c.off('metrics:patch', on);
          resolve(p);
        };
        c.on('metrics:patch', on);
      });
    // fill the ticker past its cap, then three more in one batch
    const filled = carrying(`CAP-${RECENT_CAP + 4}.created`);
    await post(
      app,
      Array.from({ length: RECENT_CAP + 5 }, (_, i) => appealCreated(t + i, { appealId: `CAP-${i}` })),
    );
    await filled;
    const next = carrying('CAP-N2.created');
    await post(
      app,
      [0, 1, 2].map((i) => appealCreated(t + 100 + i, { appealId: `CAP-N${i}` })),
    );
    const p = await next;
    expect(p.changes).not.toHaveProperty('recent');
    const edit = p.edits?.recent as ListEdit;
    expect(edit.list).toHaveLength(2);
    expect((edit.list[0] as { add: TickerItem[] }).add.map((r) => r.id)).toEqual(['CAP-N2.created', 'CAP-N1.created', 'CAP-N0.created']);
    expect(edit.list[1]).toEqual([0, RECENT_CAP - 3]); // the three oldest fell off the end
    expect(JSON.stringify(edit).length).toBeLessThan(1000);
  });

  it('a client that missed a patch resyncs with a fresh snapshot', async () => {
    const c = await connect(url);
    clients.push(c);
    const first = await watch(c, { scope: 'district:440310' });
    if (!('data' in first)) throw new Error('watch failed');
    // the client drops the next patch (as on a flaky link), then sees a gap on the one after
    const dropped = nextPatch(c, 'district:440310');
    await post(app, [appealCreated(Date.now() - 1000)]);
    const p1 = await dropped;
    const gap = nextPatch(c, 'district:440310');
    await post(app, [appealCreated(Date.now() - 1000)]);
    const p2 = await gap;
    expect(p2.seq).toBe(p1.seq + 1);
    expect(p2.seq).toBeGreaterThan(first.data.seq + 1); // seq jumped from the client's view: a gap
    const fresh = await watch(c, { scope: 'district:440310' });
    if (!('data' in fresh)) throw new Error('resync failed');
    expect(fresh.data.seq).toBe(p2.seq);
    const rest = await (await fetch(`${url}/api/v1/metrics/district:440310`, { headers: { cookie: adminCookie } })).json();
    expect(fresh.data.metrics['appeals.today']).toBe(rest.metrics['appeals.today']);
  });

  it('answers bad payloads and unknown scopes with an error ack, and keeps serving', async () => {
    const c = await connect(url);
    clients.push(c);
    const cases: [unknown, string][] = [
      [{ scope: 'community:440310999999' }, 'unknown_scope'],
      [{ scope: 'community:999999999999' }, 'forbidden'], // outside the district: not told whether it exists
      [{ scope: 'galaxy:42' }, 'forbidden'],
      [{ scope: 42 }, 'bad_payload'],
      ['district:440310', 'bad_payload'],
      [{ scope: 'district:440310', extra: true }, 'bad_payload'],
      [null, 'bad_payload'],
    ];
    for (const [payload, code] of cases) {
      const res = await watch(c, payload);
      expect(res, JSON.stringify(payload)).toHaveProperty('error.code', code);
    }
    const unknownEvent = await (c as unknown as Socket).timeout(5000).emitWithAck('scope:explode', {});
    expect(unknownEvent.error.code).toBe('bad_payload');
    const noAck = new Promise<{ code: string; event: string }>((resolve) => c.once('live:error', resolve));
    c.emit('scope:watch', { scope: 'district:440310' }, undefined as never);
    expect(await noAck).toMatchObject({ code: 'bad_payload', event: 'scope:watch' });
    // an extra argument before the ack, or none at all: an error ack, not silence
    const extra = await (c as unknown as Socket).timeout(5000).emitWithAck('scope:watch', { scope: 'district:440310' }, 'b');
    expect(extra.error).toMatchObject({ code: 'bad_payload', message: expect.stringMatching(/one payload/) });
    const none = await (c as unknown as Socket).timeout(5000).emitWithAck('scope:watch');
    expect(none.error.code).toBe('bad_payload');
    const ok = await watch(c, { scope: 'district:440310' });
    expect(ok).toHaveProperty('data.scope', 'district:440310');
  });

  it('a client that reconnects without recovered state watches again and gets a snapshot', async () => {
    const c = await connect(url);
    clients.push(c);
    await watch(c, { scope: 'district:440310' });
    c.disconnect(); // a deliberate disconnect discards the session: no recovery
    c.connect();
    await new Promise<void>((r) => c.once('connect', () => r()));
    expect(c.recovered).toBe(false);
    const snap = await watch(c, { scope: 'district:440310' });
    expect(snap).toHaveProperty('data.metrics.scope', 'district:440310');
  });

  it('a client cut off by the network gets, on recovery, what changed while it was away', async () => {
    const scope = 'community:' + KENGZI.code;
    const c: Client = io(`${url}/live`, {
      transports: ['websocket'],
      extraHeaders: { cookie: adminCookie },
      reconnectionDelay: 1000,
      reconnectionDelayMax: 1000,
      randomizationFactor: 0,
    });
    clients.push(c);
    await new Promise<void>((r) => c.once('connect', () => r()));
    const snap = await watch(c, { scope });
    if (!('data' in snap)) throw new Error('watch failed');
    const before = snap.data.metrics['appeals.today'];
    // recovery starts from the last broadcast the client got: one tick is enough
    await new Promise<void>((r) => c.once('live:tick', () => r()));
    // the connection drops (as when a cable is pulled), not a goodbye: the session can be recovered
    const gone = new Promise<string>((r) => c.once('disconnect', (why) => r(why)));
    app.live.nsp.sockets.get(c.id!)!.conn.close();
    expect(await gone).toBe('transport close');
    const back = new Promise<void>((r) => c.once('connect', () => r())); // in a second
    const patch = nextPatch(c, scope);
    await post(app, [appealCreated(Date.now() - 1000, { where: KENGZI })]);
    await new Promise((r) => setTimeout(r, 300)); // ticks pass with nobody watching
    await back;
    expect(c.recovered).toBe(true);
    const p = await patch;
    expect(p.seq).toBe(snap.data.seq + 1);
    expect(p.changes['appeals.today']).toBe(before + 1);
  });
});
