/**
 * The live patch format: what a patch holds after the ticker gains items past its cap, after the
 * alert queue gains, changes and loses alerts, after records change; and, as properties, that
 * applying the diff of any two values (through JSON, as on the wire) gives the second exactly.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  RECENT_CAP,
  WHOLE,
  applyEdit,
  applyPatchTo,
  diffMetrics,
  diffValue,
  EditMismatch,
  type ScopeMetrics,
  type TickerItem,
  type ValueEdit,
} from '../src/index.ts';

const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const item = (i: number): TickerItem => ({
  id: `ev-${i}`,
  type: 'appeal.created',
  at: new Date(Date.UTC(2026, 11, 7, 3, 0, i)).toISOString(),
  community: '440310001001',
  label: '5',
  lon: 114.32,
  lat: 22.69,
});

/** The ticker after `n` events, newest first, capped as the server caps it. */
const ticker = (from: number, n: number): TickerItem[] => Array.from({ length: n }, (_, k) => item(from + n - 1 - k)).slice(0, RECENT_CAP);

/** Applies `edit` as a client would: to what it holds, after the edit crossed the wire. */
function follow(prev: unknown, next: unknown): unknown {
  const d = diffValue(prev, next);
  if (d === undefined) return prev;
  if (d === WHOLE) return wire(next);
  return applyEdit(wire(prev), wire(d));
}

describe('the ticker travels as the items it gains', () => {
  it('a few new items past the cap: those items, and the run of the old list still shown', () => {
    const prev = ticker(0, 40); // ev-39 … ev-10
    const next = ticker(0, 43); // ev-42 … ev-13: three new in front, three dropped off the end
    const d = diffValue(prev, next) as ValueEdit;
    expect(d).toEqual({ list: [{ add: [item(42), item(41), item(40)] }, [0, RECENT_CAP - 3]] });
    expect(applyEdit(prev, d)).toEqual(next);
    expect(JSON.stringify(d).length).toBeLessThan(JSON.stringify(next).length / 5);
  });

  it('a whole new list (more new items than the cap) goes whole', () => {
    expect(diffValue(ticker(0, 30), ticker(100, 30))).toBe(WHOLE);
  });

  it('an unchanged list is no change', () => {
    expect(diffValue(ticker(0, 30), wire(ticker(0, 30)))).toBeUndefined();
  });

  it('a patch of scope figures puts the ticker in edits and scalars in changes', () => {
    const prev = { scope: 'district:440310', day: '2026-12-07', 'appeals.today': 5, recent: ticker(0, 35) } as unknown as ScopeMetrics;
    const next = { ...prev, 'appeals.today': 6, recent: ticker(0, 36) } as ScopeMetrics;
    const p = diffMetrics(prev, next);
    expect(p.changes).toEqual({ 'appeals.today': 6 });
    expect(p.edits).toEqual({ recent: { list: [{ add: [item(35)] }, [0, RECENT_CAP - 1]] } });
    expect(applyPatchTo(prev, wire(p))).toEqual(next);
  });
});

describe('the alert queue travels as the alerts that came, changed or went', () => {
  const alert = (id: number, status = 'raised') => ({ id: `AL-${id}`, status, algorithm: 'road_spill', count: 1, raisedAt: `t${id}` });
  const queue = (ids: number[]) => ids.map((i) => alert(i));

  it('one alert acknowledged in the middle: the runs around it and the alert as it is now', () => {
    const prev = queue([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const next = prev.map((a) => (a.id === 'AL-5' ? { ...a, status: 'acknowledged' } : a));
    expect(diffValue(prev, next)).toEqual({ list: [[0, 4], { add: [next[4]] }, [5, 10]] });
  });

  it('one alert decided past the cap: it goes, the next older one comes back at the end', () => {
    const all = queue([60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50]);
    const prev = all.slice(0, 10);
    const next = all.filter((a) => a.id !== 'AL-57').slice(0, 10);
    const d = diffValue(prev, next);
    expect(d).toEqual({ list: [[0, 3], [4, 10], { add: [all[10]] }] });
    expect(follow(prev, next)).toEqual(next);
  });
});

describe('objects travel as the entries that changed', () => {
  it('one community figure: that figure only, nested', () => {
    const prev = {
      '440310001001': { today: 10, open: 134, overdue: 2, alertsToday: 5 },
      '440310004004': { today: 30, open: 201, overdue: 9, alertsToday: 3 },
    };
    const next = { ...prev, '440310001001': { ...prev['440310001001'], today: 11 } };
    expect(diffValue(prev, next)).toEqual({ edit: { '440310001001': { set: { today: 11 } } } });
  });

  it('keys added and removed; the client keeps the server key order, integer-like keys too', () => {
    const long = 'a value long enough that sending it again would cost more than naming it';
    const prev = { '5': long, '12': 2, b: long, a: 4 };
    const next = { '3': 7, '5': long, b: long, a: 5, c: 1 }; // '12' gone, '3' and 'c' new
    const d = diffValue(prev, next);
    const out = follow(prev, next);
    expect(d).not.toBe(WHOLE);
    expect(JSON.stringify(out)).toBe(JSON.stringify(next));
  });

  it('an object whose keys were reordered goes whole', () => {
    expect(diffValue({ a: 1, b: 2, c: 3, d: 4 }, { b: 2, a: 1, c: 3, d: 5 })).toBe(WHOLE);
  });

  it('a small object where an edit is no smaller goes whole', () => {
    expect(diffValue({ a: 1, b: 2 }, { a: 2, b: 2 })).toBe(WHOLE); // {"set":{"a":2}} is longer than {"a":2,"b":2}
  });

  it('one hour of the hourly series: that position only', () => {
    const prev = Array.from({ length: 24 }, (_, h) => (h < 13 ? h * 3 : 0));
    const next = prev.map((v, h) => (h === 12 ? v + 1 : v));
    expect(diffValue(prev, next)).toEqual({ list: [[0, 12], { add: [37] }, [13, 24]] });
  });
});

describe('edits that do not fit what the client holds are refused, not guessed', () => {
  it.each<[string, unknown, ValueEdit]>([
    ['a range past the end', [1, 2, 3], { list: [[0, 4]] }],
    ['a range backwards', [1, 2, 3], { list: [[2, 1]] }],
    ['a list edit on an object', { a: 1 }, { list: [[0, 0]] }],
    ['an object edit on a list', [1], { set: { a: 1 } }],
    ['an edit of a key not there', { a: 1 }, { edit: { b: { set: { c: 1 } } } }],
    ['a deletion of a key not there', { a: 1 }, { del: ['b'] }],
    ['a malformed part', [1], { list: [{ nope: 1 } as never] }],
    ['__proto__', { a: 1 }, JSON.parse('{"set":{"__proto__":{"polluted":true}}}') as ValueEdit],
  ])('%s', (_, prev, edit) => {
    expect(() => applyEdit(prev, edit)).toThrow(EditMismatch);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an edit of a key the snapshot lacks', () => {
    expect(() => applyPatchTo({ recent: [] } as Partial<ScopeMetrics>, { changes: {}, edits: { 'appeals.daily': { list: [] } } })).toThrow(
      EditMismatch,
    );
  });
});

describe('properties: the diff of any two values takes the first to the second exactly', () => {
  it('any JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(JSON.stringify(follow(wire(a), wire(b)))).toBe(JSON.stringify(wire(b)));
      }),
      { numRuns: 500 },
    );
  });

  it('values that differ a little (the common case: a tick of changes)', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(null, 'x', 'y'),
        fc.array(tie('node'), { maxLength: 6 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', '1', '20', '440310001001'), tie('node'), { maxKeys: 5 }),
      ),
    })).node;
    // `next` is `prev` with a few of its parts replaced, added or removed, as `dice` decide
    const mutate = (v: unknown, roll: (n: number) => number): unknown => {
      if (Array.isArray(v)) {
        const out = v.map((x) => (roll(4) === 0 ? mutate(x, roll) : x));
        if (roll(2) === 0) out.splice(roll(out.length + 1), 0, roll(9));
        if (out.length && roll(2) === 0) out.splice(roll(out.length), 1);
        return out;
      }
      if (typeof v === 'object' && v !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (roll(5) > 0) out[k] = roll(3) === 0 ? mutate(x, roll) : x;
        if (roll(2) === 0) out[`k${roll(3)}`] = roll(9);
        return out;
      }
      return roll(2) === 0 ? v : roll(9);
    };
    fc.assert(
      fc.property(value, fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), (prev, dice) => {
        let k = 0;
        const next = mutate(prev, (n) => (n <= 0 ? 0 : dice[k++ % dice.length] % n));
        expect(JSON.stringify(follow(wire(prev), wire(next)))).toBe(JSON.stringify(next));
      }),
      { numRuns: 1000 },
    );
  });
});
