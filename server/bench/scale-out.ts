/**
 * The scale-out parts of `npm run bench` (run.ts calls them):
 *
 * - stores: ingest throughput and its CPU cost on three set-ups side by side: SQLite on one node,
 *   PostgreSQL on one node, PostgreSQL on two nodes (two server processes on one fresh database;
 *   the generator sends its batches to each in turn). Needs PostgreSQL.
 * - two-node-latency: ingest-to-patch latency with the clients split over two nodes on one
 *   PostgreSQL log and one Redis, every event written to node A only: A's clients see a marker
 *   from A's own fold; B's only once B has followed the log (NOTIFY, then a read) and ticked.
 *   Needs PostgreSQL and Redis.
 *
 * Each run gets a fresh database (dropped afterwards) and its own REDIS_PREFIX (keys removed).
 */
import { cpuWindow, forkTs, Mailbox, procRssKb, stop, type RunningServer } from './lib/proc.ts';
import type { LatencyConfig, LatencyGenResult, ThroughputConfig, ThroughputResult, WindowMark } from './lib/protocol.ts';
import { pct, roundSummary } from './lib/report.ts';
import { round, summarize, type Summary } from './lib/stats.ts';
import { dropRedisKeys, freshDatabase, postgresCpuWindow, REDIS_URL, redisPid, redisPrefix, type FreshDatabase } from './lib/services.ts';
import { arrivalOf, collectReports, markerStats, startClients, type MarkerStats } from './lib/live-clients.ts';
import { foldedSeq, nodeLog, NODE_NAMES, startNodes, waitFolded } from './lib/nodes.ts';

export interface ScaleOutSettings {
  root: string;
  generator: string;
  clientsScript: string;
  geojson: string;
  producerKey: string;
  /** Environment of every server (demo mode, no ingest rate limit, TICK_MS; DATABASE_URL and REDIS_URL empty). */
  serverEnv: Record<string, string>;
  runId: string;
  tickMs: number;
  seconds: number;
  warmup: number;
  concurrency: number;
  storesBatchSize: number;
  latencySeconds: number;
  backgroundRate: number;
  markerMs: number;
  clientsPerProcess: number;
  log: (s: string) => void;
}

/** What every node logged, when it logged anything (it runs at LOG_LEVEL=warn). */
export type NodeLogs = { node: string; lines: number; first: string[] }[];

const logsOf = (nodes: RunningServer[]): NodeLogs =>
  nodes.map((n, k) => ({ node: NODE_NAMES[k], ...nodeLog(n) })).filter((l) => l.lines > 0);

// ---------------------------------------------------------------- stores

export const STORE_SETUPS = [
  { key: 'sqlite', label: 'SQLite, 1 node', postgres: false, nodes: 1 },
  { key: 'postgres', label: 'PostgreSQL, 1 node', postgres: true, nodes: 1 },
  { key: 'postgres-2', label: 'PostgreSQL, 2 nodes', postgres: true, nodes: 2 },
] as const;
export type StoreSetup = (typeof STORE_SETUPS)[number];

export interface StoresFigures {
  setup: StoreSetup['key'];
  label: string;
  nodes: number;
  batchSize: number;
  concurrency: number;
  seconds: number;
  events: number;
  eventsPerSec: number;
  /** Events/s accepted by each node (the generator sends to each in turn). */
  eventsPerSecByNode: number[];
  batchesPerSec: number;
  batchLatencyMs: Summary;
  /** All nodes together, % of one core. */
  serverCpuPct: number;
  serverCpuPctByNode: number[];
  /** CPU of all nodes per 1,000 events accepted. */
  serverCpuMsPer1000: number;
  /** PostgreSQL's processes for the bench database (backends, WAL writer, checkpointer), % of one core; NaN for SQLite. */
  postgresCpuPct: number;
  postgresCpuMsPer1000: number;
  generatorCpuPct: number;
  /** CPU of everything else on the machine (PostgreSQL's excluded). */
  otherCpuPct: number;
  /** Every event accepted (warm-up included), what the log holds, and what each node folded. */
  log: { accepted: number; stored: number; foldedByNode: number[]; foldMs: number };
  nodeLogs: NodeLogs;
}

export async function storesRun(s: ScaleOutSettings, setup: StoreSetup): Promise<StoresFigures> {
  const db: FreshDatabase | null = setup.postgres ? await freshDatabase() : null;
  let nodes: RunningServer[] = [];
  try {
    nodes = await startNodes(s.root, { ...s.serverEnv, DATABASE_URL: db?.url ?? '' }, setup.nodes);
    const base = await foldedSeq(nodes[0].url);
    const cfg: ThroughputConfig = {
      mode: 'throughput',
      urls: nodes.map((n) => n.url),
      apiKey: s.producerKey,
      prefix: `${s.runId}-s${setup.key}-`,
      batchSize: s.storesBatchSize,
      concurrency: s.concurrency,
      warmupSeconds: s.warmup,
      seconds: s.seconds,
      geojson: s.geojson,
    };
    const gen = forkTs(s.generator, cfg, s.root);
    const box = new Mailbox(gen, 'the load generator');
    const budget = (s.warmup + s.seconds) * 1000 + 60_000;
    await box.next('window', budget);
    const win = cpuWindow({ generator: gen.pid, ...Object.fromEntries(nodes.map((n, k) => [`node${k}`, n.pid])) });
    const pgWin = db ? await postgresCpuWindow(db.name) : null;
    await box.next('window', budget);
    const cpu = win();
    const pgPct = pgWin ? await pgWin() : NaN;
    const r = await box.next<ThroughputResult>('throughput-result', 30_000);
    await stop(gen);
    if (r.failures.length)
      throw new Error(
        `stores run "${setup.label}": the server did not accept every event:\n  ${r.failures.join('\n  ')}\nserver log:\n${nodes.map((n) => n.stderrTail()).join('\n')}`,
      );
    const expected = base + r.totalEvents;
    const fold = await waitFolded(nodes, expected);
    const stored = db ? await db.count() : fold.folded[0];
    const sec = r.wallMs / 1000;
    const byNode = nodes.map((_, k) => cpu.pct[`node${k}`]);
    const serverPct = byNode.reduce((a, b) => a + b, 0);
    const per1000 = (p: number) => round((p * cpu.wallMs) / 100 / (r.events / 1000), 1);
    return {
      setup: setup.key,
      label: setup.label,
      nodes: setup.nodes,
      batchSize: s.storesBatchSize,
      concurrency: r.concurrency,
      seconds: round(sec, 2),
      events: r.events,
      eventsPerSec: Math.round(r.events / sec),
      eventsPerSecByNode: r.eventsPerUrl.map((e) => Math.round(e / sec)),
      batchesPerSec: round(r.batches / sec, 1),
      batchLatencyMs: roundSummary(summarize(r.latenciesMs)),
      serverCpuPct: round(serverPct),
      serverCpuPctByNode: byNode.map((p) => round(p)),
      serverCpuMsPer1000: per1000(serverPct),
      postgresCpuPct: round(pgPct),
      postgresCpuMsPer1000: per1000(pgPct),
      generatorCpuPct: round(pct(r.cpu.cpuMs, r.cpu.wallMs)),
      otherCpuPct: round(Math.max(0, cpu.pct.other - (Number.isFinite(pgPct) ? pgPct : 0))),
      log: { accepted: r.totalEvents, stored: stored - base, foldedByNode: fold.folded.map((f) => f - base), foldMs: fold.ms },
      nodeLogs: logsOf(nodes),
    };
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await db?.drop();
  }
}

// ---------------------------------------------------------------- two-node latency

export interface SideFigures {
  node: 'A' | 'B';
  clients: number;
  connected: number;
  connectSeconds: number;
  stats: MarkerStats;
  serverCpuPct: number;
  serverRssMiB: { connected: number; end: number };
  clientsProcesses: number;
  clientsCpuPct: number;
  clientsElu: number;
  patchesPerSec: number;
  patchIntervalMs: Summary;
  gaps: number;
  disconnects: number;
}

export interface TwoNodeFigures {
  clients: number;
  tickMs: number;
  seconds: number;
  markersSent: number;
  markersAccepted: number;
  /** Marker request to node A → its durable acknowledgement. */
  ackMs: Summary;
  sides: [SideFigures, SideFigures];
  /**
   * Mean first-client latency on B − the same on A: what the hop through the log to the other node
   * adds. Per marker the difference also holds the two nodes' tick phases, which the mean averages out.
   */
  bMinusAMeanMs: number;
  backgroundEventsPerSec: number;
  backgroundSkipped: number;
  generatorCpuPct: number;
  postgresCpuPct: number;
  /** Redis (the Socket.IO adapter's stream), % of one core; NaN when it runs elsewhere. */
  redisCpuPct: number;
  otherCpuPct: number;
  /** Every event accepted (on A), and what each node had folded afterwards. */
  log: { accepted: number; foldedByNode: number[] };
  nodeLogs: NodeLogs;
}

export async function twoNodeLatencyRun(s: ScaleOutSettings, clients: number): Promise<TwoNodeFigures> {
  const db = await freshDatabase();
  const prefix = redisPrefix();
  let nodes: RunningServer[] = [];
  try {
    nodes = await startNodes(s.root, { ...s.serverEnv, DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: prefix }, 2);
    const base = await foldedSeq(nodes[0].url);
    const idPrefix = `${s.runId}-t${clients}-`;
    const split = [Math.ceil(clients / 2), Math.floor(clients / 2)];
    const fleet = await startClients(
      s.clientsScript,
      s.root,
      nodes.map((n, k) => ({ url: n.url, clients: split[k] })),
      s.clientsPerProcess,
      `${idPrefix}M`,
    );
    fleet.ready.forEach((r, k) => r.failed && s.log(`  ${r.failed} of ${split[k]} clients of ${NODE_NAMES[k]} could not connect`));
    const rss1 = nodes.map((n) => procRssKb(n.pid));

    const gcfg: LatencyConfig = {
      mode: 'latency',
      url: nodes[0].url,
      apiKey: s.producerKey,
      prefix: idPrefix,
      backgroundRate: s.backgroundRate,
      backgroundIntervalMs: 100,
      markerIntervalMs: s.markerMs,
      warmupSeconds: Math.max(1, s.warmup),
      seconds: s.latencySeconds,
      geojson: s.geojson,
    };
    const gen = forkTs(s.generator, gcfg, s.root);
    const box = new Mailbox(gen, 'the load generator');
    const budget = (gcfg.warmupSeconds + gcfg.seconds) * 1000 + 60_000;
    const redis = await redisPid();
    const w0 = await box.next<WindowMark>('window', budget);
    const win = cpuWindow({
      generator: gen.pid,
      redis,
      ...Object.fromEntries(nodes.map((n, k) => [`node${k}`, n.pid])),
      ...Object.fromEntries(fleet.procs.map((c, k) => [`clients${k}`, c.child.pid])),
    });
    const pgWin = await postgresCpuWindow(db.name);
    const w1 = await box.next<WindowMark>('window', budget);
    const cpu = win();
    const pgPct = await pgWin();
    const rss2 = nodes.map((n) => procRssKb(n.pid));
    const g = await box.next<LatencyGenResult>('latency-result', 30_000);
    await stop(gen);
    if (g.failures.length)
      throw new Error(
        `two-node latency run with ${clients} clients: node A did not accept every event:\n  ${g.failures.slice(0, 5).join('\n  ')}`,
      );
    // the last markers need a tick, B's follow (a notification, or its 1 s poll) and the fan-out
    await new Promise((r) => setTimeout(r, s.tickMs + 2500));
    const fold = await waitFolded(nodes, base + g.totalEvents, 5000);
    const reps = await collectReports(fleet);
    const ok = g.markers.filter((m) => m.ok);

    const sides = nodes.map((n, k): SideFigures => {
      const mine = fleet.procs.map((p, j) => ({ p, rep: reps[j] })).filter((x) => x.p.group === k);
      const times = mine[0]?.rep.patchTimes.filter((t) => t >= w0.at && t <= w1.at) ?? [];
      return {
        node: k === 0 ? 'A' : 'B',
        clients: split[k],
        connected: fleet.ready[k].connected,
        connectSeconds: round(fleet.ready[k].connectMs / 1000, 2),
        stats: markerStats(ok, split[k], arrivalOf(fleet, reps, k)),
        serverCpuPct: round(cpu.pct[`node${k}`]),
        serverRssMiB: { connected: round(rss1[k] / 1024, 1), end: round(rss2[k] / 1024, 1) },
        clientsProcesses: mine.length,
        clientsCpuPct: round(mine.reduce((a, x) => a + pct(x.rep.cpu.cpuMs, x.rep.cpu.wallMs), 0)),
        clientsElu: round(Math.max(0, ...mine.map((x) => x.rep.cpu.elu)), 2),
        patchesPerSec: round(times.length / ((w1.at - w0.at) / 1000), 2),
        patchIntervalMs: roundSummary(summarize(times.slice(1).map((t, j) => t - times[j]))),
        gaps: mine.reduce((a, x) => a + x.rep.gaps, 0),
        disconnects: mine.reduce((a, x) => a + x.rep.disconnects, 0),
      };
    }) as [SideFigures, SideFigures];

    return {
      clients,
      tickMs: s.tickMs,
      seconds: round(g.wallMs / 1000, 1),
      markersSent: g.markers.length,
      markersAccepted: ok.length,
      ackMs: roundSummary(summarize(ok.map((m) => m.ackAt - m.sentAt))),
      sides,
      bMinusAMeanMs: round(sides[1].stats.firstClientMs.mean - sides[0].stats.firstClientMs.mean),
      backgroundEventsPerSec: Math.round(g.backgroundEvents / (g.wallMs / 1000)),
      backgroundSkipped: g.backgroundSkipped,
      generatorCpuPct: round(pct(g.cpu.cpuMs, g.cpu.wallMs)),
      postgresCpuPct: round(pgPct),
      redisCpuPct: round(cpu.pct.redis),
      otherCpuPct: round(Math.max(0, cpu.pct.other - (Number.isFinite(pgPct) ? pgPct : 0))),
      log: { accepted: g.totalEvents, foldedByNode: fold.folded.map((f) => f - base) },
      nodeLogs: logsOf(nodes),
    };
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await db.drop();
    await dropRedisKeys(prefix).catch(() => {});
  }
}
