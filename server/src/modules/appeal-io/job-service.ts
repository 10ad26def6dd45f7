/**
 * The node's side of the appeal file jobs (`app.appealJobs`): it registers a job in the store
 * (which holds the per-owner limit), runs its work here, saves the job's progress every `saveMs`
 * (which renews its lease, so that the other nodes know it is alive), and stores how it ended.
 * A job found no longer this node's (its lease lapsed while the node was cut off, and another
 * node failed it) is stopped. On close, the jobs under way are stopped and stored as failed.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { lostReason, type FileSink, type JobBase, type JobKind, type JobProgress, type JobRecord, type JobStore } from './jobs.ts';

/** How a kind of job is stored: what its node saves of it, and the job again from its record. */
export interface JobKindOf<J extends JobBase> {
  kind: JobKind;
  progress(job: J): JobProgress;
  fromRecord(record: JobRecord): J;
}

export interface JobServiceOptions {
  /** This node, as named in the jobs it runs. */
  node: string;
  /** Jobs of one kind queued or running at once, per owner, across every node. */
  maxActivePerOwner: number;
  /** How often a running job's progress is saved (and its lease renewed). */
  saveMs: number;
  /** A save or an end that could not be stored: logged, the job goes on. */
  onError: (err: unknown, what: string) => void;
}

/** What a job's work is given: whether the server is shutting down, and a signal that tells it to stop. */
export interface JobContext {
  signal: AbortSignal;
  /** True once the server began to shut down. */
  readonly closing: boolean;
}

interface Running {
  abort: AbortController;
  finished: Promise<void>;
}

export class JobService {
  private running = new Map<string, Running>();
  private closing = false;
  private sweptListeners: ((s: { lost: number; removed: number }) => void)[] = [];

  constructor(
    readonly store: JobStore,
    private opts: JobServiceOptions,
  ) {}

  /**
   * Registers a job of `kind` for `owner` (JobLimitError when they have too many running) and
   * starts `work` on it. `work` updates the job as it goes; when it throws, `failure` words why
   * for the job's owner. `finished` resolves once the job's end is stored.
   */
  async start<J extends JobBase>(
    kind: JobKindOf<J>,
    owner: string,
    init: (base: JobBase) => J,
    work: (job: J, ctx: JobContext) => Promise<void>,
    failure: (err: unknown, ctx: JobContext) => string,
  ): Promise<{ job: J; finished: Promise<void> }> {
    const job = init({
      id: randomBytes(9).toString('base64url'),
      kind: kind.kind,
      owner,
      state: 'running',
      createdAt: 0,
      finishedAt: null,
      error: null,
    });
    const stored = await this.store.create(
      { id: job.id, kind: job.kind, owner, node: this.opts.node, ...kind.progress(job) },
      this.opts.maxActivePerOwner,
    );
    job.createdAt = stored.createdAt;
    const abort = new AbortController();
    const isClosing = () => this.closing;
    const ctx: JobContext = {
      signal: abort.signal,
      get closing() {
        return isClosing();
      },
    };
    const finished = this.run(
      job,
      kind,
      abort,
      () => work(job, ctx),
      (err) => failure(err, ctx),
    );
    this.running.set(job.id, { abort, finished });
    if (this.closing) abort.abort(); // registered while the server began to shut down
    return { job, finished };
  }

  /** A job of `kind`, for its owner only, from the store: any node's. */
  async get<J extends JobBase>(kind: JobKindOf<J>, id: string, owner: string): Promise<J | null> {
    const r = await this.store.get(id, owner);
    return r && r.kind === kind.kind ? kind.fromRecord(r) : null;
  }

  /** A finished job's file, streamed. */
  readFile(id: string): Promise<Readable | null> {
    return this.store.readFile(id);
  }

  /** Fails the jobs whose node stopped and forgets the old ones with their files: the leader's job. */
  async sweep(): Promise<{ lost: number; removed: number }> {
    const swept = await this.store.sweep();
    for (const l of this.sweptListeners) l(swept);
    return swept;
  }

  /** Told of every sweep this node makes (the metrics, the log). */
  onSwept(listener: (s: { lost: number; removed: number }) => void): void {
    this.sweptListeners.push(listener);
  }

  /** A sink for a job's file. */
  fileWriter(id: string): FileSink {
    return this.store.fileWriter(id);
  }

  /** Stops the jobs under way; they end as failed, their owners told that the server shut down. */
  async close(): Promise<void> {
    this.closing = true;
    for (const r of this.running.values()) r.abort.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.finished));
    await this.store.close();
  }

  private async run<J extends JobBase>(
    job: J,
    kind: JobKindOf<J>,
    abort: AbortController,
    work: () => Promise<void>,
    failure: (err: unknown) => string,
  ): Promise<void> {
    let saving: Promise<void> | null = null;
    const save = () => {
      if (saving) return; // the last one is still on its way
      saving = this.store
        .save(job.id, this.opts.node, kind.progress(job))
        .then((mine) => {
          if (!mine) abort.abort(); // failed by another node: its owner was told already
        })
        .catch((err) => this.opts.onError(err, `saving the progress of ${job.kind} job ${job.id}`))
        .finally(() => (saving = null));
    };
    const timer = setInterval(save, this.opts.saveMs);
    timer.unref();
    let error: string | null = null;
    try {
      await work();
    } catch (err) {
      error = failure(err);
    } finally {
      clearInterval(timer);
      await saving;
    }
    job.state = error === null ? 'done' : 'failed';
    job.error = error;
    try {
      const mine = await this.store.finish(job.id, this.opts.node, { ...kind.progress(job), error });
      if (!mine) {
        job.state = 'failed';
        job.error = lostReason(job.kind); // what the store shows: another node failed it
      }
    } catch (err) {
      // its lease lapses, and the job is failed as lost by whoever looks next
      this.opts.onError(err, `storing the end of ${job.kind} job ${job.id}`);
    } finally {
      this.running.delete(job.id);
    }
  }
}
