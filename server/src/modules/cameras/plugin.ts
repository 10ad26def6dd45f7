/**
 * App services for the video platform: the camera registry (`app.cameras`) and the snapshot store
 * (`app.snapshots`), on DATA_DIR beside the event log, or in PostgreSQL shared by the nodes
 * (DATABASE_URL), each closed in onClose. Timers take silent cameras offline and prune old
 * snapshots, on the node that leads; with a shared store every node also reads in, every two
 * seconds, the cameras the other nodes changed. (The simulator's cameras are registered, and the
 * simulator connected to the camera API, by the simulator's own plugin.)
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { CameraRegistry } from './camera-registry.ts';
import { SqliteCameraStore } from './sqlite-camera-store.ts';
import { SqliteSnapshotStore } from '../snapshots/sqlite-snapshot-store.ts';
import { SnapshotService } from '../snapshots/snapshot-service.ts';
import { PostgresCameraStore } from './postgres-camera-store.ts';
import { PostgresSnapshotStore } from '../snapshots/postgres-snapshot-store.ts';
import type { CameraStore } from './camera-store.ts';
import type { SnapshotStore } from '../snapshots/snapshot-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The camera registry: cameras, their liveness and online rates per scope. */
    cameras: CameraRegistry;
    /** Snapshots of video alerts: upload, look-up by id (camera, community), scope-bounded reads. */
    snapshots: SnapshotService;
  }
}

const DAY = 86_400_000;
/** How often a node takes in the other nodes' camera changes (scale-out). */
const REFRESH_MS = 2000;

async function cameras(app: FastifyInstance) {
  const c = app.config;
  const offlineAfterMs = c.CAMERA_OFFLINE_SECONDS * 1000;
  const retentionMs = c.SNAPSHOT_RETENTION_DAYS * DAY;

  const cameraStore: CameraStore = app.pg ? await PostgresCameraStore.open(app.pg) : new SqliteCameraStore(c.DATA_DIR);
  app.addHook('onClose', () => cameraStore.close());
  const registry = await CameraRegistry.open(cameraStore, {
    geo: app.geo,
    now: app.clock,
    offlineAfterMs,
    audit: (e) => app.auth.audit(e),
    onListenerError: (err) => app.log.error({ err }, 'a camera listener failed'),
  });
  app.decorate('cameras', registry);

  const snapshotStore: SnapshotStore = app.pg ? await PostgresSnapshotStore.open(app.pg) : new SqliteSnapshotStore(c.DATA_DIR);
  app.addHook('onClose', () => snapshotStore.close());
  const snapshots = new SnapshotService(snapshotStore, registry, app.clock);
  app.decorate('snapshots', snapshots);

  const report = (what: string) => (err: unknown) => app.log.error({ err }, what);
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void) => {
    const t = setInterval(fn, ms);
    t.unref();
    timers.push(t);
    return t;
  };
  // a shared store: take in what the other nodes changed (cameras edited, heartbeats heard there)
  if (app.pg) every(REFRESH_MS, () => void registry.refresh().catch(report('camera refresh failed')));
  // once for the deployment, on the node that leads (every node, embedded, is it)
  let sweep: NodeJS.Timeout | null = null;
  let prune: NodeJS.Timeout | null = null;
  app.leader.run({
    name: 'camera sweep',
    start: () => {
      sweep = every(Math.min(10_000, offlineAfterMs / 6), () => {
        const fresh = app.pg ? registry.refresh().then(() => registry.sweep()) : registry.sweep();
        void fresh.catch(report('camera sweep failed'));
      });
    },
    stop: () => void (sweep && clearInterval(sweep)),
  });
  app.leader.run({
    name: 'snapshot pruning',
    start: () => {
      prune = every(
        3_600_000,
        () =>
          void snapshots
            .prune(app.clock() - retentionMs)
            .then((n) => n && app.log.info({ snapshots: n }, 'pruned old snapshots'))
            .catch(report('snapshot pruning failed')),
      );
    },
    stop: () => void (prune && clearInterval(prune)),
  });
  app.addHook('onClose', async () => {
    for (const t of timers) clearInterval(t);
  });
}

export default fp(cameras, { name: 'cameras', dependencies: ['core', 'auth'] });
