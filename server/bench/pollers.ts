/**
 * Polling clients, in their own process (started by peers.ts; settings as one JSON argument,
 * results over IPC): what dashboards such as GoView, DataEase and Taipei City Dashboard do to keep
 * a screen fresh. Each client GETs `/api/v1/metrics/<scope>` every `intervalMs` over its own
 * keep-alive connection (as its own browser would), from a random phase, and parses the answer; a
 * poll that comes due while the previous one is still waiting is skipped, not piled up. Each notes
 * when a marker event first shows in a response's `recent`. `ready` once every client has had an
 * answer; `{ cmd: 'mark' }` sends the counters (bytes received on the wire, responses, CPU);
 * `{ cmd: 'report' }` the arrival times and response times, then exits.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ClientsCommand, CpuFigures, PollersConfig, PollersMessage } from './lib/protocol.ts';
import { ownCpuMs } from './lib/stats.ts';

const send = (m: PollersMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));

const cfg = JSON.parse(process.argv[2] ?? '{}') as PollersConfig;
const url = new URL(cfg.url);
const path = `/api/v1/metrics/${encodeURIComponent(cfg.scope)}`;
const sockets = new Set<Socket>();
const arrivals = new Map<string, Float64Array>();
const responseMs: number[] = [];
let responses = 0;
let skipped = 0;
let failures = 0;
let lastError = '';
let bodyBytes0 = 0;
let stopping = false;

interface Poller {
  agent: http.Agent;
  busy: boolean;
  answered: boolean;
}

function poll(i: number, p: Poller): Promise<void> {
  if (p.busy) {
    skipped++;
    return Promise.resolve();
  }
  p.busy = true;
  const t0 = performance.now();
  return new Promise<void>((resolve) => {
    const done = () => {
      p.busy = false;
      resolve();
    };
    const req = http.get(
      { agent: p.agent, hostname: url.hostname, port: url.port, path, headers: { accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const now = Date.now();
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            failures++;
            lastError = `HTTP ${res.statusCode}: ${body.slice(0, 200)}`;
            return done();
          }
          responses++;
          if (i === 0) bodyBytes0 += body.length;
          if (p.answered) responseMs.push(performance.now() - t0);
          p.answered = true;
          // a dashboard parses what it fetched, and shows the ticker
          const snap = JSON.parse(body) as { metrics: { recent?: { id: string }[] } };
          for (const item of snap.metrics.recent ?? []) {
            if (!item.id.startsWith(cfg.markerPrefix)) continue;
            let a = arrivals.get(item.id);
            if (!a) arrivals.set(item.id, (a = new Float64Array(cfg.clients).fill(NaN)));
            if (Number.isNaN(a[i])) a[i] = now;
          }
          done();
        });
        res.on('error', () => {
          failures++;
          done();
        });
      },
    );
    req.on('socket', (s: Socket) => sockets.add(s));
    req.on('error', (e) => {
      failures++;
      lastError = e.message;
      done();
    });
  });
}

function wireBytes(): number {
  let n = 0;
  for (const s of sockets) n += s.bytesRead;
  return n;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const pollers: Poller[] = Array.from({ length: cfg.clients }, () => ({
    agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    busy: false,
    answered: false,
  }));
  // everyone's first answer, a few at a time (as walls come up)
  for (let i = 0; i < pollers.length; i += 50) await Promise.all(pollers.slice(i, i + 50).map((p, k) => poll(i + k, p)));
  const ok = pollers.filter((p) => p.answered).length;
  if (ok === 0) throw new Error(`no poller got an answer from ${cfg.url}${path}: ${lastError}`);
  const connectMs = performance.now() - t0;
  const timers: NodeJS.Timeout[] = [];
  pollers.forEach((p, i) => {
    const start = setTimeout(() => {
      if (stopping) return;
      void poll(i, p);
      timers.push(setInterval(() => void poll(i, p), cfg.intervalMs));
    }, Math.random() * cfg.intervalMs);
    timers.push(start);
  });
  const cpu0 = ownCpuMs();
  const w0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  await send({ type: 'ready', connected: ok, connectMs, failed: cfg.clients - ok });

  process.on('message', async (m: ClientsCommand) => {
    if (m.cmd === 'mark') {
      await send({
        type: 'mark',
        at: Date.now(),
        bytes: wireBytes(),
        cpuMs: ownCpuMs(),
        messages: responses,
        bytesByKind: { response: bodyBytes0 },
      });
      return;
    }
    if (m.cmd !== 'report') return;
    stopping = true;
    for (const t of timers) clearTimeout(t);
    const cpu: CpuFigures = {
      cpuMs: ownCpuMs() - cpu0,
      wallMs: performance.now() - w0,
      elu: performance.eventLoopUtilization(elu0).utilization,
    };
    const out: Record<string, (number | null)[]> = {};
    for (const [id, a] of arrivals) out[id] = Array.from(a, (x) => (Number.isNaN(x) ? null : x));
    await send({ type: 'report', arrivals: out, responseMs, skipped, failures, cpu });
    for (const p of pollers) p.agent.destroy();
    process.disconnect?.();
    setTimeout(() => process.exit(0), 200).unref();
  });
}

main().catch(async (e: Error) => {
  await send({ type: 'error', message: e.stack ?? String(e) });
  process.exit(1);
});
