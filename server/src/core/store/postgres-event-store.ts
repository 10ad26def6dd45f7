/**
 * The event log in PostgreSQL, shared by every node of a scale-out deployment (`DATABASE_URL`).
 *
 * Seqs are commit-ordered: an append takes a transaction-scoped advisory lock before it reads the
 * head, so appends are serialised until they commit and a reader that has seen seq N can never
 * later meet a row below N committing late (what a plain BIGSERIAL read as `seq > last` allows).
 * Every commit notifies `commandhall_events`; followers wake on it and read from their own last
 * seq, and also look every second, so a missed notification delays an event, never skips it.
 * `synchronous_commit` stays on: a 2xx from ingest means the event is on the primary's disk.
 */
import type pg from 'pg';
import type { CityEvent } from '@commandhall/shared';
import { instantOf } from '@commandhall/shared';
import type { EventStore, NewEvent, StoredEvent } from './event-store.ts';
import { replayPages } from './replay-pages.ts';
import { LOCK, inTransaction, migrate } from './open-postgres.ts';

const CHANNEL = 'commandhall_events';
/** How often a follower looks for events without being woken (a notification lost in a reconnect). */
const FOLLOW_POLL_MS = 1000;

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS events (
     seq BIGINT PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     type TEXT NOT NULL,
     occurred_at BIGINT NOT NULL,
     received_at BIGINT NOT NULL,
     community TEXT,
     producer TEXT NOT NULL,
     body JSONB NOT NULL
   )`,
];

interface Row {
  seq: number;
  community: string | null;
  producer: string;
  received_at: number;
  body: unknown;
}

const COLUMNS = 'seq, community, producer, received_at, body';

function storedOf(r: Row): StoredEvent {
  const event = r.body as CityEvent;
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || typeof event.id !== 'string')
    throw new Error('the stored body is not an event (no id or type)');
  return { seq: r.seq, community: r.community, producer: r.producer, receivedAt: r.received_at, event };
}

export class PostgresEventStore implements EventStore {
  private constructor(private pool: pg.Pool) {}

  static async open(pool: pg.Pool): Promise<PostgresEventStore> {
    await migrate(pool, 'events', MIGRATIONS);
    return new PostgresEventStore(pool);
  }

  async existing(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM events WHERE id = ANY($1::text[])', [ids]);
    return new Set(rows.map((r) => r.id));
  }

  append(events: NewEvent[]): Promise<StoredEvent[]> {
    return this.appendAtHead(Number.MAX_SAFE_INTEGER, async () => events);
  }

  async appendAtHead(afterSeq: number, decide: (unseen: StoredEvent[]) => Promise<NewEvent[]> | NewEvent[]): Promise<StoredEvent[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK.append]);
      const head = Number((await client.query<{ h: number | null }>('SELECT max(seq) AS h FROM events')).rows[0].h ?? 0);
      const unseen = afterSeq < head ? await this.after(client, afterSeq, head) : [];
      const events = await decide(unseen);
      const known = events.length
        ? new Set(
            (
              await client.query<{ id: string }>('SELECT id FROM events WHERE id = ANY($1::text[])', [events.map((e) => e.event.id)])
            ).rows.map((r) => r.id),
          )
        : new Set<string>();
      const fresh: NewEvent[] = [];
      for (const e of events) {
        if (known.has(e.event.id)) continue;
        known.add(e.event.id); // the same id twice in one batch: the first one counts
        fresh.push(e);
      }
      const stored = fresh.map((e, i) => ({ ...e, seq: head + 1 + i }));
      if (stored.length) {
        await client.query(
          `INSERT INTO events (seq, id, type, occurred_at, received_at, community, producer, body)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::jsonb[])`,
          [
            stored.map((e) => e.seq),
            stored.map((e) => e.event.id),
            stored.map((e) => e.event.type),
            stored.map((e) => instantOf(e.event.occurredAt)),
            stored.map((e) => e.receivedAt),
            stored.map((e) => e.community),
            stored.map((e) => e.producer),
            stored.map((e) => JSON.stringify(e.event)),
          ],
        );
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, String(stored[stored.length - 1].seq)]);
      }
      return stored;
    });
  }

  private async after(client: pg.PoolClient | pg.Pool, afterSeq: number, upTo = Number.MAX_SAFE_INTEGER): Promise<StoredEvent[]> {
    const { rows } = await client.query<Row>(`SELECT ${COLUMNS} FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq`, [afterSeq, upTo]);
    return rows.flatMap((r) => {
      try {
        return [storedOf(r)];
      } catch {
        return []; // unreadable rows are the replay's to report (it quarantines them)
      }
    });
  }

  async replay(
    afterSeq: number,
    onBatch: (events: StoredEvent[]) => unknown,
    onUnreadable?: (seq: number, err: unknown) => void,
  ): Promise<number> {
    return replayPages(
      afterSeq,
      async (after, limit) =>
        (await this.pool.query<Row>(`SELECT ${COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit])).rows,
      storedOf,
      onBatch,
      onUnreadable,
    );
  }

  /**
   * Calls `wake` when other writers may have appended (a notification, or every second), until
   * the returned function is called. The caller reads from its own last seq (`replay`), so a
   * wake-up too many costs a query and one too few only a second.
   */
  follow(wake: () => void): () => Promise<void> {
    let listener: pg.PoolClient | null = null;
    let stopped = false;
    // a connection that breaks while being stopped is released by both: once is what the pool allows
    const released = new WeakSet<pg.PoolClient>();
    const release = (c: pg.PoolClient, destroy?: boolean) => {
      if (released.has(c)) return;
      released.add(c);
      c.release(destroy);
    };
    const listen = async () => {
      try {
        const c = await this.pool.connect();
        if (stopped) return void c.release();
        c.on('notification', () => wake());
        c.on('error', () => {
          // the connection broke (a restart, a failover): listen again on a new one; the poll covers the gap
          release(c, true);
          if (listener === c) listener = null;
          if (!stopped) setTimeout(() => void listen(), FOLLOW_POLL_MS);
        });
        await c.query(`LISTEN ${CHANNEL}`);
        listener = c;
        wake(); // anything appended before LISTEN took effect
      } catch {
        if (!stopped) setTimeout(() => void listen(), FOLLOW_POLL_MS);
      }
    };
    void listen();
    const poll = setInterval(wake, FOLLOW_POLL_MS);
    poll.unref?.();
    return async () => {
      stopped = true;
      clearInterval(poll);
      const c = listener;
      listener = null;
      if (c) {
        await c.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
        release(c);
      }
    };
  }

  async read(seqs: number[]): Promise<StoredEvent[]> {
    if (!seqs.length) return [];
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM events WHERE seq = ANY($1::bigint[]) ORDER BY seq`, [seqs]);
    return rows.flatMap((r) => {
      try {
        return [storedOf(r)];
      } catch {
        return [];
      }
    });
  }

  async lastSeq(): Promise<number> {
    return Number((await this.pool.query<{ h: number | null }>('SELECT max(seq) AS h FROM events')).rows[0].h ?? 0);
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: number }>('SELECT count(*)::bigint AS n FROM events')).rows[0].n);
  }

  /** The pool belongs to the app (every store shares it): closing the log leaves it open. */
  async close(): Promise<void> {}
}
