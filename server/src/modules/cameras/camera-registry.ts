/**
 * The camera registry: every camera of the video platform with its place in the district and its
 * liveness. Administrators add, move and remove cameras (each change audited); the video
 * platform's heartbeats keep them online; a camera silent for `offlineAfterMs` goes offline.
 *
 * All cameras are held in memory (a district has hundreds, a city some thousands) and written
 * through to the store, so reads are synchronous and cheap for the map, the metrics and the
 * alerts engine. Online and total counts per scope are kept by camera-counts.ts.
 */
import { canReadScope, scopePath, type AccessPrincipal } from '@commandhall/shared';
import type { CameraCreate, CameraPatch, OnlineRate } from '@commandhall/shared/cameras';
import type { Geography } from '../../geography/index.ts';
import type { Actor } from '../auth/auth-service.ts';
import type { AuditEntry } from '../auth/auth-store.ts';
import { RequestError } from '../../util/request-error.ts';
import type { CameraRecord, CameraStore } from './camera-store.ts';
import { CameraCounts } from './camera-counts.ts';
import type { CameraChange, CameraLookup, CameraStatusChange } from './camera-lookup.ts';
import { diffCameras } from './camera-diff.ts';

/**
 * How long a camera may be silent before it counts as offline. The video platform sends a
 * heartbeat every 30–60 s; three missed ones are an outage, not a hiccup. Setting:
 * CAMERA_OFFLINE_SECONDS (server/src/config.ts), default 180.
 */
export const DEFAULT_CAMERA_OFFLINE_MS = 180_000;

export type { CameraChange, CameraLookup, CameraStatusChange } from './camera-lookup.ts';

/** Why a camera cannot be registered, changed or found, as an HTTP answer. */
export class CameraError extends RequestError {}

export interface CameraRegistryOptions {
  geo: Geography;
  now: () => number;
  offlineAfterMs?: number;
  /** The audit log (the auth service's). */
  audit: (entry: Omit<AuditEntry, 'id' | 'at'>) => Promise<void>;
  /** Where a listener's failure is reported (the app's logger). */
  onListenerError?: (err: unknown) => void;
}

export interface HeartbeatInput {
  cameraId: string;
  /** Epoch ms; default now. */
  at?: number;
}

export class CameraRegistry implements CameraLookup {
  readonly offlineAfterMs: number;
  private cameras = new Map<string, CameraRecord>();
  private counts = new CameraCounts();
  /** Changes run one after another: each reads the state the previous one left. */
  private queue: Promise<unknown> = Promise.resolve();
  private statusListeners = new Set<(c: CameraStatusChange) => void>();
  private changeListeners = new Set<(c: CameraChange) => void>();
  /**
   * Silence is counted from no earlier than this: after a restart, cameras that were online get a
   * full allowance to be heard again instead of all dropping offline at once.
   */
  private readonly startedAt: number;

  private constructor(
    private store: CameraStore,
    private opts: CameraRegistryOptions,
  ) {
    this.offlineAfterMs = opts.offlineAfterMs ?? DEFAULT_CAMERA_OFFLINE_MS;
    this.startedAt = opts.now();
  }

  static async open(store: CameraStore, opts: CameraRegistryOptions): Promise<CameraRegistry> {
    const r = new CameraRegistry(store, opts);
    for (const c of await store.all()) {
      r.cameras.set(c.id, c);
      r.count(c, 1);
    }
    return r;
  }

  // ---- reads ----

  get(id: string): CameraRecord | undefined {
    return this.cameras.get(id);
  }

  list(scope: string): CameraRecord[] {
    const probe: AccessPrincipal = { kind: 'user', scope };
    return [...this.cameras.values()].filter((c) => canReadScope(probe, `community:${c.community}`)).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  get size(): number {
    return this.cameras.size;
  }

  onlineRate(scope: string): OnlineRate {
    return this.counts.rate(scope);
  }

  onlineRates(): ReadonlyMap<string, OnlineRate> {
    return this.counts.rates();
  }

  onStatusChange(listener: (change: CameraStatusChange) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onChange(listener: (change: CameraChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // ---- administration ----

  create(input: CameraCreate, by: Actor): Promise<CameraRecord> {
    return this.serial(() => this.doCreate(input, by));
  }

  update(id: string, patch: CameraPatch, by: Actor): Promise<CameraRecord> {
    return this.serial(() => this.doUpdate(id, patch, by));
  }

  remove(id: string, by: Actor): Promise<void> {
    return this.serial(() => this.doRemove(id, by));
  }

  /**
   * Registers the cameras that are missing (the simulator's, for the default deployment); those
   * present are left as administrators made them. One audit entry when anything was added.
   */
  seed(cameras: CameraCreate[], by: Actor, note: string): Promise<number> {
    return this.serial(() => this.doSeed(cameras, by, note));
  }

  /**
   * Heartbeats from the video platform: each known camera's last heartbeat moves forward (a time
   * in the future counts as now), and a camera heard within the allowance is online.
   */
  heartbeat(beats: HeartbeatInput[]): Promise<{ accepted: number; unknown: string[] }> {
    return this.serial(() => this.doHeartbeat(beats));
  }

  /**
   * Takes offline every online camera silent for longer than the allowance. Run on a timer by the
   * plugin; tests call it after moving the clock. The change is dated when the allowance ran out.
   */
  sweep(): Promise<CameraStatusChange[]> {
    return this.serial(() => this.doSweep());
  }

  // ---- inside ----

  /** Takes in what other nodes wrote to the shared store; returns how many cameras changed. */
  refresh(): Promise<number> {
    return this.serial(async () => {
      const { removed, changed } = diffCameras(this.cameras, await this.store.all());
      for (const c of removed) {
        this.cameras.delete(c.id);
        this.count(c, -1);
        this.changed({ kind: 'removed', camera: c, previous: c, scopes: this.scopesOf(c) });
      }
      for (const { prev, next } of changed) {
        if (prev) this.count(prev, -1);
        this.cameras.set(next.id, next);
        this.count(next, 1);
        const scopes = [...new Set([...(prev ? this.scopesOf(prev) : []), ...this.scopesOf(next)])];
        this.changed({ kind: prev ? 'updated' : 'added', camera: next, previous: prev, scopes });
      }
      return removed.length + changed.length;
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A camera as first registered: offline until its first heartbeat. */
  private newRecord(input: CameraCreate, now: number): CameraRecord {
    return {
      id: input.id,
      name: input.name,
      lon: input.location.lon,
      lat: input.location.lat,
      address: input.location.address ?? null,
      community: this.place(input.location, input.communityCode),
      status: 'offline',
      lastHeartbeatAt: null,
      statusSince: now,
      createdAt: now,
      updatedAt: now,
    };
  }

  private async doCreate(input: CameraCreate, by: Actor): Promise<CameraRecord> {
    if (this.cameras.has(input.id)) throw new CameraError(409, 'camera_exists', `camera "${input.id}" is registered already`);
    const now = this.opts.now();
    const camera = this.newRecord(input, now);
    if (!(await this.store.insert(camera))) throw new CameraError(409, 'camera_exists', `camera "${input.id}" is registered already`);
    this.cameras.set(camera.id, camera);
    this.count(camera, 1);
    await this.audit(by, 'camera.create', camera.id, { name: camera.name, community: camera.community, lon: camera.lon, lat: camera.lat });
    this.changed({ kind: 'added', camera, previous: null, scopes: this.scopesOf(camera) });
    return camera;
  }

  private async doUpdate(id: string, patch: CameraPatch, by: Actor): Promise<CameraRecord> {
    const previous = this.cameras.get(id);
    if (!previous) throw new CameraError(404, 'not_found', `no camera "${id}"`);
    const location = patch.location ?? { lon: previous.lon, lat: previous.lat, address: previous.address ?? undefined };
    const community =
      patch.communityCode !== undefined || patch.location ? this.place(location, patch.communityCode ?? undefined) : previous.community;
    const camera: CameraRecord = {
      ...previous,
      name: patch.name ?? previous.name,
      lon: location.lon,
      lat: location.lat,
      address: patch.location ? (patch.location.address ?? null) : previous.address,
      community,
      updatedAt: this.opts.now(),
    };
    await this.store.update(camera);
    this.cameras.set(id, camera);
    this.count(previous, -1);
    this.count(camera, 1);
    const changes = Object.fromEntries(
      (['name', 'lon', 'lat', 'address', 'community'] as const)
        .filter((k) => camera[k] !== previous[k])
        .map((k) => [k, { from: previous[k], to: camera[k] }]),
    );
    await this.audit(by, 'camera.update', id, changes);
    const scopes = [...new Set([...this.scopesOf(previous), ...this.scopesOf(camera)])];
    this.changed({ kind: 'updated', camera, previous, scopes });
    return camera;
  }

  private async doRemove(id: string, by: Actor): Promise<void> {
    const camera = this.cameras.get(id);
    if (!camera) throw new CameraError(404, 'not_found', `no camera "${id}"`);
    await this.store.delete(id);
    this.cameras.delete(id);
    this.count(camera, -1);
    await this.audit(by, 'camera.delete', id, { name: camera.name, community: camera.community });
    this.changed({ kind: 'removed', camera, previous: camera, scopes: this.scopesOf(camera) });
  }

  private async doSeed(cameras: CameraCreate[], by: Actor, note: string): Promise<number> {
    const now = this.opts.now();
    const added: CameraRecord[] = [];
    for (const input of cameras) {
      if (this.cameras.has(input.id)) continue;
      const camera = this.newRecord(input, now);
      if (!(await this.store.insert(camera))) continue;
      this.cameras.set(camera.id, camera);
      this.count(camera, 1);
      added.push(camera);
    }
    if (added.length) {
      await this.audit(by, 'camera.seed', null, { added: added.length, note });
      for (const camera of added) this.changed({ kind: 'added', camera, previous: null, scopes: this.scopesOf(camera) });
    }
    return added.length;
  }

  private async doHeartbeat(beats: HeartbeatInput[]): Promise<{ accepted: number; unknown: string[] }> {
    const now = this.opts.now();
    const unknown: string[] = [];
    const touched = new Map<string, CameraRecord>();
    const changes: CameraStatusChange[] = [];
    let accepted = 0;
    for (const b of beats) {
      const prev = touched.get(b.cameraId) ?? this.cameras.get(b.cameraId);
      if (!prev) {
        unknown.push(b.cameraId);
        continue;
      }
      accepted++;
      const at = Math.min(b.at ?? now, now);
      if (prev.lastHeartbeatAt !== null && at <= prev.lastHeartbeatAt) continue;
      const next: CameraRecord = { ...prev, lastHeartbeatAt: at };
      if (prev.status === 'offline' && now - at <= this.offlineAfterMs) {
        next.status = 'online';
        next.statusSince = at;
        changes.push({ cameraId: prev.id, community: prev.community, from: 'offline', to: 'online', at, lastHeartbeatAt: at });
      }
      touched.set(prev.id, next);
    }
    await this.commit(touched, changes);
    return { accepted, unknown };
  }

  private async doSweep(): Promise<CameraStatusChange[]> {
    const now = this.opts.now();
    const touched = new Map<string, CameraRecord>();
    const changes: CameraStatusChange[] = [];
    for (const c of this.cameras.values()) {
      if (c.status !== 'online') continue;
      const silentSince = Math.max(c.lastHeartbeatAt ?? 0, this.startedAt);
      if (now - silentSince <= this.offlineAfterMs) continue;
      const at = silentSince + this.offlineAfterMs;
      touched.set(c.id, { ...c, status: 'offline', statusSince: at });
      changes.push({ cameraId: c.id, community: c.community, from: 'online', to: 'offline', at, lastHeartbeatAt: c.lastHeartbeatAt });
    }
    await this.commit(touched, changes);
    return changes;
  }

  private async commit(touched: Map<string, CameraRecord>, changes: CameraStatusChange[]): Promise<void> {
    if (!touched.size) return;
    await this.store.saveLiveness([...touched.values()]);
    for (const [id, next] of touched) {
      const prev = this.cameras.get(id)!;
      this.cameras.set(id, next);
      if (prev.status !== next.status) this.counts.moveOnline(this.scopesOf(prev), next.status === 'online' ? 1 : -1);
    }
    for (const change of changes) {
      const camera = this.cameras.get(change.cameraId)!;
      this.emit(this.statusListeners, change);
      this.changed({ kind: 'status', camera, previous: null, scopes: this.scopesOf(camera) });
    }
  }

  /** The community a camera is in: the one given (which must be the district's), else found from the point. */
  private place(location: { lon: number; lat: number }, given?: string): string {
    const geo = this.opts.geo;
    if (given) {
      const area = geo.area(given);
      if (!area || area.level !== 'community')
        throw new CameraError(400, 'unknown_community', `"${given}" is not a community of ${geo.root.level} ${geo.root.code}`);
      return given;
    }
    const found = geo.locate(location.lon, location.lat);
    if (!found)
      throw new CameraError(
        400,
        'outside_district',
        `(${location.lon}, ${location.lat}) is outside every community of ${geo.root.level} ${geo.root.code}: give communityCode or fix the location`,
      );
    return found;
  }

  private scopesOf(c: CameraRecord): string[] {
    return scopePath(this.opts.geo.placeOf(c.community, c.lon, c.lat), this.opts.geo.root.level);
  }

  private count(c: CameraRecord, sign: 1 | -1): void {
    this.counts.add(this.scopesOf(c), c.status === 'online', sign);
  }

  private audit(by: Actor, action: string, id: string | null, details: unknown): Promise<void> {
    return this.opts.audit({ actor: by.actor, ip: by.ip, action, target: id === null ? null : `camera:${id}`, outcome: 'ok', details });
  }

  private changed(change: CameraChange): void {
    this.emit(this.changeListeners, change);
  }

  private emit<T>(listeners: Set<(v: T) => void>, value: T): void {
    for (const l of listeners) {
      try {
        l(value);
      } catch (err) {
        this.opts.onListenerError?.(err);
      }
    }
  }
}
