/**
 * The video alert decider: does a new detection raise an alert or merge into an open one, and what
 * does a lifecycle event naming a detection do. It reads the state through `AlertLookup`: the alert
 * projection answers from its state, ingest from an overlay of the batch so far over the
 * projection (`AlertOverlay`). It never reads the clock, so a replay decides exactly as the live
 * run did.
 *
 * Every `video_alert.raised` is a detection with its own id. The first detection of an alert gives
 * the alert its id; a later one that merges becomes an alias of it. Each detection keeps its own
 * lifecycle status (what the events naming it have said), and the alert has its status:
 *
 * - a step the detection's own lifecycle forbids is refused (an id acknowledged twice);
 * - otherwise, if the alert's status allows the step, the step acts on the alert;
 * - otherwise the alert has already taken it or gone past it (through another of its detections,
 *   or the console): the event is absorbed: stored, and changes nothing. A producer that does not
 *   know about merging can thus finish each detection's lifecycle as it always did.
 *
 * For an alert with a single detection the two statuses are the same and nothing is absorbed.
 */
import { OPEN_ALERT_STATUSES, checkAlertTransition, type AlertStatus } from '../alert-lifecycle.ts';
import type { EventOf } from '../events.ts';
import { instantOf } from '../time.ts';
import type { Decision } from './decision.ts';

/** What the decisions need to know about an alert. */
export interface AlertFacts {
  status: AlertStatus;
  cameraId: string;
  algorithm: string;
  raisedAt: number;
  lastDetectedAt: number;
  community: string;
}

/** A detection: the alert it belongs to and its own lifecycle status. */
export interface DetectionRef {
  alertId: string;
  own: AlertStatus;
}

export interface AlertLookup {
  /** A detection by its id (an alert's id is its first detection's). */
  detection(id: string): DetectionRef | undefined;
  facts(alertId: string): AlertFacts | undefined;
  /** Ids of the open alerts of a camera and algorithm (`pairKey`), oldest raised first. */
  openAlerts(pair: string): readonly string[];
}

export const pairKey = (cameraId: string, algorithm: string): string => `${cameraId}\u0000${algorithm}`;

/**
 * The open alert a detection at `at` by this camera and algorithm merges into, or null for a new
 * alert: the latest raised open alert of the pair whose span of detections, widened by the window
 * on both sides, holds `at`.
 */
export function mergeTarget(look: AlertLookup, cameraId: string, algorithm: string, at: number, windowMs: number): string | null {
  const open = look.openAlerts(pairKey(cameraId, algorithm));
  for (let i = open.length - 1; i >= 0; i--) {
    const f = look.facts(open[i]);
    if (f && OPEN_ALERT_STATUSES.has(f.status) && at >= f.raisedAt - windowMs && at <= f.lastDetectedAt + windowMs) return open[i];
  }
  return null;
}

/** What a lifecycle event naming a detection does: acts on its alert, is absorbed, or is refused. */
export type AlertStep = { alertId: string; acts: boolean; reason?: undefined } | { reason: string };

export function alertStep(look: AlertLookup, detectionId: string, to: AlertStatus): AlertStep {
  const d = look.detection(detectionId);
  if (!d) return { reason: `alert "${detectionId}" is unknown: send its video_alert.raised first` };
  const own = checkAlertTransition(d.own, to);
  if (own) return { reason: d.alertId === detectionId ? own : `detection "${detectionId}" (merged into alert "${d.alertId}"): ${own}` };
  const alert = look.facts(d.alertId);
  if (!alert) return { reason: `alert "${d.alertId}" is unknown` };
  return { alertId: d.alertId, acts: checkAlertTransition(alert.status, to) === null };
}

export type AlertEvent =
  EventOf<'video_alert.raised'> | EventOf<'video_alert.acknowledged'> | EventOf<'video_alert.confirmed'> | EventOf<'video_alert.dismissed'>;

/** What an alert event does: raise a new alert, merge into an open one, or step one (acting or absorbed). */
export type AlertNext =
  | { kind: 'raised'; at: number }
  | { kind: 'merged'; into: string; at: number }
  | { kind: 'step'; alertId: string; acts: boolean; to: AlertStatus };

/** The lifecycle status a step event moves to. */
export const stepStatus = (type: Exclude<AlertEvent['type'], 'video_alert.raised'>): AlertStatus =>
  type.slice('video_alert.'.length) as AlertStatus;

export function decideAlert(look: AlertLookup, e: AlertEvent, mergeWindowMs: number): Decision<AlertNext> {
  const id = e.data.alertId;
  if (e.type === 'video_alert.raised') {
    const known = look.detection(id);
    if (known)
      return {
        reason:
          known.alertId === id ? `alert "${id}" already exists` : `alert "${id}" already exists (merged into alert "${known.alertId}")`,
      };
    const at = instantOf(e.occurredAt);
    const into = mergeTarget(look, e.data.cameraId, e.data.algorithm, at, mergeWindowMs);
    return { next: into === null ? { kind: 'raised', at } : { kind: 'merged', into, at } };
  }
  const to = stepStatus(e.type);
  const step = alertStep(look, id, to);
  return step.reason !== undefined ? step : { next: { kind: 'step', alertId: step.alertId, acts: step.acts, to } };
}

/**
 * The alerts as a batch leaves them, over the projection's: ingest records each accepted event here
 * so that later events of the same batch are judged against it.
 */
export class AlertOverlay implements AlertLookup {
  private detections = new Map<string, DetectionRef>();
  private alerts = new Map<string, AlertFacts>();
  private open = new Map<string, string[]>();

  constructor(
    private base: AlertLookup,
    private mergeWindowMs: number,
  ) {}

  detection(id: string): DetectionRef | undefined {
    return this.detections.get(id) ?? this.base.detection(id);
  }

  facts(alertId: string): AlertFacts | undefined {
    return this.alerts.get(alertId) ?? this.base.facts(alertId);
  }

  openAlerts(pair: string): readonly string[] {
    return this.open.get(pair) ?? this.base.openAlerts(pair);
  }

  /** Decides an event against the batch so far (`record` what it does once it is accepted). */
  decide(e: AlertEvent): Decision<AlertNext> {
    return decideAlert(this, e, this.mergeWindowMs);
  }

  /** Records what an accepted event does, for the events after it in the batch. */
  record(e: AlertEvent, next: AlertNext, community: string | null): void {
    const id = e.data.alertId;
    // a detection without a community is not taken by the projection: nothing merges into it either
    if (next.kind !== 'step' && !community) return;
    if (next.kind === 'merged') {
      const f = this.facts(next.into)!;
      this.alerts.set(next.into, { ...f, lastDetectedAt: Math.max(f.lastDetectedAt, next.at) });
      this.detections.set(id, { alertId: next.into, own: 'raised' });
    } else if (next.kind === 'raised') {
      const { cameraId, algorithm } = (e as EventOf<'video_alert.raised'>).data;
      const pair = pairKey(cameraId, algorithm);
      this.alerts.set(id, { status: 'raised', cameraId, algorithm, raisedAt: next.at, lastDetectedAt: next.at, community: community! });
      this.detections.set(id, { alertId: id, own: 'raised' });
      this.open.set(pair, [...this.openAlerts(pair), id]);
    } else {
      this.detections.set(id, { alertId: next.alertId, own: next.to });
      if (!next.acts) return;
      const f = this.facts(next.alertId)!;
      this.alerts.set(next.alertId, { ...f, status: next.to });
      if (!OPEN_ALERT_STATUSES.has(next.to)) {
        const pair = pairKey(f.cameraId, f.algorithm);
        this.open.set(
          pair,
          this.openAlerts(pair).filter((x) => x !== next.alertId),
        );
      }
    }
  }
}
