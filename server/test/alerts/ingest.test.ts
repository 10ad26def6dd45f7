/**
 * Ingest judges alert events as the engine applies them: merges and aliases inside one batch and
 * across batches, absorbed steps accepted, a detection's own illegal steps refused; all-or-nothing
 * batches and batches whose alert steps must act; and a restart replays to the same alerts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { alertRaised, makeApp, post, tempDir, testClock } from '../helpers.ts';

const MIN = 60_000;
let n = 0;
const step = (alertId: string, to: string, at: number, extra: Record<string, string> = {}): CityEvent =>
  ({
    id: `${alertId}.${to}.${++n}`,
    type: `video_alert.${to}`,
    occurredAt: new Date(at).toISOString(),
    data: { alertId, ...(to === 'dismissed' ? { reason: '误报' } : {}), ...extra },
  }) as CityEvent;

describe('ingest of video alerts', () => {
  const tmp = tempDir();
  const clock = testClock();
  let app: FastifyInstance;
  const t = clock.now() - 30 * MIN;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('merges, resolves aliases and refuses a detection’s own illegal steps, earlier events of the batch included', async () => {
    const res = await post(app, [
      alertRaised(t, 'A'),
      alertRaised(t + 2 * MIN, 'B'), // same camera and algorithm: merges into A
      step('B', 'acknowledged', t + 3 * MIN), // acts on A
      step('B', 'acknowledged', t + 4 * MIN), // B's own lifecycle: refused
      { ...alertRaised(t, 'A'), id: 'A.raised.again' },
      { ...alertRaised(t, 'B'), id: 'B.raised.again' },
      step('A', 'acknowledged', t + 5 * MIN), // A's own detection catches up: absorbed, accepted
      step('NOPE', 'acknowledged', t + 5 * MIN),
    ]);
    expect(res.statusCode).toBe(207);
    const results = res.json().results as { status: string; reason?: string }[];
    expect(results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
      'rejected',
    ]);
    expect(results[3].reason).toBe(
      'detection "B" (merged into alert "A"): cannot move alert from "acknowledged" to "acknowledged": allowed from "acknowledged" are "confirmed", "dismissed"',
    );
    expect(results[4].reason).toBe('alert "A" already exists');
    expect(results[5].reason).toBe('alert "B" already exists (merged into alert "A")');
    expect(results[7].reason).toMatch(/alert "NOPE" is unknown/);
    const a = app.engine.alerts.get('A')!;
    expect(a).toMatchObject({ status: 'acknowledged', count: 2, aliases: ['B'] });
    expect(app.engine.alerts.has('B')).toBe(false);
  });

  it('across batches: an alias decides the alert; the other detection’s decision is absorbed; a final step twice is refused', async () => {
    const first = await post(app, [step('B', 'confirmed', t + 6 * MIN, { appealId: 'AP-from-B' })]);
    expect(first.json().accepted).toBe(1);
    expect(app.engine.alerts.get('A')).toMatchObject({ status: 'confirmed', appealId: 'AP-from-B' });
    const second = await post(app, [step('A', 'dismissed', t + 7 * MIN), step('A', 'dismissed', t + 8 * MIN)]);
    expect(second.json().results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
    expect(app.engine.alerts.get('A')).toMatchObject({ status: 'confirmed', ownStatus: 'dismissed', reason: null });
    // a new detection after the decision is a new alert
    expect((await post(app, [alertRaised(t + 9 * MIN, 'C')])).json().accepted).toBe(1);
    expect(app.engine.alerts.get('C')).toMatchObject({ status: 'raised', count: 1 });
  });

  it('a batch may be all or nothing, and may require its alert steps to act', async () => {
    const producer = { id: 'test' };
    const atomic = await app.ingest.ingest(
      [alertRaised(t + 10 * MIN, 'D', undefined, 'street_hanging'), step('ZZZ', 'acknowledged', t)],
      producer,
      {
        atomic: true,
      },
    );
    expect(atomic.accepted).toBe(0);
    expect(atomic.results[0].reason).toBe('not stored: the batch is all or nothing, and event #1 was rejected');
    expect(app.engine.alerts.has('D')).toBe(false);

    await post(app, [alertRaised(t + 10 * MIN, 'E', undefined, 'road_vending'), alertRaised(t + 11 * MIN, 'F', undefined, 'road_vending')]);
    await post(app, [step('F', 'acknowledged', t + 12 * MIN)]);
    const absorbed = await app.ingest.ingest([step('E', 'acknowledged', t + 13 * MIN)], producer, { mustAct: true });
    expect(absorbed.results[0]).toMatchObject({ status: 'rejected', reason: 'alert "E" is "acknowledged" already' });
    const acts = await app.ingest.ingest([step('E', 'dismissed', t + 13 * MIN)], producer, { mustAct: true });
    expect(acts.accepted).toBe(1);
  });

  it('a restart replays the log to the same alerts', async () => {
    app.engine.advance();
    const before = { alerts: [...app.engine.alerts.values()], district: app.engine.snapshot('district:440310') };
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    expect({ alerts: [...app.engine.alerts.values()], district: app.engine.snapshot('district:440310') }).toEqual(before);
  });
});
