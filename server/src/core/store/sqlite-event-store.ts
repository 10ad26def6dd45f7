/**
 * Embedded event log in SQLite (WAL). `synchronous = FULL` makes every committed batch survive a
 * power cut, not just a process crash: a 2xx from ingest promises exactly that.
 *
 * This class writes in the caller's thread (tests, tools, and the log writer thread itself); the
 * server writes through `ThreadedSqliteEventStore`, which hands the rows to a thread of their own.
 */
import Database from 'better-sqlite3';
import { openSqlite } from './open-sqlite.ts';
// the time module alone: the log writer thread loads this file, and should start fast
import { instantOf } from '@commandhall/shared/time';
import type { CityEvent } from '@commandhall/shared';
import { appendAtHeadAlone, type EventStore, type NewEvent, type StoredEvent } from './event-store.ts';
import { REPLAY_PAGE, replayPages } from './replay-pages.ts';

interface Row {
  seq: number;
  community: string | null;
  producer: string;
  received_at: number;
  body: string;
}

/**
 * A log row as it is inserted: id, type, occurred_at, received_at, community, producer, body (the
 * event's JSON text). Plain values, so that rows cross to the writer thread cheaply.
 */
export type LogRow = [
  id: string,
  type: string,
  occurredAt: number,
  receivedAt: number,
  community: string | null,
  producer: string,
  body: string,
];

/** The row of a new event. */
export function rowOf(e: NewEvent): LogRow {
  return [e.event.id, e.event.type, instantOf(e.event.occurredAt), e.receivedAt, e.community, e.producer, JSON.stringify(e.event)];
}

/** A row as an event; throws when its body is not one (a hand-edited or damaged log). */
function storedOf(r: Row): StoredEvent {
  const event = JSON.parse(r.body) as CityEvent;
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || typeof event.id !== 'string')
    throw new Error('the stored body is not an event (no id or type)');
  return { seq: r.seq, community: r.community, producer: r.producer, receivedAt: r.received_at, event };
}

export class SqliteEventStore implements EventStore {
  private db: Database.Database;
  private insert: Database.Statement;
  private page: Database.Statement;
  private known: Database.Statement;
  private bySeq: Database.Statement;

  constructor(dataDir: string) {
    this.db = openSqlite(dataDir, 'events', {
      pragmas: ['synchronous = FULL'],
      migrations: [
        `
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        community TEXT,
        producer TEXT NOT NULL,
        body TEXT NOT NULL
      );
      -- no secondary index: nothing queries the log but replay, and each index costs every insert
      DROP INDEX IF EXISTS events_type_time;
    `,
      ],
    });
    this.insert = this.db.prepare(
      `INSERT INTO events (id, type, occurred_at, received_at, community, producer, body)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    // one statement for any batch size: the ids travel as one JSON array
    this.known = this.db.prepare('SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))').pluck();
    this.page = this.db.prepare('SELECT seq, community, producer, received_at, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.bySeq = this.db.prepare(
      'SELECT seq, community, producer, received_at, body FROM events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq',
    );
  }

  async existing(ids: string[]): Promise<Set<string>> {
    return new Set(this.known.all(JSON.stringify(ids)) as string[]);
  }

  async append(events: NewEvent[]): Promise<StoredEvent[]> {
    const seqs = this.insertRows([events.map(rowOf)])[0];
    const stored: StoredEvent[] = [];
    events.forEach((e, i) => seqs[i] && stored.push({ ...e, seq: seqs[i] }));
    return stored;
  }

  /**
   * Inserts batches of rows in one transaction (one commit, one fsync, for all of them); returns
   * each row's seq, 0 for a row whose id is stored already. Throws, storing nothing, if any fails.
   */
  insertRows(batches: LogRow[][]): number[][] {
    return this.db.transaction(() =>
      batches.map((rows) =>
        rows.map((r) => {
          const done = this.insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
          return done.changes === 1 ? Number(done.lastInsertRowid) : 0;
        }),
      ),
    )();
  }

  /** This process is the log's only writer, and ingest runs one batch at a time: `unseen` is what it has not folded yet. */
  appendAtHead(afterSeq: number, decide: (unseen: StoredEvent[]) => Promise<NewEvent[]> | NewEvent[]): Promise<StoredEvent[]> {
    return appendAtHeadAlone(this, afterSeq, decide);
  }

  async replay(
    afterSeq: number,
    onBatch: (events: StoredEvent[]) => unknown,
    onUnreadable?: (seq: number, err: unknown) => void,
  ): Promise<number> {
    return replayPages(afterSeq, (after, limit) => this.page.all(after, limit) as Row[], storedOf, onBatch, onUnreadable);
  }

  /**
   * One page of the log after `afterSeq`: its events, the rows that are not events (with why), and
   * the last seq read (null: nothing after `afterSeq`). What the log reader thread sends on.
   */
  readPage(
    afterSeq: number,
    limit = REPLAY_PAGE,
  ): { events: StoredEvent[]; unreadable: { seq: number; error: string }[]; last: number | null } {
    const rows = this.page.all(afterSeq, limit) as Row[];
    const events: StoredEvent[] = [];
    const unreadable: { seq: number; error: string }[] = [];
    for (const r of rows) {
      try {
        events.push(storedOf(r));
      } catch (err) {
        unreadable.push({ seq: r.seq, error: (err as Error).message });
      }
    }
    return { events, unreadable, last: rows.length ? rows[rows.length - 1].seq : null };
  }

  async read(seqs: number[]): Promise<StoredEvent[]> {
    if (!seqs.length) return [];
    // a row that cannot be read is in the quarantine (LOG_PROJECTION) already: left out here
    return (this.bySeq.all(JSON.stringify(seqs)) as Row[]).flatMap((r) => {
      try {
        return [storedOf(r)];
      } catch {
        return [];
      }
    });
  }

  async lastSeq(): Promise<number> {
    return (this.db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
