/** Attaches the live channel to the HTTP server and starts its tick once the app is ready. */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { LiveChannel } from '../live/live-channel.ts';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveChannel;
  }
}

async function live(app: FastifyInstance) {
  const channel = new LiveChannel(app.server, app.engine, { tickMs: app.config.TICK_MS });
  app.decorate('live', channel);
  app.addHook('onReady', async () => channel.start());
  app.addHook('preClose', async () => channel.close());
}

export default fp(live, { name: 'live', dependencies: ['core'] });
