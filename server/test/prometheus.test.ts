/**
 * /metrics for the hall's Prometheus: what ingest took and how long it took, how far behind the
 * projections are, live watchers per scope and the tick's duration, in the text exposition format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@commandhall/shared';
import { KENGZI, LIULIAN, appealCreated, credsOf, makeApp, post, tempDir } from './helpers.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  let app: FastifyInstance;
  let url: string;
  const tmp = tempDir();
  const clients: Client[] = [];
  const scrape = async () => {
    const r = await app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return r.body;
  };

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app.close();
    tmp.remove();
  });

  it('counts what ingest took by outcome and type, and times each batch', async () => {
    const before = await scrape();
    expect(sample(before, 'commandhall_ingest_batch_seconds_count')).toBe(0);
    const a = appealCreated(Date.now() - 60_000, { where: LIULIAN });
    const b = appealCreated(Date.now() - 50_000, { where: KENGZI });
    const bad = { ...appealCreated(Date.now() - 40_000), occurredAt: '2026-12-31T23:59:60Z' };
    expect((await post(app, [a, b, bad])).json()).toMatchObject({ accepted: 2, rejected: 1 });
    expect((await post(app, [a])).json()).toMatchObject({ duplicate: 1 });

    const text = await scrape();
    expect(sample(text, 'commandhall_ingest_events_total{outcome="accepted"}')).toBe(2);
    expect(sample(text, 'commandhall_ingest_events_total{outcome="rejected"}')).toBe(1);
    expect(sample(text, 'commandhall_ingest_events_total{outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'commandhall_ingest_stored_events_total{type="appeal.created"}')).toBe(2);
    expect(sample(text, 'commandhall_ingest_batch_seconds_count')).toBe(2);
    expect(sample(text, 'commandhall_ingest_batch_seconds_sum')).toBeGreaterThan(0);
    // every projection has folded what the log holds
    expect(sample(text, 'commandhall_event_log_head')).toBe(2);
    expect(sample(text, 'commandhall_projection_lag_events{projection="engine"}')).toBe(0);
    expect(sample(text, 'commandhall_projection_lag_events{projection="appeals"}')).toBe(0);
    expect(sample(text, 'commandhall_quarantined_events')).toBe(0);
    expect(sample(text, 'commandhall_leader')).toBe(1); // one node: it leads
    // the process's own figures, heap among them
    expect(sample(text, 'commandhall_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('shows sockets watching each scope, and times the live tick', async () => {
    const c: Client = io(`${url}/live`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: credsOf(app).cookie },
    });
    clients.push(c);
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    });
    await c.timeout(5000).emitWithAck('scope:watch', { scope: 'street:440310005' });
    const ticksBefore = sample(await scrape(), 'commandhall_live_tick_seconds_count') ?? 0;
    app.live.tick();

    const text = await scrape();
    expect(sample(text, 'commandhall_live_sockets')).toBe(1);
    expect(sample(text, 'commandhall_live_watchers{scope="street:440310005"}')).toBe(1);
    expect(sample(text, 'commandhall_live_watchers{scope="district:440310"}')).toBeUndefined();
    expect(sample(text, 'commandhall_live_tick_seconds_count')).toBeGreaterThan(ticksBefore);
  });
});
