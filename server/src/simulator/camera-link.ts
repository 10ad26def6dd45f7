/**
 * The simulator's way to the camera API: over HTTP (by inject) with a producer key, as any video
 * platform, so that its snapshots and heartbeats meet the same checks as a real platform's.
 */
import type { FastifyInstance } from 'fastify';
import type { SnapshotUploaded } from '@commandhall/shared/cameras';
import type { CameraLink } from './district-simulator.ts';

export function simulatorLink(app: FastifyInstance, key: string, offlineAfterMs: number): CameraLink {
  const authorization = `Bearer ${key}`;
  return {
    offlineAfterMs,
    async uploadSnapshot(cameraId, image, takenAt) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/snapshots',
        query: { cameraId, takenAt: new Date(takenAt).toISOString() },
        headers: { authorization, 'content-type': 'image/png' },
        payload: image,
      });
      if (res.statusCode >= 300) throw new Error(`snapshot upload answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      return (res.json() as SnapshotUploaded).url;
    },
    async sendHeartbeats(cameraIds) {
      if (!cameraIds.length) return;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/cameras/heartbeats',
        headers: { authorization },
        payload: { heartbeats: cameraIds.map((cameraId) => ({ cameraId })) },
      });
      if (res.statusCode >= 300) throw new Error(`heartbeats answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    },
  };
}
