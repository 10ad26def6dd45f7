/**
 * The live-channel clients, in their own process (started by run.ts; settings as one JSON argument,
 * results over IPC). Opens `clients` websocket connections to `/live` in waves, each watching one
 * scope; reports `ready` once every one has its snapshot. Each client then holds its figures as a
 * screen does: every patch applied to its snapshot in sequence (shared's `applyPatchTo`), a fresh
 * snapshot after a gap or a patch that does not fit. It notes the first time each client saw each
 * marker event (ids starting with `markerPrefix`) arrive on its ticker (`recent`). On
 * `{ cmd: 'mark' }` it sends its counters (bytes received on the wire, messages, CPU); on
 * `{ cmd: 'report' }` the arrival times and its own CPU, then exits.
 */
import type { Socket as NetSocket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import {
  applyPatchTo,
  EditMismatch,
  type ClientToServerEvents,
  type ScopeMetrics,
  type ScopePatch,
  type ServerToClientEvents,
} from '@commandhall/shared';
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
/** What each client shows (null while its snapshot is on its way). */
const shown: (ScopeMetrics | null)[] = [];
let patches = 0;
let gaps = 0;
let mismatches = 0;
let disconnects = 0;
let patchBytes = 0;
let sampledPatches = 0;
let messages = 0;
/** Client 0's payload bytes by event, and by figure for patches. */
const bytesByKind: Record<string, number> = {};
/** When client 0 received each patch: the tick's regularity as a client sees it. */
const patchTimes: number[] = [];
/** Bytes read by the TCP sockets of connections already closed (a reconnect opens a new one). */
let closedBytes = 0;

/** The TCP socket under a client's websocket (engine.io-client's transport, on `ws`). */
function netSocket(s: LiveSocket): NetSocket | undefined {
  return (s.io.engine as unknown as { transport?: { ws?: { _socket?: NetSocket } } } | undefined)?.transport?.ws?._socket;
}

function wireBytes(): number {
  let n = closedBytes;
  for (const s of sockets) n += netSocket(s)?.bytesRead ?? 0;
  return n;
}

const count = (kind: string, v: unknown) => (bytesByKind[kind] = (bytesByKind[kind] ?? 0) + (JSON.stringify(v)?.length ?? 0));

/** The ticker items a patch brings: the whole list, or the items its edit adds. */
function newTickerItems(p: ScopePatch): { id: string }[] {
  if (p.changes.recent) return p.changes.recent;
  const edit = p.edits?.recent;
  if (!edit || !('list' in edit)) return [];
  return edit.list.flatMap((part) => (Array.isArray(part) ? [] : (part.add as { id: string }[])));
}

function onPatch(i: number, p: ScopePatch): void {
  const now = Date.now();
  patches++;
  if (i === 0) {
    // the size of what each client receives, sampled on one client
    patchBytes += Buffer.byteLength(JSON.stringify(p));
    sampledPatches++;
    patchTimes.push(now);
    for (const [k, v] of Object.entries(p.changes)) count(`patch: ${k}`, v);
    for (const [k, v] of Object.entries(p.edits ?? {})) count(`patch: ${k}`, v);
  }
  const cur = shown[i];
  if (!cur || p.seq <= seq[i]) return; // a snapshot on its way, or already in it
  if (p.seq !== seq[i] + 1) {
    gaps++;
    shown[i] = null;
    void watch(i, sockets[i]);
    return;
  }
  try {
    shown[i] = applyPatchTo(cur, p);
  } catch (e) {
    if (!(e instanceof EditMismatch)) throw e;
    mismatches++;
    shown[i] = null;
    void watch(i, sockets[i]);
    return;
  }
  seq[i] = p.seq;
  for (const item of newTickerItems(p)) {
    if (!item.id.startsWith(cfg.markerPrefix)) continue;
    let a = arrivals.get(item.id);
    if (!a) arrivals.set(item.id, (a = new Float64Array(cfg.clients).fill(NaN)));
    if (Number.isNaN(a[i])) a[i] = now;
  }
}

function watch(i: number, s: LiveSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    // a callback, not a promise: the snapshot is in place before the next packet is read
    s.emit('scope:watch', { scope: cfg.scope }, (res) => {
      if ('error' in res) return reject(new Error(`client ${i}: cannot watch ${cfg.scope}: ${res.error.message}`));
      seq[i] = res.data.seq;
      shown[i] = res.data.metrics;
      resolve();
    });
  });
}

function connect(i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s: LiveSocket = io(cfg.url + LIVE_NAMESPACE, {
      transports: ['websocket'],
      reconnection: true,
      timeout: cfg.connectTimeoutMs,
      ...(cfg.deflate ? {} : { perMessageDeflate: false }),
    } as Parameters<typeof io>[1]);
    sockets[i] = s;
    let first = true;
    s.on('metrics:patch', (p) => onPatch(i, p));
    s.onAny((event: string, ...args: unknown[]) => {
      messages++;
      if (i === 0 && event !== 'metrics:patch') count(event, args);
    });
    s.on('disconnect', () => {
      disconnects++;
      closedBytes += netSocket(s)?.bytesRead ?? 0;
    });
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
    if (m.cmd === 'mark') {
      await send({ type: 'mark', at: Date.now(), bytes: wireBytes(), cpuMs: ownCpuMs(), messages, bytesByKind: { ...bytesByKind } });
      return;
    }
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
      mismatches,
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
