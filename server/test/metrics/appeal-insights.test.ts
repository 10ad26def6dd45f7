/**
 * The appeal figures against a hand-worked fixture. Every expected number below is worked out by
 * hand in the comments from the event times; the engine must agree, fed live (clock moving with
 * the events) and replayed at one instant (a restart).
 */
import { describe, expect, it } from 'vitest';
import { appeal, at, DISTRICT, KENGZI, LIULIAN, live, logOf, replay, stateOf, STREET_KENGZI, STREET_PINGSHAN } from './engine-harness.ts';

const U1 = '坪山街道城管执法队';
const U2 = '坑梓街道城管执法队';
const U3 = '区市场监管局';

// "Now" is day D (2026-11-27) 16:00 local. Times are local; D-1 is yesterday.
const NOW = at(0, 16);

// A: 市容环卫 5-01, Pingshan street, created D 08:00, due D+2 08:00. Full path with one rework.
//   verified 08:30 (verify 30 min), dispatched 09:30 to U1 (dispatch 60), handling 11:30 (accept 120),
//   resolved 13:30 (handle 120), back to handling 14:00 (a return for rework),
//   resolved 15:00 (handle 60, timed from re-entering handling at 14:00), closed 15:30 (close 30).
const A = appeal('A', { where: LIULIAN, category: '5', subcategory: '5-01', createdAt: at(0, 8), deadline: at(2, 8) })
  .to('verified', at(0, 8, 30))
  .to('dispatched', at(0, 9, 30), { unit: U1 })
  .to('handling', at(0, 11, 30))
  .to('resolved', at(0, 13, 30))
  .to('handling', at(0, 14))
  .to('resolved', at(0, 15))
  .to('closed', at(0, 15, 30), { satisfaction: 'satisfied' });

// B: 5-01, Pingshan, created D 09:00, due D 18:00: 2 h away at 16:00, inside the 4 h warning → due soon.
//   verified 10:00 (verify 60), dispatched 10:10 to U1 (dispatch 10), handling 12:10 (accept 120).
const B = appeal('B', { where: LIULIAN, category: '5', subcategory: '5-01', createdAt: at(0, 9), deadline: at(0, 18) })
  .to('verified', at(0, 10))
  .to('dispatched', at(0, 10, 10), { unit: U1 })
  .to('handling', at(0, 12, 10));

// C: 环保水务 3-01, Kengzi, created D-1 10:00, due D 12:00 → overdue at 16:00.
//   verified D-1 10:20 (verify 20), dispatched D-1 11:20 to U2 (dispatch 60);
//   asks for more time D 13:00 (until D+1 12:00): pending, no decision yet.
const C = appeal('C', { where: KENGZI, category: '3', subcategory: '3-01', createdAt: at(-1, 10), deadline: at(0, 12) })
  .to('verified', at(-1, 10, 20))
  .to('dispatched', at(-1, 11, 20), { unit: U2 })
  .extension('requested', at(0, 13), at(1, 12));

// E: 3 (no subcategory), Pingshan, created D 07:00, due D 10:00, still collected → overdue, no unit.
const E = appeal('E', { where: LIULIAN, category: '3', createdAt: at(0, 7), deadline: at(0, 10) });

// F: 5-02, Kengzi, an enquiry created D 09:00, due D+1 09:00: resolved at once 09:20 (collected → resolved
//   completes none of the five stages), closed 10:20 (close 60).
const F = appeal('F', { where: KENGZI, category: '5', subcategory: '5-02', nature: 'enquiry', createdAt: at(0, 9), deadline: at(1, 9) })
  .to('resolved', at(0, 9, 20))
  .to('closed', at(0, 10, 20), { satisfaction: 'basically_satisfied' });

// G: 安全隐患 1, Pingshan, created D 11:00, rejected 11:30.
const G = appeal('G', { where: LIULIAN, category: '1', createdAt: at(0, 11), deadline: at(1, 11) }).to('rejected', at(0, 11, 30));

// H: 5-01, Kengzi, created D-10 08:00, due D-5: verified D-10 09:00 (verify 60), dispatched 10:00 to U2
//   (dispatch 60), handling 12:00 (accept 120), resolved D-9 12:00 (handle 1440), back to handling
//   D-9 13:00 (rework), resolved D-8 13:00 (handle 1440), closed D-8 14:00 (close 60).
const H = appeal('H', { where: KENGZI, category: '5', subcategory: '5-01', createdAt: at(-10, 8), deadline: at(-5, 8) })
  .to('verified', at(-10, 9))
  .to('dispatched', at(-10, 10), { unit: U2 })
  .to('handling', at(-10, 12))
  .to('resolved', at(-9, 12))
  .to('handling', at(-9, 13))
  .to('resolved', at(-8, 13))
  .to('closed', at(-8, 14));

// I: 食药市监 9, Pingshan, created D-31 08:00, due D+5: verified D-30 08:00 (verify 1440, but on day D-30:
//   outside the 30-day window D-29…D), dispatched D-29 08:00 to U3 (dispatch 1440, inside the window).
const I = appeal('I', { where: LIULIAN, category: '9', createdAt: at(-31, 8), deadline: at(5, 8) })
  .to('verified', at(-30, 8))
  .to('dispatched', at(-29, 8), { unit: U3 });

// J1, J2: category 1 last week (D-8, D-9), Kengzi, still collected, due D+3.
const J1 = appeal('J1', { where: KENGZI, category: '1', createdAt: at(-8, 9), deadline: at(3, 9) });
const J2 = appeal('J2', { where: KENGZI, category: '1', createdAt: at(-9, 9), deadline: at(3, 9) });

const LOG = logOf(A, B, C, E, F, G, H, I, J1, J2);

describe('appeal figures on a hand-worked fixture (day D 16:00)', () => {
  const { engine } = live(LOG, NOW);
  const d = engine.snapshot(DISTRICT)!;

  it('times each stage over the completions of the last 30 days: exact mean, bucketed median', () => {
    // verify:   A 30, B 60, C 20, H 60 (I's 1440 is on D-30: out)  → n 4, mean 170/4 = 42.5
    //           lower median = 2nd of 20,30,60,60 = 30 min → bucket 1+floor(8·log2 30) = 1+floor(39.25) = 40,
    //           centre 2^(39.5/8) = 2^4.9375 = 30.64 → 30.6
    // dispatch: A 60, B 10, C 60, H 60, I 1440 → n 5, mean 1630/5 = 326
    //           median = 3rd of 10,60,60,60,1440 = 60 → bucket 1+floor(47.25) = 48, 2^(47.5/8) = 61.29 → 61.3
    // accept:   A 120, B 120, H 120 → n 3, mean 120; median 120 → bucket 56, 2^(55.5/8) = 122.57 → 122.6
    // handle:   A 120, A 60, H 1440, H 1440 → n 4, mean 3060/4 = 765; median = 2nd of 60,120,… = 120 → 122.6
    // close:    A 30, F 60, H 60 → n 3, mean 50; median 60 → 61.3
    expect(d['appeals.stageTimes']).toEqual({
      verify: { count: 4, meanMinutes: 42.5, medianMinutes: 30.6 },
      dispatch: { count: 5, meanMinutes: 326, medianMinutes: 61.3 },
      accept: { count: 3, meanMinutes: 120, medianMinutes: 122.6 },
      handle: { count: 4, meanMinutes: 765, medianMinutes: 122.6 },
      close: { count: 3, meanMinutes: 50, medianMinutes: 61.3 },
    });
  });

  it('rework rate: returns for rework ÷ resolutions over 30 days', () => {
    // resolutions: A 13:30, A 15:00, F 09:20, H D-9, H D-8 = 5; returns: A 14:00, H D-9 = 2 → 0.4
    expect(d['appeals.rework']).toEqual({ returned: 2, resolved: 5, rate: 0.4 });
    // Kengzi street: resolutions F, H, H = 3; return H = 1 → 0.3333
    expect(engine.snapshot(STREET_KENGZI)!['appeals.rework']).toEqual({ returned: 1, resolved: 3, rate: 0.3333 });
  });

  it("funnel of today's appeals by the furthest step reached", () => {
    // created today: A (closed), B (handling), E (collected), F (closed, via collected → resolved), G (rejected from collected)
    // reached ≥ verified: A, B, F = 3 (F skipped the middle steps but got further); ≥ resolved: A, F = 2
    expect(d['appeals.funnel']).toEqual({ collected: 5, verified: 3, dispatched: 3, handling: 3, resolved: 2, closed: 2, rejected: 1 });
    expect(d['appeals.funnel'].collected).toBe(d['appeals.today']);
  });

  it('open, overdue, due soon and the on-time closure rate', () => {
    // open: B, C, E, I, J1, J2 = 6; overdue: C (due D 12:00), E (due D 10:00) = 2; due soon: B (due 18:00) = 1
    expect(d['appeals.open']).toBe(6);
    expect(d['appeals.overdue']).toBe(2);
    expect(d['appeals.dueSoon']).toBe(1);
    // closed today on time: A (resolved 15:00 ≤ D+2 08:00), F (09:20 ≤ D+1 09:00) → 2 ÷ (2 closed + 2 overdue) = 0.5
    expect(d['appeals.closedOnTimeToday']).toBe(2);
    expect(d['appeals.onTimeRate']).toBe(0.5);
    expect(engine.snapshot(STREET_PINGSHAN)!['appeals.dueSoon']).toBe(1);
    expect(engine.snapshot(STREET_KENGZI)!['appeals.dueSoon']).toBe(0);
  });

  it('overdue by responsible unit, most overdue first', () => {
    // U1: B open, not overdue → not listed. U2: C open and overdue. U3: I open, not overdue → not listed.
    // not dispatched: E (overdue), J1, J2 (open) → overdue 1, open 3; ties on overdue go to the unit with more open
    expect(d['appeals.overdueByUnit']).toEqual([
      { unit: null, overdue: 1, open: 3 },
      { unit: U2, overdue: 1, open: 1 },
    ]);
    expect(engine.snapshot(STREET_KENGZI)!['appeals.overdueByUnit']).toEqual([{ unit: U2, overdue: 1, open: 1 }]);
  });

  it('pending extension requests per scope', () => {
    expect(d['appeals.extensionsPending']).toBe(1); // C
    expect(engine.snapshot(STREET_KENGZI)!['appeals.extensionsPending']).toBe(1);
    expect(engine.snapshot(STREET_PINGSHAN)!['appeals.extensionsPending']).toBe(0);
    expect(engine.appeals.get('C')!.pendingUntil).toBe(at(1, 12));
  });

  it('hot categories and subcategories: last 7 days (D-6…D) against the 7 before (D-13…D-7)', () => {
    // category 5: last A, B, F = 3, before H (D-10) = 1 → rise 2, rate 2
    // category 3: last C (D-1), E = 2, before 0 → rise 2, rate null (ranks after 5: fewer in the last week)
    // category 1: last G = 1, before J1 (D-8), J2 (D-9) = 2 → falls: not listed; 9: I is D-31, out of both weeks
    expect(d['appeals.hotCategories']).toEqual([
      { code: '5', last: 3, previous: 1, rise: 2, riseRate: 2 },
      { code: '3', last: 2, previous: 0, rise: 2, riseRate: null },
    ]);
    // 5-01: A, B vs H → rise 1, rate 1; 3-01: C vs 0; 5-02: F vs 0 → rise 1 each, by code
    expect(d['appeals.hotSubcategories']).toEqual([
      { code: '5-01', last: 2, previous: 1, rise: 1, riseRate: 1 },
      { code: '3-01', last: 1, previous: 0, rise: 1, riseRate: null },
      { code: '5-02', last: 1, previous: 0, rise: 1, riseRate: null },
    ]);
  });

  it('a replay of the same log at the same instant gives the same figures and appeals', () => {
    expect(stateOf(replay(LOG, NOW))).toEqual(stateOf(engine));
  });

  it('after midnight the windows move on, live and replayed alike', () => {
    // D+1 00:10: the 30-day window is D-28…D+1, so I's dispatch (D-29) leaves it:
    // dispatch n 4, mean (60+10+60+60)/4 = 47.5, median 2nd of 10,60,60,60 = 60 → 61.3.
    // Today's funnel starts empty; B (due D 18:00) is now overdue as well: overdue 3, due soon 0.
    const next = at(1, 0, 10);
    const { engine: moved, clock } = live(LOG, NOW);
    clock.set(next);
    moved.advance(); // what the live channel's tick does: the day rolls over, B's deadline timer fires
    const m = moved.snapshot(DISTRICT)!;
    expect(m['appeals.stageTimes'].dispatch).toEqual({ count: 4, meanMinutes: 47.5, medianMinutes: 61.3 });
    expect(m['appeals.funnel']).toEqual({ collected: 0, verified: 0, dispatched: 0, handling: 0, resolved: 0, closed: 0, rejected: 0 });
    expect(m['appeals.overdue']).toBe(3);
    expect(m['appeals.dueSoon']).toBe(0);
    // U1 now has B overdue: 1 overdue, 1 open; ties on overdue (1, 1, 1) by open (3 first) then by name
    expect(m['appeals.overdueByUnit']).toEqual([
      { unit: null, overdue: 1, open: 3 },
      { unit: U2, overdue: 1, open: 1 },
      { unit: U1, overdue: 1, open: 1 },
    ]);
    expect(stateOf(replay(LOG, next))).toEqual(stateOf(moved));
  });

  it('a week later nothing rises: last week becomes the week before', () => {
    // D+7: last = D+1…D+7 (nothing), before = D-6…D → every count fell
    const later = live(LOG, at(7, 9)).engine.snapshot(DISTRICT)!;
    expect(later['appeals.hotCategories']).toEqual([]);
    expect(later['appeals.hotSubcategories']).toEqual([]);
    expect(replay(LOG, at(7, 9)).snapshot(DISTRICT)).toEqual(later);
  });

  it('three weeks later the 30-day window has let go of days D-9 and D-8', () => {
    // D+22: the window is D-7…D+22. H's resolutions (D-9, D-8) and return (D-9) leave it:
    // rework: returned A = 1, resolved A, A, F = 3 → 0.3333; handle: A 120, A 60 → n 2, mean 90, median 60 → 61.3
    const later = live(LOG, at(22, 9)).engine.snapshot(DISTRICT)!;
    expect(later['appeals.rework']).toEqual({ returned: 1, resolved: 3, rate: 0.3333 });
    expect(later['appeals.stageTimes'].handle).toEqual({ count: 2, meanMinutes: 90, medianMinutes: 61.3 });
    expect(replay(LOG, at(22, 9)).snapshot(DISTRICT)).toEqual(later);
  });

  it('due soon starts 4 h before the deadline', () => {
    // at 13:59 B (due 18:00) is 4 h 1 min away: not yet; at 14:00 it is exactly 4 h away: due soon
    const upTo = (t: number) => LOG.filter((s) => s.receivedAt <= t);
    expect(live(upTo(at(0, 13, 59)), at(0, 13, 59)).engine.snapshot(DISTRICT)!['appeals.dueSoon']).toBe(0);
    const { engine: e, clock } = live(upTo(at(0, 13, 59)), at(0, 13, 59));
    clock.set(at(0, 14));
    e.advance();
    expect(e.snapshot(DISTRICT)!['appeals.dueSoon']).toBe(1);
    expect(e.snapshot(STREET_PINGSHAN)!['appeals.dueSoon']).toBe(1);
  });
});
