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
import { appendAtHeadAlone, type EventStore, type NewEvent, type StoredEvent, type Submitted } from './event-store.ts';
import { SqliteEventStore, rowOf } from './sqlite-event-store.ts';
import { ThreadClient } from '../../util/worker-thread.ts';
import type { LogWriterData } from './log-writer-thread.ts';
import type { LogReaderData } from './log-reader-thread.ts';

/** Below this many events to replay, the main thread reads them itself: a thread takes a while to start. */
const THREAD_READ_FROM = 50_000;

type ReaderCalls = {
  next(): ReturnType<SqliteEventStore['readPage']>;
  close(): Promise<void>;
};

type WriterCalls = {
  append(ticket: number, after: number | null, rows: ReturnType<typeof rowOf>[]): Promise<number[]>;
  close(): void;
};

export class ThreadedSqliteEventStore implements EventStore {
  private tickets = 0;

  private constructor(
    private dataDir: string,
    private reader: SqliteEventStore,
    private writer: ThreadClient<WriterCalls>,
  ) {}

  /** Opens the log (migrations run here, before the writer starts) and starts its writer thread. */
  static async open(dataDir: string): Promise<ThreadedSqliteEventStore> {
    const reader = new SqliteEventStore(dataDir);
    try {
      const data: LogWriterData = { dataDir };
      const writer = await ThreadClient.start<WriterCalls>('log writer', new URL('./log-writer-thread.ts', import.meta.url), data);
      return new ThreadedSqliteEventStore(dataDir, reader, writer);
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
  appendAtHead(afterSeq: number, decide: (unseen: StoredEvent[]) => Promise<NewEvent[]> | NewEvent[]): Promise<StoredEvent[]> {
    return appendAtHeadAlone(this, afterSeq, decide);
  }

  /** A long replay is read on a thread of its own, a page ahead of `onBatch`. */
  async replay(
    afterSeq: number,
    onBatch: (events: StoredEvent[]) => unknown,
    onUnreadable?: (seq: number, err: unknown) => void,
  ): Promise<number> {
    if ((await this.lastSeq()) - afterSeq < THREAD_READ_FROM) return this.reader.replay(afterSeq, onBatch, onUnreadable);
    const data: LogReaderData = { dataDir: this.dataDir, afterSeq };
    const pages = await ThreadClient.start<ReaderCalls>('log reader', new URL('./log-reader-thread.ts', import.meta.url), data);
    try {
      let last = afterSeq;
      for (;;) {
        const page = await pages.call('next');
        if (page.last === null) return last;
        for (const u of page.unreadable) {
          // as replayPages: a row that is not an event goes to onUnreadable, or fails the replay naming it
          if (!onUnreadable) throw new Error(`event #${u.seq} of the log cannot be read: ${u.error}`);
          onUnreadable(u.seq, new Error(u.error));
        }
        if (page.events.length) await onBatch(page.events);
        last = page.last;
      }
    } finally {
      await pages.call('close').catch(() => undefined);
      await pages.stop();
    }
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
