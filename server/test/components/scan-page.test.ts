/**
 * The scan page's API (`/code/<id>` is public: whoever scanned a label): what the component is,
 * and a report that becomes an appeal with the component attached, validated, rate-limited and
 * masked like every other path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { LIULIAN, dropTestDatabases, get, makeApp, tempDir, testClock } from '../helpers.ts';
import { as, person } from '../appeal-io/helpers.ts';

describe('the scan page’s API', () => {
  const tmp = tempDir();
  const clock = testClock();
  let app: FastifyInstance;
  let id: string;
  let other: string;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env: { SMART_CODE_REPORTS_PER_HOUR: '2' } });
    const cell = app.geo.placeOf(LIULIAN.code, LIULIAN.lon, LIULIAN.lat);
    const lights = [...app.componentService!.registry.within(`grid:${cell}`, (t) => t === 'street_light')];
    id = lights[0].id;
    other = lights[1].id;
  });
  afterAll(async () => {
    await app.close();
    await dropTestDatabases();
    tmp.remove();
  });

  const report = (code: string, body: unknown, ip = '10.0.0.1') =>
    app.inject({ method: 'POST', url: `/api/v1/code/${code}/reports`, payload: body as object, remoteAddress: ip });

  it('tells anyone what a known component is and where; an unknown code is a clear 404', async () => {
    const res = await app.inject(`/api/v1/code/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      type: 'street_light',
      community: LIULIAN.code,
      communityName: '六联社区',
      streetName: '坪山街道',
      status: 'normal',
    });
    const unknown = await app.inject('/api/v1/code/44031099999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toMatch(/no city component has the code "44031099999999"/);
  });

  it('a report becomes an appeal by the smart-code channel with the component attached, on the ticker and in the component’s detail', async () => {
    const res = await report(id, { category: '5', description: '路灯不亮，晚上很黑', phone: '138 1234 5678' });
    expect(res.statusCode).toBe(201);
    const { appealId, deadline } = res.json();
    expect(appealId).toMatch(/^SC-\d{8}-[0-9a-f]{10}$/);
    expect(deadline).toMatch(/^\d{4}-/);
    const appeal = (await get(app, `/api/v1/appeals/${appealId}`)).json().appeal;
    expect(appeal).toMatchObject({ id: appealId, channel: 'smart_code', category: '5', community: LIULIAN.code, status: 'collected' });
    expect(appeal.reporter.phone).toBe('13812345678');
    expect(appeal.title).toMatch(/^路灯：路灯不亮/);
    const district = (await get(app, '/api/v1/metrics/district:440310')).json().metrics;
    expect(district.recent.map((r: { id: string }) => r.id)).toContain(`${appealId}.created`);
    const detail = (await get(app, `/api/v1/components/${id}`)).json();
    expect(detail.appeals[0]).toMatchObject({ appealId, channel: 'smart_code', status: 'collected' });
    expect(detail.scans[0]).toMatchObject({ purpose: 'report' });
    // a director without clearance sees the phone masked, as on every other path
    const director = await person(app, 'cd-scan', 'community_director', `community:${LIULIAN.code}`);
    const masked = (await as(app, director, { method: 'GET', url: `/api/v1/appeals/${appealId}` })).json().appeal;
    expect(masked.reporter.phone).toBe('138****5678');
  });

  it('refuses what is not a report, saying why', async () => {
    const bad = async (body: unknown) => {
      const r = await report(other, body, '10.0.0.9');
      return [r.statusCode, r.json().error?.message ?? ''];
    };
    expect(await bad({ category: '99', description: '坏了' })).toEqual([400, expect.stringMatching(/not a top-level category/)]);
    expect((await bad({ category: '5', description: '' }))[0]).toBe(400);
    expect((await bad({ category: '5', description: 'x'.repeat(501) }))[0]).toBe(400);
    expect((await bad({ category: '5', description: '坏了', phone: 'call me' }))[0]).toBe(400);
    expect((await bad({ category: '5', description: '坏了', name: '张三' }))[0]).toBe(400);
    expect((await report('44031099999999', { category: '5', description: '坏了' })).statusCode).toBe(404);
  });

  it('is rate-limited per address, and per component from everyone', async () => {
    const ip = '10.0.0.77';
    expect((await report(other, { category: '5', description: '灯不亮' }, ip)).statusCode).toBe(201);
    expect((await report(other, { category: '5', description: '还是不亮' }, ip)).statusCode).toBe(201);
    const third = await report(other, { category: '5', description: '第三次' }, ip);
    expect(third.statusCode).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    // another address may still report it (the component's own bucket is 3× larger)
    expect((await report(other, { category: '5', description: '我也看到了' }, '10.0.0.78')).statusCode).toBe(201);
  });
});
