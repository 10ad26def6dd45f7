/**
 * Prometheus metrics at `/metrics` (prom-client, text format 0.0.4): the process's own figures
 * (CPU, heap, event loop lag) and the app's: the event log's head, events in quarantine, live
 * sockets. Aggregates only, nothing about any person: scrapers on the hall's network need no
 * credentials, as health checks need none.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

async function prometheus(app: FastifyInstance) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'commandhall_' });
  new Gauge({
    name: 'commandhall_quarantined_events',
    help: 'Events a projection could not fold, held in quarantine (alert on > 0: see `admin quarantine list`)',
    registers: [registry],
    collect() {
      this.set(app.quarantine.count());
    },
  });
  new Gauge({
    name: 'commandhall_event_log_head',
    help: 'Sequence number of the newest event folded into the projections',
    registers: [registry],
    collect() {
      this.set(app.engine.lastSeq);
    },
  });
  new Gauge({
    name: 'commandhall_live_sockets',
    help: 'Sockets connected to the live channel on this node',
    registers: [registry],
    collect() {
      this.set(app.live.nsp.sockets.size);
    },
  });

  app.get(
    '/metrics',
    { schema: { tags: ['health'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] } },
    async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}

export default fp(prometheus, { name: 'prometheus', dependencies: ['core', 'live'] });
