/**
 * Counters of one scope (district, street or community), updated incrementally per event.
 * "Today" counters belong to `day` and are cleared when the local day rolls over; hourly buckets
 * are kept for today and yesterday, daily ones for 30 days.
 *
 * Memory per scope does not grow with the number of appeals: day records for at most 30 days
 * (stage histograms: 5 stages × 30 days × 146 counters), 14 days of per-category and
 * per-subcategory counts, and one entry per responsible unit with open appeals.
 */
import {
  ALERT_WINDOW_DAYS,
  APPEAL_STAGES,
  APPEAL_WINDOW_DAYS,
  FUNNEL_STEPS,
  GRID_PROFILE_KEYS,
  HOT_WINDOW_DAYS,
  INSPECTION_KINDS,
  RECENT_CAP,
  SCAN_PURPOSES,
  type Funnel,
  type GridProfile,
  type InspectionKind,
  type ScanPurpose,
  type TickerItem,
  type UnitOverdue,
} from '@commandhall/shared';
import { DayCounts, DurationWindow, KeyedDayCounts, PairWindow, RiseCounter } from './day-windows.ts';
import { AlertQueue, type Queued } from './alert-queue.ts';

export const DAILY_DAYS = 30;

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

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
  // video alerts
  alertsToday = 0;
  /** Alerts not yet acknowledged. */
  alertsPending = 0;
  alertsByAlgorithm: Record<string, number> = {};
  alertsByStatus: Record<string, number> = {};
  /** Alerts not yet decided, newest raised first. */
  alertQueue = new AlertQueue<Queued>();
  /** Unacknowledged alerts by level reached. */
  alertsPendingByLevel = { community: 0, street: 0, district: 0 };
  /** Detections today, merged ones included. */
  detectionsToday = 0;
  alertsByCommunity: Record<string, number> = {};
  /** First responses today and the sum of their waits (ms). */
  ackCountToday = 0;
  ackWaitMsToday = 0;
  /** Decisions per algorithm by decision day: [dismissed, decided]. */
  alertDecisions = new KeyedDayCounts(ALERT_WINDOW_DAYS, 2);
  /** Confirmations by confirmation day: [confirmed, of them with the appeal closed now]. */
  confirmedClosed = new KeyedDayCounts(ALERT_WINDOW_DAYS, 2);
  // grid and smart codes
  inspectionsToday = 0;
  issuesToday = 0;
  scansToday = 0;
  /** Issues handled on site by today's inspections. */
  handledToday = 0;
  inspectionsByKind = zeros<InspectionKind>(INSPECTION_KINDS);
  issuesByKind = zeros<InspectionKind>(INSPECTION_KINDS);
  inspectionsDaily = new DayCounts(DAILY_DAYS);
  scansByPurpose = zeros<ScanPurpose>(SCAN_PURPOSES);
  scansDaily = new DayCounts(DAILY_DAYS);
  // enterprise appeals
  enterpriseToday = 0;
  enterpriseOpen = 0;
  enterpriseByCategory: Record<string, number> = {};
  // the community registry (static) and city components
  /** Grid statistics summed over the scope's communities. */
  profile: GridProfile = zeros(GRID_PROFILE_KEYS);
  /** Registered components per type, summed over the scope's communities (types with none left out). */
  componentSeed: Record<string, number> = {};
  /**
   * Not-normal components beyond the registered count of their type in their community, by type:
   * counted on top of the registry while they are not normal (docs/metrics.md).
   */
  componentExtra: Record<string, number> = {};
  /** Components in each status other than normal. */
  componentsByStatus = { fault: 0, repairing: 0, offline: 0 };
  /** Components not normal, by type. */
  componentFaultsByType: Record<string, number> = {};
  /** Smart poles offline, and in fault or under repair. */
  polesOffline = 0;
  polesFaulty = 0;
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
    this.detectionsToday = 0;
    this.alertsByCommunity = {};
    this.ackCountToday = this.ackWaitMsToday = 0;
    this.alertDecisions.rollover(newDay);
    this.confirmedClosed.rollover(newDay);
    this.inspectionsToday = this.issuesToday = this.scansToday = this.handledToday = 0;
    this.inspectionsByKind = zeros(INSPECTION_KINDS);
    this.issuesByKind = zeros(INSPECTION_KINDS);
    this.scansByPurpose = zeros(SCAN_PURPOSES);
    this.inspectionsDaily.rollover(newDay);
    this.scansDaily.rollover(newDay);
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

  /** Adds a community's registry entry (its grid statistics and registered components) to this scope. */
  addProfile(profile: GridProfile, components: Record<string, number>): void {
    for (const k of GRID_PROFILE_KEYS) this.profile[k] += profile[k];
    for (const [type, n] of Object.entries(components)) if (n > 0) bump(this.componentSeed, type, n);
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
