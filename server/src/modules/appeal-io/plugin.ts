/**
 * The appeal file jobs (`app.appealJobs`): kept in memory with their files in `DATA_DIR/exports/`
 * when embedded, in PostgreSQL (rows and file bytes) with DATABASE_URL, where every node answers
 * for every job. The sweep (jobs whose node stopped become failed; finished jobs and their files
 * are forgotten after an hour) is a once-only job: on the leader, which embedded is this node.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { JobStore, JobStoreOptions } from './jobs.ts';
import { MemoryJobStore } from './memory-job-store.ts';
import { PostgresJobStore } from './postgres-job-store.ts';
import { JobService } from './job-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Import and export jobs: started here, seen by their owner on any node. */
    appealJobs: JobService;
  }
}

/** Finished jobs, and an export's file, are kept this long. */
export const JOB_KEEP_MS = 60 * 60_000;
/** Jobs of one kind (imports, exports) one person may have running at once. */
export const MAX_ACTIVE_JOBS_PER_OWNER = 2;

async function appealJobs(app: FastifyInstance) {
  const leaseMs = app.config.JOB_LEASE_SECONDS * 1000;
  const opts: JobStoreOptions = { now: app.clock, keepMs: JOB_KEEP_MS, leaseMs };
  const store: JobStore = app.pg ? await PostgresJobStore.open(app.pg, opts) : new MemoryJobStore(app.config.DATA_DIR, opts);
  const service = new JobService(store, {
    // a name a person can find in the table: the machine, the process, and a tag for two in one process
    node: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    maxActivePerOwner: MAX_ACTIVE_JOBS_PER_OWNER,
    // in memory a save is a copy: often enough that a poll sees the progress as it is
    saveMs: app.pg ? Math.min(1000, leaseMs / 4) : 200,
    onError: (err, what) => app.log.warn({ err }, `appeal file jobs: ${what} failed`),
  });
  app.decorate('appealJobs', service);
  // after the routes' requests: the jobs under way stop and are stored as failed before the pool closes
  app.addHook('onClose', () => service.close());

  service.onSwept(({ lost, removed }) => {
    if (lost) app.log.warn({ jobs: lost }, 'import/export jobs whose node stopped were marked failed');
    if (removed) app.log.info({ jobs: removed }, 'forgot finished import/export jobs and their files');
  });
  let timer: NodeJS.Timeout | null = null;
  app.leader.run({
    name: 'appeal job sweep',
    start: () => {
      // at the lease's pace: a dead node's jobs are failed soon after their lease lapses, polled or not
      timer = setInterval(() => void service.sweep().catch((err) => app.log.error({ err }, 'the appeal job sweep failed')), leaseMs / 2);
      timer.unref();
    },
    stop: () => void (timer && clearInterval(timer)),
  });
}

export default fp(appealJobs, { name: 'appeal-io', dependencies: ['core'] });
