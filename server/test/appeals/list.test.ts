/**
 * GET /api/v1/appeals and /api/v1/appeals/:id: filters, sorting and cursor paging; every scope
 * crossing refused without data; personal fields masked for everyone without clearance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { get, makeApp, post, tempDir, testClock, KENGZI, LIULIAN } from '../helpers.ts';
import { roundCoordinate } from '@commandhall/shared';
import {
  COMMUNITY,
  DISTRICT,
  OTHER_STREET,
  SIBLING,
  STREET,
  created,
  device,
  extension,
  getAs,
  moved,
  person,
  toStatus,
  type Who,
} from './fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('appeals list and detail', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock(); // 2026-11-27 10:00 local
  const t = clock.now();
  const who: Record<string, Who> = {};
  const list = async (w: Who, query = '') => {
    const res = await getAs(app, w, `/api/v1/appeals${query ? `?${query}` : ''}`);
    return res;
  };
  const ids = async (w: Who, query = '') => {
    const res = await list(w, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((a: { id: string }) => a.id) as string[];
  };

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    const accepted = async (events: unknown[]) => {
      const res = await post(app, events);
      expect(res.statusCode, res.body).toBe(200);
    };
    // 六联: L1 … L6 in different states, categories, channels and natures; creation an hour apart
    await accepted([
      ...toStatus(t - 6 * HOUR, 'L1', 'collected', { category: '5', channel: 'wechat', nature: 'complaint' }),
      ...toStatus(t - 5 * HOUR, 'L2', 'verified', { category: '3' }),
      ...toStatus(t - 4 * HOUR, 'L3', 'dispatched', { category: '5' }),
      ...toStatus(t - 3 * HOUR, 'L4', 'handling', { category: '5', deadline: t - HOUR }), // overdue
      ...toStatus(t - 2 * HOUR, 'L5', 'closed', { category: '3', deadline: t - 90 * 60_000, reporterKind: 'resident' }), // past deadline but closed
      ...toStatus(t - 10 * DAY, 'L6', 'resolved', { category: '5', channel: 'wechat', deadline: t + 5 * DAY, reporterKind: 'enterprise' }),
      // a sibling community of the same street, and another street
      ...toStatus(t - 90 * 60_000, 'S1', 'collected', { community: SIBLING.code }),
      ...toStatus(t - 30 * 60_000, 'K1', 'collected', { community: KENGZI.code, reporterKind: 'enterprise' }),
    ]);
    await accepted([
      extension(t - 2 * HOUR, 'L3', 'requested', { until: new Date(t + 30 * DAY).toISOString(), reason: '等待配件，请联系13900001111' }),
      moved(t - HOUR, 'L4', 'resolved', { note: '已修复，回访电话13812341234' }),
      moved(t - HOUR + 1000, 'L4', 'handling', { note: '返工' }),
    ]);
    who.district = await person(app, 'dir-district', 'district_director', DISTRICT, true);
    who.street = await person(app, 'dir-street', 'street_director', STREET);
    who.community = await person(app, 'dir-community', 'community_director', COMMUNITY);
    who.communityPii = await person(app, 'dir-community-pii', 'community_director', COMMUNITY, true);
    who.operator = await person(app, 'op-street', 'operator', STREET);
    who.streetWall = await device(app, 'street hall', STREET);
    who.communityWall = await device(app, 'community hall', COMMUNITY);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('lists the caller’s own scope by default, newest first, and any scope inside it', async () => {
    expect(await ids(who.community)).toEqual(['L5', 'L4', 'L3', 'L2', 'L1', 'L6']);
    expect(await ids(who.street)).toEqual(['S1', 'L5', 'L4', 'L3', 'L2', 'L1', 'L6']);
    expect(await ids(who.district)).toEqual(['K1', 'S1', 'L5', 'L4', 'L3', 'L2', 'L1', 'L6']);
    expect(await ids(who.street, `scope=${COMMUNITY}`)).toEqual(['L5', 'L4', 'L3', 'L2', 'L1', 'L6']);
    expect(await ids(who.streetWall, `scope=community:${SIBLING.code}`)).toEqual(['S1']);
    expect(await ids(who.district, `scope=${OTHER_STREET}`)).toEqual(['K1']);
    const body = (await list(who.community)).json();
    expect(body).toMatchObject({ total: 6, totalExact: true, nextCursor: null });
  });

  it('refuses every scope outside the caller’s area with 403 and no data', async () => {
    const refusals: [Who, string][] = [
      [who.community, STREET],
      [who.community, `community:${SIBLING.code}`],
      [who.community, DISTRICT],
      [who.community, `community:${KENGZI.code}`],
      [who.street, DISTRICT],
      [who.street, OTHER_STREET],
      [who.operator, `community:${KENGZI.code}`],
      [who.streetWall, DISTRICT],
      [who.communityWall, STREET],
    ];
    for (const [w, scope] of refusals) {
      const res = await list(w, `scope=${encodeURIComponent(scope)}`);
      expect(res.statusCode, `${w.name} → ${scope}`).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'forbidden', message: 'this scope is outside your area' } });
    }
    for (const forged of [`${COMMUNITY} `, `${COMMUNITY}0`, 'community:*', 'district:', '*', `${STREET}:${LIULIAN.code}`]) {
      const res = await list(who.community, `scope=${encodeURIComponent(forged)}`);
      expect([400, 403], forged).toContain(res.statusCode);
      expect(res.body).not.toContain('"items"');
    }
  });

  it('answers an appeal outside the area exactly like an unknown one', async () => {
    const outside = await getAs(app, who.community, '/api/v1/appeals/K1');
    const unknown = await getAs(app, who.community, '/api/v1/appeals/NOPE');
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual({ error: { code: 'not_found', message: 'no appeal "K1" in your area' } });
    expect(unknown.json()).toEqual({ error: { code: 'not_found', message: 'no appeal "NOPE" in your area' } });
    expect((await getAs(app, who.communityWall, '/api/v1/appeals/S1')).statusCode).toBe(404);
    expect((await getAs(app, who.street, '/api/v1/appeals/S1')).statusCode).toBe(200);
    expect((await getAs(app, who.district, '/api/v1/appeals/K1')).statusCode).toBe(200);
  });

  it('masks the reporter, the address and phone numbers in free text for everyone without clearance', async () => {
    for (const w of [who.community, who.street, who.operator, who.streetWall, who.communityWall]) {
      const item = (await list(w)).json().items.find((a: { id: string }) => a.id === 'L3');
      expect(item.reporter, w.name).toEqual({ name: '张**', phone: '138****1234' });
      expect(item.location.address).toBe('深圳市坪山区坪山街道');
      expect(item.extension.reason).toBe('等待配件，请联系139****1111');
      expect(JSON.stringify((await list(w)).json())).not.toMatch(/13812341234|张三丰|深坪路|13900001111/);

      const detail = (await getAs(app, w, '/api/v1/appeals/L4')).json();
      expect(detail.appeal.reporter).toEqual({ name: '张**', phone: '138****1234' });
      expect(detail.appeal.location).toEqual({
        lon: roundCoordinate(LIULIAN.lon),
        lat: roundCoordinate(LIULIAN.lat),
        address: '深圳市坪山区坪山街道',
      });
      expect(detail.appeal.description).toBe('市民反映路灯不亮，联系电话138****1234，请尽快处理');
      expect(JSON.stringify(detail)).not.toMatch(/13812341234|张三丰|深坪路/);
    }
    for (const w of [who.district, who.communityPii]) {
      const item = (await list(w)).json().items.find((a: { id: string }) => a.id === 'L3');
      expect(item.reporter).toEqual({ name: '张三丰', phone: '13812341234' });
      expect(item.location.address).toBe('深圳市坪山区坪山街道六联社区深坪路12号3栋501');
      const detail = (await getAs(app, w, '/api/v1/appeals/L4')).json();
      expect(detail.appeal.description).toContain('13812341234');
      expect(detail.timeline.find((s: { to?: string }) => s.to === 'resolved').note).toBe('已修复，回访电话13812341234');
    }
  });

  it('gives the detail: record, location, timeline with who and what, the suggested unit and the caller’s actions', async () => {
    const d = (await getAs(app, who.community, '/api/v1/appeals/L4')).json();
    expect(d.appeal).toMatchObject({
      id: 'L4',
      status: 'handling',
      community: LIULIAN.code,
      communityName: '六联社区',
      street: '440310001',
      streetName: '坪山街道',
      category: '5',
      unit: '坪山街道办',
      overdue: true,
      reworks: 1,
      reporterKind: 'resident', // the event did not say: a resident's
      createdAt: new Date(t - 3 * HOUR).toISOString(),
      deadline: new Date(t - HOUR).toISOString(),
    });
    expect(d.timeline.map((s: { from?: string; to?: string; by: string }) => [s.from ?? null, s.to, s.by])).toEqual([
      [null, 'collected', 'test'],
      ['collected', 'verified', 'test'],
      ['verified', 'dispatched', 'test'],
      ['dispatched', 'handling', 'test'],
      ['handling', 'resolved', 'test'],
      ['resolved', 'handling', 'test'],
    ]);
    expect(d.timeline[4].note).toBe('已修复，回访电话138****1234');
    expect(d.timeline.every((s: { seq: number }, i: number, all: { seq: number }[]) => i === 0 || s.seq > all[i - 1].seq)).toBe(true);
    expect(d.suggestion).toMatchObject({ unit: expect.any(String), level: expect.stringMatching(/district|street|community/) });
    expect(d.actions).toEqual(['resolve', 'extend_request']);
    // a wall reads the same detail and may do nothing
    expect((await getAs(app, who.communityWall, '/api/v1/appeals/L4')).json().actions).toEqual([]);
    // the pending extension shows on the timeline with its step and deadline
    const l3 = (await getAs(app, who.community, '/api/v1/appeals/L3')).json();
    expect(l3.timeline.at(-1)).toMatchObject({
      type: 'appeal.extension',
      action: 'requested',
      until: new Date(t + 30 * DAY).toISOString(),
    });
    expect(l3.actions).toEqual(['handle', 'return', 'extend_approve', 'extend_deny']);
    // who raised it is no personal data: everyone sees it, on the detail and on the list
    expect((await getAs(app, who.communityWall, '/api/v1/appeals/L6')).json().appeal.reporterKind).toBe('enterprise');
    const rows = (await list(who.community)).json().items as { id: string; reporterKind: string }[];
    expect(Object.fromEntries(rows.map((a) => [a.id, a.reporterKind]))).toEqual({
      L1: 'resident',
      L2: 'resident',
      L3: 'resident',
      L4: 'resident',
      L5: 'resident',
      L6: 'enterprise',
    });
  });

  it('filters by status (comma-separated or repeated), codes, overdue, extension and creation time', async () => {
    const w = who.street;
    expect(await ids(w, 'status=collected')).toEqual(['S1', 'L1']);
    expect(await ids(w, 'status=collected,verified')).toEqual(['S1', 'L2', 'L1']);
    expect(await ids(w, 'status=collected&status=verified')).toEqual(['S1', 'L2', 'L1']);
    expect(await ids(w, 'category=3')).toEqual(['L5', 'L2']);
    expect(await ids(w, 'channel=wechat')).toEqual(['L1', 'L6']);
    expect(await ids(w, 'nature=complaint')).toEqual(['L1']);
    expect(await ids(w, 'category=5&channel=wechat&status=resolved')).toEqual(['L6']);
    expect(await ids(w, 'overdue=true')).toEqual(['L4']);
    expect((await ids(w, 'overdue=false')).sort()).toEqual(['L1', 'L2', 'L3', 'L5', 'L6', 'S1']);
    expect(await ids(w, 'extension=pending')).toEqual(['L3']);
    expect(await ids(w, 'reporterKind=enterprise')).toEqual(['L6']);
    expect(await ids(w, 'reporterKind=resident')).toEqual(['S1', 'L5', 'L4', 'L3', 'L2', 'L1']);
    expect(await ids(w, 'reporterKind=enterprise&channel=wechat&status=resolved')).toEqual(['L6']);
    expect(await ids(w, 'reporterKind=enterprise&status=collected')).toEqual([]);
    expect(await ids(who.district, 'reporterKind=enterprise')).toEqual(['K1', 'L6']);
    expect(await ids(who.district, 'reporterKind=enterprise&sort=deadline&order=asc')).toHaveLength(2);
    expect((await list(who.district, 'reporterKind=enterprise')).json()).toMatchObject({ total: 2, totalExact: true });
    expect((await list(w, 'reporterKind=resident&limit=2')).json()).toMatchObject({ total: 6, totalExact: true });
    expect(await ids(w, 'extension=none')).not.toContain('L3');
    const from = new Date(t - 5 * HOUR).toISOString();
    const to = new Date(t - 2 * HOUR).toISOString();
    expect(await ids(w, `from=${from}&to=${to}`)).toEqual(['L4', 'L3', 'L2']);
    expect(await ids(w, `from=${encodeURIComponent('2026-11-27T08:00:00+08:00')}`)).toEqual(['S1', 'L5']);
  });

  it('sorts by creation, deadline or status, either way', async () => {
    const w = who.community;
    expect(await ids(w, 'order=asc')).toEqual(['L6', 'L1', 'L2', 'L3', 'L4', 'L5']);
    const byDeadline = (await list(w, 'sort=deadline&order=asc')).json().items.map((a: { deadline: string }) => Date.parse(a.deadline));
    expect(byDeadline).toEqual([...byDeadline].sort((a, b) => a - b));
    expect(await ids(w, 'sort=status&order=asc')).toEqual(['L1', 'L2', 'L3', 'L4', 'L6', 'L5']);
    expect(await ids(w, 'sort=status')).toEqual(['L5', 'L6', 'L4', 'L3', 'L2', 'L1']);
  });

  it('pages with a cursor: every appeal once, stable while new appeals arrive and others move on', async () => {
    for (const sort of ['created', 'deadline', 'status']) {
      const all = await ids(who.district, `sort=${sort}&limit=200`);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await list(who.district, `sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        seen.push(...res.json().items.map((a: { id: string }) => a.id));
        cursor = res.json().nextCursor;
      } while (cursor);
      expect(seen, sort).toEqual(all);
    }
    const first = (await list(who.community, 'limit=2')).json();
    expect(first.items.map((a: { id: string }) => a.id)).toEqual(['L5', 'L4']);
    expect(first.total).toBe(6);
    await post(app, [created(t - 60_000, 'L7'), moved(t - 30_000, 'L2', 'dispatched', { unit: '坪山街道办' })]);
    const second = (await list(who.community, `limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((a: { id: string }) => a.id)).toEqual(['L3', 'L2']);
    expect(second.items[1].status).toBe('dispatched');
    expect(second.total).toBe(7);
  });

  it('answers malformed queries with 400 and a message a person can act on', async () => {
    const cases: [string, RegExp][] = [
      ['limit=201', /limit must be 1–200/],
      ['limit=0', /limit must be 1–200/],
      ['limit=ten', /limit/],
      ['status=open', /unknown status "open"; one of collected/],
      ['status=collected,bogus', /unknown status "bogus"/],
      ['category=999', /unknown category code "999"/],
      ['channel=pigeon', /unknown channel code "pigeon"/],
      ['reporterKind=company', /^unknown reporterKind "company"; one of resident, enterprise$/],
      ['reporterKind=', /reporterKind/],
      ['overdue=yes', /overdue/],
      ['sort=title', /sort/],
      ['order=up', /order/],
      ['from=yesterday', /from/],
      [`from=${new Date(t).toISOString()}&to=${new Date(t - HOUR).toISOString()}`, /"to" must be later than "from"/],
      ['colour=red', /colour|additional/],
      ['cursor=bm90LWEtY3Vyc29y', /cursor is not valid/],
    ];
    for (const [query, message] of cases) {
      const res = await list(who.district, query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.message, query).toMatch(message);
    }
    const cursor = (await list(who.district, 'limit=1')).json().nextCursor;
    const res = await list(who.district, `limit=1&sort=deadline&cursor=${cursor}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'invalid_cursor',
      message: 'the cursor belongs to sort=created&order=desc, not sort=deadline&order=desc',
    });
  });

  it('needs a principal: anonymous callers get 401 (demo mode off)', async () => {
    expect((await app.inject({ url: '/api/v1/appeals' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/appeals/L1' })).statusCode).toBe(401);
    // the administrator reads the whole district (with the PII clearance it was created with, none)
    const admin = (await get(app, '/api/v1/appeals')).json();
    expect(admin.items.length).toBeGreaterThan(7);
  });
});
