/**
 * Command Hall as a Fastify plugin tree: external resources and app services first, then routes.
 * Never listens: `server.ts` does, and tests use `inject()` or listen on an ephemeral port.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import core from './plugins/core.ts';
import errors from './plugins/errors.ts';
import docs from './plugins/docs.ts';
import auth from './modules/auth/plugin.ts';
import security from './plugins/security.ts';
import live from './live/plugin.ts';
import cameras from './modules/cameras/plugin.ts';
import consoleServices from './modules/console-services.ts';
import web from './plugins/web.ts';
import simulator from './simulator/plugin.ts';
import eventsRoutes from './modules/events/routes.ts';
import deploymentRoutes from './modules/metrics/deployment-routes.ts';
import metricsRoutes from './modules/metrics/routes.ts';
import healthRoutes from './plugins/health.ts';
import prometheus from './plugins/prometheus.ts';
import authRoutes from './modules/auth/routes.ts';
import adminRoutes from './modules/auth/admin-routes.ts';
import cameraRoutes from './modules/cameras/routes.ts';
import themes from './modules/themes/plugin.ts';
import themeRoutes from './modules/themes/routes.ts';
import wallRoutes from './modules/themes/wall-routes.ts';
import snapshotRoutes from './modules/snapshots/routes.ts';
import appealJobs from './modules/appeal-io/plugin.ts';
import appealIoRoutes from './modules/appeal-io/routes.ts';
import appealsRoutes from './modules/appeals/routes.ts';
import open311Routes from './modules/open311/routes.ts';
import alertsRoutes from './modules/alerts/routes.ts';
import components from './modules/components/plugin.ts';
import componentRoutes from './modules/components/routes.ts';
import codeRoutes from './modules/components/code-routes.ts';
import gridRecords from './modules/grid-records/plugin.ts';
import gridRecordsRoutes from './modules/grid-records/routes.ts';

export interface AppOptions {
  config: Config;
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // behind a reverse proxy: the client's address (lockouts, audit) and https (Secure cookies)
    trustProxy: opts.config.TRUST_PROXY === 'on',
    logger: opts.logger ?? { level: opts.config.LOG_LEVEL },
    // bodies are limited per route; this is the ceiling for all others
    bodyLimit: 256 * 1024,
    // the core plugin replays the event log (or its tail), which a year of history makes longer
    // than Fastify's default 10 s: a start is not cut short for it (a store that fails still fails it)
    pluginTimeout: 0,
    // the simulator posts a batch every second: its requests would drown the log
    logController: new LogController({ disableRequestLogging: (req) => req.headers['user-agent'] === 'lightMyRequest' }),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(errors);
  await app.register(docs);
  await app.register(core, { config: opts.config, now: opts.now });
  await app.register(security);
  await app.register(auth);
  await app.register(cameras);
  await app.register(consoleServices);
  await app.register(components);
  await app.register(gridRecords);
  await app.register(live);
  await app.register(themes);
  await app.register(appealJobs);
  await app.register(healthRoutes);
  await app.register(prometheus);
  await app.register(authRoutes);
  await app.register(adminRoutes);
  await app.register(cameraRoutes);
  await app.register(snapshotRoutes);
  await app.register(eventsRoutes);
  await app.register(metricsRoutes);
  await app.register(deploymentRoutes);
  await app.register(appealIoRoutes);
  await app.register(appealsRoutes);
  await app.register(open311Routes);
  await app.register(alertsRoutes);
  await app.register(componentRoutes);
  await app.register(codeRoutes);
  await app.register(gridRecordsRoutes);
  await app.register(themeRoutes);
  await app.register(wallRoutes);
  await app.register(web);
  await app.register(simulator);
  return app;
}
