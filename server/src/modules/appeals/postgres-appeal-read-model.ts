/**
 * The appeals read model in PostgreSQL (scale-out mode): one set of tables that every node reads
 * and every node folds into. The same rows, codes and query plans as the SQLite model
 * (appeal-read-model-schema.ts, appeal-query-plan.ts) and the same fold (appeal-fold.ts), so both
 * answer every query alike.
 *
 * Each node applies every batch of the shared log, so the same batch arrives from several nodes
 * at once. A batch folds in one transaction that starts by locking the checkpoint row
 * (`SELECT … FOR UPDATE`): appliers queue on it, and each one skips what the one before it
 * committed, so a batch is folded exactly once whoever applies it. The checkpoint moves in the
 * same transaction as the rows. Under that lock the batch costs a few statements whatever its size:
 * the rows it touches are read at once, folded in memory, written back with one upsert.
 *
 * The pool belongs to the app: `close()` leaves it open.
 */
import type pg from 'pg';
import type { StoredEvent } from '../../core/store/event-store.ts';
import { inTransaction, migrate } from '../../core/store/open-postgres.ts';
import type { FoldFailures } from '../../core/store/quarantine.ts';
import { APPEAL_COLUMNS, recordOf, type Row, type TextRow } from './appeal-read-model-schema.ts';
import { appealIdOf, columnsOf, foldAppealEvent } from './appeal-fold.ts';
import { planQuery } from './appeal-query-plan.ts';
import { encodeCursor, type AppealPage, type AppealQuery, type AppealReadModel, type AppealRecord } from './appeal-read-model.ts';

/**
 * The tables (store `appeals` in commandhall_migrations). A read model is rebuilt rather than
 * migrated: a migration that changes what the rows mean empties them and sets the checkpoint to 0,
 * and the next start folds the log again.
 */
const MIGRATIONS = [
  `CREATE TABLE appeal_checkpoint (
     one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
     seq BIGINT NOT NULL
   );
   INSERT INTO appeal_checkpoint (seq) VALUES (0);
   CREATE TABLE appeals (
     rid BIGINT PRIMARY KEY,
     id TEXT COLLATE "C" NOT NULL UNIQUE,
     community TEXT COLLATE "C" NOT NULL,
     street TEXT COLLATE "C" NOT NULL,
     status INTEGER NOT NULL,
     open INTEGER NOT NULL,
     category TEXT COLLATE "C" NOT NULL,
     subcategory TEXT COLLATE "C",
     channel TEXT COLLATE "C" NOT NULL,
     nature TEXT COLLATE "C" NOT NULL,
     reporter_kind INTEGER NOT NULL DEFAULT 0,
     lon DOUBLE PRECISION NOT NULL,
     lat DOUBLE PRECISION NOT NULL,
     unit TEXT,
     created_at BIGINT NOT NULL,
     deadline BIGINT NOT NULL,
     verified_at BIGINT,
     dispatched_at BIGINT,
     resolved_at BIGINT,
     closed_at BIGINT,
     updated_at BIGINT NOT NULL,
     satisfaction TEXT,
     pending_until BIGINT,
     pending_since BIGINT,
     pending_by TEXT,
     pending_reason TEXT,
     extensions INTEGER NOT NULL DEFAULT 0,
     reworks INTEGER NOT NULL DEFAULT 0,
     reopens INTEGER NOT NULL DEFAULT 0,
     last_seq BIGINT NOT NULL
   );
   CREATE TABLE appeal_texts (
     rid BIGINT PRIMARY KEY,
     title TEXT NOT NULL,
     description TEXT,
     address TEXT,
     reporter_name TEXT,
     reporter_phone TEXT
   );
   CREATE TABLE appeal_events (rid BIGINT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (rid, seq));
   -- one index per scope level × sort, in page order with the rid tie-breaker
   CREATE INDEX appeals_created ON appeals (created_at, rid);
   CREATE INDEX appeals_street_created ON appeals (street, created_at, rid);
   CREATE INDEX appeals_community_created ON appeals (community, created_at, rid);
   CREATE INDEX appeals_deadline ON appeals (deadline, rid);
   CREATE INDEX appeals_street_deadline ON appeals (street, deadline, rid);
   CREATE INDEX appeals_community_deadline ON appeals (community, deadline, rid);
   CREATE INDEX appeals_status ON appeals (status, created_at, rid);
   CREATE INDEX appeals_street_status ON appeals (street, status, created_at, rid);
   CREATE INDEX appeals_community_status ON appeals (community, status, created_at, rid);
   -- the few open appeals among the many closed ones, and the few with a pending extension
   CREATE INDEX appeals_open ON appeals (deadline, rid) WHERE open = 1;
   CREATE INDEX appeals_street_open ON appeals (street, deadline, rid) WHERE open = 1;
   CREATE INDEX appeals_community_open ON appeals (community, deadline, rid) WHERE open = 1;
   CREATE INDEX appeals_pending ON appeals (created_at, rid) WHERE pending_until IS NOT NULL;
   CREATE INDEX appeals_community_pending ON appeals (community, created_at, rid) WHERE pending_until IS NOT NULL;
   CREATE INDEX appeals_community_enterprise ON appeals (community, created_at, rid) WHERE reporter_kind = 1;
   CREATE INDEX appeals_category ON appeals (category, created_at, rid);`,
  // 2: an appeal that ended (closed, rejected) lets its pending extension request lapse, as the
  // fold now does: the rows folded before are brought to what folding them again would give
  `UPDATE appeals SET pending_until = NULL, pending_since = NULL, pending_by = NULL, pending_reason = NULL
   WHERE open = 0 AND pending_until IS NOT NULL`,
];

/** New rows inserted, folded ones overwritten (every column but rid): one statement per batch. */
const UPSERT = `INSERT INTO appeals SELECT * FROM jsonb_populate_recordset(NULL::appeals, $1::jsonb)
  ON CONFLICT (rid) DO UPDATE SET (${APPEAL_COLUMNS.join(', ')}) = ROW(${APPEAL_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`;

export class PostgresAppealReadModel implements AppealReadModel {
  private constructor(private pool: pg.Pool) {}

  /** Brings the tables up to date (`migrate`, store `appeals`); nodes starting together take turns. */
  static async open(pool: pg.Pool): Promise<PostgresAppealReadModel> {
    await migrate(pool, 'appeals', MIGRATIONS);
    return new PostgresAppealReadModel(pool);
  }

  async checkpoint(): Promise<number> {
    return (await this.pool.query<{ seq: number }>('SELECT seq FROM appeal_checkpoint')).rows[0].seq;
  }

  /**
   * One transaction under the checkpoint row's lock: the events above the checkpoint folded, the
   * checkpoint moved. If one cannot be folded and `failures` is given, the batch is folded again
   * event by event (a savepoint each): the ones that fail go to the quarantine, the rest land.
   */
  async apply(events: StoredEvent[], failures?: FoldFailures): Promise<void> {
    if (!events.length) return;
    let first = Infinity;
    let last = 0;
    const todo: StoredEvent[] = [];
    for (const e of events) {
      first = Math.min(first, e.seq);
      last = Math.max(last, e.seq);
      if (e.event.type.startsWith('appeal.') && !failures?.holds(e.seq)) todo.push(e);
    }
    if (!todo.length) {
      // nothing to fold: the checkpoint steps over the batch, but only from just before it (an
      // earlier batch not folded yet, on this node or another, must not be stepped over)
      await this.pool.query('UPDATE appeal_checkpoint SET seq = $2 WHERE seq >= $1::bigint - 1 AND seq < $2', [first, last]);
      return;
    }
    await inTransaction(this.pool, async (client) => {
      const cp = (await client.query<{ seq: number }>('SELECT seq FROM appeal_checkpoint FOR UPDATE')).rows[0].seq;
      if (last <= cp) return; // folded already, here or by another node
      const fresh = todo.filter((e) => e.seq > cp);
      if (fresh.length) await this.foldChecked(client, fresh, failures);
      await client.query('UPDATE appeal_checkpoint SET seq = $1', [last]);
    });
  }

  private async foldChecked(client: pg.PoolClient, events: StoredEvent[], failures?: FoldFailures): Promise<void> {
    if (!failures) return this.fold(client, events);
    await client.query('SAVEPOINT batch');
    try {
      await this.fold(client, events);
      await client.query('RELEASE SAVEPOINT batch');
      return;
    } catch {
      await client.query('ROLLBACK TO SAVEPOINT batch');
    }
    for (const e of events) {
      await client.query('SAVEPOINT one');
      try {
        await this.fold(client, [e]);
        await client.query('RELEASE SAVEPOINT one');
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT one');
        failures.failed(e, err);
      }
    }
  }

  /**
   * The rows the events are about, read at once (the checkpoint lock keeps other appliers out),
   * each event folded in log order by the shared rule, then written: new and changed rows in one
   * upsert, the texts of new ones, the timeline steps. New rows get the next rids in arrival order,
   * as SQLite numbers them, so that ties in a sort break the same way in both.
   */
  private async fold(client: pg.PoolClient, events: StoredEvent[]): Promise<void> {
    const keyOf = (id: unknown) => (typeof id === 'string' || typeof id === 'number' ? String(id) : undefined);
    const ids = [...new Set(events.map((e) => keyOf(appealIdOf(e))).filter((id) => id !== undefined))];
    const rows = new Map<string, Row>();
    if (ids.length)
      for (const r of (await client.query<Row>('SELECT * FROM appeals WHERE id = ANY($1::text[])', [ids])).rows) rows.set(r.id, r);
    let rid: number | undefined;
    const changed = new Map<number, Row>();
    const texts: TextRow[] = [];
    const steps: { rid: number[]; seq: number[] } = { rid: [], seq: [] };
    for (const e of events) {
      const key = keyOf(appealIdOf(e));
      const current = key === undefined ? undefined : rows.get(key);
      const f = foldAppealEvent(current, e);
      if (!f) continue;
      let row: Row;
      if (f.kind === 'created') {
        rid ??= (await client.query<{ r: number }>('SELECT coalesce(max(rid), 0) AS r FROM appeals')).rows[0].r;
        row = { ...f.columns, rid: ++rid };
        texts.push({ ...f.texts, rid: row.rid });
      } else row = { ...f.columns, rid: current!.rid };
      rows.set(String(row.id), row);
      changed.set(row.rid, row);
      steps.rid.push(row.rid);
      steps.seq.push(e.seq);
    }
    if (!changed.size) return;
    await client.query(UPSERT, [JSON.stringify([...changed.values()].map((r) => ({ rid: r.rid, ...columnsOf(r) })))]);
    if (texts.length)
      await client.query(
        'INSERT INTO appeal_texts SELECT * FROM jsonb_populate_recordset(NULL::appeal_texts, $1::jsonb) ON CONFLICT DO NOTHING',
        [JSON.stringify(texts)],
      );
    await client.query('INSERT INTO appeal_events (rid, seq) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING', [
      steps.rid,
      steps.seq,
    ]);
  }

  async get(id: string): Promise<AppealRecord | undefined> {
    const r = (await this.pool.query<Row>('SELECT * FROM appeals WHERE id = $1', [id])).rows[0];
    if (!r) return undefined;
    const t = (await this.pool.query<TextRow>('SELECT * FROM appeal_texts WHERE rid = $1', [r.rid])).rows[0];
    return recordOf(r, t);
  }

  async timeline(id: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ seq: number }>(
      'SELECT seq FROM appeal_events WHERE rid = (SELECT rid FROM appeals WHERE id = $1) ORDER BY seq',
      [id],
    );
    return rows.map((r) => r.seq);
  }

  async list(q: AppealQuery): Promise<AppealPage> {
    const p = planQuery(q, 'postgres');
    const rows = (await this.pool.query<Row>(p.sql, [...p.args, p.limit + 1])).rows;
    const more = rows.length > p.limit;
    if (more) rows.length = p.limit;
    const last = rows[rows.length - 1] as unknown as Record<string, number> | undefined;
    const nextCursor = more && last ? encodeCursor({ sort: p.sort, order: p.order, key: p.keyColumns.map((c) => last[c]) }) : null;
    let total = 0;
    if (p.cap > 0) total = (await this.pool.query<{ n: number }>(p.countSql, [...p.countArgs, p.cap + 1])).rows[0].n;
    const texts = new Map<number, TextRow>();
    if (rows.length) {
      const { rows: found } = await this.pool.query<TextRow>('SELECT * FROM appeal_texts WHERE rid = ANY($1::bigint[])', [
        rows.map((r) => r.rid),
      ]);
      for (const t of found) texts.set(t.rid, t);
    }
    return { items: rows.map((r) => recordOf(r, texts.get(r.rid))), nextCursor, total: Math.min(total, p.cap), totalExact: total <= p.cap };
  }

  /** Emptied under the checkpoint lock, so that no batch lands half before and half after. */
  async reset(): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT seq FROM appeal_checkpoint FOR UPDATE');
      await client.query('TRUNCATE appeals, appeal_texts, appeal_events');
      await client.query('UPDATE appeal_checkpoint SET seq = 0');
    });
  }

  /** The query plans of a list query and its count (EXPLAIN), for tuning. */
  async explain(q: AppealQuery): Promise<{ page: string[]; count: string[] }> {
    const p = planQuery(q, 'postgres');
    const plan = async (sql: string, args: unknown[]) =>
      (await this.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, args)).rows.map((r) => r['QUERY PLAN']);
    return { page: await plan(p.sql, [...p.args, p.limit + 1]), count: await plan(p.countSql, [...p.countArgs, p.cap + 1]) };
  }

  /** The pool belongs to the app (every store shares it): closing the model leaves it open. */
  async close(): Promise<void> {}
}
