import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { alertRaised, appealCreated, makeApp, tempDir, testClock } from '../helpers.ts';

const SYS = { actor: 'test', ip: null };

describe('producer API keys on POST /api/v1/events', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  const clock = testClock();
  const send = (headers: Record<string, string>, events: unknown[] = [appealCreated(clock.now() - 1000)]) =>
    app.inject({ method: 'POST', url: '/api/v1/events', headers, payload: { events } });

  beforeEach(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env: { INGEST_RATE_PER_SECOND: '1', INGEST_BURST: '3' } });
  });
  afterEach(async () => {
    await app.close();
    tmp.remove();
  });

  it('refuses a batch without a key, with an unknown key, or with a revoked key (401, nothing stored)', async () => {
    const none = await send({});
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/API key is required/) });
    expect((await send({ authorization: 'Bearer chk_nope' })).statusCode).toBe(401);
    expect((await send({ 'x-api-key': 'nope' })).statusCode).toBe(401);
    const { key, token } = await app.auth.issueProducerKey({ name: 'video' }, SYS);
    expect((await send({ 'x-api-key': token })).statusCode).toBe(200);
    await app.auth.revokeKey(key.id, SYS);
    const revoked = await send({ 'x-api-key': token });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.message).toMatch(/revoked/);
    expect(await app.store.count()).toBe(1);
  });

  it('checks the key before reading the body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: '{ broken',
    });
    expect(res.statusCode).toBe(401);
  });

  it('accepts either header form; a device token is not a producer key', async () => {
    const { token } = await app.auth.issueProducerKey({ name: 'app' }, SYS);
    expect((await send({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
    expect((await send({ 'x-api-key': token })).statusCode).toBe(200);
    const device = await app.auth.issueDevice('wall', 'district:440310', SYS);
    expect((await send({ authorization: `Bearer ${device.token}` })).statusCode).toBe(401);
  });

  it('rejects, per event, the types the key may not send; the rest of the batch lands', async () => {
    const { token } = await app.auth.issueProducerKey({ name: 'video-platform', types: ['video_alert.raised'] }, SYS);
    const res = await send({ 'x-api-key': token }, [
      alertRaised(clock.now() - 1000, 'AL-ok'),
      appealCreated(clock.now() - 1000, { appealId: 'AP-no' }),
    ]);
    expect(res.statusCode).toBe(207);
    const { results } = res.json();
    expect(results[0].status).toBe('accepted');
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/may not send "appeal.created".*video_alert.raised/),
    });
    expect(app.engine.appeals.has('AP-no')).toBe(false);
    const stored: string[] = [];
    await app.store.replay(0, (b) => stored.push(...b.map((e) => e.producer)));
    expect(stored).toEqual(['video-platform']);
  });

  it('refuses unknown event types when a key is issued', async () => {
    await expect(app.auth.issueProducerKey({ name: 'x', types: ['appeal.exploded' as never] }, SYS)).rejects.toThrow(/unknown event types/);
  });

  it('rate limits each key on its own with 429 and Retry-After', async () => {
    const a = (await app.auth.issueProducerKey({ name: 'a' }, SYS)).token;
    const b = (await app.auth.issueProducerKey({ name: 'b' }, SYS)).token;
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await send({ 'x-api-key': a })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await send({ 'x-api-key': a });
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json().error.code).toBe('rate_limited');
    expect((await send({ 'x-api-key': b })).statusCode).toBe(200); // another key is not slowed
    clock.advance(1000);
    expect((await send({ 'x-api-key': a })).statusCode).toBe(200); // the bucket refills
  });

  it("a key with rate 0 is unlimited (the simulator's)", async () => {
    const { token } = await app.auth.issueProducerKey({ name: 'bulk', ratePerSecond: 0 }, SYS);
    for (let i = 0; i < 10; i++) expect((await send({ 'x-api-key': token })).statusCode).toBe(200);
  });
});
