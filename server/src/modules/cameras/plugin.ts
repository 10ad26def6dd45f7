/**
 * App services for the video platform: the camera registry (`app.cameras`) and the snapshot store
 * (`app.snapshots`), on DATA_DIR beside the event log, each closed in onClose. Timers take silent
 * cameras offline and prune old snapshots. (The simulator's cameras are registered, and the
 * simulator connected to the camera API, by the simulator's own plugin.)
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { CameraRegistry } from './camera-registry.ts';
import { SqliteCameraStore } from './sqlite-camera-store.ts';
import { SqliteSnapshotStore } from '../snapshots/sqlite-snapshot-store.ts';
import { SnapshotService } from '../snapshots/snapshot-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The camera registry: cameras, their liveness and online rates per scope. */
    cameras: CameraRegistry;
    /** Snapshots of video alerts: upload, look-up by id (camera, community), scope-bounded reads. */
    snapshots: SnapshotService;
  }
}

const DAY = 86_400_000;

async function cameras(app: FastifyInstance) {
  const c = app.config;
  const offlineAfterMs = c.CAMERA_OFFLINE_SECONDS * 1000;
  const retentionMs = c.SNAPSHOT_RETENTION_DAYS * DAY;

  const cameraStore = new SqliteCameraStore(c.DATA_DIR);
  app.addHook('onClose', () => cameraStore.close());
  const registry = await CameraRegistry.open(cameraStore, {
    geo: app.geo,
    now: app.clock,
    offlineAfterMs,
    audit: (e) => app.auth.audit(e),
    onListenerError: (err) => app.log.error({ err }, 'a camera listener failed'),
  });
  app.decorate('cameras', registry);

  const snapshotStore = new SqliteSnapshotStore(c.DATA_DIR);
  app.addHook('onClose', () => snapshotStore.close());
  const snapshots = new SnapshotService(snapshotStore, registry, app.clock);
  app.decorate('snapshots', snapshots);

  const report = (what: string) => (err: unknown) => app.log.error({ err }, what);
  const sweep = setInterval(() => void registry.sweep().catch(report('camera sweep failed')), Math.min(10_000, offlineAfterMs / 6));
  const prune = setInterval(
    () =>
      void snapshots
        .prune(app.clock() - retentionMs)
        .then((n) => n && app.log.info({ snapshots: n }, 'pruned old snapshots'))
        .catch(report('snapshot pruning failed')),
    3_600_000,
  );
  sweep.unref();
  prune.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    clearInterval(prune);
  });
}

export default fp(cameras, { name: 'cameras', dependencies: ['core', 'auth'] });
