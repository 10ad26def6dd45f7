/**
 * Deadline extensions in the engine: a request is pending until a decision; an approval moves the
 * deadline and with it the overdue and due-soon figures and their timers; a denial changes nothing
 * but the pending count. Each step is checked live, then the whole log is replayed.
 */
import { describe, expect, it } from 'vitest';
import type { CityProjections } from '../../src/modules/city-projections.ts';
import { appeal, at, clockAt, DISTRICT, LIULIAN, logOf, newEngine, replay, stateOf } from './engine-harness.ts';
import type { StoredEvent } from '../../src/core/store/event-store.ts';

const UNIT = '坪山街道城管执法队';

/** A live engine fed one event at a time, the clock at each event's time unless told otherwise. */
function stepper(start: number) {
  const clock = clockAt(start);
  const engine = newEngine(clock);
  const log: StoredEvent[] = [];
  return {
    engine,
    log,
    clock,
    /** Moves the clock (never back) and lets timers fire, as the live channel's tick does. */
    tick(t: number) {
      clock.set(t);
      engine.advance();
    },
    feed(events: { events: { event: StoredEvent['event']; community: string }[] }, from: number) {
      for (const s of logOf(events).slice(from)) {
        const stored = { ...s, seq: log.length + 1 };
        log.push(stored);
        if (stored.receivedAt > clock.now()) clock.set(stored.receivedAt);
        engine.advance();
        engine.apply(stored);
      }
    },
  };
}

const figures = (engine: CityProjections) => {
  const m = engine.snapshot(DISTRICT)!;
  return {
    overdue: m['appeals.overdue'],
    dueSoon: m['appeals.dueSoon'],
    pending: m['appeals.extensionsPending'],
    units: m['appeals.overdueByUnit'],
  };
};

describe('deadline extensions', () => {
  it('approval moves an overdue appeal’s deadline into the future: no longer overdue; denial changes only the pending count', () => {
    // X: created D 08:00, due D 12:00, dispatched 09:00. At 13:00 it is overdue (12:00 ≤ 13:00).
    const s = stepper(at(0, 8));
    const X = appeal('X', { where: LIULIAN, category: '5', createdAt: at(0, 8), deadline: at(0, 12) })
      .to('verified', at(0, 8, 30))
      .to('dispatched', at(0, 9), {
        unit: UNIT,
      });
    s.feed(X, 0);
    s.tick(at(0, 13));
    expect(figures(s.engine)).toEqual({ overdue: 1, dueSoon: 0, pending: 0, units: [{ unit: UNIT, overdue: 1, open: 1 }] });

    // 13:00 request until D+1 12:00: pending 1, still overdue (nothing moves before a decision)
    X.extension('requested', at(0, 13), at(1, 12));
    s.feed(X, 3);
    expect(s.engine.appeals.get('X')).toMatchObject({ pendingUntil: at(1, 12), deadline: at(0, 12), overdue: true });
    expect(figures(s.engine)).toMatchObject({ overdue: 1, pending: 1 });

    // 14:00 approved with no `until`: the deadline becomes the requested D+1 12:00 (22 h away) → not overdue, not due soon
    X.extension('approved', at(0, 14));
    s.feed(X, 4);
    expect(s.engine.appeals.get('X')).toMatchObject({ pendingUntil: null, deadline: at(1, 12), overdue: false, dueSoon: false });
    expect(figures(s.engine)).toEqual({ overdue: 0, dueSoon: 0, pending: 0, units: [] });

    // the new deadline's timers: due soon from D+1 08:00 (12:00 − 4 h), overdue from D+1 12:00
    s.tick(at(1, 7, 59));
    expect(figures(s.engine)).toMatchObject({ overdue: 0, dueSoon: 0 });
    s.tick(at(1, 8));
    expect(figures(s.engine)).toMatchObject({ overdue: 0, dueSoon: 1 });
    s.tick(at(1, 12));
    expect(figures(s.engine)).toMatchObject({ overdue: 1, dueSoon: 0 });

    // D+1 12:30 request until D+2 12:00, 13:00 denied: deadline unchanged, still overdue, nothing pending
    X.extension('requested', at(1, 12, 30), at(2, 12)).extension('denied', at(1, 13));
    s.feed(X, 5);
    expect(s.engine.appeals.get('X')).toMatchObject({ pendingUntil: null, deadline: at(1, 12), overdue: true });
    expect(figures(s.engine)).toMatchObject({ overdue: 1, pending: 0 });

    // 13:30 request until D+2 12:00; 14:00 approved with its own later `until` D+3 12:00: that one wins
    X.extension('requested', at(1, 13, 30), at(2, 12)).extension('approved', at(1, 14), at(3, 12));
    s.feed(X, 7);
    expect(s.engine.appeals.get('X')).toMatchObject({ deadline: at(3, 12), overdue: false });
    expect(figures(s.engine)).toEqual({ overdue: 0, dueSoon: 0, pending: 0, units: [] });

    expect(stateOf(replay(s.log, s.clock.now()))).toEqual(stateOf(s.engine));
  });

  it('an extended deadline that has passed too keeps the appeal overdue', () => {
    // Y: due D 08:00; at 16:00 an extension to D 10:00 is approved: 10:00 has passed as well
    const s = stepper(at(0, 7));
    const Y = appeal('Y', { where: LIULIAN, category: '5', createdAt: at(0, 7), deadline: at(0, 8) })
      .to('verified', at(0, 7, 15))
      .to('dispatched', at(0, 7, 30), { unit: UNIT })
      .extension('requested', at(0, 15), at(0, 10))
      .extension('approved', at(0, 16));
    s.feed(Y, 0);
    expect(s.engine.appeals.get('Y')).toMatchObject({ deadline: at(0, 10), overdue: true });
    expect(figures(s.engine)).toMatchObject({ overdue: 1, pending: 0 });
    expect(stateOf(replay(s.log, s.clock.now()))).toEqual(stateOf(s.engine));
  });

  it('the timers of the old deadline are ignored once it has moved', () => {
    // Z: due D 22:00 (due soon from 18:00). At 17:00 an extension to D+1 22:00 is approved.
    const s = stepper(at(0, 9));
    const Z = appeal('Z', { where: LIULIAN, category: '5', createdAt: at(0, 9), deadline: at(0, 22) })
      .to('verified', at(0, 9, 30))
      .to('dispatched', at(0, 10), { unit: UNIT })
      .extension('requested', at(0, 16), at(1, 22))
      .extension('approved', at(0, 17));
    s.feed(Z, 0);
    s.tick(at(0, 18, 30)); // the old due-soon time: nothing happens
    expect(figures(s.engine)).toMatchObject({ overdue: 0, dueSoon: 0 });
    s.tick(at(0, 22, 30)); // the old deadline: nothing happens
    expect(figures(s.engine)).toMatchObject({ overdue: 0, dueSoon: 0 });
    s.tick(at(1, 18)); // the new due-soon time
    expect(figures(s.engine)).toMatchObject({ overdue: 0, dueSoon: 1 });
    s.tick(at(1, 22));
    expect(figures(s.engine)).toMatchObject({ overdue: 1, dueSoon: 0 });
    expect(stateOf(replay(s.log, s.clock.now()))).toEqual(stateOf(s.engine));
  });

  it('a decision with no request pending changes nothing (ingest refuses it; an old log may hold one)', () => {
    const s = stepper(at(0, 9));
    const W = appeal('W', { where: LIULIAN, category: '5', createdAt: at(0, 9), deadline: at(0, 10) }).extension(
      'approved',
      at(0, 11),
      at(2, 0),
    );
    s.feed(W, 0);
    expect(s.engine.appeals.get('W')).toMatchObject({ deadline: at(0, 10), overdue: true, pendingUntil: null });
  });

  it('closing the appeal takes it out of overdue, and its pending request lapses with it', () => {
    const s = stepper(at(0, 9));
    const V = appeal('V', { where: LIULIAN, category: '5', createdAt: at(0, 9), deadline: at(0, 10) })
      .to('verified', at(0, 9, 5))
      .to('dispatched', at(0, 9, 10), { unit: UNIT })
      .extension('requested', at(0, 11), at(1, 10))
      .to('handling', at(0, 11, 30))
      .to('resolved', at(0, 12))
      .to('closed', at(0, 12, 30));
    s.feed(V, 0);
    expect(figures(s.engine)).toEqual({ overdue: 0, dueSoon: 0, pending: 0, units: [] });
    // a decision sent afterwards finds nothing to decide: it changes nothing
    V.extension('denied', at(0, 13));
    s.feed(V, 7);
    expect(figures(s.engine)).toMatchObject({ pending: 0 });
    expect(stateOf(replay(s.log, s.clock.now()))).toEqual(stateOf(s.engine));
  });
});
