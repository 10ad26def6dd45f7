/**
 * Background jobs (imports, exports) a browser polls for progress, and where they are kept: the
 * `JobStore` interface, with one implementation per mode. Embedded (`memory-job-store.ts`) jobs
 * live in the node's memory and an export's file in `DATA_DIR/exports/`, as ever: one node, so
 * any poll reaches the node that knows. In scale-out mode (`postgres-job-store.ts`) the job rows
 * and the files' bytes are in PostgreSQL, so that any node behind the balancer answers a poll or
 * serves a download, and the limit of running jobs per owner holds across the nodes.
 *
 * A job runs on the node that took its request (an import's file is in that node's memory). That
 * node renews the job's lease as it saves its progress; a running job whose lease lapses (its node
 * died, or lost the database) is failed, with a reason its owner can act on, by whoever looks at
 * it first, or by the leader's sweep. What an import stored stays stored, and re-running it
 * changes nothing already there.
 */
import type { Readable, Writable } from 'node:stream';
import { RequestError } from '../../util/request-error.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed';
export type JobKind = 'import' | 'export';

export interface JobBase {
  id: string;
  kind: JobKind;
  /** Audit-log name of whoever started it (`user:alice`); only they may see it. */
  owner: string;
  state: JobState;
  createdAt: number;
  finishedAt: number | null;
  /** Why it failed, when `state` is `failed`. */
  error: string | null;
}

/** What a job's kind adds to it, kept as JSON: an import's row counts and rejected rows, an export's format and file name. */
export type JobDetail = Record<string, unknown>;

/** What a running job's node saves of it: its progress and what its kind adds. */
export interface JobProgress {
  /** Progress: rows written of the rows to write (export), bytes read of the file (import). */
  done: number;
  total: number;
  detail: JobDetail;
  /** Size of the job's file once it is written (an export's); null before, and for jobs without one. */
  fileBytes: number | null;
}

/** A job as stored. */
export interface JobRecord extends JobBase, JobProgress {
  /** The node that runs it (`JobStoreOptions.node` of the store that created it). */
  node: string;
  /** Epoch ms until which its node vouches for it: renewed by every save while it runs. */
  leaseUntil: number;
}

/** What a node registers: the job's identity, its kind's first progress and the node itself. */
export type NewJob = Pick<JobRecord, 'id' | 'kind' | 'owner' | 'node'> & JobProgress;

/** How a job ends: its last progress, and why it failed (null: done). */
export type JobEnd = JobProgress & { error: string | null };

/** Where a job's file is written; `bytesWritten` is its size once the stream has finished. */
export type FileSink = Writable & { readonly bytesWritten: number };

export interface JobStoreOptions {
  now: () => number;
  /** Finished jobs (and their files) are kept this long, then forgotten. */
  keepMs: number;
  /** A running job whose node has not saved it for this long is failed as lost. */
  leaseMs: number;
}

export interface JobStore {
  /**
   * Registers a job, running on `job.node` with a fresh lease, unless its owner already has
   * `maxActive` jobs of its kind queued or running: then JobLimitError. Jobs whose lease lapsed
   * are failed first, so that they no longer count. Atomic across the nodes of a shared store.
   */
  create(job: NewJob, maxActive: number): Promise<JobRecord>;
  /**
   * The job if it exists, belongs to `owner` and is not forgotten yet; someone else's job is as
   * good as missing. A running job whose lease lapsed is failed (`lostReason`) before it is shown.
   */
  get(id: string, owner: string): Promise<JobRecord | null>;
  /**
   * Saves a running job's progress and renews its lease. False when it is not running on `node`
   * any more (its lease lapsed and it was failed): the node must stop working on it.
   */
  save(id: string, node: string, progress: JobProgress): Promise<boolean>;
  /** Ends a job running on `node` (a failed one loses its file); false when it was not running there any more. */
  finish(id: string, node: string, end: JobEnd): Promise<boolean>;
  /** Fails the running jobs whose lease lapsed and removes the jobs finished more than `keepMs` ago, with their files. */
  sweep(): Promise<{ lost: number; removed: number }>;
  /** A stream to write a job's file into (one writer per job, once). */
  fileWriter(id: string): FileSink;
  /** A finished job's file, streamed (never whole in memory); null when it is gone. */
  readFile(id: string): Promise<Readable | null>;
  close(): Promise<void>;
}

/** Its owner already has `maxActivePerOwner` jobs running: 429, until one finishes. */
export class JobLimitError extends RequestError {
  constructor(message: string) {
    super(429, 'too_many_jobs', message);
  }
}

/** The error of a job whose node stopped before it finished, in words its owner can act on. */
export function lostReason(kind: JobKind): string {
  return kind === 'import'
    ? 'the node running this import stopped before it finished: run it again to finish (rows already imported stay unchanged)'
    : 'the node running this export stopped before it finished: start it again';
}

export const limitMessage = (n: number, kind: JobKind) => `you already have ${n} ${kind} job(s) running: wait for one to finish`;

/** Whether a job of this state still counts against its owner's limit and must keep its lease. */
export const isActive = (state: JobState) => state === 'queued' || state === 'running';

/** The fields every job has, from its record. */
export const baseOf = (r: JobRecord): JobBase => ({
  id: r.id,
  kind: r.kind,
  owner: r.owner,
  state: r.state,
  createdAt: r.createdAt,
  finishedAt: r.finishedAt,
  error: r.error,
});
