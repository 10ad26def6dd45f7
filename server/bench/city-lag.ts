/**
 * The `city` part of `npm run bench`: the synthetic city (deploy/city/: 630 communities) on two
 * nodes sharing one PostgreSQL log and one Redis, driven by the built-in simulator at 100×
 * Pingshan's volume (SIM_SCALE), in real time and faster (SIM_SPEED), and how far each node's
 * projections trail the log: the projection lag.
 *
 * A sampler reads the log's head (`max(seq)`, straight from PostgreSQL) and what each node has
 * folded (`GET /readyz`) every SAMPLE_MS. A node that has folded up to F while the head is beyond
 * it lags by the time since the head first passed F (to within one sample); caught up, by 0.
 */
import pg from 'pg';
import { cpuWindow, type RunningServer } from './lib/proc.ts';
import { mark, roundSummary, section, type Row } from './lib/report.ts';
import { fmt, round, summarize, type Summary } from './lib/stats.ts';
import { dropRedisKeys, freshDatabase, postgresCpuWindow, REDIS_URL, redisPrefix } from './lib/services.ts';
import { foldedSeq, NODE_NAMES, nodeLog, startNodes } from './lib/nodes.ts';

const SAMPLE_MS = 100;

export interface CityLagSettings {
  root: string;
  serverEnv: Record<string, string>;
  /** Volume relative to Pingshan's (SIM_SCALE). */
  scale: number;
  seconds: number;
  log: (s: string) => void;
}

export interface CityLagFigures {
  scale: number;
  speed: number;
  seconds: number;
  /** Events appended to the log in the measured window, per second. */
  eventsPerSec: number;
  /** Lag of each node's in-memory projections behind the log head, ms (resolution SAMPLE_MS). */
  lagMs: { node: string; summary: Summary; max: number; maxEvents: number }[];
  /** Whether each node led (ran the simulator) at the end. */
  leaders: boolean[];
  serverCpuPctByNode: number[];
  postgresCpuPct: number;
  otherCpuPct: number;
  nodeLogs: { node: string; lines: number; first: string[] }[];
}

/** When the head first reached each value it was sampled at: the time an event entered the log, to within a sample. */
class HeadHistory {
  private at: { t: number; head: number }[] = [];
  add(t: number, head: number): void {
    if (!this.at.length || head > this.at[this.at.length - 1].head) this.at.push({ t, head });
  }
  latest(): number {
    return this.at.length ? this.at[this.at.length - 1].head : 0;
  }
  /** The first time the head was above `folded`; undefined when it never was. */
  passed(folded: number): number | undefined {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[mid].head > folded) hi = mid;
      else lo = mid + 1;
    }
    return this.at[lo]?.t;
  }
}

async function leads(url: string): Promise<boolean> {
  try {
    return ((await (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) })).json()) as { leader?: boolean }).leader === true;
  } catch {
    return false;
  }
}

export async function cityLagRun(s: CityLagSettings, speed: number, geo: { geography: string; profiles: string }): Promise<CityLagFigures> {
  const db = await freshDatabase();
  const prefix = redisPrefix();
  const client = new pg.Client({ connectionString: db.url });
  let nodes: RunningServer[] = [];
  try {
    nodes = await startNodes(
      s.root,
      {
        ...s.serverEnv,
        DATABASE_URL: db.url,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        GEOGRAPHY_FILE: geo.geography,
        PROFILES_FILE: geo.profiles,
        SIMULATOR: 'on',
        SIM_SCALE: String(s.scale),
        SIM_SPEED: String(speed),
        SIM_BACKFILL_DAYS: '0',
      },
      2,
    );
    await client.connect();
    const head = async () => Number((await client.query<{ s: string | null }>('SELECT max(seq) AS s FROM events')).rows[0].s ?? 0);
    // the simulator's first minute starts every lifecycle at once: let it settle before measuring
    await new Promise((r) => setTimeout(r, 5000));

    const history = new HeadHistory();
    const lags = nodes.map(() => [] as number[]);
    const lagEvents = nodes.map(() => 0);
    const h0 = await head();
    const win = cpuWindow(Object.fromEntries(nodes.map((n, k) => [`node${k}`, n.pid])));
    const pgWin = await postgresCpuWindow(db.name);
    const t0 = performance.now();
    while (performance.now() - t0 < s.seconds * 1000) {
      const tick = performance.now();
      history.add(tick, await head());
      const folded = await Promise.all(nodes.map((n) => foldedSeq(n.url)));
      const now = performance.now();
      folded.forEach((f, k) => {
        if (!Number.isFinite(f)) return;
        const since = history.passed(f);
        lags[k].push(since === undefined ? 0 : now - since);
        lagEvents[k] = Math.max(lagEvents[k], history.latest() - f);
      });
      await new Promise((r) => setTimeout(r, Math.max(0, SAMPLE_MS - (performance.now() - tick))));
    }
    const cpu = win();
    const pgPct = await pgWin();
    const h1 = await head();
    const seconds = (performance.now() - t0) / 1000;
    const leaders = await Promise.all(nodes.map((n) => leads(n.url)));
    return {
      scale: s.scale,
      speed,
      seconds: round(seconds, 1),
      eventsPerSec: round((h1 - h0) / seconds, 1),
      lagMs: lags.map((l, k) => ({
        node: NODE_NAMES[k],
        summary: roundSummary(summarize(l)),
        max: Math.round(Math.max(0, ...l)),
        maxEvents: Math.max(0, lagEvents[k]),
      })),
      leaders,
      serverCpuPctByNode: nodes.map((_, k) => round(cpu.pct[`node${k}`])),
      postgresCpuPct: round(pgPct),
      otherCpuPct: round(Math.max(0, cpu.pct.other - (Number.isFinite(pgPct) ? pgPct : 0))),
      nodeLogs: nodes.map((n, k) => ({ node: NODE_NAMES[k], ...nodeLog(n) })).filter((l) => l.lines > 0),
    };
  } finally {
    await client.end().catch(() => {});
    await Promise.all(nodes.map((n) => n.stop()));
    await db.drop();
    await dropRedisKeys(prefix).catch(() => {});
  }
}

/** Lag must stay under a second on every node. */
export const CITY_LAG_TARGET_MS = 1000;

export function cityLagTable(runs: CityLagFigures[]): string {
  type Cell = { run: CityLagFigures; k: number };
  const cells: Cell[] = runs.flatMap((run) => run.lagMs.map((_, k) => ({ run, k })));
  const lag = (c: Cell) => c.run.lagMs[c.k];
  const rows: Row<Cell>[] = [
    ['events/s into the log', (c) => (c.k === 0 ? fmt(c.run.eventsPerSec, 1) : '')],
    ['leads (runs the simulator)', (c) => (c.run.leaders[c.k] ? 'yes' : 'no')],
    ['projection lag p50 / p99 (ms)', (c) => `${fmt(lag(c).summary.p50)} / ${fmt(lag(c).summary.p99)}`],
    ['projection lag max (ms)', (c) => fmt(lag(c).max) + mark(lag(c).max < CITY_LAG_TARGET_MS), `< ${fmt(CITY_LAG_TARGET_MS)}`],
    ['most events behind the head', (c) => fmt(lag(c).maxEvents)],
    ['server CPU (% of one core)', (c) => fmt(c.run.serverCpuPctByNode[c.k])],
    ['PostgreSQL CPU (% of one core)', (c) => (c.k === 0 ? fmt(c.run.postgresCpuPct) : '')],
    ['other processes CPU (% of one core)', (c) => (c.k === 0 ? fmt(c.run.otherCpuPct) : '')],
  ];
  const r0 = runs[0];
  return section(
    `City at ${fmt(r0.scale)}× Pingshan, two nodes: lag (every ${SAMPLE_MS} ms)`,
    cells,
    (c) => `speed ${fmt(c.run.speed)}×, node ${c.run.lagMs[c.k].node}`,
    rows,
  );
}
