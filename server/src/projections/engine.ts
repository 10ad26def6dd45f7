/**
 * The projection engine: folds the event log into the current state of every appeal and alert and
 * into per-scope aggregates. Every event touches only its scope path (community → street →
 * district), so the cost per event does not grow with the log. Replaying the log from the start at
 * the same instant reaches exactly the state that live updates reached.
 *
 * An open appeal's standing (open, overdue, due soon, its unit's counts, a pending extension) is
 * counted by one function, `contribute`: every change to an appeal withdraws its standing, changes
 * it, and adds it back, so the counters cannot drift from the appeals whatever the order of events.
 */
import {
  APPEAL_STAGES,
  DUE_SOON_WINDOW_MS,
  FUNNEL_STEPS,
  HOT_TOP_N,
  IMMEDIATE_ELIGIBLE_NATURES,
  IMMEDIATE_WINDOW_MS,
  OPEN_STATUSES,
  OVERDUE_UNITS_TOP_N,
  dayLabel,
  defaultDeadline,
  localDay,
  localHour,
  scopeId,
  type AlertStatus,
  type AppealStatus,
  type CityEvent,
  type EventOf,
  type FullScopeMetrics,
  type ScopeMetrics,
  type StageTime,
  type TickerItem,
} from '@commandhall/shared';
import type { Geography } from '../geography/index.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { ScopeAggregate, bump, DAILY_DAYS } from './scope-aggregate.ts';
import { TimerHeap } from './timer-heap.ts';
import type { DurationStats } from './log-histogram.ts';

export interface AppealState {
  id: string;
  status: AppealStatus;
  community: string;
  category: string;
  channel: string;
  nature: string;
  createdAt: number;
  deadline: number;
  resolvedAt: number | null;
  closedAt: number | null;
  /** Open and its deadline has passed (by the engine's clock). */
  overdue: boolean;
  /** Open, not overdue, and due within DUE_SOON_WINDOW_MS (by the engine's clock). */
  dueSoon: boolean;
  /** Requested deadline (epoch ms) of an extension request awaiting a decision; null when none is pending. */
  pendingUntil: number | null;
  /** When the appeal entered its current status (event time, ms): a stage is timed from here. */
  statusSince: number;
  /** Index in FUNNEL_STEPS of the furthest step reached; rework and reopening never lower it. */
  furthest: number;
  /** Counts for the immediate-handling rate and has not been resolved yet. */
  immediatePending: boolean;
  unit: string | null;
  lon: number;
  lat: number;
}

export interface AlertState {
  id: string;
  status: AlertStatus;
  community: string;
  algorithm: string;
  cameraId: string;
  raisedAt: number;
  lon: number;
  lat: number;
}

export interface EngineOptions {
  utcOffsetMinutes: number;
  now: () => number;
}

const SATISFIED = new Set(['satisfied', 'basically_satisfied']);
/** Statuses in which the appeal is the dispatched unit's: its open and overdue counts go to the unit. */
const WITH_UNIT: ReadonlySet<AppealStatus> = new Set(['dispatched', 'handling', 'resolved']);
const STAGE_OF = new Map<string, number>(APPEAL_STAGES.map((s, i) => [`${s.from}>${s.to}`, i]));
const STEP_OF = new Map<string, number>(FUNNEL_STEPS.map((s, i) => [s, i]));

/** When an appeal's flags next change with no event (due soon, then overdue); null when never. */
function timerAt(a: AppealState): number | null {
  if (!OPEN_STATUSES.has(a.status) || a.overdue) return null;
  return a.dueSoon ? a.deadline : a.deadline - DUE_SOON_WINDOW_MS;
}

export class ProjectionEngine {
  readonly appeals = new Map<string, AppealState>();
  readonly alerts = new Map<string, AlertState>();
  /** Scopes whose figures changed since the last `takeDirty()`. */
  private dirty = new Set<string>();
  private aggregates = new Map<string, ScopeAggregate>();
  private paths = new Map<string, ScopeAggregate[]>();
  private timers = new TimerHeap();
  private day: number;
  lastSeq = 0;

  constructor(
    private geo: Geography,
    private opts: EngineOptions,
  ) {
    this.day = this.localDay(opts.now());
    for (const a of [geo.district, ...geo.streets, ...geo.communities]) {
      const id = scopeId(a.level, a.code);
      this.aggregates.set(id, new ScopeAggregate(id));
    }
  }

  /** Scope ids this engine keeps figures for. */
  scopes(): string[] {
    return [...this.aggregates.keys()];
  }

  hasScope(scope: string): boolean {
    return this.aggregates.has(scope);
  }

  /** Returns and clears the set of scopes changed since the last call. */
  takeDirty(): Set<string> {
    const d = this.dirty;
    this.dirty = new Set();
    return d;
  }

  /** Moves the engine's clock to now: rolls the day over and fires due deadlines. */
  advance(): void {
    const now = this.opts.now();
    const day = this.localDay(now);
    if (day !== this.day) {
      this.day = day;
      for (const agg of this.aggregates.values()) {
        agg.rollover(day);
        this.dirty.add(agg.scope);
      }
    }
    for (const t of this.timers.popDue(now)) {
      const a = this.appeals.get(t.key);
      // a timer the appeal has moved past (closed, deadline extended, flags already set) is stale
      if (!a || timerAt(a) !== t.at) continue;
      this.update(a, () => undefined);
    }
  }

  apply(stored: StoredEvent): void {
    const e = stored.event;
    const community = stored.community;
    switch (e.type) {
      case 'appeal.created':
        if (community) this.appealCreated(e, community);
        break;
      case 'appeal.transitioned':
        this.appealTransitioned(e);
        break;
      case 'appeal.extension':
        this.appealExtension(e);
        break;
      case 'video_alert.raised':
        if (community) this.alertRaised(e, community);
        break;
      case 'video_alert.acknowledged':
        this.alertMoved(e.data.alertId, 'acknowledged');
        break;
      case 'video_alert.confirmed':
        this.alertMoved(e.data.alertId, 'confirmed');
        break;
      case 'video_alert.dismissed':
        this.alertMoved(e.data.alertId, 'dismissed');
        break;
      case 'grid_inspection.reported':
        if (community) this.inspection(e, community);
        break;
      case 'smart_code.scanned':
        if (community) this.scan(e, community);
        break;
    }
    if (stored.seq > this.lastSeq) this.lastSeq = stored.seq;
  }

  // ---- appeals ----

  private appealCreated(e: EventOf<'appeal.created'>, community: string): void {
    const d = e.data;
    const t = Date.parse(e.occurredAt);
    const a: AppealState = {
      id: d.appealId,
      status: 'collected',
      community,
      category: d.category,
      channel: d.channel,
      nature: d.nature,
      createdAt: t,
      deadline: d.deadline ? Date.parse(d.deadline) : defaultDeadline(t, d.nature, d.category, d.subcategory),
      resolvedAt: null,
      closedAt: null,
      overdue: false,
      dueSoon: false,
      pendingUntil: null,
      statusSince: t,
      furthest: 0,
      immediatePending: IMMEDIATE_ELIGIBLE_NATURES.has(d.nature),
      unit: null,
      lon: d.location.lon,
      lat: d.location.lat,
    };
    this.appeals.set(a.id, a);
    const day = this.localDay(t);
    const isToday = day === this.day;
    const hour = localHour(t, this.opts.utcOffsetMinutes);
    const item = this.ticker(e, community, d.category, 'collected', d.location);
    for (const agg of this.path(community)) {
      if (isToday) {
        agg.today++;
        bump(agg.byCategory, d.category);
        bump(agg.byChannel, d.channel);
        bump(agg.byNature, d.nature);
        bump(agg.byStatus, 'collected');
        agg.funnelToday[0]++;
      }
      if (day >= this.day - 1 && day <= this.day) agg.addHourly(day, hour);
      if (day > this.day - DAILY_DAYS && day <= this.day) agg.addDaily(day);
      agg.hotCategories.add(day, d.category, this.day);
      if (d.subcategory) agg.hotSubcategories.add(day, d.subcategory, this.day);
      agg.pushRecent(item);
    }
    this.setFlags(a, null);
    this.contribute(a, 1);
  }

  private appealTransitioned(e: EventOf<'appeal.transitioned'>): void {
    const a = this.appeals.get(e.data.appealId);
    if (!a) return; // ingest refuses these; a log written by an older version may still hold one
    const t = Date.parse(e.occurredAt);
    const from = a.status;
    const to = e.data.to;
    const day = this.localDay(t);
    const createdToday = this.localDay(a.createdAt) === this.day;
    const decidedToday = day === this.day;
    const path = this.path(a.community);
    const stage = STAGE_OF.get(`${from}>${to}`);
    const spent = Math.max(0, t - a.statusSince);
    const furthestBefore = a.furthest;
    this.update(a, () => {
      a.status = to;
      if (e.data.unit) a.unit = e.data.unit;
      a.statusSince = t;
      const step = STEP_OF.get(to);
      if (step !== undefined && step > a.furthest) a.furthest = step;
    });
    for (const agg of path) {
      if (createdToday) {
        bump(agg.byStatus, from, -1);
        bump(agg.byStatus, to);
        agg.funnelToday[furthestBefore]--;
        agg.funnelToday[a.furthest]++;
      }
      if (stage !== undefined) agg.stages[stage].add(day, spent, this.day);
      if (to === 'resolved') agg.rework.add(day, 1, this.day);
      if (from === 'resolved' && to === 'handling') agg.rework.add(day, 0, this.day);
    }
    if (to === 'resolved') {
      a.resolvedAt = t;
      if (a.immediatePending) this.decideImmediate(a, t);
    }
    if (to === 'closed') {
      a.closedAt = t;
      if (decidedToday) {
        const onTime = (a.resolvedAt ?? t) <= a.deadline;
        const rating = e.data.satisfaction;
        for (const agg of path) {
          agg.closedToday++;
          if (onTime) agg.closedOnTimeToday++;
          if (rating && rating !== 'not_rated') {
            agg.ratedToday++;
            if (SATISFIED.has(rating)) agg.satisfiedToday++;
          }
        }
      }
    }
    if (to === 'closed' || to === 'rejected') {
      const item = this.ticker(e, a.community, a.category, to, a);
      for (const agg of path) agg.pushRecent(item);
    }
  }

  /**
   * A deadline extension: a request is remembered until a decision; an approval moves the
   * deadline (to the approval's `until`, else the requested one), which may take the appeal out
   * of overdue or due soon and re-arms its timers. Steps ingest refuses (a decision with no
   * request pending, a request without `until`) change nothing.
   */
  private appealExtension(e: EventOf<'appeal.extension'>): void {
    const a = this.appeals.get(e.data.appealId);
    if (!a) return;
    const parsed = e.data.until === undefined ? NaN : Date.parse(e.data.until);
    const until = Number.isNaN(parsed) ? null : parsed;
    switch (e.data.action) {
      case 'requested':
        if (until === null) return;
        this.update(a, () => (a.pendingUntil = until));
        break;
      case 'approved': {
        const pending = a.pendingUntil;
        if (pending === null) return;
        this.update(a, () => {
          a.deadline = until ?? pending;
          a.pendingUntil = null;
        });
        break;
      }
      case 'denied':
        if (a.pendingUntil === null) return;
        this.update(a, () => (a.pendingUntil = null));
        break;
    }
  }

  /** Changes an appeal: withdraws its standing from the counters, changes it, adds it back. */
  private update(a: AppealState, change: () => void): void {
    const timerBefore = timerAt(a);
    this.contribute(a, -1);
    change();
    this.setFlags(a, timerBefore);
    this.contribute(a, 1);
    this.touch(a.community);
  }

  /** Sets overdue and due soon from the deadline and the clock; arms a timer for the next change. */
  private setFlags(a: AppealState, timerBefore: number | null): void {
    const now = this.opts.now();
    const open = OPEN_STATUSES.has(a.status);
    a.overdue = open && a.deadline <= now;
    a.dueSoon = open && !a.overdue && a.deadline - DUE_SOON_WINDOW_MS <= now;
    const next = timerAt(a);
    if (next !== null && next !== timerBefore) this.timers.push({ at: next, key: a.id });
  }

  /** Adds (1) or withdraws (−1) what an appeal's standing counts in its scopes. */
  private contribute(a: AppealState, sign: 1 | -1): void {
    const open = OPEN_STATUSES.has(a.status);
    const pending = a.pendingUntil !== null;
    if (!open && !pending) return;
    const unit = a.unit !== null && WITH_UNIT.has(a.status) ? a.unit : '';
    for (const agg of this.path(a.community)) {
      if (open) {
        agg.open += sign;
        if (a.overdue) agg.overdue += sign;
        if (a.dueSoon) agg.dueSoon += sign;
        agg.addUnit(unit, sign, a.overdue ? sign : 0);
      }
      if (pending) agg.extensionsPending += sign;
    }
  }

  /**
   * An eligible appeal's first resolution decides whether it was handled immediately, judged by
   * event times alone so that late-arriving events and replays give the same answer.
   */
  private decideImmediate(a: AppealState, resolvedAt: number): void {
    a.immediatePending = false;
    if (this.localDay(resolvedAt) !== this.day) return;
    const immediate = resolvedAt - a.createdAt <= IMMEDIATE_WINDOW_MS;
    for (const agg of this.path(a.community)) {
      agg.eligibleToday++;
      if (immediate) agg.immediateToday++;
    }
    this.touch(a.community);
  }

  // ---- video alerts ----

  private alertRaised(e: EventOf<'video_alert.raised'>, community: string): void {
    const d = e.data;
    const t = Date.parse(e.occurredAt);
    this.alerts.set(d.alertId, {
      id: d.alertId,
      status: 'raised',
      community,
      algorithm: d.algorithm,
      cameraId: d.cameraId,
      raisedAt: t,
      lon: d.location.lon,
      lat: d.location.lat,
    });
    const isToday = this.localDay(t) === this.day;
    const item = this.ticker(e, community, d.algorithm, 'raised', d.location);
    for (const agg of this.path(community)) {
      agg.alertsPending++;
      if (isToday) {
        agg.alertsToday++;
        bump(agg.alertsByAlgorithm, d.algorithm);
        bump(agg.alertsByStatus, 'raised');
      }
      agg.pushRecent(item);
    }
    this.touch(community);
  }

  private alertMoved(alertId: string, to: AlertStatus): void {
    const a = this.alerts.get(alertId);
    if (!a) return;
    const from = a.status;
    a.status = to;
    const isToday = this.localDay(a.raisedAt) === this.day;
    for (const agg of this.path(a.community)) {
      if (from === 'raised') agg.alertsPending--;
      if (isToday) {
        bump(agg.alertsByStatus, from, -1);
        bump(agg.alertsByStatus, to);
      }
    }
    this.touch(a.community);
  }

  // ---- grid inspections and smart codes ----

  private inspection(e: EventOf<'grid_inspection.reported'>, community: string): void {
    if (this.localDay(Date.parse(e.occurredAt)) !== this.day) return;
    const item = e.data.issuesFound > 0 ? this.ticker(e, community, 'inspection', undefined, e.data.location) : null;
    for (const agg of this.path(community)) {
      agg.inspectionsToday++;
      agg.issuesToday += e.data.issuesFound;
      if (item) agg.pushRecent(item);
    }
    this.touch(community);
  }

  private scan(e: EventOf<'smart_code.scanned'>, community: string): void {
    if (this.localDay(Date.parse(e.occurredAt)) !== this.day) return;
    const item = e.data.purpose === 'report' ? this.ticker(e, community, e.data.componentType, undefined, e.data.location) : null;
    for (const agg of this.path(community)) {
      agg.scansToday++;
      if (item) agg.pushRecent(item);
    }
    this.touch(community);
  }

  // ---- reading ----

  /** The current figures of a scope, as served to screens. */
  snapshot(scope: string): FullScopeMetrics | undefined {
    const agg = this.aggregates.get(scope);
    if (!agg) return undefined;
    const hourlyToday = agg.hourly.get(this.day) ?? new Array<number>(24).fill(0);
    const hourlyYesterday = agg.hourly.get(this.day - 1) ?? new Array<number>(24).fill(0);
    const daily = [];
    for (let d = this.day - DAILY_DAYS + 1; d <= this.day; d++) daily.push({ date: dayLabel(d), count: agg.daily.get(d) ?? 0 });
    const communities: ScopeMetrics['map.communities'] = {};
    for (const c of this.geo.communities) {
      if (!this.geo.contains(agg.scope.slice(agg.scope.indexOf(':') + 1), c.code) && agg.scope !== `community:${c.code}`) continue;
      const ca = this.aggregates.get(`community:${c.code}`)!;
      communities[c.code] = { today: ca.today, open: ca.open, overdue: ca.overdue, alertsToday: ca.alertsToday };
    }
    const rate = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);
    return {
      scope,
      day: dayLabel(this.day),
      'appeals.today': agg.today,
      'appeals.open': agg.open,
      'appeals.overdue': agg.overdue,
      'appeals.closedToday': agg.closedToday,
      'appeals.closedOnTimeToday': agg.closedOnTimeToday,
      'appeals.onTimeRate': rate(agg.closedOnTimeToday, agg.closedToday + agg.overdue),
      'appeals.immediateRate': rate(agg.immediateToday, agg.eligibleToday),
      'appeals.satisfactionRate': rate(agg.satisfiedToday, agg.ratedToday),
      'appeals.byStatus': { ...agg.byStatus },
      'appeals.byCategory': { ...agg.byCategory },
      'appeals.byChannel': { ...agg.byChannel },
      'appeals.byNature': { ...agg.byNature },
      'appeals.hourlyToday': [...hourlyToday],
      'appeals.hourlyYesterday': [...hourlyYesterday],
      'appeals.daily': daily,
      'appeals.extensionsPending': agg.extensionsPending,
      'appeals.dueSoon': agg.dueSoon,
      'appeals.rework': { returned: agg.rework.a, resolved: agg.rework.b, rate: rate(agg.rework.a, agg.rework.b) },
      'appeals.stageTimes': Object.fromEntries(
        APPEAL_STAGES.map((st, i) => [st.key, stageTime(agg.stages[i].window)]),
      ) as FullScopeMetrics['appeals.stageTimes'],
      'appeals.funnel': agg.funnel(agg.byStatus.rejected ?? 0),
      'appeals.overdueByUnit': agg.topOverdueUnits(OVERDUE_UNITS_TOP_N),
      'appeals.hotCategories': agg.hotCategories.top(HOT_TOP_N),
      'appeals.hotSubcategories': agg.hotSubcategories.top(HOT_TOP_N),
      'map.communities': communities,
      'alerts.today': agg.alertsToday,
      'alerts.pending': agg.alertsPending,
      'alerts.byAlgorithm': { ...agg.alertsByAlgorithm },
      'alerts.byStatus': { ...agg.alertsByStatus },
      'inspections.today': agg.inspectionsToday,
      'inspections.issuesToday': agg.issuesToday,
      'scans.today': agg.scansToday,
      recent: agg.recent.map((r) => ({ ...r })),
    };
  }

  // ---- helpers ----

  private localDay(ms: number): number {
    return localDay(ms, this.opts.utcOffsetMinutes);
  }

  /** The aggregates of a community, its street and the district (cached: asked several times per event). */
  private path(community: string): ScopeAggregate[] {
    let out = this.paths.get(community);
    if (out) return out;
    out = [];
    for (const id of [`community:${community}`, `street:${community.slice(0, 9)}`, `district:${this.geo.district.code}`]) {
      const agg = this.aggregates.get(id);
      if (agg) out.push(agg);
    }
    if (this.aggregates.has(`community:${community}`)) this.paths.set(community, out);
    return out;
  }

  private touch(community: string): void {
    this.dirty.add(`community:${community}`);
    this.dirty.add(`street:${community.slice(0, 9)}`);
    this.dirty.add(`district:${this.geo.district.code}`);
  }

  private ticker(e: CityEvent, community: string, label: string, status: string | undefined, at: { lon: number; lat: number }): TickerItem {
    this.touch(community);
    const item: TickerItem = { id: e.id, type: e.type, at: e.occurredAt, community, label, lon: at.lon, lat: at.lat };
    if (status) item.status = status;
    return item;
  }
}

const oneDecimal = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

function stageTime(w: DurationStats): StageTime {
  return { count: w.count, meanMinutes: oneDecimal(w.meanMinutes()), medianMinutes: oneDecimal(w.medianMinutes()) };
}
