/**
 * App services: geography, event store, projection engine, appeals read model and ingest, each
 * available on the Fastify instance. Opened here, closed in onClose. The engine is rebuilt from
 * the log on start; the read model, kept on disk, catches up from its checkpoint in the same pass.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { loadGeography, DEFAULT_GEOGRAPHY_FILE, type Geography } from '../geography/index.ts';
import { loadProfiles } from '../geography/profiles.ts';
import { loadGrid } from '../geography/grid.ts';
import type { CommunityProfiles } from '@commandhall/shared';
import { ThreadedSqliteEventStore } from '../core/store/threaded-sqlite-event-store.ts';
import { PostgresEventStore } from '../core/store/postgres-event-store.ts';
import { openPool } from '../core/store/open-postgres.ts';
import type pg from 'pg';
import { Redis } from 'ioredis';
import { PostgresLeadership, SoloLeadership, type Leadership } from '../core/leader.ts';
import type { EventStore } from '../core/store/event-store.ts';
import { ThreadedSqliteAppealReadModel } from '../modules/appeals/threaded-sqlite-appeal-read-model.ts';
import { PostgresAppealReadModel } from '../modules/appeals/postgres-appeal-read-model.ts';
import type { AppealReadModel } from '../modules/appeals/appeal-read-model.ts';
import { CityProjections } from '../modules/city-projections.ts';
import { IngestService } from '../core/ingest/ingest-service.ts';
import { ENGINE_PROJECTION, LOG_PROJECTION, Quarantine, READ_MODEL_PROJECTION, foldEach } from '../core/store/quarantine.ts';
import type { Config } from '../config.ts';
import { ProjectionCheckpoints } from '../core/snapshot/checkpoints.ts';
import { projectionCodeKey } from '../core/snapshot/projection-snapshot.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: () => number;
    geo: Geography;
    /** The community registry of the geography (grid statistics, components, tags). */
    profiles: CommunityProfiles;
    store: EventStore;
    engine: CityProjections;
    /** One record and a timeline per appeal, for lists, detail, exports and Open311. */
    appealReadModel: AppealReadModel;
    ingest: IngestService;
    /** Events a projection could not fold: kept aside, listed for the administrator. */
    quarantine: Quarantine;
    /** The PostgreSQL pool every shared store uses (scale-out mode); null when embedded. */
    pg: pg.Pool | null;
    /** Redis (scale-out mode: live messages between the nodes, shared limits); null otherwise. */
    redis: Redis | null;
    /** Runs the once-only jobs on one node at a time (always this one when embedded). */
    leader: Leadership;
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
  // the grid cells, when the deployment has them, join the geography as its level below the community
  const geo = loadGrid(loadGeography(opts.config.GEOGRAPHY_FILE ?? DEFAULT_GEOGRAPHY_FILE), opts.config.GRID_FILE, (m) => app.log.warn(m));
  app.decorate('geo', geo);
  app.decorate(
    'profiles',
    loadProfiles(opts.config.PROFILES_FILE, geo, (msg) => app.log.warn(msg)),
  );

  const quarantine = new Quarantine(opts.config.DATA_DIR, now);
  app.decorate('quarantine', quarantine);
  app.addHook('onClose', () => quarantine.close());
  quarantine.onQuarantined((q) =>
    app.log.error(
      { seq: q.seq, eventId: q.eventId, type: q.type, projection: q.projection, error: q.error },
      'an event could not be folded: it is quarantined and everything after it folds on (see `admin quarantine list`)',
    ),
  );

  // embedded, the appeals read model folds on a thread of its own that reads the log itself (events
  // it cannot fold come back for the quarantine); the thread starts while the log opens
  const embeddedReadModel = opts.config.DATABASE_URL
    ? null
    : ThreadedSqliteAppealReadModel.open(opts.config.DATA_DIR, {
        held: quarantine
          .list()
          .filter((q) => q.releasedAt === null && (q.projection === READ_MODEL_PROJECTION || q.projection === LOG_PROJECTION))
          .map((q) => q.seq),
        onFailed: (f) => quarantine.add(READ_MODEL_PROJECTION, f.seq, f.eventId, f.type, f.error),
      });
  embeddedReadModel?.catch(() => undefined); // its failure is reported where it is awaited, below
  const { store, pool } = await openEventStore(opts.config).catch(async (err) => {
    await (await embeddedReadModel?.catch(() => null))?.close();
    throw err;
  });
  app.decorate('store', store);
  app.decorate('pg', pool);
  const redis = opts.config.REDIS_URL ? new Redis(opts.config.REDIS_URL) : null;
  redis?.on('error', (err) => app.log.warn({ err: err.message }, 'Redis is unreachable: live messages and limits wait for it'));
  app.decorate('redis', redis);
  const jobError = (job: string, err: unknown) => app.log.error({ err, job }, 'a once-only job failed to start or stop');
  const leader: Leadership = pool
    ? new PostgresLeadership(pool, {
        onError: jobError,
        onChange: (leading) =>
          app.log.info({ leading }, leading ? 'this node leads: it runs the once-only jobs' : 'this node no longer leads'),
      })
    : new SoloLeadership(jobError);
  app.decorate('leader', leader);
  app.addHook('onReady', async () => leader.begin());
  // the once-only jobs stop before the server does (the simulator sends through it)
  app.addHook('preClose', () => leader.close());

  // shared by the nodes in PostgreSQL: whichever node applies a batch first folds it, once
  const appeals: AppealReadModel = embeddedReadModel ? await embeddedReadModel : await PostgresAppealReadModel.open(pool!);
  app.decorate('appealReadModel', appeals);
  app.addHook('onClose', () => appeals.close());
  let checkpoint = await appeals.checkpoint();
  const last = await store.lastSeq();
  const released = quarantine.releasedBy();
  if (checkpoint > last) {
    // ahead of the log: it was built from another one (a restored backup, a swapped data folder)
    app.log.warn({ checkpoint, last }, 'the appeals read model is ahead of the event log: rebuilding it');
    await appeals.reset();
    checkpoint = 0;
  } else if (checkpoint > 0 && pool && (released.has(READ_MODEL_PROJECTION) || released.has(LOG_PROJECTION))) {
    // the shared read model is every node's: one node's quarantine does not rebuild it under the others
    app.log.warn('quarantined events were released: they fold into this node’s projections; the shared appeals read model keeps its own');
  } else if (checkpoint > 0 && (released.has(READ_MODEL_PROJECTION) || released.has(LOG_PROJECTION))) {
    app.log.warn('quarantined events were released: rebuilding the appeals read model so that they fold in order');
    await appeals.reset();
    checkpoint = 0;
  }
  // the in-memory projections are rebuilt from the log below in any case
  quarantine.forgetReleased();

  const c = opts.config;
  const engineOptions = {
    utcOffsetMinutes: c.UTC_OFFSET_MINUTES,
    // the registry feeds the grid and component figures: a checkpoint of other figures is not these
    profiles: app.profiles,
    alerts: {
      mergeWindowMs: c.ALERT_MERGE_MINUTES * 60_000,
      escalateToStreetMs: c.ALERT_ESCALATE_STREET_MINUTES * 60_000,
      escalateToDistrictMs: c.ALERT_ESCALATE_DISTRICT_MINUTES * 60_000,
    },
  };
  let engine = new CityProjections(app.geo, { ...engineOptions, now });
  const engineFailures = quarantine.for(ENGINE_PROJECTION);
  const readModelFailures = quarantine.for(READ_MODEL_PROJECTION);
  const started = performance.now();

  // a checkpoint of the projections, when there is a valid one, and the log's tail after it
  const geographyFile = c.GEOGRAPHY_FILE ?? DEFAULT_GEOGRAPHY_FILE;
  const checkpoints = new ProjectionCheckpoints(engine, {
    dataDir: c.DATA_DIR,
    key: projectionCodeKey({ ...engineOptions, geography: createHash('sha256').update(readFileSync(geographyFile)).digest('hex') }),
    skip: CityProjections.ATTACHED,
    onWritten: (w) => app.log.info(w, 'projections checkpointed'),
    onError: (err) => app.log.error({ err }, 'the projections could not be checkpointed: a start replays more of the log'),
  });
  let from = 0;
  let snapshot: { seq: number } | null = null;
  if (released.has(ENGINE_PROJECTION) || released.has(LOG_PROJECTION))
    app.log.warn('quarantined events were released: the projections are rebuilt from the whole log, not a checkpoint');
  else {
    const restored = await checkpoints.restore(store);
    if (restored && 'reason' in restored) {
      app.log.warn({ reason: restored.reason }, 'the projections checkpoint is not used: the whole log is replayed');
      engine = new CityProjections(app.geo, { ...engineOptions, now });
      checkpoints.rebase(engine);
    } else if (restored) {
      snapshot = restored;
      from = restored.seq;
      // a read model folded by the replay below (PostgreSQL) catches up first to where the tail starts
      if (!appeals.catchUp && checkpoint < from) await store.replay(checkpoint, (batch) => appeals.apply(batch, readModelFailures));
    }
  }
  let replayed = 0;
  let caughtUp = 0;
  let at = null as { seq: number; id: string } | null;
  let folded: number;
  // a read model that reads the log itself catches up beside the replay of the in-memory projections
  const readModelCatchUp = appeals.catchUp?.(last).then(async () => void (caughtUp = (await appeals.checkpoint()) - checkpoint));
  // until the replay has waited for it, a failure there is the replay's to report
  readModelCatchUp?.catch(() => undefined);
  try {
    folded = await store.replay(
      from,
      async (batch) => {
        at = { seq: batch[0].seq, id: batch[0].event.id };
        foldEach(batch, engineFailures, (e) => engine.apply(e));
        checkpoints.folded(batch, false);
        replayed += batch.length;
        if (!readModelCatchUp && batch[batch.length - 1].seq > checkpoint) {
          await appeals.apply(batch, readModelFailures);
          caughtUp += batch.filter((e) => e.seq > checkpoint).length;
        }
      },
      (seq, err) => quarantine.add(LOG_PROJECTION, seq, null, null, err),
    );
    await readModelCatchUp;
  } catch (err) {
    // folding failures are quarantined: what lands here is the store itself failing
    const where = at ? ` in the batch from event #${at.seq} (${at.id})` : '';
    throw new Error(`replaying the event log failed${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  engine.tick(); // a start patches nobody: the first watchers get snapshots
  app.log.info(
    {
      events: replayed,
      readModelCaughtUp: caughtUp,
      quarantined: quarantine.count(),
      ms: Math.round(performance.now() - started),
      ...(snapshot ? { snapshot } : {}),
    },
    'projections rebuilt from the event log',
  );
  // a long replay is not done again after a crash: checkpointed now (and then as events come)
  checkpoints.maybeWrite();
  app.decorate('engine', engine);
  const ingest = new IngestService(store, engine, app.geo, now, {
    historyDays: c.HISTORY_DAYS,
    foldedSeq: folded,
    onUnreadable: (seq, err) => quarantine.add(LOG_PROJECTION, seq, null, null, err),
    engineFailures,
    projections: [
      {
        name: READ_MODEL_PROJECTION,
        checkpoint: () => appeals.checkpoint(),
        apply: (events) => appeals.apply(events, readModelFailures),
      },
    ],
    onProjectionError: (name, err) => app.log.error({ err, projection: name }, 'a projection failed: it catches up from the log next'),
  });
  app.decorate('ingest', ingest);
  ingest.onStored((events) => checkpoints.folded(events));
  // a shared log: fold what the other nodes append (the embedded log has no other writer)
  ingest.follow();
  app.addHook('onClose', async () => {
    await ingest.stop(); // the batch under way lands first
    checkpoints.write(); // a restart then folds only what comes after
    await store.close();
    await pool?.end();
    redis?.disconnect();
  });
}

/** The event log: PostgreSQL shared by the nodes when DATABASE_URL is set, else embedded SQLite. */
async function openEventStore(config: Config): Promise<{ store: EventStore; pool: pg.Pool | null }> {
  if (!config.DATABASE_URL) return { store: await ThreadedSqliteEventStore.open(config.DATA_DIR), pool: null };
  const pool = openPool(config.DATABASE_URL);
  try {
    return { store: await PostgresEventStore.open(pool), pool };
  } catch (err) {
    await pool.end();
    throw new Error(`the event log in PostgreSQL cannot be opened: ${(err as Error).message}`, { cause: err });
  }
}

export default fp(core, { name: 'core' });
