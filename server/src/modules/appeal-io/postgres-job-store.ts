/**
 * Jobs in PostgreSQL, for the scale-out mode (`DATABASE_URL`): every node reads every job, so a
 * progress poll or a download that the balancer sends to another node than the one running the
 * job is answered all the same.
 *
 * - `appeal_jobs`: one row a job: kind, owner, state, progress (`done` of `total`), error, times,
 *   what its kind adds (`detail`, JSON), the node running it and its lease.
 * - `appeal_job_chunks`: an export's file as numbered chunks of `CHUNK_BYTES` (`bytea`), written
 *   as the export produces them and read back one at a time by a download, so neither side ever
 *   holds the whole file (a million-row export is tens to hundreds of MB). Chunks rather than
 *   large objects: they go with their job's row (`ON DELETE CASCADE`) in the one `DELETE` of the
 *   sweep, where a large object outlives its row unless unlinked by hand (or by `vacuumlo`), and
 *   they need no large-object privileges. Stored with PostgreSQL's default (compressed when that
 *   helps): CSV compresses well, Excel is zipped already and is then kept as it is.
 *
 * The limit of running jobs per owner is counted under a transaction-scoped advisory lock on the
 * owner and kind, so two nodes starting jobs for the same person at once cannot both pass it.
 */
import { Writable, Readable } from 'node:stream';
import type pg from 'pg';
import { LOCK, inTransaction, migrate } from '../../core/store/open-postgres.ts';
import {
  JobLimitError,
  limitMessage,
  lostReason,
  type FileSink,
  type JobEnd,
  type JobProgress,
  type JobRecord,
  type JobStore,
  type JobStoreOptions,
  type NewJob,
} from './jobs.ts';

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS appeal_jobs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('import', 'export')),
     owner TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
     done BIGINT NOT NULL,
     total BIGINT NOT NULL,
     detail JSONB NOT NULL,
     error TEXT,
     created_at BIGINT NOT NULL,
     finished_at BIGINT,
     node TEXT NOT NULL,
     lease_until BIGINT NOT NULL,
     file_bytes BIGINT
   );
   CREATE INDEX IF NOT EXISTS appeal_jobs_active ON appeal_jobs (owner, kind) WHERE state IN ('queued', 'running');
   CREATE INDEX IF NOT EXISTS appeal_jobs_lease ON appeal_jobs (lease_until) WHERE state IN ('queued', 'running');
   CREATE INDEX IF NOT EXISTS appeal_jobs_finished ON appeal_jobs (finished_at);
   CREATE TABLE IF NOT EXISTS appeal_job_chunks (
     job_id TEXT NOT NULL REFERENCES appeal_jobs (id) ON DELETE CASCADE,
     n INTEGER NOT NULL,
     data BYTEA NOT NULL,
     PRIMARY KEY (job_id, n)
   );`,
];

/** Bytes of a file per chunk row: a few hundred rows for the largest export, one small buffer in memory. */
export const CHUNK_BYTES = 512 * 1024;

const ACTIVE = `state IN ('queued', 'running')`;
/**
 * Fails the running jobs (of the rows `$where` picks) whose lease lapsed before `$1`, and drops
 * the chunks they wrote: `$2`, `$3` are the reasons of an import and of an export.
 */
const failLapsed = (where: string) =>
  `WITH lost AS (
     UPDATE appeal_jobs SET state = 'failed', finished_at = $1, error = CASE kind WHEN 'import' THEN $2 ELSE $3 END
      WHERE ${ACTIVE} AND lease_until < $1 AND ${where}
      RETURNING id
   ), gone AS (DELETE FROM appeal_job_chunks WHERE job_id IN (SELECT id FROM lost))
   SELECT count(*)::int AS n FROM lost`;
const REASONS = [lostReason('import'), lostReason('export')];

interface Row {
  id: string;
  kind: JobRecord['kind'];
  owner: string;
  state: JobRecord['state'];
  done: number;
  total: number;
  detail: JobRecord['detail'];
  error: string | null;
  created_at: number;
  finished_at: number | null;
  node: string;
  lease_until: number;
  file_bytes: number | null;
}

const recordOf = (r: Row): JobRecord => ({
  id: r.id,
  kind: r.kind,
  owner: r.owner,
  state: r.state,
  done: r.done,
  total: r.total,
  detail: r.detail,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  node: r.node,
  leaseUntil: r.lease_until,
  fileBytes: r.file_bytes,
});

export class PostgresJobStore implements JobStore {
  private constructor(
    private pool: pg.Pool,
    private opts: JobStoreOptions,
  ) {}

  /** Brings the `jobs` tables up to date (once, whichever node comes first) and opens the store on the app's pool. */
  static async open(pool: pg.Pool, opts: JobStoreOptions): Promise<PostgresJobStore> {
    await migrate(pool, 'jobs', MIGRATIONS);
    return new PostgresJobStore(pool, opts);
  }

  async create(job: NewJob, maxActive: number): Promise<JobRecord> {
    const now = this.opts.now();
    return inTransaction(this.pool, async (c) => {
      // one node at a time counts and adds this owner's jobs of this kind
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.jobOwner, `${job.owner}\n${job.kind}`]);
      await c.query(failLapsed('owner = $4 AND kind = $5'), [now, ...REASONS, job.owner, job.kind]);
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM appeal_jobs WHERE owner = $1 AND kind = $2 AND ${ACTIVE}`,
        [job.owner, job.kind],
      );
      if (rows[0].n >= maxActive) throw new JobLimitError(limitMessage(rows[0].n, job.kind));
      const inserted = await c.query<Row>(
        `INSERT INTO appeal_jobs (id, kind, owner, state, done, total, detail, error, created_at, finished_at, node, lease_until, file_bytes)
         VALUES ($1, $2, $3, 'running', $4, $5, $6, NULL, $7, NULL, $8, $9, $10) RETURNING *`,
        [job.id, job.kind, job.owner, job.done, job.total, job.detail, now, job.node, now + this.opts.leaseMs, job.fileBytes],
      );
      return recordOf(inserted.rows[0]);
    });
  }

  async get(id: string, owner: string): Promise<JobRecord | null> {
    const now = this.opts.now();
    const read = async () =>
      (
        await this.pool.query<Row>(
          'SELECT * FROM appeal_jobs WHERE id = $1 AND owner = $2 AND (finished_at IS NULL OR finished_at >= $3)',
          [id, owner, now - this.opts.keepMs],
        )
      ).rows[0];
    let row = await read();
    if (row && (row.state === 'queued' || row.state === 'running') && row.lease_until < now) {
      await this.pool.query(failLapsed('id = $4'), [now, ...REASONS, id]);
      row = await read();
    }
    return row ? recordOf(row) : null;
  }

  async save(id: string, node: string, p: JobProgress): Promise<boolean> {
    const now = this.opts.now();
    // a lapsed lease is not renewed: whoever looked at the job may have failed it already
    const res = await this.pool.query(
      `UPDATE appeal_jobs SET done = $4, total = $5, detail = $6, file_bytes = $7, lease_until = $8
        WHERE id = $1 AND node = $2 AND ${ACTIVE} AND lease_until >= $3`,
      [id, node, now, p.done, p.total, p.detail, p.fileBytes, now + this.opts.leaseMs],
    );
    return res.rowCount === 1;
  }

  async finish(id: string, node: string, end: JobEnd): Promise<boolean> {
    const now = this.opts.now();
    return inTransaction(this.pool, async (c) => {
      const res = await c.query(
        `UPDATE appeal_jobs SET state = $4, error = $5, finished_at = $3, done = $6, total = $7, detail = $8, file_bytes = $9
          WHERE id = $1 AND node = $2 AND ${ACTIVE} AND lease_until >= $3`,
        [id, node, now, end.error === null ? 'done' : 'failed', end.error, end.done, end.total, end.detail, end.fileBytes],
      );
      if (res.rowCount === 1 && end.error !== null) await c.query('DELETE FROM appeal_job_chunks WHERE job_id = $1', [id]);
      return res.rowCount === 1;
    });
  }

  async sweep(): Promise<{ lost: number; removed: number }> {
    const now = this.opts.now();
    const lost = (await this.pool.query<{ n: number }>(failLapsed('true'), [now, ...REASONS])).rows[0].n;
    // the chunks go with their rows (ON DELETE CASCADE)
    const removed = await this.pool.query('DELETE FROM appeal_jobs WHERE finished_at < $1', [now - this.opts.keepMs]);
    return { lost, removed: removed.rowCount ?? 0 };
  }

  fileWriter(id: string): FileSink {
    return new ChunkWriter(this.pool, id);
  }

  async readFile(id: string): Promise<Readable | null> {
    const { rows } = await this.pool.query<{ file_bytes: number | null }>('SELECT file_bytes FROM appeal_jobs WHERE id = $1', [id]);
    const size = rows[0]?.file_bytes;
    if (size === undefined || size === null) return null;
    const pool = this.pool;
    async function* chunks() {
      let sent = 0;
      for (let n = 0; sent < size!; n++) {
        const { rows: chunk } = await pool.query<{ data: Buffer }>('SELECT data FROM appeal_job_chunks WHERE job_id = $1 AND n = $2', [
          id,
          n,
        ]);
        // removed under the download (the job was swept): a cut-off file must not pass for a whole one
        if (!chunk.length) throw new Error(`the file of job ${id} was removed during the download`);
        sent += chunk[0].data.length;
        yield chunk[0].data;
      }
    }
    // one chunk at a time: the next is read when the client has taken this one
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  }

  /** The pool belongs to the app (every store shares it): closing the store leaves it open. */
  async close(): Promise<void> {}
}

/** Collects what is written into chunks of CHUNK_BYTES and inserts each as it fills; the rest on end. */
class ChunkWriter extends Writable {
  private parts: Buffer[] = [];
  private buffered = 0;
  private n = 0;
  private written = 0;

  constructor(
    private pool: pg.Pool,
    private id: string,
  ) {
    super();
  }

  get bytesWritten(): number {
    return this.written;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.parts.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < CHUNK_BYTES) return done();
    this.flush(false).then(() => done(), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.flush(true).then(() => done(), done);
  }

  /** Inserts every whole chunk buffered, and at the end the rest; a part chunk waits for more otherwise. */
  private async flush(end: boolean): Promise<void> {
    const all = Buffer.concat(this.parts, this.buffered);
    let at = 0;
    for (; all.length - at >= CHUNK_BYTES || (end && at < all.length); at += CHUNK_BYTES) {
      const data = all.subarray(at, at + CHUNK_BYTES);
      await this.pool.query('INSERT INTO appeal_job_chunks (job_id, n, data) VALUES ($1, $2, $3)', [this.id, this.n, data]);
      this.n++;
      this.written += data.length;
    }
    this.parts = at < all.length ? [all.subarray(at)] : [];
    this.buffered = all.length - Math.min(at, all.length);
  }
}
