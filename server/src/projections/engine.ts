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
  ALERT_QUEUE_CAP,
  APPEAL_STAGES,
  DEFAULT_ALERT_POLICY,
  OPEN_ALERT_STATUSES,
  alertLevelAt,
  escalationTimes,
  redactAlert,
  redactTicker,
  DUE_SOON_WINDOW_MS,
  FUNNEL_STEPS,
  HOT_TOP_N,
  IMMEDIATE_ELIGIBLE_NATURES,
  IMMEDIATE_WINDOW_MS,
  OPEN_STATUSES,
  OVERDUE_UNITS_TOP_N,
  SMART_POLE_TYPE,
  communityProfiles,
  componentStatusOf,
  dayLabel,
  initialDeadline,
  instantOf,
  localDay,
  localHour,
  scopeId,
  type AlertLevel,
  type AlertPolicy,
  type AlertStatus,
  type AlertUpdateKind,
  type AlertView,
  type AppealStatus,
  type CityEvent,
  type CommunityProfiles,
  type ComponentStatus,
  type EventOf,
  type FullScopeMetrics,
  type GridInsights,
  type ScopeMetrics,
  type StageTime,
  type TickerItem,
  taxonomy,
} from '@commandhall/shared';
import type { Geography } from '../geography/index.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { ScopeAggregate, bump, DAILY_DAYS } from './scope-aggregate.ts';
import type { DayCounts } from './day-windows.ts';
import { TimerHeap } from './timer-heap.ts';
import type { DurationStats } from './log-histogram.ts';
import { alertStep, mergeTarget, pairKey, type AlertLookup, type DetectionRef } from './alert-rules.ts';
import { alertView, type CameraSource } from '../alerts/view.ts';

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
  /** Raised by an enterprise (reporterKind enterprise). */
  enterprise: boolean;
  /** Counts for the immediate-handling rate and has not been resolved yet. */
  immediatePending: boolean;
  unit: string | null;
  lon: number;
  lat: number;
}

/**
 * A video alert: its first detection and every later one merged into it (docs/alerts.md). Times
 * are event times (epoch ms).
 */
export interface AlertState {
  /** The id of its first detection. */
  id: string;
  status: AlertStatus;
  /** The own lifecycle status of its first detection (see alert-rules.ts): may lag `status`. */
  ownStatus: AlertStatus;
  community: string;
  algorithm: string;
  cameraId: string;
  /** Its first detection. */
  raisedAt: number;
  /** Its latest detection. */
  lastDetectedAt: number;
  /** Detections, the first included. */
  count: number;
  /** Ids of the detections merged into it, in log order. */
  aliases: string[];
  lon: number;
  lat: number;
  address: string | null;
  /** Highest confidence of its detections. */
  confidence: number;
  /** Snapshot of its latest detection that had one, and that detection's time. */
  snapshotUrl: string | null;
  snapshotAt: number | null;
  /** The level reached: judged now while unacknowledged, frozen at the first response. */
  level: AlertLevel;
  /** When it reached its level; null at community level. */
  escalatedAt: number | null;
  /** First response: acknowledged, or decided straight away. */
  acknowledgedAt: number | null;
  decidedAt: number | null;
  /** Who acted last (`by` of the event, else its producer). */
  by: string | null;
  reason: string | null;
  note: string | null;
  appealId: string | null;
}

/** An alert that changed, for the live channel; `alert` is its view at the time of the change. */
export interface AlertChange {
  kind: AlertUpdateKind;
  alert: AlertView;
  community: string;
  /** For `merged`: the detection that merged in. */
  detectionId?: string;
}

/** A city component that is not normal; components not in the engine's map are normal. */
export interface ComponentState {
  type: string;
  status: Exclude<ComponentStatus, 'normal'>;
  community: string;
}

export interface EngineOptions {
  utcOffsetMinutes: number;
  now: () => number;
  /** The community registry (grid statistics, registered components); shared's default otherwise. */
  profiles?: CommunityProfiles;
  /** Merge window and escalation delays; the defaults of shared's DEFAULT_ALERT_POLICY otherwise. */
  alerts?: Partial<AlertPolicy>;
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

export class ProjectionEngine implements AlertLookup {
  readonly appeals = new Map<string, AppealState>();
  /** Alerts by id (the id of their first detection); merged detections are in `aliases`. */
  readonly alerts = new Map<string, AlertState>();
  /**
   * City components that are not normal, by id (the only ones known one by one: the registry's
   * totals are counts per community and type). Bounded by the components out of order.
   */
  readonly components = new Map<string, ComponentState>();
  readonly alertPolicy: Readonly<AlertPolicy>;
  /** Detections merged into an alert: their id → the alert and their own status. */
  private aliases = new Map<string, DetectionRef>();
  /** Open alerts per camera and algorithm, oldest raised first. */
  private openByPair = new Map<string, string[]>();
  /** Appeal id → the alert whose confirmation created it. */
  private alertOfAppeal = new Map<string, string>();
  private alertTimers = new TimerHeap();
  private alertListeners = new Set<(c: AlertChange) => void>();
  private cameras: CameraSource | null = null;
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
    this.alertPolicy = { ...DEFAULT_ALERT_POLICY, ...opts.alerts };
    for (const a of [geo.district, ...geo.streets, ...geo.communities]) {
      const id = scopeId(a.level, a.code);
      this.aggregates.set(id, new ScopeAggregate(id));
    }
    for (const p of (opts.profiles ?? communityProfiles).communities) {
      if (!this.aggregates.has(`community:${p.code}`)) continue; // not a community of this geography
      for (const agg of this.path(p.code)) agg.addProfile(p.profile, p.components);
    }
  }

  /** Scope ids this engine keeps figures for. */
  scopes(): string[] {
    return [...this.aggregates.keys()];
  }

  hasScope(scope: string): boolean {
    return this.aggregates.has(scope);
  }

  /** Marks scopes changed with no event (their cameras changed): the next tick patches them. */
  markDirty(scopes: Iterable<string>): void {
    for (const s of scopes) if (this.aggregates.has(s)) this.dirty.add(s);
  }

  /** The camera registry, for camera figures and camera names in alert views. */
  useCameras(cameras: CameraSource): void {
    this.cameras = cameras;
    for (const s of this.aggregates.keys()) this.dirty.add(s);
  }

  /**
   * Calls `listener` with every change to an alert from now on, as it is applied (events) or found
   * (escalation in `advance`). Nothing is kept for a listener that is not there: replays on start
   * tell no one. Returns a function that unsubscribes.
   */
  onAlertChange(listener: (c: AlertChange) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
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
    for (const t of this.alertTimers.popDue(now)) {
      const a = this.alerts.get(t.key);
      // acknowledged or decided since: its level was frozen then
      if (!a || a.status !== 'raised') continue;
      const level = alertLevelAt(a.raisedAt, now, this.alertPolicy);
      if (level === a.level) continue;
      this.alertUpdate(a, () => this.setLevel(a, level));
      this.notify('escalated', a);
    }
  }

  apply(stored: StoredEvent): void {
    // counted as reached even if folding it throws: a quarantined event is behind us, not ahead
    if (stored.seq > this.lastSeq) this.lastSeq = stored.seq;
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
      case 'video_alert.confirmed':
      case 'video_alert.dismissed':
        this.alertStepped(e, stored.producer);
        break;
      case 'grid_inspection.reported':
        if (community) this.inspection(e, community);
        break;
      case 'smart_code.scanned':
        if (community) this.scan(e, community);
        break;
      case 'component.status_changed':
        if (community) this.componentChanged(e, community);
        break;
    }
  }

  // ---- appeals ----

  private appealCreated(e: EventOf<'appeal.created'>, community: string): void {
    const d = e.data;
    const t = instantOf(e.occurredAt);
    const a: AppealState = {
      id: d.appealId,
      status: 'collected',
      community,
      category: d.category,
      channel: d.channel,
      nature: d.nature,
      createdAt: t,
      deadline: initialDeadline(e),
      resolvedAt: null,
      closedAt: null,
      overdue: false,
      dueSoon: false,
      pendingUntil: null,
      statusSince: t,
      furthest: 0,
      enterprise: d.reporterKind === 'enterprise',
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
        if (a.enterprise) {
          agg.enterpriseToday++;
          bump(agg.enterpriseByCategory, d.category);
        }
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
    const t = instantOf(e.occurredAt);
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
    if ((from === 'closed') !== (to === 'closed')) this.confirmedAppealClosed(a.id, to === 'closed' ? 1 : -1);
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
    const until = e.data.until === undefined ? null : instantOf(e.data.until);
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
        if (a.enterprise) agg.enterpriseOpen += sign;
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

  detection(id: string): DetectionRef | undefined {
    const a = this.alerts.get(id);
    return a ? { alertId: a.id, own: a.ownStatus } : this.aliases.get(id);
  }

  facts(alertId: string): AlertState | undefined {
    return this.alerts.get(alertId);
  }

  openAlerts(pair: string): readonly string[] {
    return this.openByPair.get(pair) ?? [];
  }

  /** The alert a detection id names: the alert itself, or the one it was merged into. */
  alertOf(id: string): AlertState | undefined {
    const d = this.detection(id);
    return d && this.alerts.get(d.alertId);
  }

  /** The alert whose confirmation created an appeal (`appealId` of its video_alert.confirmed), if any. */
  sourceAlertOf(appealId: string): AlertState | undefined {
    const id = this.alertOfAppeal.get(appealId);
    const a = id === undefined ? undefined : this.alerts.get(id);
    return a && a.status === 'confirmed' && a.appealId === appealId ? a : undefined;
  }

  /** An alert's detections with their own statuses, the first one first. */
  detectionsOf(a: AlertState): { id: string; status: AlertStatus }[] {
    return [{ id: a.id, status: a.ownStatus }, ...a.aliases.map((id) => ({ id, status: this.aliases.get(id)!.own }))];
  }

  /** Open alerts of a scope, newest raised first. */
  openAlertsIn(scope: string): AlertState[] {
    return (this.aggregates.get(scope)?.alertQueue.all() ?? []) as AlertState[];
  }

  /** The alert as the API and the live channel show it. */
  alertView(a: AlertState): AlertView {
    return alertView(a, this.cameras);
  }

  /** A detection: a new alert, or one more detection of an open alert of the same camera and algorithm. */
  private alertRaised(e: EventOf<'video_alert.raised'>, community: string): void {
    const d = e.data;
    if (this.detection(d.alertId)) return; // ingest refuses a second detection with the same id
    const t = instantOf(e.occurredAt);
    const target = mergeTarget(this, d.cameraId, d.algorithm, t, this.alertPolicy.mergeWindowMs);
    if (target) return this.alertMerged(this.alerts.get(target)!, e, t);
    const a: AlertState = {
      id: d.alertId,
      status: 'raised',
      ownStatus: 'raised',
      community,
      algorithm: d.algorithm,
      cameraId: d.cameraId,
      raisedAt: t,
      lastDetectedAt: t,
      count: 1,
      aliases: [],
      lon: d.location.lon,
      lat: d.location.lat,
      address: d.location.address ?? null,
      confidence: d.confidence,
      snapshotUrl: d.snapshotUrl ?? null,
      snapshotAt: d.snapshotUrl ? t : null,
      level: 'community',
      escalatedAt: null,
      acknowledgedAt: null,
      decidedAt: null,
      by: null,
      reason: null,
      note: null,
      appealId: null,
    };
    this.setLevel(a, alertLevelAt(t, this.opts.now(), this.alertPolicy));
    this.alerts.set(a.id, a);
    const pair = pairKey(a.cameraId, a.algorithm);
    this.openByPair.set(pair, [...this.openAlerts(pair), a.id]);
    const isToday = this.localDay(t) === this.day;
    const item = this.ticker(e, community, d.algorithm, 'raised', d.location);
    for (const agg of this.path(community)) {
      if (isToday) {
        agg.alertsToday++;
        agg.detectionsToday++;
        bump(agg.alertsByAlgorithm, d.algorithm);
        bump(agg.alertsByStatus, 'raised');
        bump(agg.alertsByCommunity, community);
      }
      agg.alertQueue.add(a);
      agg.pushRecent(item);
    }
    this.alertContribute(a, 1);
    const times = escalationTimes(t, this.alertPolicy);
    const now = this.opts.now();
    for (const at of [times.street, times.district]) if (at > now) this.alertTimers.push({ at, key: a.id });
    this.touch(community);
    this.notify('raised', a);
  }

  /** A repeated detection: counted on the alert it merges into, its id an alias of the alert's. */
  private alertMerged(a: AlertState, e: EventOf<'video_alert.raised'>, t: number): void {
    const d = e.data;
    this.aliases.set(d.alertId, { alertId: a.id, own: 'raised' });
    a.aliases.push(d.alertId);
    a.count++;
    a.lastDetectedAt = Math.max(a.lastDetectedAt, t);
    a.confidence = Math.max(a.confidence, d.confidence);
    if (d.snapshotUrl && (a.snapshotAt === null || t >= a.snapshotAt)) {
      a.snapshotUrl = d.snapshotUrl;
      a.snapshotAt = t;
    }
    if (this.localDay(t) === this.day) for (const agg of this.path(a.community)) agg.detectionsToday++;
    this.touch(a.community);
    this.notify('merged', a, d.alertId);
  }

  /** acknowledged, confirmed or dismissed, naming an alert or one of its merged detections. */
  private alertStepped(
    e: EventOf<'video_alert.acknowledged'> | EventOf<'video_alert.confirmed'> | EventOf<'video_alert.dismissed'>,
    producer: string,
  ): void {
    const id = e.data.alertId;
    const to = e.type.slice('video_alert.'.length) as AlertStatus;
    const step = alertStep(this, id, to);
    if (step.reason !== undefined) return; // ingest refuses these; a log written by an older version may hold one
    const a = this.alerts.get(step.alertId)!;
    if (id === a.id) a.ownStatus = to;
    else this.aliases.set(id, { alertId: a.id, own: to });
    if (!step.acts) return; // absorbed: the alert has taken this step already, or gone past it

    const t = instantOf(e.occurredAt);
    const from = a.status;
    this.alertUpdate(a, () => {
      a.status = to;
      // the first response freezes the level at what it was then, by event time
      if (from === 'raised') {
        a.acknowledgedAt = t;
        this.setLevel(a, alertLevelAt(a.raisedAt, t, this.alertPolicy));
      }
      if (to !== 'acknowledged') a.decidedAt = t;
      a.by = e.data.by ?? producer;
      if (e.data.note) a.note = e.data.note;
      if (e.type === 'video_alert.dismissed') a.reason = e.data.reason;
      if (e.type === 'video_alert.confirmed' && e.data.appealId) a.appealId = e.data.appealId;
    });
    const day = this.localDay(t);
    const raisedToday = this.localDay(a.raisedAt) === this.day;
    const appealClosed = to === 'confirmed' && a.appealId !== null && this.appeals.get(a.appealId)?.status === 'closed';
    for (const agg of this.path(a.community)) {
      if (raisedToday) {
        bump(agg.alertsByStatus, from, -1);
        bump(agg.alertsByStatus, to);
      }
      if (from === 'raised' && day === this.day) {
        agg.ackCountToday++;
        agg.ackWaitMsToday += Math.max(0, t - a.raisedAt);
      }
      if (to === 'dismissed' || to === 'confirmed') {
        agg.alertDecisions.add(day, a.algorithm, 1, 1, this.day);
        if (to === 'dismissed') agg.alertDecisions.add(day, a.algorithm, 0, 1, this.day);
        else agg.confirmedClosed.add(day, '', 0, 1, this.day);
        if (appealClosed) agg.confirmedClosed.add(day, '', 1, 1, this.day);
      }
    }
    if (to === 'confirmed' && a.appealId !== null) this.alertOfAppeal.set(a.appealId, a.id);
    this.notify(to, a);
  }

  /** An appeal created by confirming an alert closed (1) or was reopened (−1). */
  private confirmedAppealClosed(appealId: string, delta: 1 | -1): void {
    const alertId = this.alertOfAppeal.get(appealId);
    const a = alertId === undefined ? undefined : this.alerts.get(alertId);
    if (!a || a.status !== 'confirmed' || a.appealId !== appealId || a.decidedAt === null) return;
    const day = this.localDay(a.decidedAt);
    for (const agg of this.path(a.community)) agg.confirmedClosed.add(day, '', 1, delta, this.day);
    this.touch(a.community);
  }

  /** Changes an alert: withdraws what it counts, changes it, adds it back; leaves the queue when decided. */
  private alertUpdate(a: AlertState, change: () => void): void {
    const wasOpen = OPEN_ALERT_STATUSES.has(a.status);
    this.alertContribute(a, -1);
    change();
    this.alertContribute(a, 1);
    if (wasOpen && !OPEN_ALERT_STATUSES.has(a.status)) {
      for (const agg of this.path(a.community)) agg.alertQueue.remove(a);
      const pair = pairKey(a.cameraId, a.algorithm);
      const rest = this.openAlerts(pair).filter((id) => id !== a.id);
      if (rest.length) this.openByPair.set(pair, rest);
      else this.openByPair.delete(pair);
    }
    this.touch(a.community);
  }

  /** Adds (1) or withdraws (−1) what an alert's standing counts: pending, and at which level. */
  private alertContribute(a: AlertState, sign: 1 | -1): void {
    if (a.status !== 'raised') return;
    for (const agg of this.path(a.community)) {
      agg.alertsPending += sign;
      agg.alertsPendingByLevel[a.level] += sign;
    }
  }

  private setLevel(a: AlertState, level: AlertLevel): void {
    a.level = level;
    a.escalatedAt = level === 'community' ? null : escalationTimes(a.raisedAt, this.alertPolicy)[level];
  }

  private notify(kind: AlertUpdateKind, a: AlertState, detectionId?: string): void {
    if (this.alertListeners.size === 0) return;
    const change: AlertChange = { kind, alert: this.alertView(a), community: a.community };
    if (detectionId !== undefined) change.detectionId = detectionId;
    for (const l of this.alertListeners) l(change);
  }

  // ---- grid inspections and smart codes ----

  private inspection(e: EventOf<'grid_inspection.reported'>, community: string): void {
    const d = e.data;
    const day = this.localDay(instantOf(e.occurredAt));
    const path = this.path(community);
    // the ticker takes it whatever its day, as it takes appeals: a replay then shows what live did
    const item = d.issuesFound > 0 ? this.ticker(e, community, 'inspection', undefined, d.location) : null;
    for (const agg of path) {
      agg.inspectionsDaily.add(day, this.day);
      if (item) agg.pushRecent(item);
    }
    this.touch(community);
    if (day !== this.day) return;
    const kind = d.kind ?? 'grid';
    for (const agg of path) {
      agg.inspectionsToday++;
      agg.issuesToday += d.issuesFound;
      agg.handledToday += d.issuesHandledOnSite;
      agg.inspectionsByKind[kind]++;
      agg.issuesByKind[kind] += d.issuesFound;
    }
  }

  private scan(e: EventOf<'smart_code.scanned'>, community: string): void {
    const day = this.localDay(instantOf(e.occurredAt));
    const path = this.path(community);
    const item = e.data.purpose === 'report' ? this.ticker(e, community, e.data.componentType, undefined, e.data.location) : null;
    for (const agg of path) {
      agg.scansDaily.add(day, this.day);
      if (item) agg.pushRecent(item);
    }
    this.touch(community);
    if (day !== this.day) return;
    for (const agg of path) {
      agg.scansToday++;
      agg.scansByPurpose[e.data.purpose]++;
    }
  }

  // ---- city components ----

  /**
   * A component's new status. A component the engine does not hold was normal; one that becomes
   * normal is forgotten. A component keeps the type and community it was first held with while it
   * is not normal (ingest refuses an event that names another type).
   */
  private componentChanged(e: EventOf<'component.status_changed'>, community: string): void {
    const d = e.data;
    const held = this.components.get(d.componentId);
    const status = componentStatusOf(d.status);
    if ((held?.status ?? 'normal') === status) return;
    const c = held ?? { type: d.componentType, status: 'fault', community };
    if (held) this.componentContribute(held, -1);
    if (status === 'normal') this.components.delete(d.componentId);
    else {
      c.status = status;
      this.components.set(d.componentId, c);
      this.componentContribute(c, 1);
    }
    // the ticker says it where the component is held (its first community), as the counts do
    const item = this.ticker(e, c.community, c.type, status, d.location);
    for (const agg of this.path(c.community)) agg.pushRecent(item);
  }

  /**
   * Adds (1) or withdraws (−1) a not-normal component from its scopes' counts. Not-normal
   * components beyond the registered count of their type in their community are counted on top
   * of the registry (`componentExtra`), so that normal never goes below zero.
   */
  private componentContribute(c: ComponentState, sign: 1 | -1): void {
    const own = this.aggregates.get(`community:${c.community}`);
    const seeded = own?.componentSeed[c.type] ?? 0;
    const before = own?.componentFaultsByType[c.type] ?? 0;
    const extra = Math.max(seeded, before + sign) - Math.max(seeded, before);
    for (const agg of this.path(c.community)) {
      agg.componentsByStatus[c.status] += sign;
      bump(agg.componentFaultsByType, c.type, sign);
      if (extra !== 0) bump(agg.componentExtra, c.type, extra);
      if (c.type === SMART_POLE_TYPE) {
        if (c.status === 'offline') agg.polesOffline += sign;
        else agg.polesFaulty += sign;
      }
    }
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
    const series = (counts: DayCounts) => {
      const out = [];
      for (let d = this.day - DAILY_DAYS + 1; d <= this.day; d++) out.push({ date: dayLabel(d), count: counts.get(d) });
      return out;
    };
    const communities: ScopeMetrics['map.communities'] = {};
    const alertMap: FullScopeMetrics['map.alerts'] = {};
    for (const c of this.geo.communities) {
      if (!this.geo.contains(agg.scope.slice(agg.scope.indexOf(':') + 1), c.code) && agg.scope !== `community:${c.code}`) continue;
      const ca = this.aggregates.get(`community:${c.code}`)!;
      communities[c.code] = { today: ca.today, open: ca.open, overdue: ca.overdue, alertsToday: ca.alertsToday };
      const cams = this.cameraRate(`community:${c.code}`);
      alertMap[c.code] = {
        open: ca.alertQueue.size,
        pending: ca.alertsPending,
        escalated: ca.alertsPendingByLevel.street + ca.alertsPendingByLevel.district,
        camerasOnline: cams.online,
        camerasTotal: cams.total,
      };
    }
    const rate = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);
    const falsePositives = ([dismissed, decided]: number[]) => ({ dismissed, decided, rate: rate(dismissed, decided) });
    const [confirmed, confirmedClosed] = agg.confirmedClosed.total();
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
      'alerts.open': agg.alertQueue.size,
      // one queue for every watcher: what a principal without PII clearance may see
      'alerts.queue': agg.alertQueue.head(ALERT_QUEUE_CAP).map((a) => redactAlert(this.alertView(a as AlertState), { pii: false })),
      'alerts.pendingByLevel': { ...agg.alertsPendingByLevel },
      'alerts.escalated': agg.alertsPendingByLevel.street + agg.alertsPendingByLevel.district,
      'alerts.detectionsToday': agg.detectionsToday,
      'alerts.byCommunity': { ...agg.alertsByCommunity },
      'alerts.ackTime': {
        count: agg.ackCountToday,
        meanMinutes: agg.ackCountToday ? oneDecimal(agg.ackWaitMsToday / agg.ackCountToday / 60_000) : null,
      },
      'alerts.falsePositives': {
        ...falsePositives(agg.alertDecisions.total()),
        byAlgorithm: Object.fromEntries(
          [...agg.alertDecisions.window].sort(([x], [y]) => (x < y ? -1 : 1)).map(([alg, v]) => [alg, falsePositives(v)]),
        ),
      },
      'alerts.confirmedClosed': { confirmed, closed: confirmedClosed, rate: rate(confirmedClosed, confirmed) },
      'cameras.online': this.cameraRate(scope),
      'map.alerts': alertMap,
      'inspections.today': agg.inspectionsToday,
      'inspections.issuesToday': agg.issuesToday,
      'scans.today': agg.scansToday,
      ...this.gridInsights(agg, series, rate),
      recent: agg.recent.map((r) => ({ ...r })),
    };
  }

  /** The grid, component, smart-code and enterprise figures of a scope (`GridInsights`). */
  private gridInsights(
    agg: ScopeAggregate,
    series: (counts: DayCounts) => { date: string; count: number }[],
    rate: (num: number, den: number) => number | null,
  ): GridInsights {
    const byType: Record<string, number> = {};
    let total = 0;
    for (const { code } of taxonomy.componentTypes) {
      const n = (agg.componentSeed[code] ?? 0) + (agg.componentExtra[code] ?? 0);
      if (n > 0) byType[code] = n;
      total += n;
    }
    const s = agg.componentsByStatus;
    const normal = total - s.fault - s.repairing - s.offline;
    const poles = byType[SMART_POLE_TYPE] ?? 0;
    return {
      'grid.profile': { ...agg.profile },
      'inspections.handledToday': agg.handledToday,
      'inspections.byKind': { ...agg.inspectionsByKind },
      'inspections.issuesByKind': { ...agg.issuesByKind },
      'inspections.daily': series(agg.inspectionsDaily),
      'components.byType': byType,
      'components.byStatus': { normal, ...s },
      'components.faultsByType': { ...agg.componentFaultsByType },
      'components.health': { normal, total, rate: rate(normal, total) },
      'poles.status': {
        online: poles - agg.polesOffline,
        total: poles,
        faults: agg.polesFaulty,
        rate: rate(poles - agg.polesOffline, poles),
      },
      'scans.byPurpose': { ...agg.scansByPurpose },
      'scans.reportsToday': agg.scansByPurpose.report,
      'scans.daily': series(agg.scansDaily),
      'appeals.enterpriseToday': agg.enterpriseToday,
      'appeals.enterpriseOpen': agg.enterpriseOpen,
      'appeals.enterpriseByCategory': { ...agg.enterpriseByCategory },
    };
  }

  // ---- helpers ----

  private cameraRate(scope: string): FullScopeMetrics['cameras.online'] {
    return this.cameras?.onlineRate(scope) ?? { online: 0, total: 0, rate: null };
  }

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

  /** The scopes an event in a community counts in: the community, its street, the district. */
  scopePathOf(community: string): string[] {
    return [`community:${community}`, `street:${community.slice(0, 9)}`, `district:${this.geo.district.code}`];
  }

  private touch(community: string): void {
    this.dirty.add(`community:${community}`);
    this.dirty.add(`street:${community.slice(0, 9)}`);
    this.dirty.add(`district:${this.geo.district.code}`);
  }

  private ticker(e: CityEvent, community: string, label: string, status: string | undefined, at: { lon: number; lat: number }): TickerItem {
    this.touch(community);
    // walls show the ticker: where it happened, to about 100 m (masking.ts), for every screen
    const item: TickerItem = redactTicker({ id: e.id, type: e.type, at: e.occurredAt, community, label, lon: at.lon, lat: at.lat });
    if (status) item.status = status;
    return item;
  }
}

const oneDecimal = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

function stageTime(w: DurationStats): StageTime {
  return { count: w.count, meanMinutes: oneDecimal(w.meanMinutes()), medianMinutes: oneDecimal(w.medianMinutes()) };
}
