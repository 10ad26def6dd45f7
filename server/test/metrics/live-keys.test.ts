/**
 * The new figures travel the same paths as the old ones: REST snapshots and the live channel's
 * diff-based patches, with extension events sent through ingest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  CityEvent,
  FullScopeMetrics,
  ScopePatch,
  ScopeSnapshot,
  ServerToClientEvents,
} from '@commandhall/shared';
import { appealCreated, appealMoved, credsOf, get, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { changedKeys, Shown } from '../live-figures.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const HOUR = 3_600_000;
const SCOPE = 'district:440310';

const extension = (at: number, appealId: string, action: string, extra: Record<string, string> = {}): CityEvent =>
  ({
    id: `${appealId}.ext.${action}.${at}`,
    type: 'appeal.extension',
    occurredAt: new Date(at).toISOString(),
    data: { appealId, action, ...extra },
  }) as CityEvent;

/** The next patch for SCOPE that changes `key`, and the figures it leaves `shown` with. */
const patchWith = (s: Client, shown: Shown, key: string) =>
  new Promise<{ patch: ScopePatch; metrics: FullScopeMetrics }>((resolve) => {
    const on = (p: ScopePatch) => {
      if (p.scope !== SCOPE) return;
      expect(shown.apply(p)).toBe('applied');
      if (!changedKeys(p).includes(key)) return;
      s.off('metrics:patch', on);
      resolve({ patch: p, metrics: shown.metrics });
    };
    s.on('metrics:patch', on);
  });

describe('appeal figures over REST and the live channel', () => {
  let app: FastifyInstance;
  let client: Client;
  const tmp = tempDir();
  const clock = testClock(); // 2026-11-27 10:00 local

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

  it('the snapshot carries every new key; patches carry them when they change', async () => {
    const snap = (await client.timeout(5000).emitWithAck('scope:watch', { scope: SCOPE })) as Ack<ScopeSnapshot>;
    if (!('data' in snap)) throw new Error('watch failed');
    const m = snap.data.metrics;
    expect(m['appeals.dueSoon']).toBe(0);
    expect(m['appeals.extensionsPending']).toBe(0);
    expect(m['appeals.funnel']).toEqual({ collected: 0, verified: 0, dispatched: 0, handling: 0, resolved: 0, closed: 0, rejected: 0 });
    expect(m['appeals.rework']).toEqual({ returned: 0, resolved: 0, rate: null });
    expect(Object.keys(m['appeals.stageTimes']!)).toEqual(['verify', 'dispatch', 'accept', 'handle', 'close']);
    expect(m['appeals.overdueByUnit']).toEqual([]);
    expect(m['appeals.hotCategories']).toEqual([]);

    // 安全隐患 (category 1) requests get 24 h: created 22 h ago it is due in 2 h → due soon
    const t = clock.now();
    const shown = new Shown(snap.data);
    const dueSoon = patchWith(client, shown, 'appeals.dueSoon');
    await post(app, [appealCreated(t - 22 * HOUR, { appealId: 'L1', category: '1' })]);
    const p = await dueSoon;
    expect(p.metrics['appeals.dueSoon']).toBe(1);
    expect(p.metrics['appeals.hotCategories']).toEqual([{ code: '1', last: 1, previous: 0, rise: 1, riseRate: null }]);
    expect(changedKeys(p.patch)).not.toContain('appeals.rework'); // unchanged keys are not sent

    // an extension through ingest: requested (pending 1), approved (deadline +2 days: no longer due soon)
    const pending = patchWith(client, shown, 'appeals.extensionsPending');
    const accepted = await post(app, [
      appealMoved(t - 20 * HOUR, 'L1', 'verified'),
      appealMoved(t - 19 * HOUR, 'L1', 'dispatched', { unit: '坪山街道安监办' }),
      extension(t - HOUR, 'L1', 'requested', { until: new Date(t + 50 * HOUR).toISOString(), reason: '需协调供电部门' }),
    ]);
    expect(accepted.json().accepted).toBe(3);
    expect((await pending).metrics['appeals.extensionsPending']).toBe(1);
    const approved = patchWith(client, shown, 'appeals.extensionsPending');
    await post(app, [extension(t, 'L1', 'approved', { by: '街道主任' })]);
    const q = await approved;
    expect(q.metrics['appeals.extensionsPending']).toBe(0);
    expect(changedKeys(q.patch)).toContain('appeals.dueSoon');
    expect(q.metrics['appeals.dueSoon']).toBe(0);

    const rest = (await get(app, `/api/v1/metrics/${SCOPE}`)).json().metrics;
    expect(rest['appeals.stageTimes'].verify).toEqual({ count: 1, meanMinutes: 120, medianMinutes: 122.6 });
    expect(rest['appeals.funnel']).toMatchObject({ collected: 0 }); // created yesterday: not in today's funnel
  });
});
