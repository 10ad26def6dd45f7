/**
 * The projection engine: folds the event log into the current state of every appeal and alert and
 * into per-scope aggregates. Every event touches only its scope path (community → street →
 * district), so the cost per event does not grow with the log. Replaying the log from the start at
 * the same instant reaches exactly the state that live updates reached.
 */
import {
  IMMEDIATE_ELIGIBLE_NATURES,
  IMMEDIATE_WINDOW_MS,
  OPEN_STATUSES,
  dayLabel,
  defaultDeadline,
  localDay,
  localHour,
  scopeId,
  type AlertStatus,
  type AppealStatus,
  type CityEvent,
  type EventOf,
  type ScopeMetrics,
  type TickerItem,
} from '@commandhall/shared';
import type { Geography } from '../geography/index.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { ScopeAggregate, bump, DAILY_DAYS } from './scope-aggregate.ts';
import { TimerHeap } from './timer-heap.ts';

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
  overdue: boolean;
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

export class ProjectionEngine {
  readonly appeals = new Map<string, AppealState>();
  readonly alerts = new Map<string, AlertState>();
  /** Scopes whose figures changed since the last `takeDirty()`. */
  private dirty = new Set<string>();
  private aggregates = new Map<string, ScopeAggregate>();
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
      if (!a) continue;
      if (!a.overdue && OPEN_STATUSES.has(a.status) && a.deadline <= now) this.markOverdue(a);
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
      agg.open++;
      if (isToday) {
        agg.today++;
        bump(agg.byCategory, d.category);
        bump(agg.byChannel, d.channel);
        bump(agg.byNature, d.nature);
        bump(agg.byStatus, 'collected');
      }
      if (day >= this.day - 1 && day <= this.day) agg.addHourly(day, hour);
      if (day > this.day - DAILY_DAYS && day <= this.day) agg.addDaily(day);
      agg.pushRecent(item);
    }
    const now = this.opts.now();
    if (a.deadline <= now) this.markOverdue(a);
    else this.timers.push({ at: a.deadline, key: a.id });
  }

  private appealTransitioned(e: EventOf<'appeal.transitioned'>): void {
    const a = this.appeals.get(e.data.appealId);
    if (!a) return; // ingest refuses these; a log written by an older version may still hold one
    const t = Date.parse(e.occurredAt);
    const from = a.status;
    const to = e.data.to;
    const createdToday = this.localDay(a.createdAt) === this.day;
    const decidedToday = this.localDay(t) === this.day;
    const path = this.path(a.community);
    a.status = to;
    if (e.data.unit) a.unit = e.data.unit;
    for (const agg of path) {
      if (createdToday) {
        bump(agg.byStatus, from, -1);
        bump(agg.byStatus, to);
      }
      if (OPEN_STATUSES.has(from) && !OPEN_STATUSES.has(to)) {
        agg.open--;
        if (a.overdue) agg.overdue--;
      }
    }
    if (OPEN_STATUSES.has(from) && !OPEN_STATUSES.has(to)) a.overdue = false;
    if (!OPEN_STATUSES.has(from) && OPEN_STATUSES.has(to)) {
      // reopened: open again, and overdue at once if its deadline has passed
      for (const agg of path) agg.open++;
      if (a.deadline <= this.opts.now()) this.markOverdue(a);
      else this.timers.push({ at: a.deadline, key: a.id });
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
    this.touch(a.community);
  }

  private markOverdue(a: AppealState): void {
    a.overdue = true;
    for (const agg of this.path(a.community)) agg.overdue++;
    this.touch(a.community);
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
  snapshot(scope: string): ScopeMetrics | undefined {
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

  private path(community: string): ScopeAggregate[] {
    const out: ScopeAggregate[] = [];
    for (const id of [`community:${community}`, `street:${community.slice(0, 9)}`, `district:${this.geo.district.code}`]) {
      const agg = this.aggregates.get(id);
      if (agg) out.push(agg);
    }
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
