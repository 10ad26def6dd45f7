/**
 * The `peers` part of `npm run bench` (run.ts calls it): push against polling on one server.
 * Dashboards such as GoView, DataEase and Taipei City Dashboard keep a screen fresh by fetching
 * its data again every few seconds; Command Hall pushes a patch per tick. One fresh server, the
 * same background load throughout (the latency part's generator: background events and markers),
 * three phases of `--latency-seconds` each after a warm-up:
 *
 * 1. load only: no screen, to know what the load alone costs the server;
 * 2. push: N live clients (clients.ts) watching the district, each applying every patch;
 * 3. polling: N clients (pollers.ts) GETting `/api/v1/metrics/district:440310` every tick, each
 *    over its own keep-alive connection, parsing the answer.
 *
 * For push and polling: the server's CPU and its share above the load alone, bytes each client
 * received per second on the wire (frames or HTTP responses, headers included), messages, how
 * long a marker event took to reach the screens, the clients' own CPU; and polling ÷ push.
 */
import type { ChildProcess } from 'node:child_process';
import { cpuWindow, forkTs, Mailbox, startServer, stop } from './lib/proc.ts';
import type {
  ClientsMark,
  ClientsReady,
  LatencyConfig,
  LatencyGenResult,
  PollersConfig,
  PollersReport,
  WindowMark,
} from './lib/protocol.ts';
import { arrivalOf, collectReports, markerStats, startClients, type MarkerStats } from './lib/live-clients.ts';
import { mark, pct, roundSummary, section, type Row } from './lib/report.ts';
import { fmt, round, summarize, type Summary } from './lib/stats.ts';

export interface PeersSettings {
  root: string;
  generator: string;
  clientsScript: string;
  pollersScript: string;
  geojson: string;
  producerKey: string;
  serverEnv: Record<string, string>;
  runId: string;
  tickMs: number;
  warmup: number;
  latencySeconds: number;
  backgroundRate: number;
  markerMs: number;
  clientsPerProcess: number;
  log: (s: string) => void;
}

export interface PhaseFigures {
  phase: 'load only' | 'push' | 'polling';
  clients: number;
  connected: number;
  seconds: number;
  serverCpuPct: number;
  /** All clients processes together, % of one core. */
  clientsCpuPct: number;
  generatorCpuPct: number;
  otherCpuPct: number;
  backgroundEventsPerSec: number;
  /** Received on the wire per client per second (websocket frames, or HTTP responses with their headers). */
  bytesPerClientPerSec: number;
  messagesPerClientPerSec: number;
  /** Client 0's payload bytes per second by what they carried (push: event or patch key). */
  bytesPerSecByKind: Record<string, number>;
  markers: MarkerStats | null;
  /** Polling: request → response, ms. */
  responseMs: Summary | null;
  /** Push: gaps and patches that did not fit (each a resync); polling: polls skipped (previous still waiting), failed. */
  gaps: number;
  mismatches: number;
  skipped: number;
  failures: number;
}

export interface PeersFigures {
  clients: number;
  tickMs: number;
  scope: string;
  phases: PhaseFigures[];
}

const SCOPE = 'district:440310';
const CLIENT_BYTES_TARGET = 4096;
const SERVER_CPU_TARGET_PCT = 25;

interface Fleet {
  procs: { child: ChildProcess; box: Mailbox }[];
}

const markAll = (fleet: Fleet) =>
  Promise.all(fleet.procs.map((p) => (p.child.send({ cmd: 'mark' }), p.box.next<ClientsMark>('mark', 30_000))));

/** The counters of a window: the difference of two marks of every process, and client 0's bytes by kind. */
function windowOf(a: ClientsMark[], b: ClientsMark[], clients: number) {
  const sum = (ms: ClientsMark[], k: 'bytes' | 'cpuMs' | 'messages') => ms.reduce((s, m) => s + m[k], 0);
  const seconds = (Math.max(...b.map((m) => m.at)) - Math.min(...a.map((m) => m.at))) / 1000;
  const byKind: Record<string, number> = {};
  for (const [k, v] of Object.entries(b[0].bytesByKind)) {
    const d = v - (a[0].bytesByKind[k] ?? 0);
    if (d > 0) byKind[k] = Math.round(d / seconds);
  }
  return {
    seconds,
    bytesPerClientPerSec: Math.round((sum(b, 'bytes') - sum(a, 'bytes')) / clients / seconds),
    messagesPerClientPerSec: round((sum(b, 'messages') - sum(a, 'messages')) / clients / seconds, 2),
    clientsCpuPct: round(pct(sum(b, 'cpuMs') - sum(a, 'cpuMs'), seconds * 1000)),
    bytesPerSecByKind: byKind,
  };
}

/** Runs the generator's background load and markers once; `during` marks the window's edges. */
async function loadWindow(
  s: PeersSettings,
  serverUrl: string,
  prefix: string,
  pids: Record<string, number | undefined>,
  edges: { start: () => Promise<void>; end: () => Promise<void> },
) {
  const cfg: LatencyConfig = {
    mode: 'latency',
    url: serverUrl,
    apiKey: s.producerKey,
    prefix,
    backgroundRate: s.backgroundRate,
    backgroundIntervalMs: 100,
    markerIntervalMs: s.markerMs,
    warmupSeconds: Math.max(1, s.warmup),
    seconds: s.latencySeconds,
    geojson: s.geojson,
  };
  const gen = forkTs(s.generator, cfg, s.root);
  const box = new Mailbox(gen, 'the load generator');
  const budget = (cfg.warmupSeconds + cfg.seconds) * 1000 + 60_000;
  await box.next<WindowMark>('window', budget);
  const win = cpuWindow({ ...pids, generator: gen.pid });
  await edges.start();
  await box.next<WindowMark>('window', budget);
  await edges.end();
  const cpu = win();
  const g = await box.next<LatencyGenResult>('latency-result', 30_000);
  await stop(gen);
  if (g.failures.length) throw new Error(`peers: the server did not accept every event:\n  ${g.failures.slice(0, 5).join('\n  ')}`);
  return { cpu, g };
}

async function startPollers(
  s: PeersSettings,
  url: string,
  clients: number,
  markerPrefix: string,
): Promise<Fleet & { sizes: number[]; connected: number }> {
  const n = Math.ceil(clients / s.clientsPerProcess);
  const procs: Fleet['procs'] = [];
  const sizes: number[] = [];
  for (let k = 0; k < n; k++) {
    const size = Math.floor(clients / n) + (k < clients % n ? 1 : 0);
    const cfg: PollersConfig = { url, clients: size, scope: SCOPE, intervalMs: s.tickMs, markerPrefix };
    const child = forkTs(s.pollersScript, cfg, s.root);
    procs.push({ child, box: new Mailbox(child, 'a pollers process') });
    sizes.push(size);
  }
  const readies = await Promise.all(procs.map((p) => p.box.next<ClientsReady>('ready', 120_000)));
  return { procs, sizes, connected: readies.reduce((a, r) => a + r.connected, 0) };
}

/** One run: the three phases with `clients` screens. */
export async function peersRun(s: PeersSettings, clients: number): Promise<PeersFigures> {
  const server = await startServer({ root: s.root, env: s.serverEnv });
  const phases: PhaseFigures[] = [];
  const base = (phase: PhaseFigures['phase'], cpu: { pct: Record<string, number> }, g: LatencyGenResult) => ({
    phase,
    serverCpuPct: round(cpu.pct.server),
    generatorCpuPct: round(pct(g.cpu.cpuMs, g.cpu.wallMs)),
    otherCpuPct: round(cpu.pct.other),
    backgroundEventsPerSec: Math.round(g.backgroundEvents / (g.wallMs / 1000)),
  });
  try {
    // 1. the load alone (it also fills the scope's ticker and alert queue, as on a working day)
    s.log('  load only…');
    const load = await loadWindow(
      s,
      server.url,
      `${s.runId}-p${clients}-L`,
      { server: server.pid },
      { start: async () => {}, end: async () => {} },
    );
    phases.push({
      ...base('load only', load.cpu, load.g),
      clients: 0,
      connected: 0,
      seconds: round(load.cpu.wallMs / 1000),
      clientsCpuPct: NaN,
      bytesPerClientPerSec: NaN,
      messagesPerClientPerSec: NaN,
      bytesPerSecByKind: {},
      markers: null,
      responseMs: null,
      gaps: 0,
      mismatches: 0,
      skipped: 0,
      failures: 0,
    });

    // 2. push: live clients
    s.log(`  push: ${fmt(clients)} live clients…`);
    const pushPrefix = `${s.runId}-p${clients}-P`;
    // like browsers, these clients offer per-message deflate: the bytes are what a screen gets
    const fleet = await startClients(s.clientsScript, s.root, [{ url: server.url, clients }], s.clientsPerProcess, `${pushPrefix}M`, true);
    let m0: ClientsMark[] = [];
    let m1: ClientsMark[] = [];
    const push = await loadWindow(
      s,
      server.url,
      pushPrefix,
      { server: server.pid, ...Object.fromEntries(fleet.procs.map((p, k) => [`c${k}`, p.child.pid])) },
      {
        start: async () => void (m0 = await markAll(fleet)),
        end: async () => void (m1 = await markAll(fleet)),
      },
    );
    await new Promise((r) => setTimeout(r, s.tickMs + 1500)); // the last markers reach everyone
    const reps = await collectReports(fleet);
    const pw = windowOf(m0, m1, clients);
    phases.push({
      ...base('push', push.cpu, push.g),
      ...pw,
      clients,
      connected: fleet.ready[0].connected,
      markers: markerStats(
        push.g.markers.filter((m) => m.ok),
        clients,
        arrivalOf(fleet, reps, 0),
      ),
      responseMs: null,
      gaps: reps.reduce((a, r) => a + r.gaps, 0),
      mismatches: reps.reduce((a, r) => a + r.mismatches, 0),
      skipped: 0,
      failures: 0,
    });

    // 3. polling: the same number of screens fetching the snapshot every tick
    s.log(`  polling: ${fmt(clients)} clients, every ${s.tickMs} ms…`);
    const pollPrefix = `${s.runId}-p${clients}-Q`;
    const pollers = await startPollers(s, server.url, clients, `${pollPrefix}M`);
    const poll = await loadWindow(
      s,
      server.url,
      pollPrefix,
      { server: server.pid, ...Object.fromEntries(pollers.procs.map((p, k) => [`q${k}`, p.child.pid])) },
      {
        start: async () => void (m0 = await markAll(pollers)),
        end: async () => void (m1 = await markAll(pollers)),
      },
    );
    await new Promise((r) => setTimeout(r, s.tickMs + 1500));
    for (const p of pollers.procs) p.child.send({ cmd: 'report' });
    const preps = await Promise.all(pollers.procs.map((p) => p.box.next<PollersReport>('report', 60_000)));
    await Promise.all(pollers.procs.map((p) => stop(p.child)));
    const offsets = pollers.sizes.map((_, k) => pollers.sizes.slice(0, k).reduce((a, b) => a + b, 0));
    const arrival = (id: string, i: number) => {
      let k = 0;
      while (k + 1 < offsets.length && i >= offsets[k + 1]) k++;
      return preps[k]?.arrivals[id]?.[i - offsets[k]] ?? null;
    };
    phases.push({
      ...base('polling', poll.cpu, poll.g),
      ...windowOf(m0, m1, clients),
      clients,
      connected: pollers.connected,
      markers: markerStats(
        poll.g.markers.filter((m) => m.ok),
        clients,
        arrival,
      ),
      responseMs: roundSummary(summarize(preps.flatMap((r) => r.responseMs))),
      gaps: 0,
      mismatches: 0,
      skipped: preps.reduce((a, r) => a + r.skipped, 0),
      failures: preps.reduce((a, r) => a + r.failures, 0),
    });
    return { clients, tickMs: s.tickMs, scope: SCOPE, phases };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- report

interface Cell {
  run: PeersFigures;
  f: PhaseFigures;
}

const loadOf = (run: PeersFigures) => run.phases[0];
/** The server's CPU for the screens: above what the load alone cost it. */
const screensCpu = (c: Cell) => c.f.serverCpuPct - loadOf(c.run).serverCpuPct;
const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? `${fmt(a / b, a / b < 10 ? 1 : 0)}×` : '—');

export function peersTable(runs: PeersFigures[]): string {
  const cells: Cell[] = runs.flatMap((run) => run.phases.map((f) => ({ run, f })));
  const pushOf = (run: PeersFigures) => run.phases.find((p) => p.phase === 'push')!;
  const pollOf = (run: PeersFigures) => run.phases.find((p) => p.phase === 'polling')!;
  const isPush = (c: Cell) => c.f.phase === 'push';
  const screens = (c: Cell) => c.f.phase !== 'load only';
  const tick = runs[0].tickMs;
  const rows: Row<Cell>[] = [
    [
      'server CPU (% of one core)',
      (c) => fmt(c.f.serverCpuPct) + (isPush(c) && c.run.clients >= 2000 ? mark(c.f.serverCpuPct <= SERVER_CPU_TARGET_PCT) : ''),
      `push ≤ ${SERVER_CPU_TARGET_PCT} at 2,000`,
    ],
    ['server CPU for the screens, above the load (% of one core)', (c) => (screens(c) ? fmt(screensCpu(c), 1) : '')],
    ['  per 1,000 screens (% of one core)', (c) => (screens(c) ? fmt((screensCpu(c) * 1000) / c.run.clients, 1) : '')],
    [
      'bytes per client per second (received)',
      (c) => (screens(c) ? fmt(c.f.bytesPerClientPerSec) + (isPush(c) ? mark(c.f.bytesPerClientPerSec <= CLIENT_BYTES_TARGET) : '') : ''),
      `push ≤ ${fmt(CLIENT_BYTES_TARGET)}`,
    ],
    ['messages per client per second', (c) => (screens(c) ? fmt(c.f.messagesPerClientPerSec, 1) : '')],
    [
      'event → screen p50 / p99 (ms)',
      (c) =>
        c.f.markers
          ? `${fmt(c.f.markers.latencyMs.p50)} / ${fmt(c.f.markers.latencyMs.p99)}` +
            (isPush(c) && c.run.clients >= 1000 ? mark(c.f.markers.latencyMs.p99 <= c.run.tickMs + 100) : '')
          : '',
      `push p99 ≤ ${tick + 100} at 1,000+`,
    ],
    ['clients that got every marker', (c) => (c.f.markers ? `${fmt(c.f.markers.clientsWithEveryMarker * 100, 1)} %` : '')],
    ['response p50 / p99 (ms)', (c) => (c.f.responseMs ? `${fmt(c.f.responseMs.p50)} / ${fmt(c.f.responseMs.p99)}` : '')],
    [
      'resyncs (push) / polls skipped, failed (polling)',
      (c) => (isPush(c) ? fmt(c.f.gaps + c.f.mismatches) : c.f.phase === 'polling' ? `${fmt(c.f.skipped)}, ${fmt(c.f.failures)}` : ''),
    ],
    ['clients processes CPU (% of one core)', (c) => (screens(c) ? fmt(c.f.clientsCpuPct) : '')],
    ['background load (events/s) / generator CPU (%)', (c) => `${fmt(c.f.backgroundEventsPerSec)} / ${fmt(c.f.generatorCpuPct)}`],
    ['other processes CPU (% of one core)', (c) => fmt(c.f.otherCpuPct)],
  ];
  const head = (c: Cell) => `${c.f.phase}${c.f.phase === 'load only' ? '' : `, ${fmt(c.run.clients)}`}`;
  const out = [section(`Push against polling (TICK_MS ${tick}, ${runs[0].scope})`, cells, head, rows)];
  for (const run of runs) {
    const push = pushOf(run);
    const poll = pollOf(run);
    out.push(
      `polling ÷ push, ${fmt(run.clients)} screens: server CPU for the screens ${ratio(poll.serverCpuPct - loadOf(run).serverCpuPct, push.serverCpuPct - loadOf(run).serverCpuPct)}, ` +
        `bytes per client ${ratio(poll.bytesPerClientPerSec, push.bytesPerClientPerSec)}`,
    );
    const kinds = Object.entries(push.bytesPerSecByKind).sort((a, b) => b[1] - a[1]);
    if (kinds.length)
      out.push(
        `push, what one client received per second (payload bytes, framing excluded): ` +
          kinds.map(([k, v]) => `${k} ${fmt(v)}`).join(', '),
      );
  }
  return out.join('\n');
}

export function peersNotes(runs: PeersFigures[]): string[] {
  const notes: string[] = [];
  for (const run of runs)
    for (const f of run.phases) {
      if (f.otherCpuPct >= 20)
        notes.push(
          `peers, ${f.phase} (${fmt(run.clients)}): other processes used ${fmt(f.otherCpuPct)} % of a core: CPU figures are depressed; compare bytes and CPU per screen.`,
        );
      if (f.connected < f.clients)
        notes.push(`peers, ${f.phase}: ${fmt(f.clients - f.connected)} of ${fmt(f.clients)} clients never connected.`);
    }
  return notes;
}
