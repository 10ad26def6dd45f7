/**
 * The load generator, in its own process (started by run.ts; settings as one JSON argument, results
 * over IPC). Two modes:
 *
 * - throughput: `concurrency` requests in flight over keep-alive HTTP, each a batch of `batchSize`
 *   mixed events, for `seconds` after a warm-up; every response must accept every event. With
 *   several `urls` (nodes sharing one log) the batches go to each in turn.
 * - latency: background batches at `backgroundRate` events/s plus one marker appeal every
 *   `markerIntervalMs` in its own request; reports when each marker was sent and acknowledged.
 *   Background events are ones the live ticker does not list (grid inspections that found nothing),
 *   with a trickle of ticker events, so that markers are not pushed off the capped `recent` list.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { IngestResponse } from '@commandhall/shared';
import { EventFactory, loadCommunities, loadTaxonomy, rng, type MixOptions } from './lib/events.ts';
import type { CpuFigures, GeneratorConfig, GeneratorMessage, LatencyConfig, MarkerSent, ThroughputConfig } from './lib/protocol.ts';
import { ownCpuMs } from './lib/stats.ts';

/** Sends a message to run.ts; resolves once it has been handed to the IPC channel. */
const send = (m: GeneratorMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Posted {
  status: number;
  body: string;
  ms: number;
}

function post(agent: http.Agent, url: URL, apiKey: string, body: string): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: '/api/v1/events',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': apiKey },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Null when the server accepted all `n` events, else what went wrong. */
function problem(r: Posted, n: number): string | null {
  let res: IngestResponse;
  try {
    res = JSON.parse(r.body) as IngestResponse;
  } catch {
    return `HTTP ${r.status}: ${r.body.slice(0, 300)}`;
  }
  if (r.status === 200 && res.accepted === n) return null;
  if (typeof res.accepted !== 'number') return `HTTP ${r.status}: ${r.body.slice(0, 300)}`;
  const bad = (res.results ?? []).filter((x) => x.status !== 'accepted').slice(0, 3);
  return `HTTP ${r.status}: ${res.accepted}/${n} accepted, ${res.duplicate} duplicate, ${res.rejected} rejected${bad.length ? ': ' + bad.map((b) => `${b.id} ${b.status} (${b.reason ?? ''})`).join('; ') : ''}`;
}

/** Too many refused requests: the figures would mean nothing. Reports and exits. */
async function giveUp(failures: string[]): Promise<never> {
  await send({ type: 'error', message: `the server refused the load:\n  ${[...new Set(failures)].slice(0, 5).join('\n  ')}` });
  process.exit(1);
}

function cpuWindow() {
  const cpu0 = ownCpuMs();
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  return (): CpuFigures => ({
    cpuMs: ownCpuMs() - cpu0,
    wallMs: performance.now() - t0,
    elu: performance.eventLoopUtilization(elu0).utilization,
  });
}

async function throughput(cfg: ThroughputConfig): Promise<void> {
  if (!cfg.urls?.length) throw new Error('throughput: no server URL');
  const targets = cfg.urls.map((u) => ({ url: new URL(u), agent: new http.Agent({ keepAlive: true, maxSockets: cfg.concurrency }) }));
  let turn = 0;
  const r = rng(0x5eed ^ cfg.batchSize);
  const factory = new EventFactory(cfg.prefix, loadCommunities(cfg.geojson, r), await loadTaxonomy(), r);

  const warmEnd = Date.now() + cfg.warmupSeconds * 1000;
  let end = Infinity;
  let measuring = false;
  let cpu: (() => CpuFigures) | null = null;
  let t0 = 0;
  let lastAt = 0;
  let batches = 0;
  let events = 0;
  let totalEvents = 0;
  const eventsPerUrl = cfg.urls.map(() => 0);
  let bytesSent = 0;
  const latencies: number[] = [];
  const failures: string[] = [];

  const open = () => {
    measuring = true;
    end = Date.now() + cfg.seconds * 1000;
    t0 = performance.now();
    cpu = cpuWindow();
    void send({ type: 'window', edge: 'start', at: Date.now() });
  };

  const worker = async () => {
    for (;;) {
      if (!measuring && Date.now() >= warmEnd) open();
      if (Date.now() >= end || failures.length >= 5) return;
      const { events: batch, touched } = factory.batch(cfg.batchSize);
      const body = JSON.stringify({ events: batch });
      const k = turn++ % targets.length;
      let res: Posted;
      try {
        res = await post(targets[k].agent, targets[k].url, cfg.apiKey, body);
      } catch (e) {
        failures.push(`request failed: ${(e as Error).message}`);
        continue;
      }
      const p = problem(res, batch.length);
      if (p) {
        failures.push(p);
        continue;
      }
      factory.acked(touched);
      totalEvents += batch.length;
      // counted by completion: a batch answered inside the window counts, wherever it started
      if (measuring) {
        batches++;
        events += batch.length;
        eventsPerUrl[k] += batch.length;
        bytesSent += body.length;
        latencies.push(res.ms);
        lastAt = performance.now();
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
  if (failures.length >= 5) return giveUp(failures);
  const cpuFig = cpu ? (cpu as () => CpuFigures)() : { cpuMs: 0, wallMs: 0, elu: 0 };
  void send({ type: 'window', edge: 'end', at: Date.now() });
  for (const t of targets) t.agent.destroy();
  await send({
    type: 'throughput-result',
    batchSize: cfg.batchSize,
    concurrency: cfg.concurrency,
    batches,
    events,
    eventsPerUrl,
    totalEvents,
    wallMs: lastAt - t0,
    latenciesMs: latencies,
    failures,
    cpu: cpuFig,
    bytesSent,
  });
}

/** Background mix for the latency run: mostly events the ticker does not list. */
const BACKGROUND: MixOptions = {
  created: 0.004,
  transitioned: 0,
  alert: 0.001,
  inspection: 0.995,
  inspectionIssues: 0,
  withoutCommunityCode: 0.2,
};

async function latency(cfg: LatencyConfig): Promise<void> {
  const url = new URL(cfg.url);
  const bgAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const markAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const r = rng(0x1a7e);
  const factory = new EventFactory(cfg.prefix, loadCommunities(cfg.geojson, r), await loadTaxonomy(), r);
  const failures: string[] = [];
  const markers: MarkerSent[] = [];
  const perBatch = Math.max(1, Math.round((cfg.backgroundRate * cfg.backgroundIntervalMs) / 1000));
  let bgEvents = 0;
  let bgBatches = 0;
  let bgSkipped = 0;
  let bgInFlight = 0;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    p.finally(() => pending.delete(p));
  };

  const background = () => {
    if (cfg.backgroundRate <= 0) return;
    if (bgInFlight >= 2) {
      bgSkipped++; // the server is behind: do not pile up requests
      return;
    }
    const { events } = factory.batch(perBatch, BACKGROUND);
    bgInFlight++;
    track(
      post(bgAgent, url, cfg.apiKey, JSON.stringify({ events }))
        .then((res) => {
          const p = problem(res, events.length);
          if (p) failures.push(`background: ${p}`);
          else {
            bgEvents += events.length;
            bgBatches++;
          }
        })
        .catch((e: Error) => failures.push(`background request failed: ${e.message}`))
        .finally(() => bgInFlight--),
    );
  };

  let markerN = 0;
  const marker = () => {
    const id = `${cfg.prefix}M${(++markerN).toString().padStart(4, '0')}`;
    const event = factory.appealCreated(id);
    const body = JSON.stringify({ events: [event] });
    const m: MarkerSent = { id, sentAt: Date.now(), ackAt: NaN, ok: false };
    markers.push(m);
    track(
      post(markAgent, url, cfg.apiKey, body)
        .then((res) => {
          m.ackAt = Date.now();
          const p = problem(res, 1);
          if (p) failures.push(`marker ${id}: ${p}`);
          else m.ok = true;
        })
        .catch((e: Error) => failures.push(`marker ${id} request failed: ${e.message}`)),
    );
  };

  const bgTimer = setInterval(() => {
    if (failures.length >= 5) void giveUp(failures);
    background();
  }, cfg.backgroundIntervalMs);
  background();
  await sleep(cfg.warmupSeconds * 1000);
  // measured window: background continues, markers start
  const cpu = cpuWindow();
  const t0 = performance.now();
  void send({ type: 'window', edge: 'start', at: Date.now() });
  const bgEvents0 = bgEvents;
  const bgBatches0 = bgBatches;
  const bgSkipped0 = bgSkipped;
  marker();
  const markTimer = setInterval(marker, cfg.markerIntervalMs);
  await sleep(cfg.seconds * 1000);
  clearInterval(markTimer);
  clearInterval(bgTimer);
  await Promise.allSettled([...pending]);
  const wallMs = performance.now() - t0;
  const cpuFig = cpu();
  void send({ type: 'window', edge: 'end', at: Date.now() });
  bgAgent.destroy();
  markAgent.destroy();
  await send({
    type: 'latency-result',
    markers,
    backgroundEvents: bgEvents - bgEvents0,
    backgroundBatches: bgBatches - bgBatches0,
    backgroundSkipped: bgSkipped - bgSkipped0,
    totalEvents: bgEvents + markers.filter((m) => m.ok).length,
    wallMs,
    failures,
    cpu: cpuFig,
  });
}

try {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as GeneratorConfig;
  if (cfg.mode === 'throughput') await throughput(cfg);
  else if (cfg.mode === 'latency') await latency(cfg);
  else throw new Error(`unknown mode ${JSON.stringify((cfg as { mode?: unknown }).mode)}`);
} catch (e) {
  await send({ type: 'error', message: (e as Error).stack ?? String(e) });
  process.exitCode = 1;
}
// let the IPC messages flush, then leave
process.disconnect?.();
