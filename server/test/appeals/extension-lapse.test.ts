/**
 * An extension request pending when its appeal is closed lapses with it (a request is only made
 * while the appeal is dispatched or being handled, from which it can only end by being closed): the detail
 * no longer shows it or offers to decide it, the figures stop counting it, and a decision sent
 * afterwards is refused. The in-memory projection and the read model agree, after a restart too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appealCreated, appealMoved, get, makeApp, post, tempDir, testClock } from '../helpers.ts';

const MIN = 60_000;

describe('an extension request when its appeal ends', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  const t = () => clock.now() - 30 * MIN;
  const extension = (appealId: string, action: string, extra: Record<string, unknown> = {}) => ({
    id: `${appealId}.ext.${action}`,
    type: 'appeal.extension',
    occurredAt: new Date(t() + 5 * MIN).toISOString(),
    data: { appealId, action, ...extra },
  });
  const pendingCount = async () =>
    ((await get(app, '/api/v1/metrics/district:440310')).json().metrics as Record<string, number>)['appeals.extensionsPending'];

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    const until = new Date(clock.now() + 10 * 24 * 3600_000).toISOString();
    for (const id of ['LAPSE-C', 'KEEP']) {
      const at = t();
      const res = await post(app, [
        appealCreated(at, { appealId: id }),
        appealMoved(at + MIN, id, 'verified'),
        appealMoved(at + 2 * MIN, id, 'dispatched', { unit: '坪山街道办事处' }),
        appealMoved(at + 3 * MIN, id, 'handling'),
        extension(id, 'requested', { until, reason: '需协调多部门' }),
      ]);
      expect(res.json().rejected, res.body).toBe(0);
    }
    expect(await pendingCount()).toBe(2);
    const end = await post(app, [
      appealMoved(t() + 10 * MIN, 'LAPSE-C', 'resolved'),
      appealMoved(t() + 11 * MIN, 'LAPSE-C', 'closed', { satisfaction: 'satisfied' }),
    ]);
    expect(end.json().rejected, end.body).toBe(0);
  });
  afterAll(async () => {
    await app?.close();
    tmp.remove();
  });

  it('lapses on closing, and stays while the appeal is open', async () => {
    const detail = (await get(app, '/api/v1/appeals/LAPSE-C')).json();
    expect(detail.appeal.status).toBe('closed');
    expect(detail.appeal.extension).toBeNull();
    expect((await get(app, '/api/v1/appeals/KEEP')).json().appeal.extension).toMatchObject({ reason: '需协调多部门' });
    expect(await pendingCount()).toBe(1);
    const listed = (await get(app, '/api/v1/appeals?extension=pending&limit=50')).json().items.map((a: { id: string }) => a.id);
    expect(listed).toEqual(['KEEP']);
  });

  it('refuses a decision on a request that lapsed', async () => {
    const res = await post(app, [extension('LAPSE-C', 'approved')]);
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('no extension request is pending') });
  });

  it('says the same after a restart (the projections folded again from the log, the read model kept)', async () => {
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    expect((await get(app, '/api/v1/appeals/LAPSE-C')).json().appeal.extension).toBeNull();
    expect(await pendingCount()).toBe(1);
  });
});
