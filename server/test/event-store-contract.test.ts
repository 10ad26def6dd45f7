/**
 * What every event log promises its callers (core/store/event-store.ts), checked on the embedded
 * SQLite log and on PostgreSQL alike: durable ordered appends, duplicates skipped, replay in
 * order from any seq, unreadable rows reported, and appends decided against the whole log. On
 * PostgreSQL also what several nodes need: two writers at once are serialised and each sees what
 * the other appended, a follower is woken by another node's append, and seqs are commit-ordered.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore, NewEvent, StoredEvent } from '../src/core/store/event-store.ts';
import { SqliteEventStore } from '../src/core/store/sqlite-event-store.ts';
import { ThreadedSqliteEventStore } from '../src/core/store/threaded-sqlite-event-store.ts';
import { PostgresEventStore } from '../src/core/store/postgres-event-store.ts';
import { openPool } from '../src/core/store/open-postgres.ts';
import { appealCreated, tempDir } from './helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from './services.ts';

const T0 = Date.parse('2026-11-27T02:00:00Z');
const ev = (i: number, id = `E-${i}`): NewEvent => ({
  event: appealCreated(T0 + i * 1000, { appealId: `AP-C-${i}`, id }),
  community: '440310001001',
  producer: 'test',
  receivedAt: T0 + i * 1000,
});
const ids = (s: StoredEvent[]) => s.map((e) => e.event.id);

interface Kind {
  name: string;
  open: () => Promise<{ store: EventStore; corrupt: (seq: number) => Promise<void>; close: () => Promise<void> }>;
}

const sqlite: Kind = {
  name: 'SQLite',
  open: async () => {
    const tmp = tempDir();
    const store = new SqliteEventStore(tmp.dir);
    return {
      store,
      corrupt: async (seq) => {
        const db = new Database(join(tmp.dir, 'events.sqlite'));
        db.prepare('UPDATE events SET body = ? WHERE seq = ?').run('{"not":"an event"}', seq);
        db.close();
      },
      close: async () => (await store.close(), tmp.remove()),
    };
  },
};

/** The server's embedded log: the same file, appends written by its writer thread. */
const threaded: Kind = {
  name: 'SQLite with its writer thread',
  open: async () => {
    const tmp = tempDir();
    const store = await ThreadedSqliteEventStore.open(tmp.dir);
    return {
      store,
      corrupt: sqliteCorrupt(tmp.dir),
      close: async () => (await store.close(), tmp.remove()),
    };
  },
};

function sqliteCorrupt(dir: string) {
  return async (seq: number) => {
    const db = new Database(join(dir, 'events.sqlite'));
    db.prepare('UPDATE events SET body = ? WHERE seq = ?').run('{"not":"an event"}', seq);
    db.close();
  };
}

const missing = await postgresMissing();
if (missing) saySkipped('the event log contract on PostgreSQL', missing);
const databases: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of databases) await drop();
});
async function postgresStore(url?: string) {
  if (!url) {
    const db = await freshDatabase();
    databases.push(db.drop);
    url = db.url;
  }
  const pool = openPool(url, 4);
  const store = await PostgresEventStore.open(pool);
  return {
    url,
    store,
    corrupt: async (seq: number) => void (await pool.query(`UPDATE events SET body = '{"not":"an event"}' WHERE seq = $1`, [seq])),
    close: async () => (await store.close(), await pool.end()),
  };
}
const postgres: Kind = { name: 'PostgreSQL', open: () => postgresStore() };

for (const kind of missing ? [sqlite, threaded] : [sqlite, threaded, postgres]) {
  describe(`the event log on ${kind.name}`, () => {
    let s: Awaited<ReturnType<Kind['open']>>;
    beforeEach(async () => void (s = await kind.open()));
    afterEach(() => s.close());

    it('appends in order with increasing seqs, skips ids already stored, and counts', async () => {
      expect(await s.store.lastSeq()).toBe(0);
      const first = await s.store.append([ev(1), ev(2), ev(3)]);
      expect(ids(first)).toEqual(['E-1', 'E-2', 'E-3']);
      expect(first.map((e) => e.seq)).toEqual([...first.map((e) => e.seq)].sort((a, b) => a - b));
      const again = await s.store.append([ev(2), ev(4), ev(4, 'E-4')]);
      expect(ids(again)).toEqual(['E-4']); // E-2 is stored; the second E-4 of the batch is a duplicate
      expect(again[0].seq).toBeGreaterThan(first[2].seq);
      expect(await s.store.count()).toBe(4);
      expect(await s.store.lastSeq()).toBe(again[0].seq);
      expect([...(await s.store.existing(['E-1', 'E-4', 'E-9']))].sort()).toEqual(['E-1', 'E-4']);
    });

    it('keeps the event as sent, with its place, producer and receipt time', async () => {
      const [stored] = await s.store.append([ev(1)]);
      const [read] = await s.store.read([stored.seq]);
      expect(read).toEqual(stored);
      expect(read.event).toEqual(ev(1).event);
      expect(await s.store.read([stored.seq + 100])).toEqual([]);
    });

    it('replays from any seq in order, page after page, and names a row that is not an event', async () => {
      const all = await s.store.append(Array.from({ length: 12_000 }, (_, i) => ev(i)));
      const seen: number[] = [];
      const last = await s.store.replay(all[4999].seq, (batch) => void seen.push(...batch.map((e) => e.seq)));
      expect(last).toBe(all[all.length - 1].seq);
      expect(seen).toEqual(all.slice(5000).map((e) => e.seq));

      await s.corrupt(all[10].seq);
      await expect(s.store.replay(0, () => {})).rejects.toThrow(`event #${all[10].seq} of the log cannot be read`);
      const unreadable: number[] = [];
      let folded = 0;
      await s.store.replay(
        0,
        (b) => void (folded += b.length),
        (seq) => void unreadable.push(seq),
      );
      expect(unreadable).toEqual([all[10].seq]);
      expect(folded).toBe(all.length - 1);
    });

    it('decides an append against what it has not folded yet', async () => {
      const before = await s.store.append([ev(1), ev(2)]);
      let unseen: StoredEvent[] = [];
      const stored = await s.store.appendAtHead(before[0].seq, (u) => ((unseen = u), [ev(3)]));
      expect(ids(unseen)).toEqual(['E-2']);
      expect(ids(stored)).toEqual(['E-3']);
      await s.store.appendAtHead(stored[0].seq, (u) => ((unseen = u), []));
      expect(unseen).toEqual([]);
    });
  });
}

describe('the embedded log written by its thread, appends in order', () => {
  it('refuses, unwritten, every append decided after one that failed; the others land', async () => {
    const tmp = tempDir();
    const store = await ThreadedSqliteEventStore.open(tmp.dir);
    try {
      // a write that fails, as a full disk would: a trigger of another connection refuses one id
      const db = new Database(join(tmp.dir, 'events.sqlite'));
      db.exec(`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.id = 'BOOM' BEGIN SELECT RAISE(ABORT, 'disk is full'); END`);
      db.close();
      const first = store.submit([ev(1)], null);
      const failing = store.submit([ev(2), ev(3, 'BOOM')], first.ticket);
      const over = store.submit([ev(4)], failing.ticket);
      const overThat = store.submit([ev(5)], over.ticket);
      const outcome = (p: Promise<StoredEvent[]>) => p.then(ids, (e: Error) => e.message);
      const [a, b, c, d] = await Promise.all([first, failing, over, overThat].map((x) => outcome(x.stored)));
      expect(a).toEqual(['E-1']);
      expect(b).toMatch(/disk is full/);
      expect(c).toMatch(new RegExp(`decided after batch ${failing.ticket}, which could not be stored`));
      expect(d).toMatch(new RegExp(`decided after batch ${over.ticket}`));
      // one decided against the landed one only, after the failure, lands
      expect(ids(await store.submit([ev(6)], first.ticket).stored)).toEqual(['E-6']);
      const all: string[] = [];
      await store.replay(0, (batch) => void all.push(...ids(batch)));
      expect(all).toEqual(['E-1', 'E-6']);
    } finally {
      await store.close();
      tmp.remove();
    }
  });

  it('a long replay, read on a thread of its own: every event once, in order; a row that is not an event named or handed over', async () => {
    const tmp = tempDir();
    const store = await ThreadedSqliteEventStore.open(tmp.dir);
    try {
      const n = 60_000; // above the size from which a replay is read on a thread
      for (let i = 0; i < n; i += 5000) await store.append(Array.from({ length: 5000 }, (_, k) => ev(i + k)));
      await sqliteCorrupt(tmp.dir)(31_000);
      await expect(store.replay(0, () => {})).rejects.toThrow('event #31000 of the log cannot be read');
      const seqs: number[] = [];
      const unreadable: number[] = [];
      const last = await store.replay(
        10,
        (batch) => void seqs.push(...batch.map((e) => e.seq)),
        (seq) => void unreadable.push(seq),
      );
      expect(last).toBe(n);
      expect(unreadable).toEqual([31_000]);
      expect(seqs).toEqual(Array.from({ length: n - 10 }, (_, i) => i + 11).filter((s) => s !== 31_000));
    } finally {
      await store.close();
      tmp.remove();
    }
  });

  it('appends handed over together are all stored, in the order given, seqs without gaps', async () => {
    const tmp = tempDir();
    const store = await ThreadedSqliteEventStore.open(tmp.dir);
    try {
      let after: number | null = null;
      const handed = Array.from({ length: 20 }, (_, i) => {
        const x = store.submit([ev(i * 2), ev(i * 2 + 1)], after);
        after = x.ticket;
        return x.stored;
      });
      const stored = (await Promise.all(handed)).flat();
      expect(ids(stored)).toEqual(Array.from({ length: 40 }, (_, i) => `E-${i}`));
      expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    } finally {
      await store.close();
      tmp.remove();
    }
  });
});

describe.skipIf(missing)('the event log shared by several nodes (PostgreSQL)', () => {
  it('serialises two writers: each decides against the other’s events, and seqs follow commit order', async () => {
    const a = await postgresStore();
    const b = await postgresStore(a.url);
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let bSaw: StoredEvent[] | null = null;
      // A holds the append lock while it "decides"; B starts meanwhile and must wait for A's commit
      const aDone = a.store.appendAtHead(0, async () => (await held, [ev(1)]));
      await new Promise((r) => setTimeout(r, 200));
      const bDone = b.store.appendAtHead(0, (u) => ((bSaw = u), [ev(2)]));
      await new Promise((r) => setTimeout(r, 200));
      expect(bSaw).toBeNull(); // still waiting
      release();
      const [ra, rb] = await Promise.all([aDone, bDone]);
      expect(ids(bSaw!)).toEqual(['E-1']);
      expect(rb[0].seq).toBeGreaterThan(ra[0].seq);
      expect(ids(await b.store.read([ra[0].seq, rb[0].seq]))).toEqual(['E-1', 'E-2']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('many writers at once: every event stored once, seqs without gaps or repeats', async () => {
    const first = await postgresStore();
    const writers = [first, await postgresStore(first.url), await postgresStore(first.url)];
    try {
      const batches = Array.from({ length: 30 }, (_, i) => [ev(i * 3), ev(i * 3 + 1), ev(i * 3 + 2)]);
      const stored = (await Promise.all(batches.map((b, i) => writers[i % 3].store.append(b)))).flat();
      const seqs = stored.map((e) => e.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
      expect(await writers[1].store.count()).toBe(90);
    } finally {
      for (const w of writers) await w.close();
    }
  });

  it('wakes a follower when another node appends', async () => {
    const a = await postgresStore();
    const b = await postgresStore(a.url);
    let wakes = 0;
    const stop = b.store.follow!(() => wakes++);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const base = wakes;
      await a.store.append([ev(1)]);
      for (let i = 0; i < 50 && wakes === base; i++) await new Promise((r) => setTimeout(r, 20));
      expect(wakes).toBeGreaterThan(base);
      const seen: string[] = [];
      await b.store.replay(0, (batch) => void seen.push(...ids(batch)));
      expect(seen).toEqual(['E-1']);
    } finally {
      await stop();
      await a.close();
      await b.close();
    }
  });

  it('refuses tables written by a later version', async () => {
    const a = await postgresStore();
    const pool = new pg.Pool({ connectionString: a.url });
    try {
      await pool.query("INSERT INTO commandhall_migrations (store, version) VALUES ('events', 99)");
      await expect(PostgresEventStore.open(pool)).rejects.toThrow(/schema version 99, newer than this server's 1/);
    } finally {
      await pool.end();
      await a.close();
    }
  });
});
