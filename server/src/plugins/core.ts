/**
 * App services: geography, event store, projection engine, appeals read model and ingest, each
 * available on the Fastify instance. Opened here, closed in onClose. The engine is rebuilt from
 * the log on start; the read model, kept on disk, catches up from its checkpoint in the same pass.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { loadGeography, DEFAULT_GEOGRAPHY_FILE, type Geography } from '../geography/index.ts';
import { SqliteEventStore } from '../store/sqlite-event-store.ts';
import type { EventStore } from '../store/event-store.ts';
import { SqliteAppealReadModel } from '../store/sqlite-appeal-read-model.ts';
import type { AppealReadModel } from '../store/appeal-read-model.ts';
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
    /** One record and a timeline per appeal, for lists, detail, exports and Open311. */
    appealReadModel: AppealReadModel;
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

  const appeals = new SqliteAppealReadModel(opts.config.DATA_DIR);
  app.decorate('appealReadModel', appeals);
  app.addHook('onClose', () => appeals.close());
  let checkpoint = await appeals.checkpoint();
  const last = await store.lastSeq();
  if (checkpoint > last) {
    // ahead of the log: it was built from another one (a restored backup, a swapped data folder)
    app.log.warn({ checkpoint, last }, 'the appeals read model is ahead of the event log: rebuilding it');
    await appeals.reset();
    checkpoint = 0;
  }

  const c = opts.config;
  const engine = new ProjectionEngine(app.geo, {
    utcOffsetMinutes: c.UTC_OFFSET_MINUTES,
    now,
    alerts: {
      mergeWindowMs: c.ALERT_MERGE_MINUTES * 60_000,
      escalateToStreetMs: c.ALERT_ESCALATE_STREET_MINUTES * 60_000,
      escalateToDistrictMs: c.ALERT_ESCALATE_DISTRICT_MINUTES * 60_000,
    },
  });
  const started = performance.now();
  let replayed = 0;
  let caughtUp = 0;
  await store.replay(0, async (batch) => {
    for (const e of batch) engine.apply(e);
    replayed += batch.length;
    if (batch[batch.length - 1].seq > checkpoint) {
      await appeals.apply(batch);
      caughtUp += batch.filter((e) => e.seq > checkpoint).length;
    }
  });
  engine.advance();
  engine.takeDirty();
  app.log.info(
    { events: replayed, readModelCaughtUp: caughtUp, ms: Math.round(performance.now() - started) },
    'projections rebuilt from the event log',
  );
  app.decorate('engine', engine);
  app.decorate(
    'ingest',
    new IngestService(store, engine, app.geo, now, {
      projections: [{ name: 'appeals read model', checkpoint: () => appeals.checkpoint(), apply: (events) => appeals.apply(events) }],
      onProjectionError: (name, err) => app.log.error({ err, projection: name }, 'a projection failed: it catches up from the log next'),
    }),
  );
}

export default fp(core, { name: 'core' });
