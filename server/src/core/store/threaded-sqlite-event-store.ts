/**
 * The embedded event log as the server uses it: reads on the main thread (a connection of its
 * own: WAL lets it read while the writer writes), appends on the log writer thread
 * (log-writer-thread.ts), which commits the batches waiting together. Same file, same pragmas
 * (`synchronous = FULL`) and the same promise as `SqliteEventStore`: an append resolves once its
 * events are on disk.
 *
 * Appends are taken in order (`submit`), so ingest may decide the next batch while one is being
 * written: it names the batch it decided against, and that batch failing refuses this one.
 */
import type { EventStore, NewEvent, StoredEvent, Submitted } from './event-store.ts';
import { SqliteEventStore, rowOf } from './sqlite-event-store.ts';
import { ThreadClient } from '../../util/worker-thread.ts';
import type { LogWriterData } from './log-writer-thread.ts';

type WriterCalls = {
  append(ticket: number, after: number | null, rows: ReturnType<typeof rowOf>[]): Promise<number[]>;
  close(): void;
};

export class ThreadedSqliteEventStore implements EventStore {
  private tickets = 0;

  private constructor(
    private reader: SqliteEventStore,
    private writer: ThreadClient<WriterCalls>,
  ) {}

  /** Opens the log (migrations run here, before the writer starts) and starts its writer thread. */
  static async open(dataDir: string): Promise<ThreadedSqliteEventStore> {
    const reader = new SqliteEventStore(dataDir);
    try {
      const data: LogWriterData = { dataDir };
      const writer = await ThreadClient.start<WriterCalls>('log writer', new URL('./log-writer-thread.ts', import.meta.url), data);
      return new ThreadedSqliteEventStore(reader, writer);
    } catch (err) {
      await reader.close();
      throw err;
    }
  }

  existing(ids: string[]): Promise<Set<string>> {
    return this.reader.existing(ids);
  }

  submit(events: NewEvent[], after: number | null): Submitted {
    const ticket = ++this.tickets;
    // serialised here: the writer thread only inserts
    const rows = events.map(rowOf);
    const stored = this.writer.call('append', ticket, after, rows).then((seqs) => {
      const out: StoredEvent[] = [];
      events.forEach((e, i) => seqs[i] && out.push({ ...e, seq: seqs[i] }));
      return out;
    });
    return { ticket, stored };
  }

  append(events: NewEvent[]): Promise<StoredEvent[]> {
    return this.submit(events, null).stored;
  }

  /** The only writer is this process: `unseen` is what its projections have not folded yet. */
  async appendAtHead(afterSeq: number, decide: (unseen: StoredEvent[]) => Promise<NewEvent[]> | NewEvent[]): Promise<StoredEvent[]> {
    const unseen: StoredEvent[] = [];
    if (afterSeq < (await this.lastSeq()))
      await this.replay(
        afterSeq,
        (batch) => void unseen.push(...batch),
        () => {},
      );
    return this.append(await decide(unseen));
  }

  replay(afterSeq: number, onBatch: (events: StoredEvent[]) => unknown, onUnreadable?: (seq: number, err: unknown) => void): Promise<number> {
    return this.reader.replay(afterSeq, onBatch, onUnreadable);
  }

  read(seqs: number[]): Promise<StoredEvent[]> {
    return this.reader.read(seqs);
  }

  lastSeq(): Promise<number> {
    return this.reader.lastSeq();
  }

  count(): Promise<number> {
    return this.reader.count();
  }

  /** Lets the writer finish what it was given, then stops it and closes the files. */
  async close(): Promise<void> {
    try {
      await this.writer.call('close');
    } catch {
      // the thread is gone already: nothing of it to wait for
    }
    await this.writer.stop();
    await this.reader.close();
  }
}
