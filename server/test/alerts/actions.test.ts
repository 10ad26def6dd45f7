/**
 * The alerts API: the queue and recent alerts of a scope, one alert (by its id or a merged
 * detection's), actions with role rules, scope, CSRF, read-only walls, lifecycle refusals and the
 * audit log; confirm creating an appeal that closes the loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ALERT_MASKING, AlertView, roundCoordinate, type AlertView as AlertViewType } from '@commandhall/shared';
import { credsOf, get, makeApp, post, tempDir, testClock, LIULIAN } from '../helpers.ts';
import { COMMUNITY, DISTRICT, OTHER_STREET, SIBLING, STREET, actAs, device, getAs, person, type Who } from '../appeals/fixtures.ts';
import { KENGZI_COMMUNITY, actOnAlert, detection } from './fixtures.ts';

const MIN = 60_000;

describe('alerts API', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  const t = clock.now();
  const who: Record<string, Who> = {};
  const accepted = async (events: unknown[]) => {
    const res = await post(app, events);
    expect(res.statusCode, res.body).toBe(200);
  };
  const audit = async (action: string) =>
    (await get(app, `/api/v1/admin/audit?action=${action}&limit=500`)).json().entries as {
      actor: string;
      target: string;
      outcome: string;
      details?: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    who.district = await person(app, 'dir-district', 'district_director', DISTRICT);
    who.street = await person(app, 'dir-street', 'street_director', STREET);
    who.otherStreet = await person(app, 'dir-kengzi', 'street_director', OTHER_STREET);
    who.community = await person(app, 'dir-community', 'community_director', COMMUNITY);
    who.sibling = await person(app, 'dir-sibling', 'community_director', `community:${SIBLING.code}`);
    who.operator = await person(app, 'op-street', 'operator', STREET);
    who.wall = await device(app, 'community hall', COMMUNITY);
    const { cookie, csrf } = credsOf(app);
    who.admin = { name: 'admin', cookie, csrf };
    await accepted([
      detection(t - 30 * MIN, 'VA-1', { address: '坪山街道六联社区深坪路口' }),
      detection(t - 26 * MIN, 'VA-1b'), // merges into VA-1
      detection(t - 20 * MIN, 'VA-2', { algorithm: 'street_hanging' }),
      detection(t - 10 * MIN, 'VA-3', { algorithm: 'road_vending' }),
      detection(t - 5 * MIN, 'VA-S', { community: SIBLING.code, camera: 'CAM-S' }),
      detection(t - 4 * MIN, 'VA-K', { community: KENGZI_COMMUNITY, camera: 'CAM-K' }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('lists a scope’s queue newest first, within the caller’s area only', async () => {
    const mine = await getAs(app, who.community, '/api/v1/alerts');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ scope: COMMUNITY, total: 3, nextCursor: null });
    expect(mine.json().items.map((a: AlertViewType) => [a.id, a.count, a.level])).toEqual([
      ['VA-3', 1, 'street'],
      ['VA-2', 1, 'district'],
      ['VA-1', 2, 'district'],
    ]);
    const street = (await getAs(app, who.street, '/api/v1/alerts?limit=2')).json();
    expect(street.items.map((a: AlertViewType) => a.id)).toEqual(['VA-S', 'VA-3']);
    expect(street.total).toBe(4);
    const next = (await getAs(app, who.street, `/api/v1/alerts?limit=2&cursor=${street.nextCursor}`)).json();
    expect(next.items.map((a: AlertViewType) => a.id)).toEqual(['VA-2', 'VA-1']);
    expect(next.nextCursor).toBeNull();
    const wall = await getAs(app, who.wall, '/api/v1/alerts');
    expect(wall.statusCode).toBe(200);
    expect(wall.json().total).toBe(3);
    expect((await getAs(app, who.district, '/api/v1/alerts')).json().total).toBe(5);

    expect((await getAs(app, who.sibling, `/api/v1/alerts?scope=${COMMUNITY}`)).statusCode).toBe(403);
    expect((await getAs(app, who.otherStreet, `/api/v1/alerts?scope=${STREET}`)).statusCode).toBe(403);
    expect((await getAs(app, who.district, '/api/v1/alerts?scope=community:440310999999')).statusCode).toBe(404);
    const bad = await getAs(app, who.district, '/api/v1/alerts?status=lost');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/unknown status "lost"/);
  });

  it('shows one alert by its id or a merged detection’s, with its detections; outside the area it is a 404', async () => {
    const res = await getAs(app, who.community, '/api/v1/alerts/VA-1b');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.alert).toMatchObject({
      id: 'VA-1',
      status: 'raised',
      count: 2,
      community: LIULIAN.code,
      location: { address: '坪山街道' }, // to its street without clearance (masking.ts)
      lastDetectedAt: new Date(t - 26 * MIN).toISOString(),
      escalated: true,
    });
    expect(body).toMatchObject({ communityName: '六联社区', streetName: '坪山街道', actions: ['acknowledge', 'confirm', 'dismiss'] });
    expect(body.detections).toEqual([
      { id: 'VA-1', status: 'raised' },
      { id: 'VA-1b', status: 'raised' },
    ]);
    // every field the view has a masking treatment
    for (const f of Object.keys(AlertView.properties)) if (f !== 'location') expect(ALERT_MASKING, f).toHaveProperty([f]);
    expect((await getAs(app, who.wall, '/api/v1/alerts/VA-1')).json().actions).toEqual([]);
    expect((await getAs(app, who.admin, '/api/v1/alerts/VA-1')).json().actions).toEqual([]);
    for (const w of [who.sibling, who.otherStreet]) {
      const other = await getAs(app, w, '/api/v1/alerts/VA-1');
      expect(other.statusCode).toBe(404);
      expect(other.json().error).toEqual({ code: 'not_found', message: 'no alert "VA-1" in your area' });
    }
    expect((await getAs(app, who.district, '/api/v1/alerts/NOPE')).statusCode).toBe(404);
  });

  it('acknowledges through a merged detection’s id, then refuses a second acknowledgement with 409', async () => {
    const res = await actOnAlert(app, who.community, 'VA-1b', { action: 'acknowledge', note: '已派人查看' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      eventId: expect.stringMatching(/^console\./),
      appealId: null,
      alert: { id: 'VA-1', status: 'acknowledged', by: 'user:dir-community', note: '已派人查看', level: 'district' },
      actions: ['confirm', 'dismiss'],
    });
    const again = await actOnAlert(app, who.street, 'VA-1', { action: 'acknowledge' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'illegal_transition',
      details: { status: 'acknowledged', allowedMoves: ['confirmed', 'dismissed'], possibleActions: ['confirm', 'dismiss'] },
    });
    expect(again.json().error.message).toMatch(/cannot move alert from "acknowledged" to "acknowledged"/);
    const [ok] = (await audit('alert.acknowledge')).filter((e) => e.outcome === 'ok');
    expect(ok).toMatchObject({
      actor: 'user:dir-community',
      target: 'alert:VA-1',
      details: { requested: 'VA-1b', from: 'raised', to: 'acknowledged', detections: 2 },
    });
  });

  it('dismisses with a reason only', async () => {
    const none = await actOnAlert(app, who.operator, 'VA-2', { action: 'dismiss' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('reason_required');
    const misplaced = await actOnAlert(app, who.operator, 'VA-2', { action: 'acknowledge', reason: '误报' });
    expect(misplaced.statusCode).toBe(400);
    const res = await actOnAlert(app, who.operator, 'VA-2', { action: 'dismiss', reason: '晾晒在自家阳台，非沿街' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().alert).toMatchObject({ status: 'dismissed', reason: '晾晒在自家阳台，非沿街', by: 'user:op-street' });
    const confirmDismissed = await actOnAlert(app, who.district, 'VA-2', { action: 'confirm' });
    expect(confirmDismissed.statusCode).toBe(409);
    expect(confirmDismissed.json().error.message).toMatch(/none \(final state\)/);
    expect((await audit('alert.confirm')).find((e) => e.target === 'alert:VA-2')).toMatchObject({
      actor: 'user:dir-district',
      outcome: 'failed',
      details: { status: 'dismissed' },
    });
  });

  it('confirm creates an appeal from the alert, linked both ways; once it is closed, the share of confirmed and closed moves', async () => {
    const before = (await getAs(app, who.community, `/api/v1/metrics/${COMMUNITY}`)).json().metrics;
    expect(before['alerts.confirmedClosed']).toEqual({ confirmed: 0, closed: 0, rate: null });

    const res = await actOnAlert(app, who.community, 'VA-3', { action: 'confirm', note: '摊主已劝离，需城管跟进' });
    expect(res.statusCode, res.body).toBe(200);
    const appealId = res.json().appealId as string;
    expect(appealId).toMatch(/^AP-VA-/);
    expect(res.json().alert).toMatchObject({ id: 'VA-3', status: 'confirmed', appealId, acknowledgedAt: new Date(t).toISOString() });
    expect((await getAs(app, who.street, '/api/v1/alerts/VA-3')).json().alert.appealId).toBe(appealId);

    const appeal = await getAs(app, who.community, `/api/v1/appeals/${appealId}`);
    expect(appeal.statusCode, appeal.body).toBe(200);
    expect(appeal.json().appeal).toMatchObject({
      id: appealId,
      channel: 'video_ai',
      nature: 'request',
      category: '5',
      subcategory: '5-08', // road_vending → 市容环境 / 占道经营
      community: LIULIAN.code,
      status: 'collected',
      title: '占道经营 · 六联社区',
      location: { lon: roundCoordinate(LIULIAN.lon), lat: roundCoordinate(LIULIAN.lat) },
    });
    expect(appeal.json().appeal.description).toContain('视频AI告警 VA-3');
    expect(appeal.json().appeal.description).toContain('摊主已劝离，需城管跟进');
    expect(appeal.json().timeline[0]).toMatchObject({ type: 'appeal.created', by: 'user:dir-community', channel: 'video_ai' });

    const confirmed = (await getAs(app, who.community, `/api/v1/metrics/${COMMUNITY}`)).json().metrics;
    expect(confirmed['alerts.confirmedClosed']).toEqual({ confirmed: 1, closed: 0, rate: 0 });
    for (const body of [{ action: 'verify' }, { action: 'resolve' }, { action: 'close', satisfaction: 'satisfied' }]) {
      const step = await actAs(app, who.community, appealId, body);
      expect(step.statusCode, step.body).toBe(200);
    }
    const closed = (await getAs(app, who.community, `/api/v1/metrics/${COMMUNITY}`)).json().metrics;
    expect(closed['alerts.confirmedClosed']).toEqual({ confirmed: 1, closed: 1, rate: 1 });
    expect(closed['alerts.falsePositives']).toMatchObject({ dismissed: 1, decided: 2, rate: 0.5 });
    expect((await audit('alert.confirm')).find((e) => e.target === 'alert:VA-3')).toMatchObject({
      outcome: 'ok',
      details: { appealId, from: 'raised', to: 'confirmed' },
    });
  });

  it('keeps to the role, the scope, CSRF and read-only walls, and audits every attempt', async () => {
    const wall = await actOnAlert(app, who.wall, 'VA-1', { action: 'dismiss', reason: 'x' });
    expect(wall.statusCode).toBe(403);
    expect(wall.json().error).toEqual({ code: 'forbidden', message: 'a wall display can only read' });
    const admin = await actOnAlert(app, who.admin, 'VA-1', { action: 'confirm' });
    expect(admin.statusCode).toBe(403);
    expect(admin.json().error.message).toBe('administrators may not confirm alerts: the role is read-only for alerts');
    const noCsrf = await actOnAlert(app, who.community, 'VA-1', { action: 'confirm' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    const sibling = await actOnAlert(app, who.sibling, 'VA-1', { action: 'confirm' });
    expect(sibling.statusCode).toBe(404);
    const otherStreet = await actOnAlert(app, who.otherStreet, 'VA-1b', { action: 'dismiss', reason: '误报' });
    expect(otherStreet.statusCode).toBe(404);
    const intoSibling = await actOnAlert(app, who.community, 'VA-S', { action: 'acknowledge' });
    expect(intoSibling.statusCode).toBe(404);
    const unknownAction = await actOnAlert(app, who.community, 'VA-1', { action: 'escalate' });
    expect(unknownAction.statusCode).toBe(400);
    expect((await getAs(app, who.district, '/api/v1/alerts/VA-1')).json().alert.status).toBe('acknowledged');
    expect((await getAs(app, who.district, '/api/v1/alerts/VA-S')).json().alert.status).toBe('raised');

    // a street director acts below their street; a district director anywhere
    expect((await actOnAlert(app, who.street, 'VA-S', { action: 'acknowledge' })).statusCode).toBe(200);
    expect((await actOnAlert(app, who.district, 'VA-K', { action: 'dismiss', reason: '测试' })).statusCode).toBe(200);

    const confirms = (await audit('alert.confirm')).filter((e) => e.target === 'alert:VA-1');
    expect(confirms.map((e) => [e.actor, e.outcome]).reverse()).toEqual([
      ['user:admin', 'denied'],
      ['user:dir-sibling', 'denied'],
    ]);
    const dismissals = (await audit('alert.dismiss')).filter((e) => e.target === 'alert:VA-1b' || e.target === 'alert:VA-K');
    expect(dismissals.map((e) => [e.actor, e.target, e.outcome]).reverse()).toEqual([
      ['user:dir-kengzi', 'alert:VA-1b', 'denied'],
      ['user:dir-district', 'alert:VA-K', 'ok'],
    ]);
  });

  it('lists recent decided alerts by status', async () => {
    const res = (await getAs(app, who.district, '/api/v1/alerts?status=confirmed,dismissed')).json();
    expect(res.items.map((a: AlertViewType) => [a.id, a.status])).toEqual([
      ['VA-K', 'dismissed'],
      ['VA-3', 'confirmed'],
      ['VA-2', 'dismissed'],
    ]);
    const all = (
      await getAs(app, who.street, `/api/v1/alerts?status=all&from=${encodeURIComponent(new Date(t - 12 * MIN).toISOString())}`)
    ).json();
    expect(all.items.map((a: AlertViewType) => a.id)).toEqual(['VA-S', 'VA-3']);
  });
});
