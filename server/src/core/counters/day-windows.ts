/**
 * Figures over a window of local days, kept as one small record per day so that a day leaving
 * the window is simply dropped. Samples are filed under the local day the event happened, so a
 * replay reaches the same records as live updates did. A day after today (an event up to a few
 * minutes in the future, near midnight) is kept aside and joins the window when its day comes.
 * Running totals make a read cost O(1) in the number of samples; the rollover rebuilds them from
 * the day records (bounded: days × record size).
 */
import { DurationStats } from './log-histogram.ts';

/** Durations over the last `days` local days (today included). */
export class DurationWindow {
  private byDay = new Map<number, DurationStats>();
  /** The sum of the days in the window. */
  readonly window = new DurationStats();

  constructor(private readonly days: number) {}

  add(day: number, ms: number, today: number): void {
    if (day <= today - this.days) return;
    let d = this.byDay.get(day);
    if (!d) this.byDay.set(day, (d = new DurationStats()));
    d.add(ms);
    if (day <= today) this.window.add(ms);
  }

  rollover(today: number): void {
    this.window.clear();
    for (const [day, d] of this.byDay) {
      if (day <= today - this.days) this.byDay.delete(day);
      else if (day <= today) this.window.merge(d);
    }
  }
}

/** Two counts (e.g. returns for rework and resolutions) over the last `days` local days. */
export class PairWindow {
  private byDay = new Map<number, [number, number]>();
  /** Sums over the window. */
  a = 0;
  b = 0;

  constructor(private readonly days: number) {}

  add(day: number, which: 0 | 1, today: number): void {
    if (day <= today - this.days) return;
    let d = this.byDay.get(day);
    if (!d) this.byDay.set(day, (d = [0, 0]));
    d[which]++;
    if (day <= today) {
      if (which === 0) this.a++;
      else this.b++;
    }
  }

  rollover(today: number): void {
    this.a = this.b = 0;
    for (const [day, d] of this.byDay) {
      if (day <= today - this.days) this.byDay.delete(day);
      else if (day <= today) {
        this.a += d[0];
        this.b += d[1];
      }
    }
  }
}

export interface Rise {
  code: string;
  last: number;
  previous: number;
  rise: number;
  riseRate: number | null;
}

/**
 * Counts per code over the last `span` local days (today included) and the `span` days before:
 * what rises. Memory: 2 × span day records of at most one counter per code.
 */
export class RiseCounter {
  private byDay = new Map<number, Map<string, number>>();
  private last = new Map<string, number>();
  private previous = new Map<string, number>();

  constructor(private readonly span: number) {}

  add(day: number, code: string, today: number): void {
    if (day <= today - 2 * this.span) return;
    let d = this.byDay.get(day);
    if (!d) this.byDay.set(day, (d = new Map()));
    d.set(code, (d.get(code) ?? 0) + 1);
    const into = this.windowOf(day, today);
    if (into) into.set(code, (into.get(code) ?? 0) + 1);
  }

  rollover(today: number): void {
    this.last.clear();
    this.previous.clear();
    for (const [day, counts] of this.byDay) {
      if (day <= today - 2 * this.span) {
        this.byDay.delete(day);
        continue;
      }
      const into = this.windowOf(day, today);
      if (into) for (const [code, n] of counts) into.set(code, (into.get(code) ?? 0) + n);
    }
  }

  /** Codes whose count rose, by rise, then by last count, then by code; at most `n`. */
  top(n: number): Rise[] {
    const out: Rise[] = [];
    for (const [code, last] of this.last) {
      const previous = this.previous.get(code) ?? 0;
      const rise = last - previous;
      if (rise <= 0) continue;
      out.push({ code, last, previous, rise, riseRate: previous > 0 ? Math.round((rise / previous) * 10_000) / 10_000 : null });
    }
    out.sort((x, y) => y.rise - x.rise || y.last - x.last || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
    return out.slice(0, n);
  }

  private windowOf(day: number, today: number): Map<string, number> | null {
    if (day > today) return null;
    if (day > today - this.span) return this.last;
    return this.previous;
  }
}

/**
 * Vectors of `width` counts per key (an algorithm, say) over the last `days` local days, filed by
 * a day the caller chooses (a decision's day). Deltas may be negative: a count can be taken back
 * (an appeal reopened after it closed). Keys whose counts are all zero are dropped.
 */
export class KeyedDayCounts {
  private byDay = new Map<number, Map<string, number[]>>();
  /** Sums over the window, per key. */
  readonly window = new Map<string, number[]>();

  constructor(
    private readonly days: number,
    private readonly width: number,
  ) {}

  add(day: number, key: string, index: number, delta: number, today: number): void {
    if (day <= today - this.days) return;
    let d = this.byDay.get(day);
    if (!d) this.byDay.set(day, (d = new Map()));
    addTo(d, key, index, delta, this.width);
    if (day <= today) addTo(this.window, key, index, delta, this.width);
  }

  /** Sums over the window of every key. */
  total(): number[] {
    const out = new Array<number>(this.width).fill(0);
    for (const v of this.window.values()) v.forEach((n, i) => (out[i] += n));
    return out;
  }

  rollover(today: number): void {
    this.window.clear();
    for (const [day, counts] of this.byDay) {
      if (day <= today - this.days) this.byDay.delete(day);
      else if (day <= today) for (const [key, v] of counts) v.forEach((n, i) => n && addTo(this.window, key, i, n, this.width));
    }
  }
}

function addTo(m: Map<string, number[]>, key: string, index: number, delta: number, width: number): void {
  let v = m.get(key);
  if (!v) m.set(key, (v = new Array<number>(width).fill(0)));
  v[index] += delta;
  if (v.every((n) => n === 0)) m.delete(key);
}

/**
 * A count per local day over the last `days` local days (today included), for a daily series.
 * Events up to a day ahead (clock skew near midnight) are kept and join the series when their
 * day comes, so that live updates and a later replay agree.
 */
export class DayCounts {
  private byDay = new Map<number, number>();

  constructor(private readonly days: number) {}

  add(day: number, today: number, by = 1): void {
    if (day <= today - this.days || day > today + 1) return;
    this.byDay.set(day, (this.byDay.get(day) ?? 0) + by);
  }

  get(day: number): number {
    return this.byDay.get(day) ?? 0;
  }

  rollover(today: number): void {
    for (const d of this.byDay.keys()) if (d <= today - this.days) this.byDay.delete(d);
  }
}
