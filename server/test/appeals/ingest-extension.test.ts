/**
 * Ingest checks every `appeal.extension` step against the appeal as the log (and the batch so
 * far) leaves it, and the read model's deadline follows an approval.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { appealCreated, appealMoved, makeApp, post, tempDir, testClock } from '../helpers.ts';

const HOUR = 3_600_000;
let n = 0;
const ext = (at: number, appealId: string, action: string, extra: Record<string, unknown> = {}) =>
  ({
    id: `ext-${++n}`,
    type: 'appeal.extension',
    occurredAt: new Date(at).toISOString(),
    data: { appealId, action, ...extra },
  }) as CityEvent;

describe('appeal.extension at ingest', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  let clock: ReturnType<typeof testClock>;
  const reasons = async (events: CityEvent[]) => (await post(app, events)).json().results.map((r: { reason?: string }) => r.reason ?? 'ok');

  beforeEach(async () => {
    tmp = tempDir();
    clock = testClock();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  });
  afterEach(async () => {
    await app.close();
    tmp.remove();
  });

  it('refuses steps the rules forbid, tracking earlier steps of the same batch', async () => {
    const t = clock.now() - 10 * HOUR;
    const deadline = new Date(t + 72 * HOUR).toISOString();
    const later = new Date(t + 120 * HOUR).toISOString();
    expect(
      await reasons([
        appealCreated(t, { appealId: 'X' }),
        { ...appealCreated(t, { appealId: 'D' }), data: { ...appealCreated(t, { appealId: 'D' }).data, deadline } } as CityEvent,
        ext(t + HOUR, 'D', 'requested', { until: later, reason: '等待配件' }), // collected: not yet
        appealMoved(t + HOUR, 'D', 'verified'),
        appealMoved(t + 2 * HOUR, 'D', 'dispatched', { unit: '街道办' }),
        ext(t + 3 * HOUR, 'D', 'approved'), // nothing pending
        ext(t + 3 * HOUR, 'D', 'requested', { until: later }), // no reason
        ext(t + 3 * HOUR, 'D', 'requested', { until: deadline, reason: 'r' }), // not later
        ext(t + 3 * HOUR, 'D', 'requested', { until: later, reason: '等待配件' }),
        ext(t + 4 * HOUR, 'D', 'requested', { until: later, reason: 'again' }), // one pending already
        ext(t + 4 * HOUR, 'D', 'denied'), // no reason
        ext(t + 5 * HOUR, 'D', 'approved'),
        ext(t + 5 * HOUR, 'D', 'approved'), // decided already
        ext(t + 5 * HOUR, 'NOPE', 'approved'),
      ]),
    ).toEqual([
      'ok',
      'ok',
      'cannot request an extension while the appeal is "collected": only while "dispatched" or "handling"',
      'ok',
      'ok',
      'no extension request is pending',
      'an extension request needs a reason',
      `"until" must be later than the current deadline ${deadline}`,
      'ok',
      'an extension request is already pending: approve or deny it first',
      'denying an extension needs a reason',
      'ok',
      'no extension request is pending',
      'appeal "NOPE" is unknown: send its appeal.created first',
    ]);
    // the approval moved the deadline: the read model and the engine agree
    expect((await app.appealReadModel.get('D'))!.deadline).toBe(Date.parse(later));
    expect(app.engine.appeals.get('D')!.deadline).toBe(Date.parse(later));
    // in a later batch the new deadline is the one a request must beat
    expect(await reasons([ext(t + 6 * HOUR, 'D', 'requested', { until: later, reason: 'more' })])).toEqual([
      `"until" must be later than the current deadline ${later}`,
    ]);
  });
});
