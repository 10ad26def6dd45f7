/** The wall displays' latest heartbeats, for administrators watching over unattended halls. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const wallRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/walls',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Every wall display heard from in the last hour: hall, tile, theme on screen, JS heap, uptime, watchdog reloads',
      },
    },
    async () => ({ walls: app.live.wallReports() }),
  );
};

export default wallRoutes;
