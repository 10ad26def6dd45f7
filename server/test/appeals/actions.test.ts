/**
 * POST /api/v1/appeals/:id/actions: every action from every status, legal and illegal; role
 * rules, scope, CSRF and wall devices; extensions moving the deadline; the dispatch suggestion;
 * the audit log and the events the actions become.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { APPEAL_STATUSES, allowedMoves } from '@commandhall/shared';
import { get, makeApp, post, tempDir, testClock, credsOf } from '../helpers.ts';
import { APPEAL_ACTIONS } from '../../src/modules/appeals/actions.ts';
import { COMMUNITY, DISTRICT, SIBLING, STREET, actAs, device, getAs, person, toStatus, type Who } from './fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where each action takes an appeal from each status; absent: illegal. */
const LEGAL: Record<string, Partial<Record<string, string>>> = {
  collected: { verify: 'verified', resolve: 'resolved', reject: 'rejected' },
  verified: { dispatch: 'dispatched', resolve: 'resolved', reject: 'rejected' },
  dispatched: { handle: 'handling', return: 'verified', extend_request: 'dispatched' },
  handling: { resolve: 'resolved', extend_request: 'handling' },
  resolved: { close: 'closed', return: 'handling' },
  closed: { reopen: 'handling' },
  rejected: {},
};

describe('appeal actions', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  const t = clock.now();
  const who: Record<string, Who> = {};
  const accepted = async (events: unknown[]) => {
    const res = await post(app, events);
    expect(res.statusCode, res.body).toBe(200);
  };
  const bodyFor = (action: string) => ({
    action,
    ...(['return', 'reject', 'reopen', 'extend_request', 'extend_deny'].includes(action) ? { reason: '按规定处理' } : {}),
    ...(action === 'extend_request' ? { until: new Date(t + 60 * DAY).toISOString() } : {}),
    ...(action === 'close' ? { satisfaction: 'satisfied' } : {}),
  });

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    who.district = await person(app, 'dir-district', 'district_director', DISTRICT);
    who.street = await person(app, 'dir-street', 'street_director', STREET);
    who.community = await person(app, 'dir-community', 'community_director', COMMUNITY);
    who.sibling = await person(app, 'dir-sibling', 'community_director', `community:${SIBLING.code}`);
    who.operator = await person(app, 'op-street', 'operator', STREET);
    who.wall = await device(app, 'community hall', COMMUNITY);
    const { cookie, csrf } = credsOf(app);
    who.admin = { name: 'admin', cookie, csrf };
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('takes every legal action from every status, and refuses every illegal one with 409 naming the state and the moves', async () => {
    const events = APPEAL_STATUSES.flatMap((s) => APPEAL_ACTIONS.flatMap((a) => toStatus(t - 2 * HOUR, `${s}-${a}`, s)));
    for (let i = 0; i < events.length; i += 500) await accepted(events.slice(i, i + 500));
    for (const status of APPEAL_STATUSES) {
      for (const action of APPEAL_ACTIONS) {
        const id = `${status}-${action}`;
        const res = await actAs(app, who.district, id, bodyFor(action));
        const to = LEGAL[status][action];
        if (to) {
          expect(res.statusCode, `${action} from ${status}: ${res.body}`).toBe(200);
          expect(res.json().appeal.status, `${action} from ${status}`).toBe(to);
          expect(res.json().eventId).toMatch(/^console\./);
        } else {
          expect(res.statusCode, `${action} from ${status}: ${res.body}`).toBe(409);
          const error = res.json().error;
          expect(error.code).toBe(action.startsWith('extend_') ? 'illegal_extension' : 'illegal_transition');
          expect(error.details).toMatchObject({ status, allowedMoves: [...allowedMoves(status)] });
          if (!action.startsWith('extend_')) {
            expect(error.message).toContain(`"${status}"`);
            expect(error.message).toMatch(status === 'rejected' ? /none \(final state\)/ : /allowed from ".*" are "/);
          }
          expect((await getAs(app, who.district, `/api/v1/appeals/${id}`)).json().appeal.status).toBe(status);
        }
      }
    }
    // the lifecycle's own words, and the action's when the lifecycle has no objection to the move itself
    expect((await actAs(app, who.district, 'collected-close', bodyFor('close'))).json().error.message).toBe(
      'cannot move appeal from "collected" to "closed": allowed from "collected" are "verified", "rejected", "resolved"',
    );
    expect((await actAs(app, who.district, 'resolved-reopen', bodyFor('reopen'))).json().error.message).toBe(
      'cannot reopen an appeal that is "resolved": reopen applies to "closed" appeals; allowed from "resolved" are "closed", "handling"',
    );
  });

  it('records who acted: the event’s producer is the person, the timeline shows the note', async () => {
    await accepted(toStatus(t - HOUR, 'W1', 'resolved'));
    const res = await actAs(app, who.operator, 'W1', { action: 'return', reason: '群众不满意', note: '再次上门' });
    expect(res.statusCode).toBe(200);
    const step = res.json().timeline.at(-1);
    expect(step).toMatchObject({
      from: 'resolved',
      to: 'handling',
      by: 'user:op-street',
      note: '群众不满意\n再次上门',
      eventId: res.json().eventId,
    });
    expect(res.json().appeal.reworks).toBe(1);
    // the engine (live figures) saw it too
    expect(app.engine.appeals.get('W1')!.status).toBe('handling');
  });

  it('suggests the responsible unit on verify; dispatch defaults to it and needs a reason to go elsewhere', async () => {
    await accepted(toStatus(t - HOUR, 'D1', 'collected', { category: '5' }));
    const verified = (await actAs(app, who.community, 'D1', { action: 'verify' })).json();
    const suggestion = verified.suggestion;
    expect(suggestion.unit).toMatch(/.+/);
    expect(verified.actions).toContain('dispatch');

    const away = await actAs(app, who.community, 'D1', { action: 'dispatch', unit: '区城管局' });
    expect(away.statusCode).toBe(400);
    expect(away.json().error).toMatchObject({ code: 'reason_required', details: { suggestion } });
    expect(away.json().error.message).toContain(suggestion.unit);

    const ok = await actAs(app, who.community, 'D1', { action: 'dispatch' });
    expect(ok.json().appeal).toMatchObject({ status: 'dispatched', unit: suggestion.unit });

    await accepted(toStatus(t - HOUR, 'D2', 'verified', { category: '5' }));
    const override = await actAs(app, who.community, 'D2', { action: 'dispatch', unit: '区城管局', reason: '跨社区，需区级协调' });
    expect(override.statusCode).toBe(200);
    expect(override.json().appeal.unit).toBe('区城管局');
    expect(override.json().timeline.at(-1)).toMatchObject({ to: 'dispatched', unit: '区城管局', note: '跨社区，需区级协调' });
    // naming the suggested unit needs no reason
    await accepted(toStatus(t - HOUR, 'D3', 'verified', { category: '5' }));
    expect((await actAs(app, who.community, 'D3', { action: 'dispatch', unit: suggestion.unit })).statusCode).toBe(200);
  });

  it('extensions: a request keeps the deadline, a denial clears it, an approval moves it (read model and engine)', async () => {
    await accepted(toStatus(t - HOUR, 'E1', 'handling', { deadline: t + 2 * DAY }));
    const wanted = new Date(t + 9 * DAY).toISOString();
    const asked = await actAs(app, who.operator, 'E1', { action: 'extend_request', until: wanted, reason: '等待配件' });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().appeal).toMatchObject({
      deadline: new Date(t + 2 * DAY).toISOString(),
      extension: { until: wanted, requestedBy: 'user:op-street', reason: '等待配件' },
    });
    expect(asked.json().actions).not.toContain('extend_approve'); // operators do not decide
    const twice = await actAs(app, who.operator, 'E1', { action: 'extend_request', until: wanted, reason: 'again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('an extension request is already pending: approve or deny it first');

    const denied = await actAs(app, who.community, 'E1', { action: 'extend_deny', reason: '可先行处置' });
    expect(denied.json().appeal).toMatchObject({ deadline: new Date(t + 2 * DAY).toISOString(), extension: null, extensions: 0 });

    await actAs(app, who.operator, 'E1', { action: 'extend_request', until: wanted, reason: '等待配件' });
    const approved = await actAs(app, who.street, 'E1', { action: 'extend_approve' });
    expect(approved.json().appeal).toMatchObject({ deadline: wanted, extension: null, extensions: 1 });
    expect(app.engine.appeals.get('E1')!.deadline).toBe(Date.parse(wanted));
    expect((await app.appealReadModel.get('E1'))!.deadline).toBe(Date.parse(wanted));
    expect(
      approved
        .json()
        .timeline.slice(-4)
        .map((s: { action: string; by: string }) => [s.action, s.by]),
    ).toEqual([
      ['requested', 'user:op-street'],
      ['denied', 'user:dir-community'],
      ['requested', 'user:op-street'],
      ['approved', 'user:dir-street'],
    ]);

    // an approval may grant its own date; the request must beat the deadline as it now is
    const tooEarly = await actAs(app, who.operator, 'E1', {
      action: 'extend_request',
      until: new Date(t + 5 * DAY).toISOString(),
      reason: 'x',
    });
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().error.message).toBe(`"until" must be later than the current deadline ${wanted}`);
    await actAs(app, who.operator, 'E1', { action: 'extend_request', until: new Date(t + 30 * DAY).toISOString(), reason: '再等' });
    const granted = new Date(t + 20 * DAY).toISOString();
    const own = await actAs(app, who.district, 'E1', { action: 'extend_approve', until: granted });
    expect(own.json().appeal).toMatchObject({ deadline: granted, extensions: 2 });
    // the overdue list follows the moved deadline
    clock.advance(10 * DAY);
    const overdue = (await getAs(app, who.district, '/api/v1/appeals?overdue=true&limit=200'))
      .json()
      .items.map((a: { id: string }) => a.id);
    expect(overdue).not.toContain('E1');
    clock.set(t);
  });

  it('needs what each action needs: 400 before anything is written', async () => {
    await accepted(toStatus(t - HOUR, 'B1', 'dispatched'));
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ action: 'extend_request', reason: 'r' }, 'invalid_request', /needs "until"/],
      [{ action: 'extend_request', until: new Date(t + 30 * DAY).toISOString() }, 'reason_required', /extend_request needs a reason/],
      [{ action: 'return' }, 'reason_required', /return needs a reason/],
      [{ action: 'return', reason: '   ' }, 'reason_required', /return needs a reason/],
      [{ action: 'handle', unit: 'x' }, 'invalid_request', /"unit" does not apply to handle/],
      [{ action: 'handle', satisfaction: 'satisfied' }, 'invalid_request', /"satisfaction" does not apply to handle/],
      [{ action: 'handle', until: new Date(t).toISOString() }, 'invalid_request', /"until" does not apply to handle/],
      [{ action: 'accept' }, 'invalid_request', /action/],
      [{ action: 'handle', extra: 1 }, 'invalid_request', /additional/],
      [{ action: 'handle', note: 'x'.repeat(496) }, 'invalid_request', /note/],
      [{ action: 'extend_request', reason: 'r', until: 'next week' }, 'invalid_request', /until/],
      [{}, 'invalid_request', /action/],
    ];
    for (const [body, code, message] of cases) {
      const res = await actAs(app, who.district, 'B1', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code, JSON.stringify(body)).toBe(code);
      expect(res.json().error.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await app.appealReadModel.timeline('B1')).length).toBe(3);
  });

  it('keeps to the role, the scope, CSRF and read-only walls, and audits every attempt', async () => {
    await accepted([...toStatus(t - HOUR, 'R1', 'dispatched'), ...toStatus(t - HOUR, 'R2', 'collected', { community: SIBLING.code })]);
    await actAs(app, who.operator, 'R1', { action: 'extend_request', until: new Date(t + 40 * DAY).toISOString(), reason: '等待' });

    const operatorApproves = await actAs(app, who.operator, 'R1', { action: 'extend_approve' });
    expect(operatorApproves.statusCode).toBe(403);
    expect(operatorApproves.json().error.message).toMatch(/^operators may not extend_approve appeals \(allowed: verify, dispatch/);
    const adminActs = await actAs(app, who.admin, 'R1', { action: 'handle' });
    expect(adminActs.statusCode).toBe(403);
    expect(adminActs.json().error.message).toBe('administrators may not handle appeals: the role is read-only for appeals');
    const wallActs = await actAs(app, who.wall, 'R1', { action: 'handle' });
    expect(wallActs.statusCode).toBe(403);
    expect(wallActs.json().error).toEqual({ code: 'forbidden', message: 'a wall display can only read' });
    const noCsrf = await actAs(app, who.community, 'R1', { action: 'handle' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    const otherCommunity = await actAs(app, who.sibling, 'R1', { action: 'handle' });
    expect(otherCommunity.statusCode).toBe(404);
    expect(otherCommunity.json().error).toEqual({ code: 'not_found', message: 'no appeal "R1" in your area' });
    const intoOtherCommunity = await actAs(app, who.community, 'R2', { action: 'verify' });
    expect(intoOtherCommunity.statusCode).toBe(404);
    expect((await getAs(app, who.district, '/api/v1/appeals/R1')).json().appeal.status).toBe('dispatched');
    expect((await getAs(app, who.district, '/api/v1/appeals/R2')).json().appeal.status).toBe('collected');

    // someone else decides an extension: its requester may not approve it, even as a director
    await accepted(toStatus(t - HOUR, 'R3', 'handling'));
    await actAs(app, who.community, 'R3', { action: 'extend_request', until: new Date(t + 40 * DAY).toISOString(), reason: '等待' });
    const self = await actAs(app, who.community, 'R3', { action: 'extend_approve' });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.message).toBe('you requested this extension: another director decides it');
    expect((await getAs(app, who.community, '/api/v1/appeals/R3')).json().actions).toEqual(['resolve', 'extend_deny']);
    expect((await actAs(app, who.street, 'R3', { action: 'extend_approve' })).statusCode).toBe(200);
    expect((await actAs(app, who.street, 'R1', { action: 'extend_approve' })).statusCode).toBe(200);

    const audit = async (action: string) =>
      (await get(app, `/api/v1/admin/audit?action=${action}&limit=500`)).json().entries as {
        actor: string;
        target: string;
        outcome: string;
        details?: Record<string, unknown>;
      }[];
    const approvals = (await audit('appeal.extend_approve')).filter((e) => e.target === 'appeal:R1' || e.target === 'appeal:R3');
    expect(approvals.map((e) => [e.actor, e.target, e.outcome]).reverse()).toEqual([
      ['user:op-street', 'appeal:R1', 'denied'],
      ['user:dir-community', 'appeal:R3', 'denied'],
      ['user:dir-street', 'appeal:R3', 'ok'],
      ['user:dir-street', 'appeal:R1', 'ok'],
    ]);
    const handles = (await audit('appeal.handle')).filter((e) => e.target === 'appeal:R1');
    expect(handles.map((e) => [e.actor, e.outcome]).reverse()).toEqual([
      ['user:admin', 'denied'],
      ['user:dir-sibling', 'denied'],
    ]);
    const ok = (await audit('appeal.extend_request')).find((e) => e.target === 'appeal:R1' && e.outcome === 'ok')!;
    expect(ok.details).toMatchObject({
      from: 'dispatched',
      until: new Date(t + 40 * DAY).toISOString(),
      eventId: expect.stringMatching(/^console\./),
    });
    const illegal = (await audit('appeal.reopen')).find((e) => e.target === 'appeal:collected-reopen')!;
    expect(illegal).toMatchObject({ actor: 'user:dir-district', outcome: 'failed', details: { status: 'collected' } });
  });
});
