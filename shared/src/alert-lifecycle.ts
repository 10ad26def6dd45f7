/**
 * Video AI alerts: the lifecycle (raised → acknowledged → confirmed, which becomes an appeal, or
 * dismissed), how repeated detections merge into one alert, how an alert nobody acknowledges
 * escalates community → street → district, and the alert as the API and the live channel show it.
 * The rules are explained in `docs/alerts.md`.
 */
import { Type, type Static, type TSchema } from 'typebox';

export const ALERT_STATUSES = ['raised', 'acknowledged', 'confirmed', 'dismissed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

const MOVES: Record<AlertStatus, readonly AlertStatus[]> = {
  raised: ['acknowledged', 'confirmed', 'dismissed'],
  acknowledged: ['confirmed', 'dismissed'],
  confirmed: [],
  dismissed: [],
};

export function checkAlertTransition(from: AlertStatus, to: AlertStatus): string | null {
  if (MOVES[from].includes(to)) return null;
  const allowed = MOVES[from];
  return `cannot move alert from "${from}" to "${to}": allowed from "${from}" are ${allowed.length ? allowed.map((s) => `"${s}"`).join(', ') : 'none (final state)'}`;
}

/** The moves the lifecycle allows from a status (none from a final one). */
export function allowedAlertMoves(from: AlertStatus): readonly AlertStatus[] {
  return MOVES[from];
}

/** Alerts still waiting for a decision: they are in the queue, and new detections merge into them. */
export const OPEN_ALERT_STATUSES: ReadonlySet<AlertStatus> = new Set(['raised', 'acknowledged']);

/** Who must see to an alert: its community hall first; its street, then the district, when nobody acknowledges it. */
export const ALERT_LEVELS = ['community', 'street', 'district'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

const MIN = 60_000;

/**
 * How alerts merge and escalate. Settings (server config): ALERT_MERGE_MINUTES,
 * ALERT_ESCALATE_STREET_MINUTES, ALERT_ESCALATE_DISTRICT_MINUTES.
 */
export interface AlertPolicy {
  /**
   * A detection by the same camera and algorithm as an open alert merges into it when it happened
   * no more than this long after the alert's last detection (or before its first).
   */
  mergeWindowMs: number;
  /** An alert still unacknowledged this long after it was raised escalates to its street. */
  escalateToStreetMs: number;
  /** …and this much longer after that, to the district. */
  escalateToDistrictMs: number;
}

export const ALERT_MERGE_WINDOW_MS = 10 * MIN;
export const ALERT_ESCALATE_TO_STREET_MS = 5 * MIN;
export const ALERT_ESCALATE_TO_DISTRICT_MS = 10 * MIN;

export const DEFAULT_ALERT_POLICY: Readonly<AlertPolicy> = {
  mergeWindowMs: ALERT_MERGE_WINDOW_MS,
  escalateToStreetMs: ALERT_ESCALATE_TO_STREET_MS,
  escalateToDistrictMs: ALERT_ESCALATE_TO_DISTRICT_MS,
};

/** When an alert raised at `raisedAt` reaches the street and the district level if nobody acknowledges it. */
export function escalationTimes(raisedAt: number, policy: AlertPolicy): { street: number; district: number } {
  const street = raisedAt + policy.escalateToStreetMs;
  return { street, district: street + policy.escalateToDistrictMs };
}

/**
 * The level of an alert raised at `raisedAt`, judged at `at`: the moment of its first response
 * (acknowledgement, or a decision straight away) once it has one, else now. Event times only, so a
 * replay reaches the same level as live updates did.
 */
export function alertLevelAt(raisedAt: number, at: number, policy: AlertPolicy): AlertLevel {
  const t = escalationTimes(raisedAt, policy);
  if (at >= t.district) return 'district';
  if (at >= t.street) return 'street';
  return 'community';
}

/** How many open alerts a scope's queue (`alerts.queue`) lists, newest first. */
export const ALERT_QUEUE_CAP = 50;
/** Window of the false-positive rate and the "confirmed and closed" share: today and the 6 days before. */
export const ALERT_WINDOW_DAYS = 7;

/** What a person can do to an alert from the console. */
export const ALERT_ACTIONS = ['acknowledge', 'confirm', 'dismiss'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];
/** The status each action takes an alert to. */
export const ALERT_ACTION_STATUS: Record<AlertAction, AlertStatus> = {
  acknowledge: 'acknowledged',
  confirm: 'confirmed',
  dismiss: 'dismissed',
};

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Time = (description: string) => Type.String({ format: 'date-time', description });

/**
 * An alert as the API and the live channel show it (the same shape in `alerts.queue`, in
 * `alert:update` and from `GET /api/v1/alerts`). Every field has a treatment in masking.ts (ALERT_MASKING).
 */
export const AlertView = Type.Object({
  id: Type.String({ description: 'Alert id: the id of its first detection' }),
  status: Type.Enum(ALERT_STATUSES),
  level: Type.Enum(ALERT_LEVELS, { description: 'community until escalated; frozen at the first response' }),
  escalated: Type.Boolean({ description: 'level is street or district' }),
  escalatedAt: Nullable(Time('When it reached its level (null at community level)')),
  algorithm: Type.String({ description: 'Algorithm code from the taxonomy' }),
  community: Type.String({ description: '12-digit community code' }),
  cameraId: Type.String(),
  cameraName: Nullable(Type.String({ description: 'From the camera registry; null for a camera it does not know' })),
  location: Type.Object({ lon: Type.Number(), lat: Type.Number(), address: Type.Optional(Type.String()) }),
  confidence: Type.Number({ description: 'Highest confidence of its detections' }),
  snapshotUrl: Nullable(Type.String({ description: 'Snapshot of its latest detection that had one' })),
  count: Type.Integer({ minimum: 1, description: 'Detections merged into it, the first included' }),
  raisedAt: Time('Its first detection'),
  lastDetectedAt: Time('Its latest detection'),
  acknowledgedAt: Nullable(Time('First response: acknowledged, or decided straight away')),
  decidedAt: Nullable(Time('Confirmed or dismissed')),
  by: Nullable(Type.String({ description: 'Who acted last' })),
  reason: Nullable(Type.String({ description: 'Why it was dismissed' })),
  note: Nullable(Type.String({ description: 'Note of the last action that had one' })),
  appealId: Nullable(Type.String({ description: 'The appeal a confirmation created' })),
});
export type AlertView = Static<typeof AlertView>;

/** `GET /api/v1/alerts/:id`: the alert, where it is, its detections and what the caller may do. */
export interface AlertDetail {
  alert: AlertView;
  communityName: string;
  streetName: string;
  /** Its detections, the first (whose id is the alert's) first, each with its own lifecycle status. */
  detections: { id: string; status: AlertStatus }[];
  /** What the caller may do now. */
  actions: AlertAction[];
}

/** What happened to an alert, as `alert:update` says. */
export const ALERT_UPDATE_KINDS = ['raised', 'merged', 'acknowledged', 'confirmed', 'dismissed', 'escalated'] as const;
export type AlertUpdateKind = (typeof ALERT_UPDATE_KINDS)[number];

/**
 * `alert:update` on the live channel: sent at once (not with the tick) to every socket watching
 * the alert's community, its street or the district, and to no other.
 */
export interface AlertUpdate {
  kind: AlertUpdateKind;
  alert: AlertView;
  /** For `merged`: the id of the detection that merged into the alert. */
  detectionId?: string;
  /** The scopes the update went to: community, street, district. */
  scopes: string[];
}
