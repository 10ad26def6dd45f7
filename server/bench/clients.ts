/**
 * The live-channel clients, in their own process (started by run.ts; settings as one JSON argument,
 * results over IPC). Opens `clients` websocket connections to `/live` in waves, each watching one
 * scope; reports `ready` once every one has its snapshot. From then on, for every patch, it notes
 * the first time each client saw each marker event (ids starting with `markerPrefix`) in
 * `changes.recent`. On `{ cmd: 'report' }` it sends the arrival times and its own CPU, then exits.
 */
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ScopePatch, ServerToClientEvents } from '@commandhall/shared';
import type { ClientsCommand, ClientsConfig, ClientsMessage, CpuFigures } from './lib/protocol.ts';
import { ownCpuMs } from './lib/stats.ts';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const LIVE_NAMESPACE = '/live';

const send = (m: ClientsMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));

const cfg = JSON.parse(process.argv[2] ?? '{}') as ClientsConfig;
const sockets: LiveSocket[] = [];
/** marker id → arrival time per client index (NaN: not seen). */
const arrivals = new Map<string, Float64Array>();
const seq: number[] = [];
let patches = 0;
let gaps = 0;
let disconnects = 0;
let patchBytes = 0;
let sampledPatches = 0;
/** When client 0 received each patch: the tick's regularity as a client sees it. */
const patchTimes: number[] = [];

function onPatch(i: number, p: ScopePatch): void {
  const now = Date.now();
  patches++;
  if (i === 0) {
    // the size of what each client receives, sampled on one client
    patchBytes += Buffer.byteLength(JSON.stringify(p));
    sampledPatches++;
    patchTimes.push(now);
  }
  if (seq[i] !== undefined && p.seq !== seq[i] + 1) gaps++;
  seq[i] = p.seq;
  const recent = p.changes.recent;
  if (!recent) return;
  for (const item of recent) {
    if (!item.id.startsWith(cfg.markerPrefix)) continue;
    let a = arrivals.get(item.id);
    if (!a) arrivals.set(item.id, (a = new Float64Array(cfg.clients).fill(NaN)));
    if (Number.isNaN(a[i])) a[i] = now;
  }
}

function watch(i: number, s: LiveSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    s.emit('scope:watch', { scope: cfg.scope }, (res) => {
      if ('error' in res) return reject(new Error(`client ${i}: cannot watch ${cfg.scope}: ${res.error.message}`));
      seq[i] = res.data.seq;
      resolve();
    });
  });
}

function connect(i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s: LiveSocket = io(cfg.url + LIVE_NAMESPACE, { transports: ['websocket'], reconnection: true, timeout: cfg.connectTimeoutMs });
    sockets[i] = s;
    let first = true;
    s.on('metrics:patch', (p) => onPatch(i, p));
    s.on('disconnect', () => disconnects++);
    s.on('connect', () => {
      if (s.recovered && !first) return;
      const wasFirst = first;
      first = false;
      watch(i, s).then(() => wasFirst && resolve(), reject);
    });
    s.on('connect_error', (e) => {
      if (first) reject(new Error(`client ${i}: ${e.message}`));
    });
  });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  let failed = 0;
  for (let i = 0; i < cfg.clients; i += cfg.wave) {
    const wave = [];
    for (let j = i; j < Math.min(cfg.clients, i + cfg.wave); j++) wave.push(connect(j));
    const results = await Promise.allSettled(wave);
    for (const r of results) if (r.status === 'rejected') failed++;
  }
  if (failed > 0 && failed === cfg.clients) throw new Error(`no client could connect to ${cfg.url}${LIVE_NAMESPACE}`);
  const connectMs = performance.now() - t0;
  const cpu0 = ownCpuMs();
  const w0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  await send({ type: 'ready', connected: cfg.clients - failed, connectMs, failed });

  process.on('message', async (m: ClientsCommand) => {
    if (m.cmd !== 'report') return;
    const cpu: CpuFigures = {
      cpuMs: ownCpuMs() - cpu0,
      wallMs: performance.now() - w0,
      elu: performance.eventLoopUtilization(elu0).utilization,
    };
    const out: Record<string, (number | null)[]> = {};
    for (const [id, a] of arrivals) out[id] = Array.from(a, (x) => (Number.isNaN(x) ? null : x));
    await send({
      type: 'report',
      arrivals: out,
      patches,
      gaps,
      disconnects,
      patchBytes: sampledPatches ? patchBytes / sampledPatches : 0,
      patchTimes,
      cpu,
    });
    for (const s of sockets) s?.disconnect();
    process.disconnect?.();
    setTimeout(() => process.exit(0), 200).unref();
  });
}

main().catch(async (e: Error) => {
  await send({ type: 'error', message: e.stack ?? String(e) });
  for (const s of sockets) s?.disconnect();
  process.exit(1);
});
