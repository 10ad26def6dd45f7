/**
 * When the in-memory projections are checkpointed (projection-snapshot.ts): on start a snapshot
 * is restored if it can be, then the log's tail is replayed; afterwards a new one is written once
 * `everyEvents` events were folded since the last and at least `everyMs` passed (writing blocks
 * the main thread for about a second per million events of history), and on shutdown. It always
 * holds the state as of the last event folded, which it is told of in log order.
 */
import type { EventStore, StoredEvent } from '../store/event-store.ts';
import { loadSnapshot, writeSnapshot } from './projection-snapshot.ts';

export interface CheckpointOptions {
  dataDir: string;
  /** `projectionCodeKey(…)` of this server. */
  key: string;
  /** Property names of services attached from outside the projections. */
  skip: ReadonlySet<string>;
  /** Events folded since the last checkpoint before the next (default 200,000). */
  everyEvents?: number;
  /** Least time between two checkpoints, ms (default 15 minutes). */
  everyMs?: number;
  now?: () => number;
  onWritten?: (w: { seq: number; bytes: number; ms: number }) => void;
  onError?: (err: unknown) => void;
}

export class ProjectionCheckpoints {
  /** The position of the checkpoint on disk. */
  private onDisk = 0;
  /** The last event folded: the position the state is at. */
  private last: { seq: number; id: string } | null = null;
  private lastWrite = -Infinity;
  private scheduled = false;
  private readonly everyEvents: number;
  private readonly everyMs: number;
  private readonly now: () => number;

  constructor(
    private root: object,
    private o: CheckpointOptions,
  ) {
    this.everyEvents = o.everyEvents ?? 200_000;
    this.everyMs = o.everyMs ?? 15 * 60_000;
    this.now = o.now ?? Date.now;
  }

  private target() {
    return { dataDir: this.o.dataDir, key: this.o.key, root: this.root, skip: this.o.skip };
  }

  /** Restores the checkpoint into the fresh projections: its position, none (null), or why it is not used. */
  async restore(store: EventStore): Promise<{ seq: number } | { reason: string } | null> {
    const r = await loadSnapshot(this.target(), store);
    if (r && 'seq' in r) {
      this.onDisk = r.seq;
      this.last = { seq: r.seq, id: r.eventId };
    }
    return r && 'seq' in r ? { seq: r.seq } : r;
  }

  /** The projections were built again (a checkpoint could not be used): checkpoint these. */
  rebase(root: object): void {
    this.root = root;
  }

  /** Events folded, in log order; `checkpoint: false` while the start replays the log. */
  folded(events: StoredEvent[], checkpoint = true): void {
    if (!events.length) return;
    const e = events[events.length - 1];
    this.last = { seq: e.seq, id: e.event.id };
    if (checkpoint) this.maybeWrite();
  }

  /** Writes a checkpoint soon if enough was folded and time passed since the last. */
  maybeWrite(): void {
    if (this.scheduled || !this.last || this.last.seq - this.onDisk < this.everyEvents || this.now() - this.lastWrite < this.everyMs)
      return;
    this.scheduled = true;
    // after the fold under way: the state and `last` move together, in one turn
    setImmediate(() => {
      this.scheduled = false;
      this.write();
    });
  }

  /** Writes a checkpoint now if the state moved past the one on disk (on shutdown). */
  write(): void {
    if (!this.last || this.last.seq <= this.onDisk) return;
    const started = performance.now();
    try {
      const bytes = writeSnapshot(this.target(), this.last.seq, this.last.id, this.now());
      this.onDisk = this.last.seq;
      this.lastWrite = this.now();
      this.o.onWritten?.({ seq: this.last.seq, bytes, ms: Math.round(performance.now() - started) });
    } catch (err) {
      this.lastWrite = this.now(); // not again at once: the next chance is after the interval
      this.o.onError?.(err);
    }
  }
}
