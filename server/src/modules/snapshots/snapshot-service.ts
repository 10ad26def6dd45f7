/**
 * Snapshots of video alerts: the video platform uploads the still an alert is about, naming the
 * camera; the store keeps it with the camera's community, and only principals whose scope holds
 * that community ever get it back. For everyone else it does not exist.
 */
import { canReadScope, type AccessPrincipal } from '@commandhall/shared';
import { SNAPSHOT_MAX_BYTES, isSnapshotId } from '@commandhall/shared/cameras';
import type { CameraLookup } from '../cameras/camera-registry.ts';
import { RequestError } from '../../util/request-error.ts';
import { sniffImage } from './sniff.ts';
import type { SnapshotLookup, SnapshotRecord, SnapshotStore } from './snapshot-store.ts';

/** Clock skew tolerated between the video platform and the server. */
const MAX_FUTURE_MS = 5 * 60_000;

/**
 * How long snapshots are kept, unless SNAPSHOT_RETENTION_DAYS (server/src/config.ts) says otherwise:
 * default 30: alerts are acknowledged within hours, and a confirmed one becomes an appeal whose
 * record outlives the picture.
 */
export const DEFAULT_SNAPSHOT_RETENTION_DAYS = 30;

/** Why an upload is refused, as an HTTP answer. */
export class SnapshotError extends RequestError {}

export interface Upload {
  cameraId: string;
  data: Buffer;
  /** Epoch ms; default now. */
  takenAt?: number;
  producer: string;
}

export class SnapshotService implements SnapshotLookup {
  constructor(
    private store: SnapshotStore,
    private cameras: CameraLookup,
    private now: () => number,
  ) {}

  async upload(u: Upload): Promise<{ snapshot: SnapshotRecord; created: boolean }> {
    if (u.data.length === 0) throw new SnapshotError(400, 'invalid_request', 'send the image as the request body');
    if (u.data.length > SNAPSHOT_MAX_BYTES)
      throw new SnapshotError(413, 'too_large', `the image has ${u.data.length} bytes; the limit is ${SNAPSHOT_MAX_BYTES}`);
    const mediaType = sniffImage(u.data);
    if (!mediaType) throw new SnapshotError(415, 'not_an_image', 'the body is not a JPEG, PNG or WebP image (judged by its bytes)');
    const camera = this.cameras.get(u.cameraId);
    if (!camera) throw new SnapshotError(422, 'unknown_camera', `no camera "${u.cameraId}" is registered: an administrator adds it first`);
    const now = this.now();
    if (u.takenAt !== undefined && u.takenAt > now + MAX_FUTURE_MS)
      throw new SnapshotError(400, 'invalid_request', 'takenAt is in the future');
    return this.store.put({
      cameraId: camera.id,
      community: camera.community,
      mediaType,
      data: u.data,
      takenAt: Math.min(u.takenAt ?? now, now),
      createdAt: now,
      producer: u.producer,
    });
  }

  /** A snapshot by id, whoever asks: for the alerts engine (its camera and community). */
  get(id: string): Promise<SnapshotRecord | null> {
    return isSnapshotId(id) ? this.store.get(id) : Promise.resolve(null);
  }

  /** The snapshot if `principal` may see it, else null: unknown and forbidden look the same. */
  async forPrincipal(id: string, principal: AccessPrincipal): Promise<SnapshotRecord | null> {
    const s = await this.get(id);
    return s && canReadScope(principal, `community:${s.community}`) ? s : null;
  }

  open(s: SnapshotRecord) {
    return this.store.open(s);
  }

  prune(before: number): Promise<number> {
    return this.store.prune(before);
  }
}
