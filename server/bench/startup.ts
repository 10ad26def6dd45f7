/**
 * The bench's start-up part (`--only startup`): how long the server takes to start on a year of
 * district history. A log of `--startup-days` days (about 8,300 events a day: 3 million in a year)
 * is written once by year-log.ts and kept in the output folder for the next runs; each run copies
 * it to a fresh data folder and starts the server on it three times:
 *
 * 1. first start: the appeals read model is built from the whole log (a new deployment, or a
 *    read model rebuilt after a schema change), the projections replayed from the whole log, and
 *    their checkpoint written;
 * 2. restart: the projections restored from that checkpoint, the read model on disk (a restart);
 * 3. restart with the checkpoint removed: the whole log replayed (a checkpoint made by other code).
 *
 * Each is timed from the process's spawn to "listening", and the server's own replay time is read
 * from its log line ("projections rebuilt from the event log").
 */
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkTs, Mailbox, procRssKb, startServer } from './lib/proc.ts';
import type { YearLogConfig } from './year-log.ts';
import { round } from './lib/stats.ts';
import { SNAPSHOT_FILE } from '../src/core/snapshot/projection-snapshot.ts';

export interface StartupSettings {
  root: string;
  out: string;
  serverEnv: Record<string, string>;
  days: number;
  appealsPerDay: number;
  log: (s: string) => void;
}

export interface StartupRun {
  /** Spawn to "listening", seconds. */
  seconds: number;
  /** The server's own figure: the log replayed into the in-memory projections, and the read model caught up. */
  replaySeconds: number | null;
  /** How it started: a full replay, or a snapshot of the projections and the log's tail. */
  how: string;
  rssMiB: number;
}

export interface StartupFigures {
  days: number;
  appealsPerDay: number;
  events: number;
  /** Seconds to write the log, or null when the kept one was used. */
  generatedSeconds: number | null;
  first: StartupRun;
  restarts: StartupRun[];
}

const SEED = 20261127;

export async function startupRun(s: StartupSettings): Promise<StartupFigures> {
  const cache = join(s.out, `year-log-${s.days}d-${s.appealsPerDay}`);
  let generatedSeconds: number | null = null;
  let events = 0;
  if (!existsSync(join(cache, 'events.sqlite'))) {
    s.log(`  writing ${s.days} days of history into ${cache} (kept for the next runs)…`);
    // written beside it and renamed when complete: an interrupted run leaves no half log to reuse
    const writing = `${cache}.writing`;
    rmSync(writing, { recursive: true, force: true });
    const cfg: YearLogConfig = { dataDir: writing, days: s.days, appealsPerDay: s.appealsPerDay, seed: SEED };
    const gen = forkTs(join(s.root, 'server/bench/year-log.ts'), cfg, s.root);
    const box = new Mailbox(gen, 'the history writer');
    const m = await box.next<{ type: 'year-log'; events: number; seconds: number }>('year-log', 30 * 60_000);
    generatedSeconds = round(m.seconds, 1);
    events = m.events;
    s.log(`    ${events.toLocaleString('en')} events in ${generatedSeconds} s`);
    rmSync(cache, { recursive: true, force: true });
    renameSync(writing, cache);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'commandhall-startup-'));
  try {
    cpSync(cache, dataDir, { recursive: true });
    const first = await timedStart(s, dataDir, (n) => (events ||= n));
    const restarts = [await timedStart(s, dataDir)];
    rmSync(join(dataDir, SNAPSHOT_FILE), { force: true });
    restarts.push(await timedStart(s, dataDir));
    return { days: s.days, appealsPerDay: s.appealsPerDay, events, generatedSeconds, first, restarts };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Starts the server on `dataDir`, times it to "listening", reads its start-up log lines, stops it. */
async function timedStart(s: StartupSettings, dataDir: string, onEvents?: (n: number) => void): Promise<StartupRun> {
  let replaySeconds: number | null = null;
  let how = 'full replay';
  let checkpointed = '';
  let pending = '';
  const t0 = performance.now();
  const server = await startServer({
    root: s.root,
    env: { ...s.serverEnv, LOG_LEVEL: 'info' },
    dataDir,
    timeoutMs: 30 * 60_000,
    onStdout: (text) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          const l = JSON.parse(line) as { msg?: string; ms?: number; events?: number; snapshot?: { seq: number }; reason?: string };
          if (l.msg === 'the projections checkpoint is not used: the whole log is replayed')
            how = `full replay (checkpoint not used: ${l.reason})`;
          if (l.msg === 'projections checkpointed') checkpointed = `checkpoint written in ${round((l.ms ?? 0) / 1000, 1)} s`;
          if (l.msg === 'projections rebuilt from the event log') {
            replaySeconds = round((l.ms ?? 0) / 1000, 2);
            if (l.snapshot)
              how = `checkpoint at #${l.snapshot.seq.toLocaleString('en')} + ${(l.events ?? 0).toLocaleString('en')} events of tail`;
            onEvents?.((l.events ?? 0) + (l.snapshot?.seq ?? 0));
          }
        } catch {
          // not a log line
        }
      }
    },
  });
  const seconds = round((performance.now() - t0) / 1000, 2);
  const rssMiB = round(procRssKb(server.pid) / 1024);
  await server.stop();
  if (checkpointed) how = `${how}; ${checkpointed}`;
  s.log(`    ${how}: listening after ${seconds} s (replay ${replaySeconds ?? '?'} s), RSS ${rssMiB} MiB`);
  return { seconds, replaySeconds, how, rssMiB };
}
