/**
 * Writes the replay fixture (fixture.ts): run once, by hand, with the version whose meaning of a
 * log is to be kept:
 *
 *   node --import tsx server/test/replay/make-fixture.ts
 *
 * The simulator plays two days of history and an hour of live run through the ingest API; the log
 * it leaves is saved, then replayed on a fresh data folder, and the figures served are saved.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { NewEvent } from '../../src/core/store/event-store.ts';
import { DistrictSimulator } from '../../src/simulator/district-simulator.ts';
import { makeApp, post, tempDir, testClock } from '../helpers.ts';
import { FIGURES_FILE, FIXTURE_DIR, LOG_END, LOG_FILE, READ_AT, figuresOf, openReplayed, type Figures } from './fixture.ts';

const HOUR = 3_600_000;

async function writeLog(): Promise<NewEvent[]> {
  const tmp = tempDir();
  const clock = testClock(LOG_END - HOUR);
  const app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  const send = async (events: unknown[]) => (await post(app, events)).json();
  const sim = new DistrictSimulator(app.geo, { appealsPerDay: 600, speed: 1, seed: 11, utcOffsetMinutes: 480, now: clock.now }, send);
  await sim.backfill(2);
  for (let i = 0; i < 60; i++) {
    clock.advance(60_000);
    await sim.tick();
  }
  await sim.stop();
  const log: NewEvent[] = [];
  await app.store.replay(0, (batch) => {
    for (const { event, community, producer, receivedAt } of batch) log.push({ event, community, producer, receivedAt });
  });
  await app.close();
  tmp.remove();
  return log;
}

async function figures(log: NewEvent[]): Promise<Record<string, Figures>> {
  const tmp = tempDir();
  const clock = testClock(READ_AT.end);
  const app = await openReplayed(tmp.dir, log, clock.now);
  const out: Record<string, Figures> = {};
  for (const [name, at] of Object.entries(READ_AT)) {
    clock.set(at);
    out[name] = await figuresOf(app);
  }
  await app.close();
  tmp.remove();
  return out;
}

const log = await writeLog();
mkdirSync(FIXTURE_DIR, { recursive: true });
writeFileSync(LOG_FILE, gzipSync(log.map((e) => JSON.stringify(e)).join('\n') + '\n'));
writeFileSync(FIGURES_FILE, gzipSync(JSON.stringify(await figures(log))));
console.log(`${log.length} events → ${LOG_FILE}; figures at ${Object.keys(READ_AT).join(', ')} → ${FIGURES_FILE}`);
