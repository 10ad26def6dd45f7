/**
 * Batches taken while earlier ones are still being written (the embedded log's writer thread):
 * each is judged against the batches before it, duplicates across them are stored once, and a
 * batch that cannot be written takes the batches decided over it down with it, leaving nothing
 * behind in the log or the figures. On PostgreSQL (server-pg) the same batches go one at a time,
 * and the same answers must come out.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { IngestResponse } from '@commandhall/shared';
import { appealCreated, appealMoved, get, makeApp, post, tempDir, testClock } from './helpers.ts';

const producer = { id: 'test' };
const statuses = (r: IngestResponse) => r.results.map((x) => x.status);

describe('batches in flight together', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  const clock = testClock();

  beforeEach(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  });
  afterEach(async () => {
    await app.close();
    tmp.remove();
  });

  it('each batch is judged against the ones sent before it, still being written', async () => {
    const t = clock.now() - 60_000;
    // batch k creates AP-k and moves AP-(k-1), which only batch k-1 created: all handed over at once
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        app.ingest.ingest(
          [appealCreated(t + k, { appealId: `AP-P${k}` }), ...(k ? [appealMoved(t + k, `AP-P${k - 1}`, 'verified')] : [])],
          producer,
        ),
      ),
    );
    for (const a of answers) expect(statuses(a).every((s) => s === 'accepted')).toBe(true);
    const m = (await get(app, '/api/v1/metrics/district:440310')).json().metrics;
    expect(m['appeals.today']).toBe(12);
    expect(m['appeals.byStatus']).toMatchObject({ collected: 1, verified: 11 });
    // the log holds them in the order they were taken
    const ids: string[] = [];
    await app.store.replay(0, (b) => void ids.push(...b.map((e) => e.event.id)));
    expect(ids.filter((id) => id.endsWith('.created'))).toEqual(Array.from({ length: 12 }, (_, k) => `AP-P${k}.created`));
    // and the appeals read model has every step, as the engine does
    const page = (await get(app, '/api/v1/appeals?scope=district:440310&status=verified&limit=50')).json();
    expect(page.items).toHaveLength(11);
  });

  it('the same event in batches sent together is stored once; the first to be taken has it', async () => {
    const e = appealCreated(clock.now(), { appealId: 'AP-same' });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, k) => post(app, [appealCreated(clock.now(), { appealId: `AP-own-${k}` }), e]).then((r) => r.json())),
    );
    const forSame = answers.map((a: IngestResponse) => a.results[1].status);
    expect(forSame.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(forSame.filter((s) => s === 'duplicate')).toHaveLength(5);
    expect(await app.store.count()).toBe(7);
    const m = (await get(app, '/api/v1/metrics/district:440310')).json().metrics;
    expect(m['appeals.today']).toBe(7);
  });

  it.skipIf(process.env.TEST_STORE === 'postgres')(
    'a batch that cannot be written fails with the batches decided over it; nothing of them counts; sent again they land',
    async () => {
      // the disk refuses one event's row, as a full disk would (another connection's trigger)
      const db = new Database(join(tmp.dir, 'events.sqlite'));
      db.exec(`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.id = 'AP-X.created' BEGIN SELECT RAISE(ABORT, 'disk is full'); END`);
      const t = clock.now() - 60_000;
      const before = (await get(app, '/api/v1/metrics/district:440310')).json().metrics;
      const first = [appealCreated(t, { appealId: 'AP-W' }), appealCreated(t, { appealId: 'AP-X' })];
      const second = [appealMoved(t + 1, 'AP-X', 'verified'), appealCreated(t + 1, { appealId: 'AP-Y' })];
      // handed over back to back: the second is decided while the first is being written
      const outcome = (p: Promise<IngestResponse>) => p.then(statuses, (err: Error) => err.message);
      const [a, b] = await Promise.all([outcome(app.ingest.ingest(first, producer)), outcome(app.ingest.ingest(second, producer))]);
      expect(a).toMatch(/disk is full/);
      expect(b).toMatch(/decided after batch \d+, which could not be stored/);
      expect(await app.store.count()).toBe(0);
      expect((await get(app, '/api/v1/metrics/district:440310')).json().metrics).toEqual(before);
      expect(app.engine.appeals.has('AP-W')).toBe(false);

      db.exec('DROP TRIGGER boom');
      db.close();
      expect(statuses(await app.ingest.ingest(first, producer))).toEqual(['accepted', 'accepted']);
      expect(statuses(await app.ingest.ingest(second, producer))).toEqual(['accepted', 'accepted']);
      const m = (await get(app, '/api/v1/metrics/district:440310')).json().metrics;
      expect(m['appeals.today']).toBe(3);
      expect(m['appeals.byStatus']).toMatchObject({ collected: 2, verified: 1 });
    },
  );
});
