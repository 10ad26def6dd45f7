/**
 * Counters of one scope (district, street or community), updated incrementally per event.
 * "Today" counters belong to `day` and are cleared when the local day rolls over; hourly buckets
 * are kept for today and yesterday, daily ones for 30 days.
 */
import { RECENT_CAP, type TickerItem } from '@commandhall/shared';

export const DAILY_DAYS = 30;

export class ScopeAggregate {
  // appeals
  today = 0;
  open = 0;
  overdue = 0;
  closedToday = 0;
  closedOnTimeToday = 0;
  ratedToday = 0;
  satisfiedToday = 0;
  eligibleToday = 0;
  immediateToday = 0;
  byStatus: Record<string, number> = {};
  byCategory: Record<string, number> = {};
  byChannel: Record<string, number> = {};
  byNature: Record<string, number> = {};
  /** local day → 24 hourly counts of created appeals */
  hourly = new Map<number, number[]>();
  /** local day → created appeals */
  daily = new Map<number, number>();
  // video alerts
  alertsToday = 0;
  alertsPending = 0;
  alertsByAlgorithm: Record<string, number> = {};
  alertsByStatus: Record<string, number> = {};
  // grid and smart codes
  inspectionsToday = 0;
  issuesToday = 0;
  scansToday = 0;
  recent: TickerItem[] = [];

  constructor(public readonly scope: string) {}

  /** Clears the counters of the day that ended and drops buckets that fell out of range. */
  rollover(newDay: number): void {
    this.today = this.closedToday = this.closedOnTimeToday = this.ratedToday = this.satisfiedToday = 0;
    this.eligibleToday = this.immediateToday = 0;
    this.byStatus = {};
    this.byCategory = {};
    this.byChannel = {};
    this.byNature = {};
    this.alertsToday = 0;
    this.alertsByAlgorithm = {};
    this.alertsByStatus = {};
    this.inspectionsToday = this.issuesToday = this.scansToday = 0;
    for (const d of this.hourly.keys()) if (d < newDay - 1) this.hourly.delete(d);
    for (const d of this.daily.keys()) if (d <= newDay - DAILY_DAYS) this.daily.delete(d);
  }

  addHourly(day: number, hour: number): void {
    let h = this.hourly.get(day);
    if (!h) this.hourly.set(day, (h = new Array<number>(24).fill(0)));
    h[hour]++;
  }

  addDaily(day: number): void {
    this.daily.set(day, (this.daily.get(day) ?? 0) + 1);
  }

  pushRecent(item: TickerItem): void {
    this.recent.unshift(item);
    if (this.recent.length > RECENT_CAP) this.recent.length = RECENT_CAP;
  }
}

/** Adds `by` to a keyed counter, deleting keys that reach zero so snapshots stay small. */
export function bump(counter: Record<string, number>, key: string, by = 1): void {
  const v = (counter[key] ?? 0) + by;
  if (v === 0) delete counter[key];
  else counter[key] = v;
}
