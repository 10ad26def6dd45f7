/**
 * Checkpoints of the in-memory projections (core/snapshot/): a start from a checkpoint and the
 * log's tail reaches exactly the figures a full replay of the log reaches (the replay fixture's
 * district, compared as that fixture compares: every scope's figures and the district's lists, at
 * the log's end, hours later and the next day); a damaged checkpoint, one of other code or
 * settings, or one of another log is not used: the whole log is replayed, and the log says why.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SqliteEventStore } from '../src/core/store/sqlite-event-store.ts';
import { SNAPSHOT_FILE } from '../src/core/snapshot/projection-snapshot.ts';
import { seedSimulatorCameras } from '../src/simulator/camera-seed.ts';
import { makeApp, tempDir, testClock } from './helpers.ts';
import { CAMERA_SEED, PROFILES_FILE, READ_AT, figuresOf, openReplayed, readLog } from './replay/fixture.ts';

const log = readLog();
const split = Math.floor(log.length * 0.7);

/** The app's log lines, as objects. */
function logLines() {
  const lines: { msg: string; [k: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: { level: 'info', stream } };
}

async function append(dir: string, events: typeof log) {
  const store = new SqliteEventStore(dir);
  for (let i = 0; i < events.length; i += 1000) await store.append(events.slice(i, i + 1000));
  await store.close();
}

/** A data folder whose checkpoint holds the first `split` events, and whose log holds them all. */
async function checkpointedAt(dir: string, clock: ReturnType<typeof testClock>) {
  await append(dir, log.slice(0, split));
  const first = await makeApp({ dataDir: dir, now: clock.now, env: { PROFILES_FILE } });
  await seedSimulatorCameras(first.cameras, first.geo, CAMERA_SEED);
  await first.close(); // writes the checkpoint
  expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(true);
  await append(dir, log.slice(split));
}

// each case replays the fixture's log up to three times: more than the default 30 s on a busy machine
describe.skipIf(process.env.TEST_STORE === 'postgres')('projections checkpoints', { timeout: 120_000 }, () => {
  const clock = testClock(READ_AT.end);
  const full = tempDir();
  let replayed: FastifyInstance;
  beforeAll(async () => {
    replayed = await openReplayed(full.dir, log, clock.now);
  });
  afterAll(async () => {
    await replayed.close();
    full.remove();
  });

  it('a start from a checkpoint and the tail reaches exactly the figures of a full replay', async () => {
    const tmp = tempDir();
    clock.set(READ_AT.end);
    await checkpointedAt(tmp.dir, clock);
    const out = logLines();
    const app = await makeApp({ dataDir: tmp.dir, now: clock.now, logger: out.logger, env: { PROFILES_FILE } });
    try {
      const started = out.lines.find((l) => l.msg === 'projections rebuilt from the event log')!;
      expect(started.snapshot).toEqual({ seq: split });
      expect(started.events).toBe(log.length - split); // the tail only
      for (const at of Object.values(READ_AT)) {
        clock.set(at);
        expect(await figuresOf(app)).toEqual(await figuresOf(replayed));
      }
    } finally {
      await app.close();
      tmp.remove();
    }
  });

  const spoilt: [string, (file: string) => void, RegExp][] = [
    [
      'damaged',
      (file) => {
        const b = readFileSync(file);
        b[b.length - 100] ^= 0xff;
        writeFileSync(file, b);
      },
      /damaged/,
    ],
    ['of other code or settings', (file) => rewriteHeader(file, (h) => ({ ...h, key: 'another version' })), /code or settings changed/],
    ['of another log', (file) => rewriteHeader(file, (h) => ({ ...h, eventId: 'not-this-one' })), /does not have its last event/],
  ];
  for (const [what, spoil, reason] of spoilt) {
    it(`a checkpoint ${what} is not used: the whole log is replayed, and the log says why`, async () => {
      const tmp = tempDir();
      clock.set(READ_AT.end);
      await checkpointedAt(tmp.dir, clock);
      spoil(join(tmp.dir, SNAPSHOT_FILE));
      const out = logLines();
      const app = await makeApp({ dataDir: tmp.dir, now: clock.now, logger: out.logger, env: { PROFILES_FILE } });
      try {
        const refused = out.lines.find((l) => l.msg === 'the projections checkpoint is not used: the whole log is replayed');
        expect(refused?.reason).toMatch(reason);
        const started = out.lines.find((l) => l.msg === 'projections rebuilt from the event log')!;
        expect(started.snapshot).toBeUndefined();
        expect(started.events).toBe(log.length);
        // (the full replay has been read up to the next day already: time does not go back)
        clock.set(READ_AT.nextDay);
        expect(await figuresOf(app)).toEqual(await figuresOf(replayed));
      } finally {
        await app.close();
        tmp.remove();
      }
    });
  }
});

function rewriteHeader(file: string, change: (h: Record<string, unknown>) => Record<string, unknown>) {
  const b = readFileSync(file);
  const nl = b.indexOf(10);
  const header = change(JSON.parse(b.subarray(0, nl).toString('utf8')));
  writeFileSync(file, Buffer.concat([Buffer.from(JSON.stringify(header)), b.subarray(nl)]));
}
