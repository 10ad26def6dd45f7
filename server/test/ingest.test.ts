import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { INGEST_MAX_EVENTS } from '@commandhall/shared';
import { appealCreated, appealMoved, alertRaised, credsOf, get, makeApp, post, tempDir, testClock, KENGZI } from './helpers.ts';

describe('POST /api/v1/events', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  const clock = testClock();

  beforeEach(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  });
  afterEach(async () => {
    await app.close();
    tmp.remove();
  });

  it('accepts valid events, places them in their community and counts them', async () => {
    const res = await post(app, [appealCreated(clock.now() - 60_000, { where: KENGZI }), alertRaised(clock.now(), 'AL-1')]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 2, duplicate: 0, rejected: 0 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    const m = (await get(app, '/api/v1/metrics/community:' + KENGZI.code)).json().metrics;
    expect(m['appeals.today']).toBe(1);
    expect(m['appeals.open']).toBe(1);
    const district = (await get(app, '/api/v1/metrics/district:440310')).json().metrics;
    expect(district['appeals.today']).toBe(1);
    expect(district['alerts.today']).toBe(1);
    expect(district['alerts.pending']).toBe(1);
  });

  it('sending the same batch twice changes nothing', async () => {
    const batch = [appealCreated(clock.now(), { appealId: 'AP-dup' }), appealMoved(clock.now(), 'AP-dup', 'verified')];
    expect((await post(app, batch)).json().accepted).toBe(2);
    const before = (await get(app, '/api/v1/metrics/district:440310')).json().metrics;
    const again = await post(app, batch);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicate: 2, rejected: 0 });
    const after = (await get(app, '/api/v1/metrics/district:440310')).json().metrics;
    expect(after).toEqual(before);
    expect(await app.store.count()).toBe(2);
  });

  it('a duplicate id inside one batch is stored once', async () => {
    const e = appealCreated(clock.now(), { appealId: 'AP-twice' });
    const body = (await post(app, [e, e])).json();
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'duplicate']);
  });

  it('rejects bad events with a reason and still stores the good ones (207)', async () => {
    const good = appealCreated(clock.now(), { appealId: 'AP-good' });
    const res = await post(app, [
      { ...appealCreated(clock.now()), type: 'appeal.exploded' },
      good,
      { ...appealCreated(clock.now()), occurredAt: 'yesterday' },
      appealCreated(clock.now(), { category: '999' }),
      appealCreated(clock.now(), { where: { lon: 113.26, lat: 23.13 } }), // Guangzhou
      appealMoved(clock.now(), 'AP-good', 'closed'),
      appealMoved(clock.now(), 'AP-nobody', 'verified'),
      'not an object',
      appealCreated(clock.now() + 3_600_000),
    ]);
    expect(res.statusCode).toBe(207);
    const { results, accepted, rejected } = res.json();
    expect(accepted).toBe(1);
    expect(rejected).toBe(8);
    const reasons = results.map((r: { reason?: string }) => r.reason ?? '');
    expect(reasons[0]).toMatch(/unknown event type "appeal.exploded"/);
    expect(results[1].status).toBe('accepted');
    expect(reasons[2]).toMatch(/occurredAt/);
    expect(reasons[3]).toMatch(/category "999"/);
    expect(reasons[4]).toMatch(/outside every community/);
    expect(reasons[5]).toMatch(/from "collected" to "closed".*"verified"/);
    expect(reasons[6]).toMatch(/AP-nobody.*unknown/);
    expect(reasons[7]).toMatch(/JSON object/);
    expect(reasons[8]).toMatch(/future/);
  });

  it('names missing and unknown fields', async () => {
    const e = appealCreated(clock.now()) as { data: Record<string, unknown> };
    delete e.data.channel;
    e.data.colour = 'red';
    const { results } = (await post(app, [e])).json();
    expect(results[0].reason).toMatch(/"channel"/);
    expect(results[0].reason).toMatch(/"colour"/);
  });

  it('applies an earlier event of the same batch before checking a later one', async () => {
    const res = await post(app, [
      appealCreated(clock.now(), { appealId: 'AP-seq' }),
      appealMoved(clock.now(), 'AP-seq', 'verified'),
      appealMoved(clock.now(), 'AP-seq', 'dispatched', { unit: '坪山街道办' }),
    ]);
    expect(res.json().accepted).toBe(3);
    expect(app.engine.appeals.get('AP-seq')?.status).toBe('dispatched');
  });

  it('answers 422 when every event is rejected', async () => {
    expect((await post(app, [{ id: 'x' }])).statusCode).toBe(422);
  });

  it('malformed JSON gets 400 with a message a person can act on', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'content-type': 'application/json', 'x-api-key': credsOf(app).key },
      payload: '{"events": [ {"id": "a",, } ]}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
    expect(res.json().error.message).toMatch(/not valid JSON/);
  });

  it('a body that is not a batch gets 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'x-api-key': credsOf(app).key },
      payload: { event: [] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/events/);
  });

  it('too many events or too many bytes get 413', async () => {
    const many = Array.from({ length: INGEST_MAX_EVENTS + 1 }, (_, i) => appealCreated(clock.now(), { appealId: `AP-m${i}` }));
    const tooMany = await post(app, many);
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error.message).toMatch(/maximum is 1000/);
    const huge = appealCreated(clock.now()) as { data: Record<string, unknown> };
    huge.data.description = 'x'.repeat(3 * 1024 * 1024);
    const tooBig = await post(app, [huge]);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('too_large');
    expect(await app.store.count()).toBe(0);
  });

  it('accepted events are in the log before the response', async () => {
    await post(app, [appealCreated(clock.now(), { appealId: 'AP-durable' })]);
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    expect(app.engine.appeals.get('AP-durable')?.status).toBe('collected');
  });

  it('a leap-second deadline or time rejects its own event with a reason; the batch lands, reads back and survives a restart', async () => {
    const leapDeadline = appealCreated(clock.now() - 3000, { appealId: 'AP-leap-deadline' }) as { data: Record<string, unknown> };
    leapDeadline.data.deadline = '2026-12-31T23:59:60Z';
    const leapTime = { ...appealCreated(clock.now() - 2000, { appealId: 'AP-leap-time' }), occurredAt: '2026-12-31T23:59:60Z' };
    const nul = appealCreated(clock.now() - 1500, { appealId: 'AP-nul' }) as { data: Record<string, unknown> };
    nul.data.title = '路灯\u0000不亮';
    const batch = [
      appealCreated(clock.now() - 4000, { appealId: 'AP-before' }),
      leapDeadline,
      leapTime,
      nul,
      { ...appealCreated(clock.now() - 1000, { appealId: 'AP-1970' }), occurredAt: '1970-01-01T00:00:00Z' },
      { ...appealCreated(clock.now() - 1000, { appealId: 'AP-0000' }), occurredAt: '0000-01-01T00:00:00Z' },
      appealCreated(clock.now() - 500, { appealId: 'AP-after' }),
    ];
    const res = await post(app, batch);
    expect(res.statusCode, res.body).toBe(207);
    const results = res.json().results as { status: string; reason?: string }[];
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'accepted']);
    expect(results[1].reason).toMatch(/^\/data\/deadline .*leap second/);
    expect(results[2].reason).toMatch(/^occurredAt .*leap second/);
    expect(results[3].reason).toMatch(/\/data\/title contains a control character \(U\+0000\)/);
    expect(results[4].reason).toMatch(/before the history/);
    expect(results[5].reason).toMatch(/before the history/);
    for (const id of ['AP-before', 'AP-after']) expect((await get(app, `/api/v1/appeals/${id}`)).statusCode).toBe(200);
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    expect(app.quarantine.count()).toBe(0);
    for (const id of ['AP-before', 'AP-after']) expect((await get(app, `/api/v1/appeals/${id}`)).statusCode).toBe(200);
  });
});
