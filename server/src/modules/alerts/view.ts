/**
 * Alerts as the API and the live channel show them (`AlertView` in shared): ISO times, the
 * camera's name from the registry, the level and whether it escalated. The same view goes into a
 * scope's `alerts.queue`, into `alert:update` and out of `GET /api/v1/alerts`.
 */
import type { AlertView } from '@commandhall/shared';
import type { CameraLookup } from '../cameras/camera-registry.ts';
import type { AlertState } from './alert-state.ts';

/** What alerts and the camera figures read from the camera registry. */
export type CameraSource = Pick<CameraLookup, 'get' | 'onlineRate'>;

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function alertView(a: AlertState, cameras: CameraSource | null): AlertView {
  const location: AlertView['location'] = { lon: a.lon, lat: a.lat };
  if (a.address !== null) location.address = a.address;
  return {
    id: a.id,
    status: a.status,
    level: a.level,
    escalated: a.level !== 'community',
    escalatedAt: isoOrNull(a.escalatedAt),
    algorithm: a.algorithm,
    community: a.community,
    cameraId: a.cameraId,
    cameraName: cameras?.get(a.cameraId)?.name ?? null,
    location,
    confidence: a.confidence,
    snapshotUrl: a.snapshotUrl,
    count: a.count,
    raisedAt: iso(a.raisedAt),
    lastDetectedAt: iso(a.lastDetectedAt),
    acknowledgedAt: isoOrNull(a.acknowledgedAt),
    decidedAt: isoOrNull(a.decidedAt),
    by: a.by,
    reason: a.reason,
    note: a.note,
    appealId: a.appealId,
  };
}
