/**
 * Two nodes on one PostgreSQL event log (the scale-out mode, DATABASE_URL), as a user meets them:
 * what is sent to one is read and watched live on the other, conflicting steps sent to both at
 * the same moment are accepted once, and neither node takes an event twice. Needs PostgreSQL;
 * skipped, saying why, where it is absent.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ScopePatch, ScopeSnapshot, ServerToClientEvents } from '@commandhall/shared';
import { appealCreated, appealMoved, credsOf, get, makeApp, post, tempDir, KENGZI } from '../helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';
import { addCamera, producerKey } from '../cameras/helpers.ts';

const JPEG = readFileSync(new URL('../snapshots/fixtures/camera.jpg', import.meta.url));

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const missing = await postgresMissing();
if (missing) saySkipped('two nodes on one PostgreSQL log', missing);

/** Polls until `ok` holds (another node folds within its follow interval) or fails after `ms`. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(missing)('two nodes on one PostgreSQL event log', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  let bUrl: string;
  let drop: () => Promise<void>;
  const dirs = [tempDir(), tempDir()];
  const clients: Client[] = [];

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    a = await makeApp({ dataDir: dirs[0].dir, env: { DATABASE_URL: db.url } });
    b = await makeApp({ dataDir: dirs[1].dir, env: { DATABASE_URL: db.url } });
    bUrl = await b.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await a?.close();
    await b?.close();
    await drop?.();
    for (const d of dirs) d.remove();
  });

  const appealOn = async (app: FastifyInstance, id: string) => {
    const res = await get(app, `/api/v1/appeals/${id}`);
    return res.statusCode === 200 ? (res.json() as { appeal: { status: string } }).appeal : null;
  };

  it('an appeal sent to A is in B’s list and detail, and in a patch on a socket of B', async () => {
    const s: Client = io(`${bUrl}/live`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: credsOf(b).cookie } });
    clients.push(s);
    await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
    const scope = `community:${KENGZI.code}`;
    const snap = (await s.timeout(5000).emitWithAck('scope:watch', { scope })) as Ack<ScopeSnapshot>;
    if (!('data' in snap)) throw new Error('watch failed');
    const before = snap.data.metrics['appeals.today'] as number;
    const patch = new Promise<ScopePatch>((resolve) =>
      s.on('metrics:patch', (p) => p.scope === scope && p.changes['appeals.today'] !== undefined && resolve(p)),
    );

    const res = await post(a, [appealCreated(Date.now() - 1000, { appealId: 'AP-2N-1', where: KENGZI })]);
    expect(res.json()).toMatchObject({ accepted: 1 });
    expect((await patch).changes['appeals.today']).toBe(before + 1);
    expect(
      await until(
        () => appealOn(b, 'AP-2N-1'),
        (x) => x !== null,
      ),
    ).toMatchObject({ status: 'collected' });
    const list = (await get(b, `/api/v1/appeals?scope=${scope}`)).json() as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toContain('AP-2N-1');
  });

  it('conflicting steps sent to both nodes at the same moment: exactly one is accepted, the other is told why', async () => {
    const at = Date.now() - 60_000;
    await post(a, [appealCreated(at, { appealId: 'AP-2N-2', where: KENGZI })]);
    await until(
      () => appealOn(b, 'AP-2N-2'),
      (x) => x !== null,
    );
    // two people verify the same appeal on two nodes: only one step can happen (verified → verified cannot)
    const [ra, rb] = await Promise.all([
      post(a, [appealMoved(at + 1000, 'AP-2N-2', 'verified')]),
      post(b, [appealMoved(at + 2000, 'AP-2N-2', 'verified')]),
    ]);
    const results = [ra.json(), rb.json()] as { accepted: number; rejected: number; results: { reason?: string }[] }[];
    expect(results.map((r) => r.accepted).sort()).toEqual([0, 1]);
    const refused = results.find((r) => r.accepted === 0)!;
    expect(refused.rejected).toBe(1);
    expect(refused.results[0].reason).toMatch(/verified/);
    // both nodes end in the same state, with one step in the timeline
    for (const app of [a, b]) {
      expect(
        await until(
          () => appealOn(app, 'AP-2N-2'),
          (x) => x?.status === 'verified',
        ),
      ).toMatchObject({ status: 'verified' });
      const timeline = (await get(app, '/api/v1/appeals/AP-2N-2')).json() as { timeline: { to?: string; status?: string }[] };
      expect(timeline.timeline).toHaveLength(2);
    }
  });

  it('batches through both nodes at once: every event stored and counted once, on both', async () => {
    const base = Date.now() - 120_000;
    const batches = Array.from({ length: 20 }, (_, i) =>
      Array.from({ length: 10 }, (_, k) => appealCreated(base + i * 10 + k, { appealId: `AP-2N-B${i}-${k}`, where: KENGZI })),
    );
    const answers = await Promise.all(batches.map((batch, i) => post(i % 2 ? b : a, batch)));
    expect(answers.map((r) => (r.json() as { accepted: number }).accepted)).toEqual(batches.map(() => 10));
    // the same batch again, to the other node: all duplicates
    const again = await Promise.all(batches.map((batch, i) => post(i % 2 ? a : b, batch)));
    expect(again.map((r) => (r.json() as { duplicate: number }).duplicate)).toEqual(batches.map(() => 10));
    expect(await a.store.count()).toBe(await b.store.count());
    const today = async (app: FastifyInstance) =>
      ((await get(app, `/api/v1/metrics/community:${KENGZI.code}`)).json() as { metrics: Record<string, number> }).metrics;
    const fa = await today(a);
    const fb = await until(
      () => today(b),
      (m) => m['appeals.open'] === fa['appeals.open'],
    );
    expect(fb['appeals.open']).toBe(fa['appeals.open']);
    expect(a.ingest.foldedSeq).toBe(await a.store.lastSeq());
  });
  it('cameras, snapshots and themes saved on A are B’s too', async () => {
    await addCamera(a, { id: 'CAM-2N-1', name: '坑梓路口', location: { lon: KENGZI.lon, lat: KENGZI.lat } });
    // B reads the other nodes' camera changes every two seconds
    expect(
      await until(
        async () => b.cameras.get('CAM-2N-1')?.name,
        (n) => n === '坑梓路口',
      ),
    ).toBe('坑梓路口');
    expect(b.cameras.onlineRate(`community:${KENGZI.code}`).total).toBe(a.cameras.onlineRate(`community:${KENGZI.code}`).total);

    const upload = await a.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      query: { cameraId: 'CAM-2N-1' },
      headers: { authorization: `Bearer ${await producerKey(a, 'video-2n', ['video_alert.raised'])}`, 'content-type': 'image/jpeg' },
      payload: JPEG,
    });
    expect(upload.statusCode).toBe(201);
    const image = await b.inject({ url: upload.json().url, headers: { cookie: credsOf(b).cookie } });
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.equals(JPEG)).toBe(true);

    const { cookie, csrf } = credsOf(a);
    const saved = await a.inject({
      method: 'PUT',
      url: '/api/v1/halls/district:440310/playlist',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { entries: [{ themeId: 'grid', seconds: 120 }] },
    });
    expect(saved.statusCode).toBe(200);
    const onB = (await get(b, '/api/v1/halls/district:440310/playlist')).json() as { entries: { themeId: string }[]; version: number };
    expect(onB).toMatchObject({ entries: [{ themeId: 'grid', seconds: 120 }], version: saved.json().version });
  });
});
