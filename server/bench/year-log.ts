/**
 * Writes a year of district history into an event log, for the start-up part of the bench: the
 * simulator's district (the mix and lifecycles of `npm start`'s history, at `appealsPerDay`), a
 * stretch of days at a time, through the real ingest (checks, deciders, community placement) into
 * the embedded SQLite log of `dataDir`. Only the log is written: the server builds everything else
 * from it on its first start. Run by run.ts as a child process; reports progress and the count.
 *
 * The simulator plays each stretch from its own seed and drops what would happen after the
 * stretch's end, so a few appeals open at each seam stay open; that is all the seams change.
 */
import { loadGeography, DEFAULT_GEOGRAPHY_FILE } from '../src/geography/index.ts';
import { SqliteEventStore } from '../src/core/store/sqlite-event-store.ts';
import { IngestService } from '../src/core/ingest/ingest-service.ts';
import { CityProjections } from '../src/modules/city-projections.ts';
import { DistrictSimulator } from '../src/simulator/district-simulator.ts';

export interface YearLogConfig {
  dataDir: string;
  days: number;
  appealsPerDay: number;
  seed: number;
}

const DAY = 86_400_000;
/** Days the simulator plays at once: its history is generated in memory before it is sent. */
const STRETCH = 73;

const cfg = JSON.parse(process.argv[2]) as YearLogConfig;
const send = (m: unknown) => process.send?.(m);
const geo = loadGeography(DEFAULT_GEOGRAPHY_FILE);
const store = new SqliteEventStore(cfg.dataDir);
const engine = new CityProjections(geo, { utcOffsetMinutes: 480, now: Date.now });
const ingest = new IngestService(store, engine, geo, Date.now, { historyDays: cfg.days + 30 });
const producer = { id: 'simulator' };
const HOUR = 3_600_000;
// stretches end on the hour: the simulator names events by their hour, and two stretches must not share one
const end = Math.floor((Date.now() - 60_000) / HOUR) * HOUR;
let stored = 0;
let rejected = 0;
const started = performance.now();
for (let from = cfg.days; from > 0; from -= STRETCH) {
  const days = Math.min(STRETCH, from);
  const until = end - (from - days) * DAY;
  const sim = new DistrictSimulator(
    geo,
    { appealsPerDay: cfg.appealsPerDay, speed: 1, seed: cfg.seed + from, utcOffsetMinutes: 480, now: () => until },
    async (events) => {
      const r = await ingest.ingest(events, producer);
      stored += r.accepted;
      rejected += r.rejected;
      return r;
    },
  );
  await sim.backfill(days);
}
await ingest.stop();
await store.close();
send({ type: 'year-log', events: stored, rejected, seconds: (performance.now() - started) / 1000 });
process.exit(0);
