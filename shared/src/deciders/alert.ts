/**
 * The two decisions about video alerts that ingest and the engine must make alike: does a new
 * detection merge into an open alert, and what does a lifecycle event naming a detection do. Both
 * read the state through `AlertLookup`: the engine answers from its projections, ingest from an
 * overlay of the batch so far over the engine (`AlertOverlay`). Neither reads the clock, so a
 * replay decides exactly as the live run did.
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
import { OPEN_ALERT_STATUSES, checkAlertTransition, type AlertStatus } from '@commandhall/shared';

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

/**
 * The alerts as a batch leaves them, over the engine's: ingest records each accepted event here so
 * that later events of the same batch are judged against it.
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

  /** Records a new detection; returns the alert it merged into, or null when it raised a new one. */
  raise(id: string, cameraId: string, algorithm: string, at: number, community: string): string | null {
    const target = mergeTarget(this, cameraId, algorithm, at, this.mergeWindowMs);
    if (target) {
      const f = this.facts(target)!;
      this.alerts.set(target, { ...f, lastDetectedAt: Math.max(f.lastDetectedAt, at) });
      this.detections.set(id, { alertId: target, own: 'raised' });
      return target;
    }
    const pair = pairKey(cameraId, algorithm);
    this.alerts.set(id, { status: 'raised', cameraId, algorithm, raisedAt: at, lastDetectedAt: at, community });
    this.detections.set(id, { alertId: id, own: 'raised' });
    this.open.set(pair, [...this.openAlerts(pair), id]);
    return null;
  }

  /** Records a step `alertStep` allowed. */
  move(detectionId: string, step: { alertId: string; acts: boolean }, to: AlertStatus): void {
    this.detections.set(detectionId, { alertId: step.alertId, own: to });
    if (!step.acts) return;
    const f = this.facts(step.alertId)!;
    this.alerts.set(step.alertId, { ...f, status: to });
    if (!OPEN_ALERT_STATUSES.has(to)) {
      const pair = pairKey(f.cameraId, f.algorithm);
      this.open.set(
        pair,
        this.openAlerts(pair).filter((id) => id !== step.alertId),
      );
    }
  }
}
