import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { roundCoordinate, type CityEvent } from '@commandhall/shared';
import { KENGZI, LIULIAN, appealMoved, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { REQUEST_FIELDS, W3C, parseXml, sameRequests } from './helpers.ts';
import { person } from '../appeal-io/helpers.ts';

const SYS = { actor: 'test', ip: null };
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** An appeal.created with the personal fields filled in. */
function created(
  appealId: string,
  at: number,
  o: { where?: { lon: number; lat: number }; category?: string; subcategory?: string; description?: string; address?: string } = {},
): CityEvent {
  const where = o.where ?? LIULIAN;
  return {
    id: `${appealId}.created`,
    type: 'appeal.created',
    occurredAt: new Date(at).toISOString(),
    data: {
      appealId,
      channel: 'hotline_12345',
      nature: 'complaint',
      category: o.category ?? '5',
      ...(o.subcategory ? { subcategory: o.subcategory } : {}),
      title: '垃圾桶满溢',
      ...(o.description ? { description: o.description } : {}),
      location: { lon: where.lon, lat: where.lat, ...(o.address ? { address: o.address } : {}) },
      reporter: { name: '张三丰', phone: '13812341234' },
    },
  } as CityEvent;
}

/** `2026-11-25T10:00:00+08:00` for an instant. */
const local = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19) + '+08:00';

describe('Open311 GET Service Requests and GET Service Request', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  let key: string;
  const clock = testClock();
  const now = clock.now();
  const t1 = now - 2 * DAY;
  const t2 = now - DAY;
  const t3 = now - 100 * DAY;
  const t4 = now - 3 * DAY;
  const read = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const withKey = (url: string) => read(`${url}${url.includes('?') ? '&' : '?'}api_key=${key}`);
  const ids = (res: { json: () => any[] }) => res.json().map((r) => r.service_request_id);

  beforeAll(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    key = (await app.auth.issueProducerKey({ name: 'citizen-app', types: ['appeal.created'], ratePerSecond: 0 }, SYS)).token;
    const res = await post(app, [
      created('A1', t1, {
        subcategory: '5-02',
        description: '门口垃圾桶满溢，请联系13812341234',
        address: '深圳市坪山区坪山街道六联社区深坪路12号3栋',
      }),
      appealMoved(t1 + HOUR, 'A1', 'verified'),
      appealMoved(t1 + 2 * HOUR, 'A1', 'dispatched', { unit: '坪山街道城市管理办' }),
      created('A2', t2, { where: KENGZI }),
      appealMoved(t2 + HOUR, 'A2', 'resolved'),
      appealMoved(t2 + 3 * HOUR, 'A2', 'closed', { satisfaction: 'satisfied' }),
      created('A3', t3),
      created('A4', t4, { category: '3', subcategory: '3-02' }),
    ]);
    expect(res.json().rejected).toBe(0);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('lists the last 90 days newest first, every field as the spec names it (JSON and XML alike)', async () => {
    const res = await withKey('/open311/v2/requests.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const list = res.json();
    expect(ids(res)).toEqual(['A2', 'A1', 'A4']);
    for (const r of list) expect(Object.keys(r)).toEqual(REQUEST_FIELDS);
    const a1 = list[1];
    const deadline = app.engine.appeals.get('A1')!.deadline;
    expect(a1).toEqual({
      service_request_id: 'A1',
      status: 'open',
      status_notes: '已派遣（dispatched）',
      service_name: '垃圾问题',
      service_code: '5-02',
      description: '门口垃圾桶满溢，请联系138****1234',
      agency_responsible: '坪山街道城市管理办',
      service_notice: null,
      requested_datetime: local(t1),
      updated_datetime: local(t1 + 2 * HOUR),
      expected_datetime: local(deadline),
      // Open311 callers have no PII clearance: the address to its street, the point to about 100 m
      address: '深圳市坪山区坪山街道',
      address_id: null,
      zipcode: null,
      lat: roundCoordinate(LIULIAN.lat),
      long: roundCoordinate(LIULIAN.lon),
    });
    for (const f of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(a1[f]).toMatch(W3C);
    const a2 = list[0];
    expect(a2).toMatchObject({
      status: 'closed',
      status_notes: '已办结（closed）',
      service_code: '5',
      service_name: '市容环卫',
      description: '垃圾桶满溢', // no description: the title
      agency_responsible: null,
      updated_datetime: local(t2 + 3 * HOUR), // closed: when it was closed
      address: '坪山区坑梓街道坑梓社区', // no address reported: the area's name
    });

    const xml = await withKey('/open311/v2/requests.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    sameRequests(list, parseXml(xml.body));
  });

  it('filters by status, service_code (a category takes its subcategories), dates and ids', async () => {
    expect(ids(await withKey('/open311/v2/requests.json?status=closed'))).toEqual(['A2']);
    expect(ids(await withKey('/open311/v2/requests.json?status=open'))).toEqual(['A1', 'A4']);
    expect(ids(await withKey('/open311/v2/requests.json?status=open,closed'))).toEqual(['A2', 'A1', 'A4']);
    expect(ids(await withKey('/open311/v2/requests.json?service_code=5'))).toEqual(['A2', 'A1']);
    expect(ids(await withKey('/open311/v2/requests.json?service_code=5-02'))).toEqual(['A1']);
    expect(ids(await withKey('/open311/v2/requests.json?service_code=3-02,5-02'))).toEqual(['A1', 'A4']);
    // "declared multiple times"
    expect(ids(await withKey('/open311/v2/requests.json?service_code=3-02&service_code=5-02'))).toEqual(['A1', 'A4']);
    expect(ids(await withKey('/open311/v2/requests.json?status=open&status=closed'))).toEqual(['A2', 'A1', 'A4']);
    expect(
      ids(
        await withKey(
          `/open311/v2/requests.json?start_date=${encodeURIComponent(local(t4 - HOUR))}&end_date=${encodeURIComponent(local(t1))}`,
        ),
      ),
    ).toEqual(['A1', 'A4']);
    // one date: 90 days from (or to) it
    expect(ids(await withKey(`/open311/v2/requests.json?end_date=${new Date(t3 + DAY).toISOString()}`))).toEqual(['A3']);
    expect(ids(await withKey('/open311/v2/requests.json?start_date=2026-11-25'))).toEqual(['A2', 'A1']);
    // ids override every other filter, and may name old appeals
    expect(ids(await withKey('/open311/v2/requests.json?service_request_id=A3,A1&status=closed&service_code=3'))).toEqual(['A1', 'A3']);
    expect(ids(await withKey('/open311/v2/requests.json?service_request_id=nope'))).toEqual([]);
    const empty = parseXml((await withKey('/open311/v2/requests.xml?service_request_id=nope')).body);
    expect(empty).toEqual({ service_requests: '' });
  });

  it('refuses filters it cannot honour with 400 in the spec error format', async () => {
    const cases: [string, RegExp][] = [
      ['status=pending', /status "pending" is not open or closed/],
      ['start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z', /may not span more than 90 days/],
      ['start_date=yesterday', /start_date "yesterday" is not a W3C date-time/],
      ['start_date=2026-11-20T00:00:00Z&end_date=2026-11-01T00:00:00Z', /end_date is before start_date/],
      ['service_code=99', /service_code "99" is not a service/],
    ];
    for (const [q, message] of cases) {
      const res = await withKey(`/open311/v2/requests.json?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json(), q).toEqual([{ code: 400, description: expect.stringMatching(message) }]);
    }
    const xml = await withKey('/open311/v2/requests.xml?status=pending');
    expect(parseXml(xml.body).errors.error[0].code).toBe('400');
  });

  it('answers one request as a one-item list, and 404 for an unknown one', async () => {
    const one = await withKey('/open311/v2/requests/A1.json');
    expect(one.statusCode).toBe(200);
    const list = (await withKey('/open311/v2/requests.json')).json();
    expect(one.json()).toEqual([list.find((r: any) => r.service_request_id === 'A1')]);
    sameRequests(one.json(), parseXml((await withKey('/open311/v2/requests/A1.xml')).body));
    const missing = await withKey('/open311/v2/requests/NOPE.xml');
    expect(missing.statusCode).toBe(404);
    expect(parseXml(missing.body).errors.error[0]).toEqual({ code: '404', description: 'service_request_id "NOPE" was not found' });
  });

  it('masks personal data for everyone without clearance and keeps each caller to its area', async () => {
    const cleared = await person(app, 'chief', 'district_director', 'district:440310', true);
    const mine = (await read('/open311/v2/requests/A1.json', { cookie: cleared.cookie })).json()[0];
    expect(mine.description).toBe('门口垃圾桶满溢，请联系13812341234');
    expect(mine.address).toBe('深圳市坪山区坪山街道六联社区深坪路12号3栋');

    const kengzi = await person(app, 'kengzi', 'street_director', 'street:440310005');
    const theirs = await read('/open311/v2/requests.json', { cookie: kengzi.cookie });
    expect(ids(theirs)).toEqual(['A2']);
    expect((await read('/open311/v2/requests/A1.json', { cookie: kengzi.cookie })).statusCode).toBe(404);

    const { token } = await app.auth.issueDevice('liulian-hall', `community:${LIULIAN.code}`, SYS);
    const wall = await read('/open311/v2/requests.json', { authorization: `Bearer ${token}` });
    expect(ids(wall)).toEqual(['A1', 'A4']); // the Liulian hall: not A2 in Kengzi
    expect(wall.json()[0].description).toBe('门口垃圾桶满溢，请联系138****1234');
    expect((await read('/open311/v2/requests.json', { authorization: 'Bearer chd_revoked' })).statusCode).toBe(403);
  });

  it('asks an anonymous caller for an api_key when demo mode is off, and refuses a bad one', async () => {
    const anon = await read('/open311/v2/requests.json');
    expect(anon.statusCode).toBe(403);
    expect(anon.json()[0].description).toMatch(/api_key is required/);
    expect((await read('/open311/v2/requests/A1.xml')).statusCode).toBe(403);
    expect((await read('/open311/v2/requests.json?api_key=wrong')).json()[0].description).toMatch(/invalid api_key/);
    // the reference data stays public
    expect((await read('/open311/v2/services.json')).statusCode).toBe(200);
  });

  it('gives back the media_url a request was filed with', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        api_key: key,
        service_code: '6-01',
        lat: String(LIULIAN.lat),
        long: String(LIULIAN.lon),
        description: '路面塌陷',
        media_url: 'https://img.example.org/hole.jpg',
      }).toString(),
    });
    const id = res.json()[0].service_request_id;
    const [r] = (await withKey(`/open311/v2/requests/${id}.json`)).json();
    expect(r).toMatchObject({
      description: '路面塌陷',
      media_url: 'https://img.example.org/hole.jpg',
      status: 'open',
      status_notes: '已受理（collected）',
    });
    expect(Object.keys(r)).toEqual([...REQUEST_FIELDS, 'media_url']);
    const xml = parseXml((await withKey(`/open311/v2/requests/${id}.xml`)).body);
    expect(xml.service_requests.request[0].media_url).toBe('https://img.example.org/hole.jpg');
  });
});

describe('Open311 reads in demo mode', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  const clock = testClock();

  beforeAll(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env: { DEMO_MODE: 'on' } });
    await post(app, [
      created('D1', clock.now() - HOUR, { description: '联系13812341234', address: '深圳市坪山区坪山街道六联社区深坪路12号' }),
      appealMoved(clock.now() - HOUR / 2, 'D1', 'verified'),
      appealMoved(clock.now() - HOUR / 4, 'D1', 'dispatched', { unit: '坪山街道城市管理办' }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('shows an anonymous caller the public fields only: the community, not the person or the point', async () => {
    const res = await app.inject({ method: 'GET', url: '/open311/v2/requests.json' });
    expect(res.statusCode).toBe(200);
    const [r] = res.json();
    const community = app.geo.area(LIULIAN.code)!;
    expect(r).toEqual({
      service_request_id: 'D1',
      status: 'open',
      status_notes: '已派遣（dispatched）',
      service_name: '市容环卫',
      service_code: '5',
      description: null,
      agency_responsible: null,
      service_notice: null,
      requested_datetime: local(clock.now() - HOUR),
      updated_datetime: local(clock.now() - HOUR / 4),
      expected_datetime: expect.stringMatching(W3C),
      address: '坪山区坪山街道六联社区',
      address_id: null,
      zipcode: null,
      lat: community.center[1],
      long: community.center[0],
    });
    expect(res.body).not.toContain('1381234');
    expect(res.body).not.toContain('深坪路');
    const discovery = (await app.inject({ method: 'GET', url: '/open311/v2/discovery.json' })).json();
    expect(discovery.endpoints[0].type).toBe('test');
  });
});
