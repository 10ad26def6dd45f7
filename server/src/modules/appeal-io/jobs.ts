/**
 * Background jobs (imports, exports) a browser polls for progress. Jobs live in memory: a job is
 * seen only by whoever started it, finished jobs are forgotten after a while, and at most a few
 * run at once. A restart forgets them all; what an import stored stays stored, and re-running it
 * changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { RequestError } from '../../util/request-error.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobBase {
  id: string;
  kind: 'import' | 'export';
  /** Audit-log name of whoever started it (`user:alice`); only they may see it. */
  owner: string;
  state: JobState;
  createdAt: number;
  finishedAt: number | null;
  /** Why it failed, when `state` is `failed`. */
  error: string | null;
}

/** Its owner already has `maxActivePerOwner` jobs running: 429, until one finishes. */
export class JobLimitError extends RequestError {
  constructor(message: string) {
    super(429, 'too_many_jobs', message);
  }
}

export interface JobRegistryOptions<J extends JobBase = JobBase> {
  now: () => number;
  /** Finished jobs are forgotten this long after they finish. */
  keepMs: number;
  /** Jobs queued or running at once, per owner. */
  maxActivePerOwner: number;
  /** Called when a job is forgotten (an export removes its file). */
  onForget?: (job: J) => void;
}

export class JobRegistry<J extends JobBase> {
  private jobs = new Map<string, J>();

  constructor(private opts: JobRegistryOptions<J>) {}

  /** Registers a new job; throws JobLimitError when its owner already has too many running. */
  add(make: (base: JobBase) => J, kind: JobBase['kind'], owner: string): J {
    this.sweep();
    const active = [...this.jobs.values()].filter((j) => j.owner === owner && (j.state === 'queued' || j.state === 'running'));
    if (active.length >= this.opts.maxActivePerOwner)
      throw new JobLimitError(`you already have ${active.length} ${kind} job(s) running: wait for one to finish`);
    const job = make({
      id: randomBytes(9).toString('base64url'),
      kind,
      owner,
      state: 'queued',
      createdAt: this.opts.now(),
      finishedAt: null,
      error: null,
    });
    this.jobs.set(job.id, job);
    return job;
  }

  /** The job if it exists and belongs to `owner`; someone else's job is as good as missing. */
  get(id: string, owner: string): J | undefined {
    this.sweep();
    const j = this.jobs.get(id);
    return j && j.owner === owner ? j : undefined;
  }

  finish(job: J, error?: string): void {
    job.state = error === undefined ? 'done' : 'failed';
    job.error = error ?? null;
    job.finishedAt = this.opts.now();
  }

  /** Every job, e.g. to clean up on close. */
  all(): J[] {
    return [...this.jobs.values()];
  }

  private sweep(): void {
    const cutoff = this.opts.now() - this.opts.keepMs;
    for (const [id, j] of this.jobs) {
      if (j.finishedAt !== null && j.finishedAt < cutoff) {
        this.jobs.delete(id);
        this.opts.onForget?.(j);
      }
    }
  }
}
