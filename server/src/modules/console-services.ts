/**
 * The console's services (`app.alerts`, `app.appeals`): video alerts and appeals for a principal,
 * their lists, details and actions. Built once here, on the app's core services, so that the
 * routes only translate HTTP and the services can be reached (and tested) without them.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AlertService, type AlertServiceDeps } from './alerts/alert-service.ts';
import { AppealService } from './appeals/appeal-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Video alerts: the queue, one alert with its detections, and actions on it. */
    alerts: AlertService;
    /** Appeals: the filtered list, one appeal with its timeline, and actions on it. */
    appeals: AppealService;
  }
}

async function consoleServices(app: FastifyInstance) {
  const audit: AlertServiceDeps['audit'] = (e) => app.auth.audit(e);
  app.decorate(
    'alerts',
    new AlertService({ engine: app.engine, ingest: app.ingest, geo: app.geo, cameras: app.cameras, now: app.clock, audit }),
  );
  app.decorate(
    'appeals',
    new AppealService({
      model: app.appealReadModel,
      store: app.store,
      ingest: app.ingest,
      engine: app.engine,
      geo: app.geo,
      now: app.clock,
      audit,
    }),
  );
}

export default fp(consoleServices, { name: 'console-services', dependencies: ['core', 'auth', 'cameras'] });
