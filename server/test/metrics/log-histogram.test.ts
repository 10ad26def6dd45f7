/** The bounded duration histogram behind the stage medians. */
import { describe, expect, it } from 'vitest';
import { BUCKETS, DurationStats, bucketMinutes, bucketOf } from '../../src/core/counters/log-histogram.ts';
import { DurationWindow, RiseCounter } from '../../src/core/counters/day-windows.ts';

const MIN = 60_000;

describe('log histogram', () => {
  it('puts durations in 1/8-doubling buckets from one minute', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(59_999)).toBe(0);
    expect(bucketOf(MIN)).toBe(1); // [2^0, 2^(1/8)) minutes
    expect(bucketOf(2 * MIN)).toBe(9); // 1 + 8·log2 2
    expect(bucketOf(30 * MIN)).toBe(40); // 1 + floor(8 · 4.907) = 40
    expect(bucketOf(2 ** 18 * MIN)).toBe(BUCKETS - 1);
    expect(bucketOf(10 * 365 * 24 * 60 * MIN)).toBe(BUCKETS - 1);
    expect(BUCKETS).toBe(146);
  });

  it('reads any duration from a minute to 182 days back within 4.4 %', () => {
    const bound = 2 ** (1 / 16) - 1; // half a bucket, geometrically
    for (let m = 1; m < 2 ** 18; m *= 1.013) {
      const read = bucketMinutes(bucketOf(m * MIN));
      expect(Math.abs(read - m) / m).toBeLessThanOrEqual(bound + 1e-12);
    }
  });

  it('lower median, mean, and exact subtraction of a merged record', () => {
    const day1 = new DurationStats();
    for (const m of [10, 20, 30]) day1.add(m * MIN);
    const day2 = new DurationStats();
    for (const m of [1000, 2000]) day2.add(m * MIN);
    const all = new DurationStats();
    all.merge(day1);
    all.merge(day2);
    expect(all.count).toBe(5);
    expect(all.meanMinutes()).toBe(612); // 3060 / 5
    expect(all.medianMinutes()).toBeCloseTo(2 ** ((bucketOf(30 * MIN) - 0.5) / 8), 10); // 3rd of 5 = 30 min
    all.merge(day2, -1);
    expect(all.medianMinutes()).toBeCloseTo(2 ** ((bucketOf(20 * MIN) - 0.5) / 8), 10); // 2nd of 3 = 20 min
    expect(new DurationStats().medianMinutes()).toBeNull();
  });

  it('memory stays fixed whatever the number of samples', () => {
    const w = new DurationWindow(30);
    for (let i = 0; i < 1_000_000; i++) w.add(100 + (i % 30), (i % 5000) * MIN, 129);
    expect(w.window.count).toBe(1_000_000);
    expect(w.window.buckets.length).toBe(BUCKETS);
    // a day leaving the window drops exactly its samples: days 100…129, then day 100 leaves
    w.rollover(130);
    expect(w.window.count).toBe(1_000_000 - Math.ceil(1_000_000 / 30));
  });

  it('rise counter: a late day (future) waits for its day; rollover moves the weeks', () => {
    const r = new RiseCounter(7);
    r.add(20, 'a', 20); // today
    r.add(13, 'a', 20); // week before
    r.add(21, 'a', 20); // tomorrow: not counted yet
    expect(r.top(5)).toEqual([]); // 1 vs 1
    r.rollover(21);
    // last week is now days 15…21 (20 and 21), the week before 8…14 (13)
    expect(r.top(5)).toEqual([{ code: 'a', last: 2, previous: 1, rise: 1, riseRate: 1 }]);
    r.add(27, 'b', 21); // six days ahead: kept aside until its day
    r.rollover(27); // last 21…27: a (21), b (27); before 14…20: a (20); day 13 is dropped
    expect(r.top(5)).toEqual([{ code: 'b', last: 1, previous: 0, rise: 1, riseRate: null }]);
  });
});
