/**
 * Where the camera registry keeps its cameras: an interface, so that the PostgreSQL mode can
 * bring its own, and the SQLite implementation beside it. The registry holds every camera in
 * memory and writes through; a store only has to keep what it is given.
 */
import type { CameraStatus } from '@commandhall/shared/cameras';

export interface CameraRecord {
  id: string;
  name: string;
  lon: number;
  lat: number;
  address: string | null;
  /** 12-digit code of the community the camera is in. */
  community: string;
  status: CameraStatus;
  /** Epoch ms of the last heartbeat, null before the first. */
  lastHeartbeatAt: number | null;
  /** Epoch ms since which the camera has its present status. */
  statusSince: number;
  createdAt: number;
  updatedAt: number;
}

export interface CameraStore {
  all(): Promise<CameraRecord[]>;
  /** False when a camera with this id exists already. */
  insert(camera: CameraRecord): Promise<boolean>;
  /** Writes every field of the camera with this id. */
  update(camera: CameraRecord): Promise<void>;
  /** False when there was no such camera. */
  delete(id: string): Promise<boolean>;
  /** Last heartbeats, and statuses that changed with them, in one write. */
  saveLiveness(rows: Pick<CameraRecord, 'id' | 'status' | 'lastHeartbeatAt' | 'statusSince'>[]): Promise<void>;
  close(): void;
}
