/**
 * The embedded appeals read model as the server uses it: lists, details and timelines read on the
 * main thread (a read-only connection of its own), the fold of the log written by the read
 * model's thread (appeal-read-model-thread.ts), which reads the log itself. `apply` and `catchUp`
 * resolve once the thread has folded that far, so that whoever sent a batch reads its own writes.
 */
import { ThreadClient } from '../../util/worker-thread.ts';
import type { StoredEvent } from '../../core/store/event-store.ts';
import { SqliteAppealReadModel } from './sqlite-appeal-read-model.ts';
import type { AppealPage, AppealQuery, AppealReadModel, AppealRecord } from './appeal-read-model.ts';
import type { CatchUpAnswer, FoldFailure, ReadModelThreadData } from './appeal-read-model-thread.ts';

type ThreadCalls = {
  checkpoint(): Promise<number>;
  catchUp(upTo: number): Promise<CatchUpAnswer>;
  reset(): Promise<void>;
  close(): Promise<void>;
};

export interface ThreadedReadModelOptions {
  /** Seqs to skip (quarantined for the read model, or unreadable). */
  held?: number[];
  /** Told about each event the thread could not fold (the quarantine takes it). */
  onFailed?: (f: FoldFailure) => void;
}

export class ThreadedSqliteAppealReadModel implements AppealReadModel {
  private constructor(
    private thread: ThreadClient<ThreadCalls>,
    private reader: SqliteAppealReadModel,
    private cp: number,
    private onFailed: (f: FoldFailure) => void,
  ) {}

  /** Starts the thread (which makes or rebuilds the tables), then opens the reader. */
  static async open(dataDir: string, opts: ThreadedReadModelOptions = {}): Promise<ThreadedSqliteAppealReadModel> {
    const data: ReadModelThreadData = { dataDir, held: opts.held ?? [] };
    const thread = await ThreadClient.start<ThreadCalls>(
      'appeals read model',
      new URL('./appeal-read-model-thread.ts', import.meta.url),
      data,
    );
    try {
      const reader = new SqliteAppealReadModel(dataDir, { readOnly: true });
      return new ThreadedSqliteAppealReadModel(thread, reader, await thread.call('checkpoint'), opts.onFailed ?? (() => {}));
    } catch (err) {
      await thread.stop();
      throw err;
    }
  }

  async checkpoint(): Promise<number> {
    return this.cp;
  }

  /** Folds the log up to `upTo` (the thread reads it); resolves once that is done. */
  async catchUp(upTo: number): Promise<void> {
    if (upTo <= this.cp) return;
    const a = await this.thread.call('catchUp', upTo);
    this.cp = Math.max(this.cp, a.checkpoint);
    for (const f of a.failures) this.onFailed(f);
  }

  /** The events are in the log already: the thread folds up to the last of them, from the log. */
  async apply(events: StoredEvent[]): Promise<void> {
    if (events.length) await this.catchUp(events[events.length - 1].seq);
  }

  get(id: string): Promise<AppealRecord | undefined> {
    return this.reader.get(id);
  }

  timeline(id: string): Promise<number[]> {
    return this.reader.timeline(id);
  }

  list(q: AppealQuery): Promise<AppealPage> {
    return this.reader.list(q);
  }

  async reset(): Promise<void> {
    await this.thread.call('reset');
    this.cp = 0;
  }

  async close(): Promise<void> {
    try {
      await this.thread.call('close');
    } catch {
      // the thread is gone already
    }
    await this.thread.stop();
    await this.reader.close();
  }
}
