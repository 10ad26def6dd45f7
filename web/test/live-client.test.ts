import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createLiveClient, type IoFactory } from '../src/live/client.ts';
import { useMetricsStore } from '../src/stores/metrics.ts';
import { useConnectionStore } from '../src/stores/connection.ts';
import { usePointsStore, POINT_CAPS } from '../src/stores/points.ts';
import { FakeSocket } from './fake-socket.ts';
import { snapshot, tickerItem } from './fixtures.ts';
import { RECENT_CAP } from '@commandhall/shared/metrics';

const D = 'district:440310';

function setup() {
  let socket!: FakeSocket;
  const io: IoFactory = ((url: string, opts: Record<string, unknown>) => (socket = new FakeSocket(url, opts))) as unknown as IoFactory;
  const metrics = useMetricsStore();
  const connection = useConnectionStore();
  const points = usePointsStore();
  const errors: string[] = [];
  const client = createLiveClient({ io, sinks: { metrics, connection, onScopeError: (s, m) => errors.push(`${s} ${m}`) } });
  return { client, socket, metrics, connection, points, errors };
}

const watches = (s: FakeSocket) => s.emitted.filter((e) => e.event === 'scope:watch');

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('live client', () => {
  it('connects to the /live namespace and watches after connecting', () => {
    const { client, socket, metrics, connection } = setup();
    expect(socket.url).toBe('/live');
    expect(socket.opts.reconnection).toBe(true);
    client.watch(D);
    expect(watches(socket)).toHaveLength(0); // not connected yet
    expect(connection.state).toBe('connecting');
    socket.serverConnect();
    expect(connection.state).toBe('live');
    expect(watches(socket)).toHaveLength(1);
    expect(watches(socket)[0].payload).toEqual({ scope: D });
    socket.answerWatch({ data: snapshot(D, 5) });
    expect(metrics.get(D)?.seq).toBe(5);
    expect(metrics.get(D)?.metrics['appeals.today']).toBe(376);
  });

  it('applies patches in sequence and ignores stale ones', () => {
    const { client, socket, metrics } = setup();
    socket.serverConnect();
    client.watch(D);
    socket.answerWatch({ data: snapshot(D, 5) });
    socket.fire('metrics:patch', { scope: D, seq: 6, changes: { 'appeals.today': 377 } });
    socket.fire('metrics:patch', { scope: D, seq: 7, changes: { 'appeals.open': 3000 } });
    socket.fire('metrics:patch', { scope: D, seq: 6, changes: { 'appeals.today': 1 } }); // duplicate
    const m = metrics.get(D)!;
    expect(m.seq).toBe(7);
    expect(m.metrics['appeals.today']).toBe(377);
    expect(m.metrics['appeals.open']).toBe(3000);
    expect(m.metrics['appeals.overdue']).toBe(116); // untouched keys stay
    expect(watches(socket)).toHaveLength(1);
  });

  it('asks for a new snapshot on a gap, holds patches meanwhile, then applies the newer ones', () => {
    const { client, socket, metrics } = setup();
    socket.serverConnect();
    client.watch(D);
    socket.answerWatch({ data: snapshot(D, 5) });
    socket.fire('metrics:patch', { scope: D, seq: 8, changes: { 'appeals.today': 999 } }); // 6 and 7 lost
    expect(watches(socket)).toHaveLength(2);
    expect(metrics.get(D)!.metrics['appeals.today']).toBe(376); // the gap patch is not applied
    // patches arriving before the snapshot: 9 is folded in the snapshot, 10 comes after it
    socket.fire('metrics:patch', { scope: D, seq: 9, changes: { 'appeals.today': 400 } });
    socket.fire('metrics:patch', { scope: D, seq: 10, changes: { 'appeals.today': 401 } });
    socket.answerWatch({ data: snapshot(D, 9, { 'appeals.today': 400 }) });
    expect(metrics.get(D)!.seq).toBe(10);
    expect(metrics.get(D)!.metrics['appeals.today']).toBe(401);
    expect(watches(socket)).toHaveLength(2);
  });

  it('hears the server clock from live:tick, and from a patch, which stands for that tick', () => {
    const { client, socket, connection } = setup();
    socket.serverConnect();
    client.watch(D);
    socket.answerWatch({ data: snapshot(D, 5) });
    socket.fire('live:tick', { at: 1_000, tickMs: 250 });
    const first = connection.lastTickAt;
    expect(first).toBeGreaterThan(0);
    const now = vi.spyOn(Date, 'now').mockReturnValue(first + 5_000);
    try {
      socket.fire('metrics:patch', { scope: D, seq: 6, at: 6_000, changes: { 'appeals.today': 377 } });
      expect(connection.lastTickAt).toBe(first + 5_000);
      expect(connection.serverNow(first + 5_000)).toBe(6_000);
    } finally {
      now.mockRestore();
    }
  });

  it('patches for scopes it does not watch are ignored', () => {
    const { client, socket, metrics } = setup();
    socket.serverConnect();
    client.watch(D);
    socket.answerWatch({ data: snapshot(D, 1) });
    socket.fire('metrics:patch', { scope: 'street:440310001', seq: 2, changes: { 'appeals.today': 5 } });
    socket.fire('metrics:patch', { nonsense: true });
    expect(metrics.get('street:440310001')).toBeUndefined();
    expect(watches(socket)).toHaveLength(1);
  });

  it('re-watches after a reconnect that did not recover the session, not after one that did', () => {
    const { client, socket, connection } = setup();
    socket.serverConnect();
    client.watch(D);
    socket.answerWatch({ data: snapshot(D, 1) });
    socket.serverDisconnect();
    expect(connection.state).toBe('reconnecting');
    socket.serverConnect(true);
    expect(watches(socket)).toHaveLength(1);
    socket.serverDisconnect();
    socket.serverConnect(false);
    expect(watches(socket)).toHaveLength(2);
    expect(connection.reconnects).toBe(2);
  });

  it('reconnects by itself after a server-side disconnect', () => {
    const { socket } = setup();
    socket.serverConnect();
    socket.serverDisconnect('io server disconnect');
    expect(socket.connectCalls).toBe(1);
  });

  it('reports the reconnection attempts and errors to the connection store', () => {
    const { socket, connection } = setup();
    socket.fire('connect_error', new Error('xhr poll error'));
    expect(connection.state).toBe('reconnecting');
    expect(connection.lastError).toBe('xhr poll error');
    socket.fireManager('reconnect_attempt', 3);
    expect(connection.attempts).toBe(3);
  });

  it('retries a snapshot request that timed out', () => {
    vi.useFakeTimers();
    try {
      const { client, socket, metrics } = setup();
      socket.serverConnect();
      client.watch(D);
      const first = watches(socket)[0];
      expect(first.timeoutMs).toBeGreaterThan(0);
      first.ack?.(new Error('operation has timed out'));
      vi.advanceTimersByTime(1500);
      expect(watches(socket)).toHaveLength(2);
      socket.answerWatch({ data: snapshot(D, 3) });
      expect(metrics.get(D)?.seq).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a refused scope instead of waiting forever', () => {
    const { client, socket, errors, metrics } = setup();
    socket.serverConnect();
    client.watch('street:999999999');
    socket.answerWatch({ error: { code: 'unknown_scope', message: 'no such scope' } });
    expect(errors).toEqual(['street:999999999 unknown_scope: no such scope']);
    expect(metrics.get('street:999999999')).toBeUndefined();
  });

  it('shares a watched scope between watchers and drops it when the last one leaves', () => {
    const { client, socket, metrics } = setup();
    socket.serverConnect();
    const a = client.watch(D);
    const b = client.watch(D);
    expect(watches(socket)).toHaveLength(1);
    socket.answerWatch({ data: snapshot(D, 1) });
    a();
    a(); // releasing twice is harmless
    expect(metrics.get(D)).toBeDefined();
    b();
    expect(metrics.get(D)).toBeUndefined();
    expect(socket.emitted.some((e) => e.event === 'scope:unwatch' && e.payload.scope === D)).toBe(true);
    expect(client.watched()).toEqual([]);
  });

  it('an answer to a superseded request is ignored', () => {
    const { client, socket, metrics } = setup();
    socket.serverConnect();
    client.watch(D);
    client.resync(D);
    socket.answerWatch({ data: snapshot(D, 9) }, 'latest');
    socket.answerWatch({ data: snapshot(D, 2) }, 'oldest'); // late answer to the first request
    expect(metrics.get(D)?.seq).toBe(9);
  });
});

describe('bounded live lists', () => {
  it('caps the recent list of a snapshot and of a patch', () => {
    const { client, socket, metrics } = setup();
    socket.serverConnect();
    client.watch(D);
    const many = Array.from({ length: 100 }, (_, i) => tickerItem(i));
    socket.answerWatch({ data: snapshot(D, 1, { recent: many }) });
    expect(metrics.get(D)!.metrics.recent).toHaveLength(RECENT_CAP);
    socket.fire('metrics:patch', { scope: D, seq: 2, changes: { recent: many, 'appeals.hourlyToday': new Array(100).fill(1) } });
    expect(metrics.get(D)!.metrics.recent).toHaveLength(RECENT_CAP);
    expect(metrics.get(D)!.metrics['appeals.hourlyToday']).toHaveLength(24);
  });

  it('keeps map points for the shown scope only, capped by count and by age', () => {
    const points = usePointsStore();
    points.reset(D);
    const t0 = 1_000_000;
    points.merge('street:440310001', [tickerItem(1)], t0);
    expect(points.points).toHaveLength(0); // not the scope on the map
    for (let batch = 0; batch < 20; batch++) {
      points.merge(
        D,
        Array.from({ length: 30 }, (_, i) => tickerItem(batch * 30 + i)),
        t0,
      );
    }
    expect(points.points.length).toBe(POINT_CAPS.count);
    points.expire(t0 + POINT_CAPS.ageMs + 1);
    expect(points.points).toHaveLength(0);
  });

  it('turns only new appeals and raised alerts into points', () => {
    const points = usePointsStore();
    points.reset(D);
    points.merge(D, [
      tickerItem(1, { type: 'appeal.created' }),
      tickerItem(2, { type: 'appeal.transitioned' }),
      tickerItem(3, { type: 'video_alert.raised' }),
      tickerItem(4, { type: 'grid_inspection.reported' }),
      tickerItem(5, { type: 'appeal.created', lon: Number.NaN }),
    ]);
    expect(points.points.map((p) => [p.id, p.kind])).toEqual(
      expect.arrayContaining([
        ['ev-1', 'appeal'],
        ['ev-3', 'alert'],
      ]),
    );
    expect(points.points).toHaveLength(2);
  });
});
