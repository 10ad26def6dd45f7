/** A video alert as the alert projection holds it (docs/alerts.md). Times are event times (epoch ms). */
import type { AlertLevel, AlertStatus, AlertUpdateKind, AlertView } from '@commandhall/shared';

/** A video alert: its first detection and every later one merged into it. */
export interface AlertState {
  /** The id of its first detection. */
  id: string;
  status: AlertStatus;
  /** The own lifecycle status of its first detection (shared/src/deciders/alert.ts): may lag `status`. */
  ownStatus: AlertStatus;
  community: string;
  /** Where it counts: the grid cell of its camera's place, or the community without cells. */
  place: string;
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
  /** Its place (grid cell, or community): the scopes whose watchers it goes to are that place's path. */
  community: string;
  /** For `merged`: the detection that merged in. */
  detectionId?: string;
}
