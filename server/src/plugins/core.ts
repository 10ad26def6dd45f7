/**
 * App services: geography, event store, projection engine and ingest, each available on the
 * Fastify instance. Opened here, closed in onClose. The engine is rebuilt from the log on start.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { loadGeography, DEFAULT_GEOGRAPHY_FILE, type Geography } from '../geography/index.ts';
import { SqliteEventStore } from '../store/sqlite-event-store.ts';
import type { EventStore } from '../store/event-store.ts';
import { ProjectionEngine } from '../projections/engine.ts';
import { IngestService } from '../ingest/ingest-service.ts';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: () => number;
    geo: Geography;
    store: EventStore;
    engine: ProjectionEngine;
    ingest: IngestService;
  }
}

export interface CoreOptions {
  config: Config;
  /** Injected clock for tests; Date.now otherwise. */
  now?: () => number;
}

async function core(app: FastifyInstance, opts: CoreOptions) {
  const now = opts.now ?? Date.now;
  app.decorate('config', opts.config);
  app.decorate('clock', now);
  app.decorate('geo', loadGeography(opts.config.GEOGRAPHY_FILE ?? DEFAULT_GEOGRAPHY_FILE));

  const store = new SqliteEventStore(opts.config.DATA_DIR);
  app.decorate('store', store);
  app.addHook('onClose', () => store.close());

  const engine = new ProjectionEngine(app.geo, { utcOffsetMinutes: opts.config.UTC_OFFSET_MINUTES, now });
  const started = performance.now();
  let replayed = 0;
  await store.replay(0, (batch) => {
    for (const e of batch) engine.apply(e);
    replayed += batch.length;
  });
  engine.advance();
  engine.takeDirty();
  app.log.info({ events: replayed, ms: Math.round(performance.now() - started) }, 'projections rebuilt from the event log');
  app.decorate('engine', engine);
  app.decorate('ingest', new IngestService(store, engine, app.geo, now));
}

export default fp(core, { name: 'core' });
