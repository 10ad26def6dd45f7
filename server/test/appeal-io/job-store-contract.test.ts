/**
 * What every job store promises the job service (modules/appeal-io/jobs.ts), checked in memory
 * (embedded) and on PostgreSQL alike: a job seen by its owner only, as its node last saved it;
 * the limit of running jobs per owner and kind; a job whose lease lapsed failed with a reason and
 * no longer its node's; finished jobs forgotten with their files after the keep time; a file read
 * back byte for byte. On PostgreSQL also what several nodes need: another node (a second store on
 * the same database) sees the job and serves its file, the limit holds when nodes race, the
 * sweep takes the chunks with the jobs, and a download cut by a sweep fails instead of passing
 * for a whole file.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JobLimitError,
  lostReason,
  type JobKind,
  type JobStore,
  type JobStoreOptions,
  type NewJob,
} from '../../src/modules/appeal-io/jobs.ts';
import { MemoryJobStore } from '../../src/modules/appeal-io/memory-job-store.ts';
import { CHUNK_BYTES, PostgresJobStore } from '../../src/modules/appeal-io/postgres-job-store.ts';
import { openPool } from '../../src/core/store/open-postgres.ts';
import { tempDir, testClock } from '../helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

const KEEP = 60 * 60_000;
const LEASE = 30_000;

let n = 0;
const job = (over: Partial<NewJob> = {}): NewJob => ({
  id: `job-${++n}`,
  kind: 'export',
  owner: 'user:alice',
  node: 'node-a',
  done: 0,
  total: 100,
  detail: { format: 'csv', fileName: 'appeals.csv' },
  fileBytes: null,
  ...over,
});

async function bytesOf(stream: Readable | null): Promise<Buffer | null> {
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** Writes `data` to a job's file in uneven pieces, as an export's writer does. */
async function writeFile(store: JobStore, id: string, data: Buffer): Promise<number> {
  const out = store.fileWriter(id);
  for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7 + 13) % 200_000) {
    if (!out.write(data.subarray(at, at + step))) await new Promise((r) => out.once('drain', r));
  }
  out.end();
  await finished(out);
  return out.bytesWritten;
}

interface Opened {
  store: JobStore;
  /** Another node on the same data, where the store is shared; null where it is not. */
  another: (() => Promise<JobStore>) | null;
  /** Rows of file bytes still stored (PostgreSQL), to see that removed means removed. */
  chunkRows: (() => Promise<number>) | null;
  close: () => Promise<void>;
}
interface Kind {
  name: string;
  open: (opts: JobStoreOptions) => Promise<Opened>;
}

const memory: Kind = {
  name: 'in memory (embedded)',
  open: async (opts) => {
    const tmp = tempDir();
    const store = new MemoryJobStore(tmp.dir, opts);
    return { store, another: null, chunkRows: null, close: async () => (await store.close(), tmp.remove()) };
  },
};

const missing = await postgresMissing();
if (missing) saySkipped('the job store contract on PostgreSQL', missing);
const databases: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of databases) await drop();
});

const postgres: Kind = {
  name: 'PostgreSQL',
  open: async (opts) => {
    const db = await freshDatabase();
    databases.push(db.drop);
    const pools = [openPool(db.url, 4)];
    const store = await PostgresJobStore.open(pools[0], opts);
    return {
      store,
      another: async () => {
        const pool = openPool(db.url, 4);
        pools.push(pool);
        return PostgresJobStore.open(pool, opts);
      },
      chunkRows: async () => (await pools[0].query<{ n: number }>('SELECT count(*)::int AS n FROM appeal_job_chunks')).rows[0].n,
      close: async () => void (await Promise.all(pools.map((p) => p.end()))),
    };
  },
};

for (const kind of missing ? [memory] : [memory, postgres]) {
  describe(`job store: ${kind.name}`, () => {
    let opened: Opened;
    let store: JobStore;
    const clock = testClock();
    beforeEach(async () => {
      opened = await kind.open({ now: clock.now, keepMs: KEEP, leaseMs: LEASE });
      store = opened.store;
    });
    afterEach(() => opened.close());

    it('shows a job to its owner only, running on its node, as that node last saved it', async () => {
      const j = job({ detail: { fileName: '诉求.csv', rows: { read: 0 } } });
      const created = await store.create(j, 2);
      expect(created).toMatchObject({
        ...j,
        state: 'running',
        createdAt: clock.now(),
        finishedAt: null,
        error: null,
        leaseUntil: clock.now() + LEASE,
      });
      expect(await store.get(j.id, 'user:bob')).toBeNull();
      expect(await store.get('no-such-job', 'user:alice')).toBeNull();
      expect(
        await store.save(j.id, 'node-a', { done: 40, total: 100, detail: { fileName: '诉求.csv', rows: { read: 7 } }, fileBytes: null }),
      ).toBe(true);
      expect(await store.get(j.id, 'user:alice')).toMatchObject({ state: 'running', done: 40, detail: { rows: { read: 7 } } });
      // another node may not save it
      expect(await store.save(j.id, 'node-b', { done: 99, total: 100, detail: {}, fileBytes: null })).toBe(false);
      expect(await store.finish(j.id, 'node-b', { done: 99, total: 100, detail: {}, fileBytes: null, error: null })).toBe(false);
      expect((await store.get(j.id, 'user:alice'))!.done).toBe(40);

      clock.advance(5000);
      expect(
        await store.finish(j.id, 'node-a', { done: 100, total: 100, detail: { fileName: '诉求.csv' }, fileBytes: 12, error: null }),
      ).toBe(true);
      expect(await store.get(j.id, 'user:alice')).toMatchObject({
        state: 'done',
        done: 100,
        fileBytes: 12,
        finishedAt: clock.now(),
        error: null,
      });
      // a finished job takes no more saves
      expect(await store.save(j.id, 'node-a', { done: 1, total: 100, detail: {}, fileBytes: null })).toBe(false);
      expect(await store.finish(j.id, 'node-a', { done: 1, total: 100, detail: {}, fileBytes: null, error: 'late' })).toBe(false);
      expect((await store.get(j.id, 'user:alice'))!.state).toBe('done');
    });

    it('holds the limit of running jobs per owner and kind; a finished or lost job no longer counts', async () => {
      const a = job();
      await store.create(a, 2);
      await store.create(job(), 2);
      const third = store.create(job(), 2);
      await expect(third).rejects.toBeInstanceOf(JobLimitError);
      await expect(third).rejects.toThrow('you already have 2 export job(s) running: wait for one to finish');
      // another kind and another owner have limits of their own
      await store.create(job({ kind: 'import' }), 2);
      await store.create(job({ owner: 'user:bob' }), 2);
      await store.finish(a.id, 'node-a', { done: 100, total: 100, detail: {}, fileBytes: 0, error: null });
      await store.create(job(), 2);
      await expect(store.create(job(), 2)).rejects.toBeInstanceOf(JobLimitError);
      // every running one's node goes silent: their leases lapse, and they count no more
      clock.advance(LEASE + 1);
      await store.create(job(), 2);
    });

    it('fails a job whose lease lapsed, says why, takes its file, and lets its node save it no more', async () => {
      for (const k of ['import', 'export'] as JobKind[]) {
        const j = job({ kind: k });
        await store.create(j, 2);
        await writeFile(store, j.id, randomBytes(1000));
        clock.advance(LEASE - 1000);
        expect(await store.save(j.id, 'node-a', { done: 10, total: 100, detail: {}, fileBytes: null })).toBe(true); // renewed
        clock.advance(LEASE - 1);
        expect((await store.get(j.id, 'user:alice'))!.state).toBe('running');
        clock.advance(2);
        // lapsed: its node cannot renew it, even before anyone has looked
        expect(await store.save(j.id, 'node-a', { done: 20, total: 100, detail: {}, fileBytes: null })).toBe(false);
        expect(await store.get(j.id, 'user:alice')).toMatchObject({
          state: 'failed',
          error: lostReason(k),
          finishedAt: clock.now(),
          done: 10,
        });
        expect(await store.finish(j.id, 'node-a', { done: 100, total: 100, detail: {}, fileBytes: 1000, error: null })).toBe(false);
        expect((await store.get(j.id, 'user:alice'))!.state).toBe('failed');
        expect(await store.readFile(j.id).then(bytesOf)).toBeNull();
      }
      expect(lostReason('export')).toBe('the node running this export stopped before it finished: start it again');
      expect(lostReason('import')).toMatch(/^the node running this import stopped before it finished: run it again/);
      // the sweep finds the lapsed jobs nobody looked at
      const j = job();
      await store.create(j, 2);
      clock.advance(LEASE + 1);
      expect(await store.sweep()).toEqual({ lost: 1, removed: 0 });
      expect(await store.get(j.id, 'user:alice')).toMatchObject({ state: 'failed', error: lostReason('export') });
    });

    it('keeps a file byte for byte until its job is forgotten; a failed job loses its file at once', async () => {
      const data = randomBytes(3 * CHUNK_BYTES + 12_345);
      const j = job();
      await store.create(j, 2);
      expect(await writeFile(store, j.id, data)).toBe(data.length);
      await store.finish(j.id, 'node-a', { done: 100, total: 100, detail: {}, fileBytes: data.length, error: null });
      expect((await bytesOf(await store.readFile(j.id)))!.equals(data)).toBe(true);
      expect((await bytesOf(await store.readFile(j.id)))!.equals(data)).toBe(true); // and again

      const empty = job();
      await store.create(empty, 2);
      expect(await writeFile(store, empty.id, Buffer.alloc(0))).toBe(0);
      await store.finish(empty.id, 'node-a', { done: 0, total: 0, detail: {}, fileBytes: 0, error: null });
      expect(await bytesOf(await store.readFile(empty.id))).toEqual(Buffer.alloc(0));

      const bad = job();
      await store.create(bad, 2);
      await writeFile(store, bad.id, randomBytes(CHUNK_BYTES + 1));
      await store.finish(bad.id, 'node-a', { done: 3, total: 100, detail: {}, fileBytes: null, error: 'the export failed' });
      expect(await store.get(bad.id, 'user:alice')).toMatchObject({ state: 'failed', error: 'the export failed' });
      expect(await store.readFile(bad.id).then(bytesOf)).toBeNull();
      if (opened.chunkRows) expect(await opened.chunkRows()).toBe(4 + 0); // the good file's 4 chunks; the empty one has none

      // an hour after it finished: hidden at once, removed with its file by the sweep
      clock.advance(KEEP);
      expect(await store.get(j.id, 'user:alice')).not.toBeNull();
      clock.advance(1);
      expect(await store.get(j.id, 'user:alice')).toBeNull();
      expect(await store.sweep()).toEqual({ lost: 0, removed: 3 });
      expect(await store.readFile(j.id).then(bytesOf)).toBeNull();
      if (opened.chunkRows) expect(await opened.chunkRows()).toBe(0);
      expect(await store.sweep()).toEqual({ lost: 0, removed: 0 });
    });

    it.runIf(kind === postgres)('another node sees the job as saved and serves its file; racing nodes hold the limit', async () => {
      const b = await opened.another!();
      const data = randomBytes(2 * CHUNK_BYTES + 7);
      const j = job();
      await store.create(j, 2);
      await store.save(j.id, 'node-a', { done: 60, total: 100, detail: { format: 'csv' }, fileBytes: null });
      expect(await b.get(j.id, 'user:alice')).toMatchObject({ state: 'running', done: 60, node: 'node-a' });
      await writeFile(store, j.id, data);
      await store.finish(j.id, 'node-a', { done: 100, total: 100, detail: { format: 'csv' }, fileBytes: data.length, error: null });
      expect(await b.get(j.id, 'user:alice')).toMatchObject({ state: 'done', fileBytes: data.length });
      expect((await bytesOf(await b.readFile(j.id)))!.equals(data)).toBe(true);

      // ten starts for one person at the same moment, half through each node: two get through
      const starts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? b : store).create(job({ owner: 'user:carol', node: i % 2 ? 'node-b' : 'node-a' }), 2),
        ),
      );
      expect(starts.filter((s) => s.status === 'fulfilled')).toHaveLength(2);
      expect(starts.filter((s) => s.status === 'rejected').every((s) => (s as PromiseRejectedResult).reason instanceof JobLimitError)).toBe(
        true,
      );
    });

    it.runIf(kind === postgres)('a download cut short by the sweep fails instead of passing for a whole file', async () => {
      const j = job();
      await store.create(j, 2);
      const data = randomBytes(4 * CHUNK_BYTES);
      await writeFile(store, j.id, data);
      await store.finish(j.id, 'node-a', { done: 100, total: 100, detail: {}, fileBytes: data.length, error: null });
      const stream = (await store.readFile(j.id))!;
      const got: Buffer[] = [];
      const read = (async () => {
        for await (const c of stream) {
          got.push(c as Buffer);
          if (got.length === 1) {
            clock.advance(KEEP + 1);
            await store.sweep();
          }
        }
      })();
      await expect(read).rejects.toThrow(/was removed during the download/);
      expect(Buffer.concat(got).length).toBeLessThan(data.length);
    });
  });
}
