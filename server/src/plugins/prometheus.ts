/**
 * Prometheus metrics at `/metrics` (prom-client, text format 0.0.4): the process's own figures
 * (CPU, heap, event loop lag, GC) and the app's: what ingest took and how long it took, how far
 * each projection is behind the event log, events in quarantine, live sockets per scope and the
 * live tick's duration. Aggregates only, nothing about any person: scrapers on the hall's network
 * need no credentials, as health checks need none.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

async function prometheus(app: FastifyInstance) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'commandhall_' });

  const events = new Counter({
    name: 'commandhall_ingest_events_total',
    help: 'Events offered to ingest, by outcome (accepted, duplicate, rejected)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const stored = new Counter({
    name: 'commandhall_ingest_stored_events_total',
    help: 'Events stored in the log, by type',
    labelNames: ['type'] as const,
    registers,
  });
  const batches = new Histogram({
    name: 'commandhall_ingest_batch_seconds',
    help: 'Time to check, store and fold one batch (queueing behind earlier batches excluded)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  app.ingest.onBatch((r, seconds) => {
    batches.observe(seconds);
    if (r.accepted) events.inc({ outcome: 'accepted' }, r.accepted);
    if (r.duplicate) events.inc({ outcome: 'duplicate' }, r.duplicate);
    if (r.rejected) events.inc({ outcome: 'rejected' }, r.rejected);
  });
  app.ingest.onStored((batch) => {
    for (const s of batch) stored.inc({ type: s.event.type });
  });

  new Gauge({
    name: 'commandhall_event_log_head',
    help: 'Sequence number of the newest event folded into the in-memory projections',
    registers,
    collect() {
      this.set(app.engine.lastSeq);
    },
  });
  new Gauge({
    name: 'commandhall_projection_lag_events',
    help: 'Events in the log that a projection has not folded yet (the in-memory projections, the appeals read model)',
    labelNames: ['projection'] as const,
    registers,
    async collect() {
      const [head, appeals] = await Promise.all([app.store.lastSeq(), app.appealReadModel.checkpoint()]);
      this.set({ projection: 'engine' }, Math.max(0, head - app.engine.lastSeq));
      this.set({ projection: 'appeals' }, Math.max(0, head - appeals));
    },
  });
  new Gauge({
    name: 'commandhall_leader',
    help: 'Whether this node runs the once-only jobs (simulator, camera sweep, snapshot pruning): exactly one node of a deployment is 1',
    registers,
    collect() {
      this.set(app.leader.leading ? 1 : 0);
    },
  });
  const sweeps = new Counter({
    name: 'commandhall_appeal_job_sweeps_total',
    help: 'Sweeps of the import/export jobs this node made: the leader sweeps, the other nodes stay at 0',
    registers,
  });
  const swept = new Counter({
    name: 'commandhall_appeal_jobs_swept_total',
    help: 'Import/export jobs this node’s sweep failed because their node stopped (lost), or forgot with their files an hour after they finished (removed)',
    labelNames: ['outcome'] as const,
    registers,
  });
  app.appealJobs.onSwept(({ lost, removed }) => {
    sweeps.inc();
    if (lost) swept.inc({ outcome: 'lost' }, lost);
    if (removed) swept.inc({ outcome: 'removed' }, removed);
  });
  new Gauge({
    name: 'commandhall_quarantined_events',
    help: 'Events a projection could not fold, held in quarantine (alert on > 0: see `admin quarantine list`)',
    registers,
    collect() {
      this.set(app.quarantine.count());
    },
  });

  new Gauge({
    name: 'commandhall_live_sockets',
    help: 'Sockets connected to the live channel on this node',
    registers,
    collect() {
      this.set(app.live.nsp.sockets.size);
    },
  });
  new Gauge({
    name: 'commandhall_live_watchers',
    help: 'Sockets watching a scope on this node, by scope (scopes nobody watches left out)',
    labelNames: ['scope'] as const,
    registers,
    collect() {
      this.reset();
      for (const [scope, n] of app.live.watchers()) this.set({ scope }, n);
    },
  });
  const ticks = new Histogram({
    name: 'commandhall_live_tick_seconds',
    help: 'Time to move the projections to now and patch every watched scope that changed',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers,
  });
  app.live.onTick((seconds) => ticks.observe(seconds));

  app.get(
    '/metrics',
    { schema: { tags: ['health'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] } },
    async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}

export default fp(prometheus, { name: 'prometheus', dependencies: ['core', 'live', 'appeal-io'] });
