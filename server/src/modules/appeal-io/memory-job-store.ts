/**
 * Jobs of the embedded node (no DATABASE_URL): the job records in memory and an export's file in
 * `DATA_DIR/exports/<id>`, as they always were. One node takes every request, so memory is all a
 * poll needs; a restart forgets the jobs (what an import stored stays stored), and the files left
 * by a previous run go at start and at close.
 *
 * Records are copied in and out, so that a job is seen as its node last saved it, exactly as a
 * shared store shows it (`job-store-contract.test.ts` holds both to the same promises).
 */
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  JobLimitError,
  isActive,
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

export class MemoryJobStore implements JobStore {
  private jobs = new Map<string, JobRecord>();
  private dir: string;

  constructor(
    dataDir: string,
    private opts: JobStoreOptions,
  ) {
    this.dir = join(dataDir, 'exports');
    mkdirSync(this.dir, { recursive: true });
    this.removeAllFiles(); // a previous run's: their jobs are forgotten
  }

  async create(job: NewJob, maxActive: number): Promise<JobRecord> {
    const now = this.opts.now();
    this.failLapsed(now);
    const active = [...this.jobs.values()].filter((j) => j.owner === job.owner && j.kind === job.kind && isActive(j.state)).length;
    if (active >= maxActive) throw new JobLimitError(limitMessage(active, job.kind));
    const record: JobRecord = {
      ...structuredClone(job),
      state: 'running',
      createdAt: now,
      finishedAt: null,
      error: null,
      leaseUntil: now + this.opts.leaseMs,
    };
    this.jobs.set(job.id, record);
    return structuredClone(record);
  }

  async get(id: string, owner: string): Promise<JobRecord | null> {
    const now = this.opts.now();
    this.failLapsed(now);
    const j = this.jobs.get(id);
    if (!j || j.owner !== owner || this.forgotten(j, now)) return null;
    return structuredClone(j);
  }

  async save(id: string, node: string, progress: JobProgress): Promise<boolean> {
    const now = this.opts.now();
    const j = this.mine(id, node, now);
    if (!j) return false;
    Object.assign(j, structuredClone(progress), { leaseUntil: now + this.opts.leaseMs });
    return true;
  }

  async finish(id: string, node: string, end: JobEnd): Promise<boolean> {
    const now = this.opts.now();
    const j = this.mine(id, node, now);
    if (!j) return false;
    Object.assign(j, structuredClone(end), { state: end.error === null ? 'done' : 'failed', finishedAt: now });
    if (end.error !== null) this.removeFile(id);
    return true;
  }

  async sweep(): Promise<{ lost: number; removed: number }> {
    const now = this.opts.now();
    const lost = this.failLapsed(now);
    let removed = 0;
    for (const [id, j] of this.jobs) {
      if (!this.forgotten(j, now)) continue;
      this.jobs.delete(id);
      this.removeFile(id);
      removed++;
    }
    return { lost, removed };
  }

  fileWriter(id: string): FileSink {
    return createWriteStream(this.path(id));
  }

  async readFile(id: string): Promise<Readable | null> {
    const path = this.path(id);
    try {
      if (!statSync(path).isFile()) return null;
    } catch {
      return null;
    }
    return createReadStream(path);
  }

  async close(): Promise<void> {
    this.jobs.clear();
    this.removeAllFiles();
  }

  /** The job if it is running on `node` with its lease unexpired. */
  private mine(id: string, node: string, now: number): JobRecord | undefined {
    const j = this.jobs.get(id);
    if (!j || j.node !== node || !isActive(j.state)) return undefined;
    if (j.leaseUntil < now) {
      this.failLapsed(now);
      return undefined;
    }
    return j;
  }

  private failLapsed(now: number): number {
    let n = 0;
    for (const j of this.jobs.values()) {
      if (!isActive(j.state) || j.leaseUntil >= now) continue;
      Object.assign(j, { state: 'failed', error: lostReason(j.kind), finishedAt: now });
      this.removeFile(j.id);
      n++;
    }
    return n;
  }

  private forgotten(j: JobRecord, now: number): boolean {
    return j.finishedAt !== null && j.finishedAt < now - this.opts.keepMs;
  }

  // ids are the store's own (base64url): safe as file names
  private path(id: string): string {
    return join(this.dir, id);
  }

  private removeFile(id: string): void {
    rmSync(this.path(id), { force: true });
  }

  private removeAllFiles(): void {
    for (const f of readdirSync(this.dir)) if (statSync(join(this.dir, f)).isFile()) rmSync(join(this.dir, f), { force: true });
  }
}
