/**
 * The read model is a projection with a checkpoint: after a restart, a lost tail, a lost file or a
 * failed write it reaches exactly the records it would have had, and never counts an event twice.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { get, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { DistrictSimulator } from '../../src/simulator/district-simulator.ts';
import { SqliteAppealReadModel } from '../../src/modules/appeals/sqlite-appeal-read-model.ts';
import { extension, moved, toStatus } from './fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const QUERIES = [
  '',
  'sort=deadline&order=asc',
  'sort=status',
  'overdue=true',
  'extension=pending',
  'status=handling,resolved',
  'reporterKind=enterprise',
];

/** Every page of a few list queries and the detail of some appeals, as the API answers them. */
async function snapshot(app: FastifyInstance) {
  const lists: Record<string, unknown[]> = {};
  for (const q of QUERIES) {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(app, `/api/v1/appeals?limit=200&${q}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      items.push(...res.json().items);
      cursor = res.json().nextCursor;
    } while (cursor);
    lists[q] = items;
  }
  const ids = (lists[''] as { id: string }[]).filter((_, i) => i % 37 === 0).map((a) => a.id);
  const details = await Promise.all(ids.map(async (id) => (await get(app, `/api/v1/appeals/${id}`)).json()));
  return { lists, details, checkpoint: await app.appealReadModel.checkpoint() };
}

const readModelFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('appeals.sqlite'));
function copyReadModel(from: string, to: string) {
  for (const f of readModelFiles(to)) rmSync(join(to, f));
  for (const f of readModelFiles(from)) cpSync(join(from, f), join(to, f));
}

describe('appeals read model across restarts', () => {
  let tmp: ReturnType<typeof tempDir>;
  let saved: ReturnType<typeof tempDir>;
  const clock = testClock(Date.parse('2026-11-27T06:00:00Z'));
  let app: FastifyInstance;
  const start = async () => (app = await makeApp({ dataDir: tmp.dir, now: clock.now }));

  /** A busy history: simulated days, then reworks, reopenings and extensions. */
  async function history() {
    const send = async (events: unknown[]) => (await post(app, events)).json();
    const sim = new DistrictSimulator(app.geo, { appealsPerDay: 300, speed: 1, seed: 11, utcOffsetMinutes: 480, now: clock.now }, send);
    await sim.backfill(2);
    await sim.stop();
  }
  async function more(tag: string) {
    const t = clock.now() - 5 * HOUR;
    const res = await post(app, [
      ...toStatus(t, `${tag}-1`, 'closed'),
      moved(t + HOUR, `${tag}-1`, 'handling', { note: 'reopened' }),
      ...toStatus(t, `${tag}-2`, 'resolved'),
      moved(t + HOUR, `${tag}-2`, 'handling', { note: 'rework' }),
      moved(t + 2 * HOUR, `${tag}-2`, 'resolved'),
      moved(t + 3 * HOUR, `${tag}-2`, 'handling', { note: 'rework again' }),
      ...toStatus(t, `${tag}-3`, 'handling'),
      extension(t + HOUR, `${tag}-3`, 'requested', { until: new Date(t + 40 * DAY).toISOString(), reason: 'wait' }),
      extension(t + 2 * HOUR, `${tag}-3`, 'approved'),
      ...toStatus(t, `${tag}-4`, 'dispatched'),
      extension(t + HOUR, `${tag}-4`, 'requested', { until: new Date(t + 40 * DAY).toISOString(), reason: 'wait' }),
    ]);
    expect(res.statusCode, res.body).toBe(200);
  }

  beforeEach(() => {
    tmp = tempDir();
    saved = tempDir();
  });
  afterEach(async () => {
    await app?.close();
    tmp.remove();
    saved.remove();
  });

  it('answers the same after closing and reopening', async () => {
    await start();
    await history();
    await more('A');
    const before = await snapshot(app);
    expect((before.lists[''] as unknown[]).length).toBeGreaterThan(500);
    expect((before.lists['extension=pending'] as unknown[]).length).toBeGreaterThan(0);
    await app.close();
    await start();
    expect(await snapshot(app)).toEqual(before);
  });

  it('catches up a lost tail from its checkpoint without counting anything twice', async () => {
    await start();
    await history();
    await app.close();
    copyReadModel(tmp.dir, saved.dir); // the read model as it was here: the tail below is "lost"
    await start();
    await more('B');
    const before = await snapshot(app);
    expect((await app.appealReadModel.get('B-2'))!.reworks).toBe(2);
    await app.close();

    copyReadModel(saved.dir, tmp.dir);
    const stale = new SqliteAppealReadModel(tmp.dir);
    expect(await stale.get('B-1')).toBeUndefined();
    expect(await stale.checkpoint()).toBeLessThan(before.checkpoint);
    await stale.close();
    await start();
    expect(await snapshot(app)).toEqual(before);
    expect((await app.appealReadModel.get('B-2'))!.reworks).toBe(2);
    expect((await app.appealReadModel.get('B-1'))!.reopens).toBe(1);
    expect((await app.appealReadModel.timeline('B-2')).length).toBe(8);
  });

  // copies a data folder to make a longer log: with the log in PostgreSQL the folder does not hold it
  it.skipIf(process.env.TEST_STORE === 'postgres')(
    'rebuilds a lost read model from the log, and one that is ahead of the log (another data folder)',
    async () => {
      await start();
      await history();
      await more('C');
      const before = await snapshot(app);
      await app.close();
      for (const f of readModelFiles(tmp.dir)) rmSync(join(tmp.dir, f));
      await start();
      expect(await snapshot(app)).toEqual(before);
      await app.close();

      // a read model built from a longer log: everything it knows beyond this log must go
      const other = tempDir();
      cpSync(tmp.dir, other.dir, { recursive: true });
      app = await makeApp({ dataDir: other.dir, now: clock.now });
      await more('X');
      await app.close();
      copyReadModel(other.dir, tmp.dir);
      other.remove();
      await start();
      expect(await app.appealReadModel.get('X-1')).toBeUndefined();
      expect(await snapshot(app)).toEqual(before);
    },
  );

  // rewrites the SQLite file by hand (PostgreSQL's schema moves by numbered migrations)
  it.skipIf(process.env.TEST_STORE === 'postgres')(
    'rebuilds a read model of an older schema from the log: enterprise appeals written before the reporter kind was kept',
    async () => {
      await start();
      await history();
      await post(app, toStatus(clock.now() - HOUR, 'ENT-1', 'handling', { reporterKind: 'enterprise' }));
      const before = await snapshot(app);
      const enterprise = before.lists['reporterKind=enterprise'] as { id: string; reporterKind: string }[];
      expect(enterprise.length).toBeGreaterThan(1); // the simulator's and ENT-1
      expect(enterprise.every((a) => a.reporterKind === 'enterprise')).toBe(true);
      expect(enterprise.map((a) => a.id)).toContain('ENT-1');
      await app.close();

      // the file as schema 1 left it: no reporter_kind at all
      const db = new Database(join(tmp.dir, 'appeals.sqlite'));
      db.exec(`DROP INDEX appeals_filter; DROP INDEX appeals_community_enterprise; ALTER TABLE appeals DROP COLUMN reporter_kind;
             UPDATE meta SET value = '1' WHERE key = 'schema'`);
      db.close();
      await start();
      expect(await snapshot(app)).toEqual(before);
      expect((await app.appealReadModel.get('ENT-1'))!.reporterKind).toBe('enterprise');
    },
  );

  it('a failed write never fails ingest: the read model catches up before the next batch', async () => {
    await start();
    const t = clock.now() - HOUR;
    const apply = vi.spyOn(app.appealReadModel, 'apply').mockRejectedValueOnce(new Error('disk full'));
    const first = await post(app, toStatus(t, 'F1', 'verified'));
    expect(first.statusCode).toBe(200); // durable in the log: the producer's part is done
    expect(await app.appealReadModel.get('F1')).toBeUndefined();
    const second = await post(app, [moved(t + HOUR / 2, 'F1', 'dispatched', { unit: '街道办' })]);
    expect(second.statusCode).toBe(200);
    expect(await app.appealReadModel.get('F1')).toMatchObject({ status: 'dispatched', unit: '街道办', verifiedAt: t + 60_000 });
    expect(await app.appealReadModel.timeline('F1')).toHaveLength(3);
    expect(apply).toHaveBeenCalledTimes(3); // failed, caught up, the new batch
    // embedded, the read model is a file of the data folder (in PostgreSQL it is a table)
    if (process.env.TEST_STORE !== 'postgres') expect(existsSync(join(tmp.dir, 'appeals.sqlite'))).toBe(true);
  });
});
