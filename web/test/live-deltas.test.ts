/**
 * The store fed by the live client holds what the server holds, patches being edits: a server
 * played here builds each patch with shared's `diffMetrics` (as the live channel does) from a
 * scope whose ticker runs past its cap, whose alert queue gains, changes and loses alerts and
 * whose records change; every patch crosses "the wire" as JSON. After any number of patches, after
 * a gap and its resync, and after a patch whose edits do not fit, the store equals the snapshot
 * the server would send at that point.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { diffMetrics, type AlertView, type ScopeMetrics, type ScopePatch } from '@commandhall/shared';
import { RECENT_CAP } from '@commandhall/shared/metrics';
import { createLiveClient, type IoFactory } from '../src/live/client.ts';
import { capMetrics, useMetricsStore } from '../src/stores/metrics.ts';
import { useConnectionStore } from '../src/stores/connection.ts';
import { FakeSocket } from './fake-socket.ts';
import { metrics, tickerItem } from './fixtures.ts';

const D = 'district:440310';
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A deterministic stream of numbers in [0, 1): the same run every time. */
function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const alert = (i: number, status = 'raised'): AlertView =>
  ({
    id: `AL-${i}`,
    status,
    level: 'community',
    algorithm: 'road_spill',
    community: '440310001001',
    count: 1,
    raisedAt: `2026-11-27T03:${String(i % 60).padStart(2, '0')}:00Z`,
  }) as unknown as AlertView;

/** The scope as the server sees it, moved on by one tick of random district life. */
function play(seed: number) {
  const rnd = random(seed);
  let events = 0;
  let alerts = 0;
  let state: ScopeMetrics = metrics({ recent: [] });
  let seq = 100;
  const step = (): ScopePatch | null => {
    const prev = state;
    const next: ScopeMetrics = { ...prev };
    const n = Math.floor(rnd() * 4); // 0–3 ticker items a tick: the list passes its cap soon
    const fresh = Array.from({ length: n }, () => tickerItem(++events)).reverse();
    next.recent = [...fresh, ...prev.recent].slice(0, RECENT_CAP);
    next['appeals.today'] = prev['appeals.today'] + n;
    if (rnd() < 0.5) next['appeals.hourlyToday'] = prev['appeals.hourlyToday'].map((v, h) => (h === 10 ? v + n : v));
    const queue = [...prev['alerts.queue']];
    const r = rnd();
    if (r < 0.3)
      queue.unshift(alert(++alerts)); // raised
    else if (r < 0.45 && queue.length) {
      const k = Math.floor(rnd() * queue.length);
      queue[k] = { ...queue[k], status: 'acknowledged' }; // acknowledged in place
    } else if (r < 0.6 && queue.length) queue.splice(Math.floor(rnd() * queue.length), 1); // decided
    next['alerts.queue'] = queue.slice(0, 8); // a small cap, so that removals bring older ones back
    const code = rnd() < 0.5 ? '440310001001' : '440310004004';
    next['map.communities'] = {
      ...prev['map.communities'],
      [code]: { ...prev['map.communities'][code], today: prev['map.communities'][code].today + n },
    };
    if (rnd() < 0.1) next['appeals.byCategory'] = { ...prev['appeals.byCategory'], [String(Math.floor(rnd() * 20))]: 1 };
    state = next;
    const { changes, edits } = diffMetrics(prev, next);
    if (!Object.keys(changes).length && !Object.keys(edits).length) return null;
    return wire({ scope: D, seq: ++seq, changes, edits });
  };
  return { step, snapshot: () => wire({ scope: D, seq, metrics: state }) };
}

function setup() {
  let socket!: FakeSocket;
  const io: IoFactory = ((url: string, opts: Record<string, unknown>) => (socket = new FakeSocket(url, opts))) as unknown as IoFactory;
  const store = useMetricsStore();
  const client = createLiveClient({ io, sinks: { metrics: store, connection: useConnectionStore() } });
  socket.serverConnect();
  return { client, socket, store };
}

const watches = (s: FakeSocket) => s.emitted.filter((e) => e.event === 'scope:watch');
const held = (store: ReturnType<typeof useMetricsStore>) => JSON.stringify(store.get(D)!.metrics);
const served = (snap: { metrics: ScopeMetrics }) => JSON.stringify(capMetrics({ ...snap.metrics, scope: D }));

beforeEach(() => setActivePinia(createPinia()));

describe('a store fed edits holds what the server holds', () => {
  it.each([1, 2, 3, 4, 5])('after 300 ticks past every cap (run %i)', (seed) => {
    const server = play(seed);
    const { client, socket, store } = setup();
    client.watch(D);
    socket.answerWatch({ data: server.snapshot() });
    let edited = 0;
    for (let t = 0; t < 300; t++) {
      const p = server.step();
      if (!p) continue;
      if (p.edits?.recent) edited++;
      socket.fire('metrics:patch', p);
      expect(held(store), `tick ${t}`).toBe(served(server.snapshot()));
    }
    expect(edited).toBeGreaterThan(100); // the ticker travelled as edits, not whole
    expect(store.get(D)!.metrics.recent).toHaveLength(RECENT_CAP);
    expect(watches(socket)).toHaveLength(1); // never needed a resync
  });

  it('after a gap: a resync, the patches held meanwhile, and the same figures again', () => {
    const server = play(7);
    const { client, socket, store } = setup();
    client.watch(D);
    socket.answerWatch({ data: server.snapshot() });
    for (let t = 0; t < 40; t++) socket.fire('metrics:patch', server.step()!);
    server.step(); // lost on the way
    socket.fire('metrics:patch', server.step()!); // a gap: not applied, a snapshot is asked for
    expect(watches(socket)).toHaveLength(2);
    const atResync = server.snapshot();
    const meanwhile = [server.step()!, server.step()!]; // arrive before the snapshot's answer
    for (const p of meanwhile) socket.fire('metrics:patch', p);
    socket.answerWatch({ data: atResync });
    expect(held(store)).toBe(served(server.snapshot()));
    for (let t = 0; t < 40; t++) socket.fire('metrics:patch', server.step()!);
    expect(held(store)).toBe(served(server.snapshot()));
    expect(watches(socket)).toHaveLength(2);
  });

  it('a patch whose edits do not fit is not applied: the client resyncs as after a gap', () => {
    const server = play(11);
    const { client, socket, store } = setup();
    client.watch(D);
    socket.answerWatch({ data: server.snapshot() });
    for (let t = 0; t < 10; t++) socket.fire('metrics:patch', server.step()!);
    const before = held(store);
    const seq = store.get(D)!.seq;
    socket.fire('metrics:patch', { scope: D, seq: seq + 1, changes: { 'appeals.today': 1 }, edits: { recent: { list: [[0, 99]] } } });
    expect(held(store)).toBe(before); // nothing of it applied, not even its whole keys
    expect(store.get(D)!.seq).toBe(seq);
    expect(watches(socket)).toHaveLength(2);
    socket.answerWatch({ data: server.snapshot() });
    expect(held(store)).toBe(served(server.snapshot()));
  });
});
