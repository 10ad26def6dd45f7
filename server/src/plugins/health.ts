/** Liveness and readiness, for the process supervisor and the load balancer. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Process is up' } }, async () => ({ status: 'ok' }));
  // still ready with events in quarantine: everything else is served; monitoring pages on the count
  app.get('/readyz', { schema: { tags: ['health'], summary: 'Ready: log replayed, live channel running' } }, async () => ({
    status: 'ready',
    events: app.engine.lastSeq,
    quarantined: app.quarantine.count(),
    // scale-out: whether this node runs the once-only jobs (exactly one node says true)
    leader: app.leader.leading,
  }));
};

export default healthRoutes;
