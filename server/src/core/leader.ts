/**
 * Leadership: the work that must run on one node at a time (the simulator, camera liveness
 * sweeps, snapshot pruning) runs on the node that leads, and moves to another within seconds
 * when that node dies.
 *
 * Embedded (one node), this node always leads. In scale-out mode the leader is whoever holds a
 * PostgreSQL advisory lock on a session of its own: the lock lives exactly as long as that
 * connection, so a node killed without warning (its socket closed by the kernel, or found dead by
 * TCP keepalive) lets go of it, and the next node to try takes it. Each node tries every
 * `pollMs`, and the leader checks its connection as often, so a dead connection stops its jobs.
 */
import type pg from 'pg';
import { LOCK } from './store/open-postgres.ts';

export interface Job {
  name: string;
  start: () => void | Promise<void>;
  stop: () => void | Promise<void>;
}

export interface Leadership {
  readonly leading: boolean;
  /** Runs the job while this node leads: started on taking the lead (or at once), stopped on losing it. */
  run(job: Job): void;
  /** Starts trying to lead (the app calls it once ready). */
  begin(): void;
  close(): Promise<void>;
}

/** Errors of a job starting or stopping: reported, never thrown into the lock loop. */
export type JobError = (job: string, err: unknown) => void;

class Jobs {
  private jobs: Job[] = [];
  private running = false;
  constructor(private onError: JobError) {}

  add(job: Job): void {
    this.jobs.push(job);
    if (this.running) void this.call(job, 'start');
  }

  async startAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // the jobs of now: one added meanwhile is started by add()
    for (const j of [...this.jobs]) await this.call(j, 'start');
  }

  async stopAll(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const j of [...this.jobs].reverse()) await this.call(j, 'stop');
  }

  private async call(job: Job, what: 'start' | 'stop'): Promise<void> {
    try {
      await job[what]();
    } catch (err) {
      this.onError(job.name, err);
    }
  }
}

/** One node: it leads from `begin` to `close`. */
export class SoloLeadership implements Leadership {
  private jobs: Jobs;
  private begun = false;
  constructor(onError: JobError) {
    this.jobs = new Jobs(onError);
  }
  get leading(): boolean {
    return this.begun;
  }
  run(job: Job): void {
    this.jobs.add(job);
  }
  begin(): void {
    this.begun = true;
    void this.jobs.startAll();
  }
  async close(): Promise<void> {
    this.begun = false;
    await this.jobs.stopAll();
  }
}

export interface PostgresLeadershipOptions {
  pollMs?: number;
  onError: JobError;
  /** Told when this node takes or loses the lead (the log). */
  onChange?: (leading: boolean) => void;
}

export class PostgresLeadership implements Leadership {
  private jobs: Jobs;
  private client: pg.PoolClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private isLeader = false;
  private closed = false;
  private busy = false;
  private readonly pollMs: number;

  constructor(
    private pool: pg.Pool,
    private opts: PostgresLeadershipOptions,
  ) {
    this.jobs = new Jobs(opts.onError);
    this.pollMs = opts.pollMs ?? 2000;
  }

  get leading(): boolean {
    return this.isLeader;
  }

  run(job: Job): void {
    this.jobs.add(job);
  }

  begin(): void {
    if (this.timer || this.closed) return;
    void this.step();
    this.timer = setInterval(() => void this.step(), this.pollMs);
    this.timer.unref();
  }

  /** One try: take the lock if free, or check that the connection holding it is alive. */
  private async step(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      this.client ??= await this.connect();
      if (this.isLeader) await this.client.query('SELECT 1');
      else {
        const { rows } = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK.leader]);
        if (rows[0].ok && !this.closed) await this.take();
      }
    } catch {
      // the connection is gone, and the lock with it: stop leading at once, try again next time
      this.client?.release(true);
      this.client = null;
      await this.lose();
    } finally {
      this.busy = false;
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    const c = await this.pool.connect();
    c.on('error', () => {}); // found by the next step's query
    return c;
  }

  private async take(): Promise<void> {
    this.isLeader = true;
    this.opts.onChange?.(true);
    await this.jobs.startAll();
  }

  private async lose(): Promise<void> {
    if (!this.isLeader) return;
    this.isLeader = false;
    this.opts.onChange?.(false);
    await this.jobs.stopAll();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    await this.lose();
    const c = this.client;
    this.client = null;
    if (c) {
      await c.query('SELECT pg_advisory_unlock_all()').catch(() => {});
      c.release();
    }
  }
}
