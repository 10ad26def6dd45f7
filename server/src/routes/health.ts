import type { FastifyInstance } from 'fastify';

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Process is up' } }, async () => ({ status: 'ok' }));
  // still ready with events in quarantine: everything else is served; monitoring pages on the count
  app.get('/readyz', { schema: { tags: ['health'], summary: 'Ready: log replayed, live channel running' } }, async () => ({
    status: 'ready',
    events: app.engine.lastSeq,
    quarantined: app.quarantine.count(),
  }));
}
