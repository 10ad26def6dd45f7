/**
 * Where snapshots are kept: an interface (the alerts engine looks snapshots up through
 * `SnapshotLookup`) and, beside it, the implementation on disk.
 */
import type { Readable } from 'node:stream';
import type { SnapshotMediaType } from '@commandhall/shared/cameras';

export interface SnapshotRecord {
  id: string;
  /** The camera that took it, as named by the upload. */
  cameraId: string;
  /** The camera's community when the snapshot arrived: who may see it is decided by this. */
  community: string;
  /** Found from the bytes, never from a header. */
  mediaType: SnapshotMediaType;
  bytes: number;
  /** Hex SHA-256 of the bytes: the file's name on disk and its ETag. */
  sha256: string;
  takenAt: number;
  createdAt: number;
  /** Producer key that sent it. */
  producer: string;
}

export type NewSnapshot = Omit<SnapshotRecord, 'id' | 'bytes' | 'sha256'> & { data: Buffer };

/** Read side, for the alerts engine: a snapshot's camera and community from its id. */
export interface SnapshotLookup {
  get(id: string): Promise<SnapshotRecord | null>;
}

export interface SnapshotStore extends SnapshotLookup {
  /**
   * Stores the image, or finds it stored already: the same bytes from the same camera are one
   * snapshot, so that an upload retried after a timeout makes no second one (`created` false).
   */
  put(snapshot: NewSnapshot): Promise<{ snapshot: SnapshotRecord; created: boolean }>;
  /** The image's bytes; null when its file has gone (pruned between look-up and read). */
  open(snapshot: SnapshotRecord): Promise<Readable | null>;
  /** Deletes the snapshots stored before `before` (epoch ms) and files no snapshot uses any more. */
  prune(before: number): Promise<number>;
  close(): void;
}
