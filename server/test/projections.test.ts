import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appealCreated, appealMoved, alertRaised, get, makeApp, post, tempDir, testClock, KENGZI, LIULIAN } from './helpers.ts';

const HOUR = 3_600_000;
const metrics = async (app: FastifyInstance, scope = 'district:440310') => (await get(app, `/api/v1/metrics/${scope}`)).json().metrics;

describe('projections', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  let clock: ReturnType<typeof testClock>;

  beforeEach(async () => {
    tmp = tempDir();
    // 2026-11-27 10:00 local (02:00Z)
    clock = testClock(Date.parse('2026-11-27T02:00:00Z'));
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  });
  afterEach(async () => {
    await app.close();
    tmp.remove();
  });

  it('counts today by status, category, channel and nature along the scope path only', async () => {
    const t = clock.now();
    await post(app, [
      appealCreated(t - HOUR, { appealId: 'A', category: '5', channel: 'wechat', nature: 'complaint' }),
      appealCreated(t - HOUR, { appealId: 'B', category: '3', where: KENGZI }),
      appealMoved(t - 30 * 60_000, 'A', 'verified'),
    ]);
    const d = await metrics(app);
    expect(d['appeals.today']).toBe(2);
    expect(d['appeals.byStatus']).toEqual({ collected: 1, verified: 1 });
    expect(d['appeals.byCategory']).toEqual({ '5': 1, '3': 1 });
    expect(d['appeals.byChannel']).toEqual({ wechat: 1, hotline_12345: 1 });
    expect(d['appeals.byNature']).toEqual({ complaint: 1, request: 1 });
    expect(d['appeals.hourlyToday'][9]).toBe(2); // 09:xx local
    expect(d['appeals.daily'].at(-1)).toEqual({ date: '2026-11-27', count: 2 });
    const street = await metrics(app, 'street:440310001');
    expect(street['appeals.today']).toBe(1);
    expect(Object.keys(street['map.communities'])).toHaveLength(5);
    const other = await metrics(app, 'community:440310006004');
    expect(other['appeals.today']).toBe(0);
    expect(d['map.communities'][KENGZI.code]).toMatchObject({ today: 1, open: 1 });
    expect(Object.keys(d['map.communities'])).toHaveLength(24);
  });

  it('computes on-time, satisfaction and immediate-handling rates', async () => {
    const t = clock.now();
    await post(app, [
      appealCreated(t - 3 * HOUR, { appealId: 'Q', nature: 'enquiry' }),
      appealMoved(t - 3 * HOUR + 20 * 60_000, 'Q', 'resolved'), // within the hour: immediate
      appealMoved(t - 2 * HOUR, 'Q', 'closed', { satisfaction: 'satisfied' }),
      appealCreated(t - 3 * HOUR, { appealId: 'S', nature: 'suggestion' }),
      appealMoved(t - HOUR, 'S', 'resolved'), // two hours: not immediate
      appealMoved(t - HOUR / 2, 'S', 'closed', { satisfaction: 'dissatisfied' }),
    ]);
    const d = await metrics(app);
    expect(d['appeals.closedToday']).toBe(2);
    expect(d['appeals.closedOnTimeToday']).toBe(2);
    expect(d['appeals.onTimeRate']).toBe(1);
    expect(d['appeals.satisfactionRate']).toBe(0.5);
    expect(d['appeals.immediateRate']).toBe(0.5);
    expect(d['appeals.open']).toBe(0);
  });

  it('marks open appeals overdue when their deadline passes, with no event', async () => {
    const t = clock.now();
    // 安全隐患 requests get 24 hours
    await post(app, [appealCreated(t, { appealId: 'D', category: '1' })]);
    expect((await metrics(app))['appeals.overdue']).toBe(0);
    clock.advance(25 * HOUR);
    const d = await metrics(app);
    expect(d['appeals.overdue']).toBe(1);
    expect(d['appeals.onTimeRate']).toBe(0); // 0 closed on time ÷ (0 closed + 1 overdue)
    await post(app, [appealMoved(clock.now(), 'D', 'resolved'), appealMoved(clock.now(), 'D', 'closed')]);
    const after = await metrics(app);
    expect(after['appeals.overdue']).toBe(0);
    expect(after['appeals.closedToday']).toBe(1);
    expect(after['appeals.closedOnTimeToday']).toBe(0);
  });

  it('rolls the day over at local midnight (Asia/Shanghai), not at UTC midnight', async () => {
    // 23:30 local on the 27th = 15:30Z
    clock.set(Date.parse('2026-11-27T15:30:00Z'));
    await post(app, [appealCreated(clock.now(), { appealId: 'N' }), alertRaised(clock.now(), 'AL-N')]);
    let d = await metrics(app);
    expect(d.day).toBe('2026-11-27');
    expect(d['appeals.today']).toBe(1);
    expect(d['appeals.hourlyToday'][23]).toBe(1);
    // 00:10 local on the 28th = 16:10Z: still the 27th in UTC
    clock.set(Date.parse('2026-11-27T16:10:00Z'));
    d = await metrics(app);
    expect(d.day).toBe('2026-11-28');
    expect(d['appeals.today']).toBe(0);
    expect(d['alerts.today']).toBe(0);
    expect(d['appeals.byCategory']).toEqual({});
    expect(d['appeals.hourlyToday'][23]).toBe(0);
    expect(d['appeals.hourlyYesterday'][23]).toBe(1);
    expect(d['appeals.open']).toBe(1); // still open across days
    expect(d['alerts.pending']).toBe(1);
    expect(d['appeals.daily'].at(-2)).toEqual({ date: '2026-11-27', count: 1 });
    expect(d['appeals.daily'].at(-1)).toEqual({ date: '2026-11-28', count: 0 });
  });

  it('keeps 30 daily buckets and drops older days', async () => {
    const t = clock.now();
    await post(app, [appealCreated(t - 29 * 24 * HOUR, { appealId: 'OLD' }), appealCreated(t - 31 * 24 * HOUR, { appealId: 'OLDER' })]);
    const d = await metrics(app);
    expect(d['appeals.daily']).toHaveLength(30);
    expect(d['appeals.daily'][0]).toEqual({ date: '2026-10-29', count: 1 });
    expect(d['appeals.daily'].reduce((s: number, p: { count: number }) => s + p.count, 0)).toBe(1);
  });

  it('tracks video alerts by algorithm and status', async () => {
    const t = clock.now();
    await post(app, [
      alertRaised(t, 'V1', LIULIAN, 'shop_outside'),
      alertRaised(t, 'V2', LIULIAN, 'street_hanging'),
      { id: 'V1.ack', type: 'video_alert.acknowledged', occurredAt: new Date(t).toISOString(), data: { alertId: 'V1' } },
      { id: 'V2.dis', type: 'video_alert.dismissed', occurredAt: new Date(t).toISOString(), data: { alertId: 'V2', reason: '误报' } },
    ]);
    const d = await metrics(app);
    expect(d['alerts.byAlgorithm']).toEqual({ shop_outside: 1, street_hanging: 1 });
    expect(d['alerts.byStatus']).toEqual({ acknowledged: 1, dismissed: 1 });
    expect(d['alerts.pending']).toBe(0);
    expect(d.recent.map((r: { id: string }) => r.id)).toEqual(['V2.raised', 'V1.raised']);
  });

  it('unknown scopes answer 404', async () => {
    expect((await get(app, '/api/v1/metrics/community:440310009999')).statusCode).toBe(404);
    // a malformed scope is outside everyone's area: refused like any other
    expect((await get(app, '/api/v1/metrics/galaxy:1')).statusCode).toBe(403);
  });
});
