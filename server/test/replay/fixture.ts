/**
 * The replay fixture: a log written by the server as it was before the core was restructured
 * (issue 14), and the figures that version served from it. `make-fixture.ts` wrote both; the test
 * replays the log through today's server and expects the same figures, so a restructuring that
 * changes what an old log means is caught.
 *
 * The log is the simulator's district (two days of history and an hour of live run, through the
 * ingest API), stored as the event store holds it: event, community, producer, receivedAt.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { NewEvent } from '../../src/core/store/event-store.ts';
import { SqliteEventStore } from '../../src/core/store/sqlite-event-store.ts';
import { seedSimulatorCameras } from '../../src/simulator/camera-seed.ts';
import { get, makeApp } from '../helpers.ts';

export const FIXTURE_DIR = join(import.meta.dirname, 'fixtures');
export const LOG_FILE = join(FIXTURE_DIR, 'log.jsonl.gz');
export const FIGURES_FILE = join(FIXTURE_DIR, 'figures.json.gz');
/**
 * The community registry the figures were served with (the built-in one has changed since: the
 * district's totals of its 2021 report); the log replays to the same figures with the same registry.
 */
export const PROFILES_FILE = join(FIXTURE_DIR, 'community-profiles.json');

/** The instant the log ends at (16:00 in Shenzhen), and the later instants figures are taken at. */
export const LOG_END = Date.parse('2026-11-27T08:00:00Z');
export const READ_AT = {
  end: LOG_END,
  // deadlines and escalations fire with no event
  later: LOG_END + 5 * 3_600_000,
  // the day rolls over
  nextDay: LOG_END + 20 * 3_600_000,
} as const;

export const CAMERA_SEED = 42;

export function readLog(): NewEvent[] {
  return gunzipSync(readFileSync(LOG_FILE))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as NewEvent);
}

export type Figures = Record<string, unknown>;

/** What the fixture compares: every scope's snapshot, and the district's alerts and appeals as listed. */
export async function figuresOf(app: FastifyInstance): Promise<Figures> {
  const out: Figures = {};
  for (const scope of app.engine.scopes().sort()) {
    const res = await get(app, `/api/v1/metrics/${scope}`);
    if (res.statusCode !== 200) throw new Error(`metrics of ${scope}: ${res.statusCode} ${res.body}`);
    out[`metrics ${scope}`] = (res.json() as { metrics: unknown }).metrics;
  }
  const district = app.geo.rootScope;
  const alerts = await get(app, `/api/v1/alerts?scope=${district}&status=all&limit=200`);
  out.alerts = alerts.json();
  const appeals = await get(app, `/api/v1/appeals?scope=${district}&limit=200`);
  out.appeals = appeals.json();
  return out;
}

/**
 * A server on `dataDir` whose log is `log` (written straight into the event store, as a log left
 * by another version would be), started at `now` with the simulator's cameras registered.
 */
export async function openReplayed(dataDir: string, log: NewEvent[], now: () => number): Promise<FastifyInstance> {
  const store = new SqliteEventStore(dataDir);
  for (let i = 0; i < log.length; i += 1000) await store.append(log.slice(i, i + 1000));
  await store.close();
  const app = await makeApp({ dataDir, now, env: { PROFILES_FILE } });
  await seedSimulatorCameras(app.cameras, app.geo, CAMERA_SEED);
  return app;
}
