/**
 * The video alert projection: every alert with its merged detections, the open alerts per camera
 * and algorithm, escalation by time, and the alert figures of every scope. What an event does is
 * shared's alert decider (raise, merge, step or absorb); this folds its `next` and counts it.
 *
 * It follows the appeals its confirmations created on its own: an `appeal.transitioned` into or
 * out of `closed` moves the confirmed-and-closed rate (it reads the appeal's status from the
 * appeal projection, which folds the event first).
 */
import {
  ALERT_QUEUE_CAP,
  DEFAULT_ALERT_POLICY,
  OPEN_ALERT_STATUSES,
  alertLevelAt,
  decideAlert,
  escalationTimes,
  instantOf,
  pairKey,
  redactAlert,
  type AlertLevel,
  type AlertLookup,
  type AlertPolicy,
  type AlertStatus,
  type AlertUpdateKind,
  type AlertView,
  type AppealStatus,
  type DetectionRef,
  type EventOf,
  type FullScopeMetrics,
} from '@commandhall/shared';
import type { StoredEvent } from '../../core/store/event-store.ts';
import type { Projection } from '../../core/projection.ts';
import { ScopeTable, type ScopeIndex } from '../../core/scope-index.ts';
import { TimerHeap } from '../../core/counters/timer-heap.ts';
import { bump, oneDecimal, rate } from '../../core/counters/bump.ts';
import { alertView, type CameraSource } from './view.ts';
import { AlertCounters } from './alert-counters.ts';
import type { AlertChange, AlertState } from './alert-state.ts';

/** An alert's figures on the map of its community. */
export interface CommunityAlerts {
  alertsToday: number;
  open: number;
  pending: number;
  escalated: number;
}

type StepEvent = EventOf<'video_alert.acknowledged'> | EventOf<'video_alert.confirmed'> | EventOf<'video_alert.dismissed'>;

export class AlertProjection implements Projection, AlertLookup {
  readonly name = 'alerts';
  /** Alerts by id (the id of their first detection); merged detections are in `aliases`. */
  readonly alerts = new Map<string, AlertState>();
  readonly policy: Readonly<AlertPolicy>;
  /** Detections merged into an alert: their id → the alert and their own status. */
  private aliases = new Map<string, DetectionRef>();
  /** Open alerts per camera and algorithm, oldest raised first. */
  private openByPair = new Map<string, string[]>();
  /** Appeal id → the alert whose confirmation created it, and whether that appeal is closed. */
  private linked = new Map<string, { alertId: string; closed: boolean }>();
  private counters: ScopeTable<AlertCounters>;
  private timers = new TimerHeap();
  private listeners = new Set<(c: AlertChange) => void>();
  private cameras: CameraSource | null = null;

  constructor(
    private index: ScopeIndex,
    private appealStatus: (appealId: string) => AppealStatus | undefined,
    policy?: Partial<AlertPolicy>,
  ) {
    this.policy = { ...DEFAULT_ALERT_POLICY, ...policy };
    this.counters = new ScopeTable(index, () => new AlertCounters());
  }

  /** The camera registry, for camera names in alert views. */
  useCameras(cameras: CameraSource): void {
    this.cameras = cameras;
  }

  /**
   * Calls `listener` with every change to an alert from now on, as it is applied (events) or found
   * (escalation in `advance`). Nothing is kept for a listener that is not there: replays on start
   * tell no one. Returns a function that unsubscribes.
   */
  onChange(listener: (c: AlertChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(stored: StoredEvent): void {
    const e = stored.event;
    switch (e.type) {
      case 'video_alert.raised':
        if (stored.community) this.raised(e, stored.community);
        break;
      case 'video_alert.acknowledged':
      case 'video_alert.confirmed':
      case 'video_alert.dismissed':
        this.stepped(e, stored.producer);
        break;
      case 'appeal.transitioned':
        this.linkedAppealMoved(e.data.appealId);
        break;
    }
  }

  rollover(index: ScopeIndex): void {
    for (const c of this.counters.values()) c.rollover(index.day);
  }

  advance(now: number): void {
    for (const t of this.timers.popDue(now)) {
      const a = this.alerts.get(t.key);
      // acknowledged or decided since: its level was frozen then
      if (!a || a.status !== 'raised') continue;
      const level = alertLevelAt(a.raisedAt, now, this.policy);
      if (level === a.level) continue;
      this.update(a, () => this.setLevel(a, level));
      this.notify('escalated', a);
    }
  }

  // ---- lookups (AlertLookup: what the decider reads) ----

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
    const id = this.linked.get(appealId)?.alertId;
    const a = id === undefined ? undefined : this.alerts.get(id);
    return a && a.status === 'confirmed' && a.appealId === appealId ? a : undefined;
  }

  /** An alert's detections with their own statuses, the first one first. */
  detectionsOf(a: AlertState): { id: string; status: AlertStatus }[] {
    return [{ id: a.id, status: a.ownStatus }, ...a.aliases.map((id) => ({ id, status: this.aliases.get(id)!.own }))];
  }

  /** Open alerts of a scope, newest raised first. */
  openIn(scope: string): AlertState[] {
    return this.counters.get(scope)?.queue.all() ?? [];
  }

  /** The alert as the API and the live channel show it. */
  view(a: AlertState): AlertView {
    return alertView(a, this.cameras);
  }

  /** An area's alerts on the map (a community's, or a grid cell's). */
  community(code: string, level: 'community' | 'grid' = 'community'): CommunityAlerts {
    const c = this.counters.get(`${level}:${code}`);
    if (!c) return { alertsToday: 0, open: 0, pending: 0, escalated: 0 };
    return {
      alertsToday: c.alertsToday,
      open: c.queue.size,
      pending: c.pending,
      escalated: c.pendingByLevel.street + c.pendingByLevel.district,
    };
  }

  // ---- folding ----

  /** A detection: a new alert, or one more detection of an open alert of the same camera and algorithm. */
  private raised(e: EventOf<'video_alert.raised'>, community: string): void {
    const decided = decideAlert(this, e, this.policy.mergeWindowMs);
    if (decided.reason !== undefined || decided.next.kind === 'step') return; // ingest refuses a second detection with the same id
    const t = decided.next.at;
    if (decided.next.kind === 'merged') return this.merged(this.alerts.get(decided.next.into)!, e, t);
    const d = e.data;
    const a: AlertState = {
      id: d.alertId,
      status: 'raised',
      ownStatus: 'raised',
      community,
      place: this.index.placeOf(community, d.location),
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
    const now = this.index.now();
    this.setLevel(a, alertLevelAt(t, now, this.policy));
    this.alerts.set(a.id, a);
    const pair = pairKey(a.cameraId, a.algorithm);
    this.openByPair.set(pair, [...this.openAlerts(pair), a.id]);
    const isToday = this.index.localDay(t) === this.index.day;
    for (const c of this.counters.path(a.place)) {
      if (isToday) {
        c.alertsToday++;
        c.detectionsToday++;
        bump(c.byAlgorithm, d.algorithm);
        bump(c.byStatus, 'raised');
        bump(c.byCommunity, community);
      }
      c.queue.add(a);
    }
    this.index.ticker(e, a.place, d.algorithm, 'raised', d.location);
    this.contribute(a, 1);
    const times = escalationTimes(t, this.policy);
    for (const at of [times.street, times.district]) if (at > now) this.timers.push({ at, key: a.id });
    this.notify('raised', a);
  }

  /** A repeated detection: counted on the alert it merges into, its id an alias of the alert's. */
  private merged(a: AlertState, e: EventOf<'video_alert.raised'>, t: number): void {
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
    if (this.index.localDay(t) === this.index.day) for (const c of this.counters.path(a.place)) c.detectionsToday++;
    this.index.touch(a.place);
    this.notify('merged', a, d.alertId);
  }

  /** acknowledged, confirmed or dismissed, naming an alert or one of its merged detections. */
  private stepped(e: StepEvent, producer: string): void {
    const id = e.data.alertId;
    const decided = decideAlert(this, e, this.policy.mergeWindowMs);
    // ingest refuses these; a log written by an older version may hold one
    if (decided.reason !== undefined || decided.next.kind !== 'step') return;
    const { alertId, acts, to } = decided.next;
    const a = this.alerts.get(alertId)!;
    if (id === a.id) a.ownStatus = to;
    else this.aliases.set(id, { alertId: a.id, own: to });
    if (!acts) return; // absorbed: the alert has taken this step already, or gone past it

    const t = instantOf(e.occurredAt);
    const from = a.status;
    this.update(a, () => {
      a.status = to;
      // the first response freezes the level at what it was then, by event time
      if (from === 'raised') {
        a.acknowledgedAt = t;
        this.setLevel(a, alertLevelAt(a.raisedAt, t, this.policy));
      }
      if (to !== 'acknowledged') a.decidedAt = t;
      a.by = e.data.by ?? producer;
      if (e.data.note) a.note = e.data.note;
      if (e.type === 'video_alert.dismissed') a.reason = e.data.reason;
      if (e.type === 'video_alert.confirmed' && e.data.appealId) a.appealId = e.data.appealId;
    });
    const today = this.index.day;
    const day = this.index.localDay(t);
    const raisedToday = this.index.localDay(a.raisedAt) === today;
    const appealClosed = to === 'confirmed' && a.appealId !== null && this.appealStatus(a.appealId) === 'closed';
    for (const c of this.counters.path(a.place)) {
      if (raisedToday) {
        bump(c.byStatus, from, -1);
        bump(c.byStatus, to);
      }
      if (from === 'raised' && day === today) {
        c.ackCountToday++;
        c.ackWaitMsToday += Math.max(0, t - a.raisedAt);
      }
      if (to === 'dismissed' || to === 'confirmed') {
        c.decisions.add(day, a.algorithm, 1, 1, today);
        if (to === 'dismissed') c.decisions.add(day, a.algorithm, 0, 1, today);
        else c.confirmedClosed.add(day, '', 0, 1, today);
        if (appealClosed) c.confirmedClosed.add(day, '', 1, 1, today);
      }
    }
    if (to === 'confirmed' && a.appealId !== null) this.linked.set(a.appealId, { alertId: a.id, closed: appealClosed });
    this.notify(to, a);
  }

  /** An appeal a confirmation created closed, or was reopened: the confirmed-and-closed count follows. */
  private linkedAppealMoved(appealId: string): void {
    const link = this.linked.get(appealId);
    if (!link) return;
    const closed = this.appealStatus(appealId) === 'closed';
    if (closed === link.closed) return;
    link.closed = closed;
    const a = this.alerts.get(link.alertId);
    if (!a || a.status !== 'confirmed' || a.appealId !== appealId || a.decidedAt === null) return;
    const day = this.index.localDay(a.decidedAt);
    for (const c of this.counters.path(a.place)) c.confirmedClosed.add(day, '', 1, closed ? 1 : -1, this.index.day);
    this.index.touch(a.place);
  }

  /** Changes an alert: withdraws what it counts, changes it, adds it back; leaves the queue when decided. */
  private update(a: AlertState, change: () => void): void {
    const wasOpen = OPEN_ALERT_STATUSES.has(a.status);
    this.contribute(a, -1);
    change();
    this.contribute(a, 1);
    if (wasOpen && !OPEN_ALERT_STATUSES.has(a.status)) {
      for (const c of this.counters.path(a.place)) c.queue.remove(a);
      const pair = pairKey(a.cameraId, a.algorithm);
      const rest = this.openAlerts(pair).filter((id) => id !== a.id);
      if (rest.length) this.openByPair.set(pair, rest);
      else this.openByPair.delete(pair);
    }
    this.index.touch(a.place);
  }

  /** Adds (1) or withdraws (−1) what an alert's standing counts: pending, and at which level. */
  private contribute(a: AlertState, sign: 1 | -1): void {
    if (a.status !== 'raised') return;
    for (const c of this.counters.path(a.place)) {
      c.pending += sign;
      c.pendingByLevel[a.level] += sign;
    }
  }

  private setLevel(a: AlertState, level: AlertLevel): void {
    a.level = level;
    a.escalatedAt = level === 'community' ? null : escalationTimes(a.raisedAt, this.policy)[level];
  }

  private notify(kind: AlertUpdateKind, a: AlertState, detectionId?: string): void {
    if (this.listeners.size === 0) return;
    const change: AlertChange = { kind, alert: this.view(a), community: a.place };
    if (detectionId !== undefined) change.detectionId = detectionId;
    for (const l of this.listeners) l(change);
  }

  figures(scope: string): Partial<FullScopeMetrics> {
    const c = this.counters.get(scope)!;
    const falsePositives = ([dismissed, decided]: number[]) => ({ dismissed, decided, rate: rate(dismissed, decided) });
    const [confirmed, closed] = c.confirmedClosed.total();
    return {
      'alerts.today': c.alertsToday,
      'alerts.pending': c.pending,
      'alerts.byAlgorithm': { ...c.byAlgorithm },
      'alerts.byStatus': { ...c.byStatus },
      'alerts.open': c.queue.size,
      // one queue for every watcher: what a principal without PII clearance may see
      'alerts.queue': c.queue.head(ALERT_QUEUE_CAP).map((a) => redactAlert(this.view(a), { pii: false })),
      'alerts.pendingByLevel': { ...c.pendingByLevel },
      'alerts.escalated': c.pendingByLevel.street + c.pendingByLevel.district,
      'alerts.detectionsToday': c.detectionsToday,
      'alerts.byCommunity': { ...c.byCommunity },
      'alerts.ackTime': {
        count: c.ackCountToday,
        meanMinutes: c.ackCountToday ? oneDecimal(c.ackWaitMsToday / c.ackCountToday / 60_000) : null,
      },
      'alerts.falsePositives': {
        ...falsePositives(c.decisions.total()),
        byAlgorithm: Object.fromEntries(
          [...c.decisions.window].sort(([x], [y]) => (x < y ? -1 : 1)).map(([alg, v]) => [alg, falsePositives(v)]),
        ),
      },
      'alerts.confirmedClosed': { confirmed, closed, rate: rate(closed, confirmed) },
    };
  }
}
