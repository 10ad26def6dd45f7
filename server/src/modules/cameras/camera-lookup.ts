/**
 * What the rest of the server sees of the camera registry (camera-registry.ts): lookups, counts per
 * scope, and the changes it announces.
 */
import type { CameraStatus, OnlineRate } from '@commandhall/shared/cameras';
import type { CameraRecord } from './camera-store.ts';

/** A camera went online or offline. */
export interface CameraStatusChange {
  cameraId: string;
  community: string;
  from: CameraStatus;
  to: CameraStatus;
  /** When it changed: the heartbeat that brought it back, or the end of the allowed silence. */
  at: number;
  lastHeartbeatAt: number | null;
}

/** Anything that changes a scope's camera counts: a status change, or a camera added, moved or removed. */
export interface CameraChange {
  kind: 'added' | 'updated' | 'removed' | 'status';
  camera: CameraRecord;
  /** The camera before the change; null when it was added. */
  previous: CameraRecord | null;
  /** Scopes whose counts may have changed (both communities when a camera moved). */
  scopes: string[];
}

/**
 * What the alerts engine and the metrics need from the registry: read-only and synchronous.
 * Listeners are called after the change is stored; what they throw is reported, never raised.
 */
export interface CameraLookup {
  /** The camera with this id. */
  get(id: string): CameraRecord | undefined;
  /** Cameras within a scope (`district:…`, `street:…` or `community:…`), by id. */
  list(scope: string): CameraRecord[];
  /** Online cameras ÷ cameras in a scope; `rate` null when it has none. */
  onlineRate(scope: string): OnlineRate;
  /** Every scope that has cameras, with its counts. */
  onlineRates(): ReadonlyMap<string, OnlineRate>;
  /** Called on each online ↔ offline change. Returns a function that unsubscribes. */
  onStatusChange(listener: (change: CameraStatusChange) => void): () => void;
  /** Called on every change that can move a scope's counts. Returns a function that unsubscribes. */
  onChange(listener: (change: CameraChange) => void): () => void;
}
