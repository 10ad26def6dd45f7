import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { EventOf } from '@commandhall/shared';
import { LIULIAN, makeApp, tempDir, testClock } from '../helpers.ts';
import { OPEN311_CHANNEL } from '../../src/modules/open311/create.ts';
import { parseXml } from './helpers.ts';

const SYS = { actor: 'test', ip: null };

describe('Open311 POST Service Request', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  let key: string;
  const clock = testClock();

  const post = (fields: Record<string, string>, format = 'json', headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/open311/v2/requests.${format}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
      payload: new URLSearchParams(fields).toString(),
    });
  const created = async (appealId: string) => {
    let found: EventOf<'appeal.created'> | undefined;
    await app.store.replay(0, (b) =>
      b.forEach((s) => {
        if (s.event.type === 'appeal.created' && s.event.data.appealId === appealId) found = s.event;
      }),
    );
    return found!;
  };
  const valid = () => ({ api_key: key, service_code: '5-02', lat: String(LIULIAN.lat), long: String(LIULIAN.lon) });

  beforeEach(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    key = (await app.auth.issueProducerKey({ name: 'citizen-app', types: ['appeal.created'], ratePerSecond: 0 }, SYS)).token;
  });
  afterEach(async () => {
    await app.close();
    tmp.remove();
  });

  it('creates an appeal from the spec form and answers with its service_request_id (JSON)', async () => {
    const res = await post({
      ...valid(),
      jurisdiction_id: '440310',
      'attribute[nature]': 'complaint',
      description: '小区门口垃圾堆积\n已经三天没人清理',
      first_name: '三丰',
      last_name: '张',
      phone: '13812341234',
      email: 'someone@example.org',
      device_id: 'dev-1',
      account_id: 'acc-1',
      address_string: '深圳市坪山区坪山街道六联社区深坪路12号',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json();
    expect(body).toEqual([
      { service_request_id: expect.stringMatching(/^O311-20261127-[0-9A-F]{10}$/), service_notice: expect.any(String), account_id: null },
    ]);
    expect(Object.keys(body[0])).toEqual(['service_request_id', 'service_notice', 'account_id']);
    const id = body[0].service_request_id;
    expect(app.engine.appeals.get(id)).toMatchObject({
      status: 'collected',
      channel: OPEN311_CHANNEL,
      nature: 'complaint',
      category: '5',
      community: LIULIAN.code,
    });
    const e = await created(id);
    expect(e.data).toEqual({
      appealId: id,
      channel: OPEN311_CHANNEL,
      nature: 'complaint',
      category: '5',
      subcategory: '5-02',
      title: '小区门口垃圾堆积',
      description: '小区门口垃圾堆积\n已经三天没人清理',
      location: { lon: LIULIAN.lon, lat: LIULIAN.lat, address: '深圳市坪山区坪山街道六联社区深坪路12号' },
      reporter: { name: '张三丰', phone: '13812341234' },
    });
    expect(body[0].service_notice).toContain(new Date(app.engine.appeals.get(id)!.deadline + 8 * 3_600_000).toISOString().slice(0, 19));
  });

  it('answers in XML with the spec element names', async () => {
    const res = await post(valid(), 'xml');
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const doc = parseXml(res.body);
    const [r] = doc.service_requests.request;
    expect(Object.keys(r)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(r.account_id).toBe('');
    expect(app.engine.appeals.has(r.service_request_id)).toBe(true);
    // defaults: nature request, no subcategory beyond the service's own, title from the service name
    const e = await created(r.service_request_id);
    expect(e.data).toMatchObject({ nature: 'request', subcategory: '5-02', title: '垃圾问题' });
  });

  it('places an address_string without coordinates at the community it names', async () => {
    const res = await post({
      api_key: key,
      service_code: '5',
      'attribute[subcategory]': '5-03',
      address_string: '坑梓街道秀新社区 工业路口',
    });
    expect(res.statusCode).toBe(201);
    const e = await created(res.json()[0].service_request_id);
    const community = app.geo.communities.find((c) => c.name === '秀新社区')!;
    expect(e.data).toMatchObject({ category: '5', subcategory: '5-03', communityCode: community.code });
    expect(e.data.location).toEqual({ lon: community.center[0], lat: community.center[1], address: '坑梓街道秀新社区 工业路口' });
  });

  it('keeps media_url with the appeal', async () => {
    const res = await post({ ...valid(), description: '井盖缺失', media_url: 'https://img.example.org/a.jpg' });
    const e = await created(res.json()[0].service_request_id);
    expect(e.data.description).toBe('井盖缺失\n附件 media_url: https://img.example.org/a.jpg');
    expect(e.data.title).toBe('井盖缺失');
  });

  it('refuses a missing, unknown or revoked api_key, and a key that may not create appeals, with 403', async () => {
    const { api_key: _, ...noKey } = valid();
    const none = await post(noKey);
    expect(none.statusCode).toBe(403);
    expect(none.json()).toEqual([{ code: 403, description: expect.stringMatching(/api_key is required/) }]);
    const xml = await post(noKey, 'xml');
    expect(xml.statusCode).toBe(403);
    expect(parseXml(xml.body).errors.error[0]).toEqual({ code: '403', description: expect.stringMatching(/api_key is required/) });
    expect((await post({ ...valid(), api_key: 'chk_unknown' })).json()[0].description).toMatch(/invalid api_key/);
    const video = (await app.auth.issueProducerKey({ name: 'video', types: ['video_alert.raised'] }, SYS)).token;
    const wrong = await post({ ...valid(), api_key: video });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()[0].description).toMatch(/may not create appeals/);
    const k = (await app.auth.store.keyByName('citizen-app'))!;
    await app.auth.revokeKey(k.id, SYS);
    expect((await post(valid())).statusCode).toBe(403);
    // the key in a header works as well (X-API-Key), e.g. for clients that keep secrets out of bodies
    const other = (await app.auth.issueProducerKey({ name: 'app2', types: ['appeal.created'], ratePerSecond: 0 }, SYS)).token;
    expect((await post(noKey, 'json', { 'x-api-key': other })).statusCode).toBe(201);
    expect(app.engine.appeals.size).toBe(1);
  });

  it('answers what is wrong with the request: 404 for an unknown service or jurisdiction, 400 for the rest', async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ service_code: '' }, 400, /service_code was not provided/],
      [{ service_code: '999' }, 404, /service_code "999" was not found/],
      [{ jurisdiction_id: 'sfgov.org' }, 404, /jurisdiction_id "sfgov.org" was not found/],
      [{ lat: '', long: '' }, 400, /a location is required/],
      [{ long: '' }, 400, /lat and long must be sent together/],
      [{ lat: 'north' }, 400, /lat "north" is not a WGS84 latitude/],
      [{ lat: '', long: '', address_string: '北京市东城区' }, 400, /does not name a community/],
      [{ lat: '', long: '', address_id: '545483' }, 400, /address_id is not supported/],
      [{ 'attribute[nature]': 'rant' }, 400, /attribute\[nature\] "rant" is not one of/],
      [{ service_code: '5', 'attribute[subcategory]': '3-02' }, 400, /"3-02" is not a subcategory of service 5/],
      [{ phone: 'call me' }, 400, /phone may hold digits/],
      [{ media_url: 'javascript:alert(1)' }, 400, /media_url must be an http\(s\) URL/],
      [{ lat: '22.5', long: '113.9' }, 400, /outside every community/],
      [{ description: 'x'.repeat(4001) }, 400, /at most 4000 characters/],
    ];
    for (const [change, status, message] of cases) {
      const res = await post({ ...valid(), ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(status);
      expect(res.json(), JSON.stringify(change)).toEqual([{ code: status, description: expect.stringMatching(message) }]);
    }
    expect(app.engine.appeals.size).toBe(0);
  });
});
