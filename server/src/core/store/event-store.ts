/**
 * The event log: append-only, the one record that must never be lost. Callers see this interface
 * only: the embedded SQLite log and the PostgreSQL one of a scale-out deployment serve them alike.
 */
import type { CityEvent } from '@commandhall/shared';

export interface NewEvent {
  event: CityEvent;
  /** Community the event was placed in at ingest (kept so that replays never re-place points). */
  community: string | null;
  /** Who sent it (producer identity). */
  producer: string;
  receivedAt: number;
}

export interface StoredEvent extends NewEvent {
  /** Position in the log, strictly increasing. */
  seq: number;
}

/** An append handed to a store that takes appends in order (`EventStore.submit`). */
export interface Submitted {
  /** Names this append for a later one decided against it (`submit`'s `after`). */
  ticket: number;
  /** The stored events, once they are on disk (rejects when they could not be stored). */
  stored: Promise<StoredEvent[]>;
}

export interface EventStore {
  /** Ids among `ids` that are already in the log. */
  existing(ids: string[]): Promise<Set<string>>;
  /**
   * Appends the events durably, in order, in one transaction; resolves once they are on disk.
   * Events whose id is already stored are skipped; the result holds the stored ones with seqs.
   */
  append(events: NewEvent[]): Promise<StoredEvent[]>;
  /**
   * Appends what `decide` returns, decided against the whole log: `decide` first gets the events
   * after `afterSeq` that other writers appended (fold them, then judge the batch), and no other
   * append can come between its answer and the commit. One process writing alone never has any.
   */
  appendAtHead(afterSeq: number, decide: (unseen: StoredEvent[]) => Promise<NewEvent[]> | NewEvent[]): Promise<StoredEvent[]>;
  /**
   * Present where this process is the log's only writer and appends are written in the order
   * given (the embedded log's writer thread): ingest may then decide a batch while earlier ones are
   * still being written. `after` is the ticket of the last append still being written when the
   * events were decided, or null: if that one fails, this one is refused and nothing of it stored.
   */
  submit?(events: NewEvent[], after: number | null): Submitted;
  /**
   * Calls `wake` whenever other writers (other nodes) may have appended, until the returned
   * function is called; the caller then reads on from its own last seq. Absent where this
   * process is the only writer (the embedded log).
   */
  follow?(wake: () => void): () => Promise<void>;
  /**
   * Calls `onBatch` with every event after `afterSeq`, in log order, waiting for each call that
   * returns a promise before reading on. Resolves to the last seq. A row whose body is not an
   * event goes to `onUnreadable` and is left out (without it, the replay fails naming the row).
   */
  replay(
    afterSeq: number,
    onBatch: (events: StoredEvent[]) => unknown,
    onUnreadable?: (seq: number, err: unknown) => void,
  ): Promise<number>;
  /** The events with these seqs (unknown ones are left out), in log order. */
  read(seqs: number[]): Promise<StoredEvent[]>;
  /** Seq of the newest event; 0 for an empty log. */
  lastSeq(): Promise<number>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/**
 * `appendAtHead` of a log this process alone writes (embedded SQLite): what the caller has not
 * folded yet is the log after `afterSeq`, read before deciding; nobody can append in between.
 */
export async function appendAtHeadAlone(
  store: Pick<EventStore, 'lastSeq' | 'replay' | 'append'>,
  afterSeq: number,
  decide: (unseen: StoredEvent[]) => Promise<NewEvent[]> | NewEvent[],
): Promise<StoredEvent[]> {
  const unseen: StoredEvent[] = [];
  if (afterSeq < (await store.lastSeq()))
    await store.replay(
      afterSeq,
      (batch) => void unseen.push(...batch),
      () => {},
    );
  return store.append(await decide(unseen));
}
