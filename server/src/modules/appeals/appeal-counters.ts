/**
 * The appeal counters of one scope (district, street or community), updated per event. "Today"
 * counters are of the index's day and cleared when it rolls over; hourly buckets are kept for today
 * and yesterday, daily ones for 30 days. Memory per scope does not grow with the number of
 * appeals: day records for at most 30 days (stage histograms: 5 stages × 30 days × 146 counters),
 * 14 days of per-category and per-subcategory counts, one entry per unit with open appeals.
 */
import { APPEAL_STAGES, APPEAL_WINDOW_DAYS, FUNNEL_STEPS, HOT_WINDOW_DAYS, type Funnel, type UnitOverdue } from '@commandhall/shared';
import { DurationWindow, PairWindow, RiseCounter } from '../../core/counters/day-windows.ts';

export const DAILY_DAYS = 30;

export class AppealCounters {
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
  /** Appeals with an extension request awaiting a decision. */
  extensionsPending = 0;
  /** Open appeals, not overdue, due within the warning window. */
  dueSoon = 0;
  /** Responsible unit ('' when not dispatched) → its open and its open-and-overdue appeals. */
  units = new Map<string, { open: number; overdue: number }>();
  /** Appeals created today by the index in FUNNEL_STEPS of the furthest step they reached. */
  funnelToday: number[] = new Array<number>(FUNNEL_STEPS.length).fill(0);
  /** a: returns for rework (resolved → handling), b: resolutions, by event day. */
  rework = new PairWindow(APPEAL_WINDOW_DAYS);
  /** Time in each stage of APPEAL_STAGES, by the day the stage was completed. */
  stages = APPEAL_STAGES.map(() => new DurationWindow(APPEAL_WINDOW_DAYS));
  /** Appeals created per category and per subcategory, by creation day, this week and last. */
  hotCategories = new RiseCounter(HOT_WINDOW_DAYS);
  hotSubcategories = new RiseCounter(HOT_WINDOW_DAYS);
  // enterprise appeals (涉企诉求)
  enterpriseToday = 0;
  enterpriseOpen = 0;
  enterpriseByCategory: Record<string, number> = {};

  /** Clears the counters of the day that ended and drops buckets that fell out of range. */
  rollover(newDay: number): void {
    this.today = this.closedToday = this.closedOnTimeToday = this.ratedToday = this.satisfiedToday = 0;
    this.eligibleToday = this.immediateToday = 0;
    this.byStatus = {};
    this.byCategory = {};
    this.byChannel = {};
    this.byNature = {};
    this.enterpriseToday = 0;
    this.enterpriseByCategory = {};
    this.funnelToday.fill(0);
    this.rework.rollover(newDay);
    for (const s of this.stages) s.rollover(newDay);
    this.hotCategories.rollover(newDay);
    this.hotSubcategories.rollover(newDay);
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

  /** Moves an appeal's standing in and out of its unit's counts (sign 1 adds, −1 withdraws). */
  addUnit(unit: string, open: number, overdue: number): void {
    let u = this.units.get(unit);
    if (!u) this.units.set(unit, (u = { open: 0, overdue: 0 }));
    u.open += open;
    u.overdue += overdue;
    if (u.open === 0 && u.overdue === 0) this.units.delete(unit);
  }

  /** Units with overdue appeals: most overdue first, then most open, then by name; at most `n`. */
  topOverdueUnits(n: number): UnitOverdue[] {
    const out: UnitOverdue[] = [];
    for (const [unit, u] of this.units) if (u.overdue > 0) out.push({ unit: unit === '' ? null : unit, overdue: u.overdue, open: u.open });
    const name = (u: UnitOverdue) => u.unit ?? '';
    out.sort((x, y) => y.overdue - x.overdue || y.open - x.open || (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0));
    return out.slice(0, n);
  }

  /** Today's funnel: each step counts the appeals that reached it or a later one. */
  funnel(rejected: number): Funnel {
    const f = {} as Funnel;
    let reached = this.funnelToday.reduce((sum, n) => sum + n, 0);
    FUNNEL_STEPS.forEach((step, i) => {
      f[step] = reached;
      reached -= this.funnelToday[i];
    });
    f.rejected = rejected;
    return f;
  }
}
