/** A camera record as the HTTP API shows it, and who may speak for cameras. */
import type { Camera } from '@commandhall/shared/cameras';
import type { Producer } from '../../core/ingest/ingest-service.ts';
import type { CameraRecord } from './camera-store.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function cameraView(c: CameraRecord): Camera {
  return {
    id: c.id,
    name: c.name,
    location: c.address === null ? { lon: c.lon, lat: c.lat } : { lon: c.lon, lat: c.lat, address: c.address },
    community: c.community,
    status: c.status,
    lastHeartbeatAt: c.lastHeartbeatAt === null ? null : iso(c.lastHeartbeatAt),
    statusSince: iso(c.statusSince),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

/**
 * The event type whose producers are the video platform. A key that may raise video alerts may
 * also upload their snapshots and report its cameras' heartbeats; other keys may not.
 */
export const VIDEO_PLATFORM_EVENT = 'video_alert.raised';

export const speaksForCameras = (p: Producer): boolean => !p.types || p.types.has(VIDEO_PLATFORM_EVENT);
