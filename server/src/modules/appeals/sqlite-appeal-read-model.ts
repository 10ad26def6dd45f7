/**
 * The appeals read model in SQLite (`appeals.sqlite` beside the event log). A projection, so
 * `synchronous = NORMAL`: a power cut may lose the last batches, but they roll back together with
 * the checkpoint and are applied again from the log on start.
 *
 * Paging is keyset paging on (sort key…, rid): `rid` is the row's arrival number, so ties break
 * the same way on every page. Each supported scope × sort has an index that yields rows already
 * in order, so a page reads about `limit` rows plus whatever the filters skip; see
 * docs/appeals.md for the indexes and measured times at 1,000,000 appeals.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open-sqlite.ts';
import type { StoredEvent } from '../../core/store/event-store.ts';
import { APPEAL_COLUMNS, SCHEMA, SCHEMA_VERSION, recordOf, type Row, type TextRow } from './appeal-read-model-schema.ts';
import { UPDATED_COLUMNS, appealIdOf, foldAppealEvent, type AppealUpdate } from './appeal-fold.ts';
import { planQuery } from './appeal-query-plan.ts';
import type { FoldFailures } from '../../core/store/quarantine.ts';
import { encodeCursor, type AppealPage, type AppealQuery, type AppealReadModel, type AppealRecord } from './appeal-read-model.ts';

/** What a transition that leaves `open` as it was writes. */
const STEP_WITHIN_OPEN = UPDATED_COLUMNS.transitioned.filter((c) => c !== 'open');

/** Below this many appeals the planner's defaults do well: no statistics are kept. */
const ANALYZE_FROM = 1000;
/** Above this many, statistics are refreshed at start only (ANALYZE stalls for a while). */
const ANALYZE_LIVE_UP_TO = 200_000;
/** How often (in folded events) the need for fresh statistics is checked. */
const ANALYZE_CHECK_EVERY = 20_000;

/** Prepared statements of list queries, by SQL text: the query shapes are few, the parameters many. */
const STATEMENT_CACHE = 256;

export class SqliteAppealReadModel implements AppealReadModel {
  private db: Database.Database;
  private cp = 0;
  private foldedSinceCheck = 0;
  private statements = new Map<string, Database.Statement>();
  private s!: ReturnType<SqliteAppealReadModel['prepare']>;

  /**
   * Opens the read model in `dataDir`, its tables made or rebuilt as needed. With `readOnly` (the
   * server's main thread, beside the writer thread that owns the file) it only reads: the file
   * must have been opened for writing first, and `apply`, `reset` and `checkpoint` are not for it.
   */
  constructor(dataDir: string, opts: { readOnly?: boolean } = {}) {
    const pragmas = [
      'cache_size = -131072', // 128 MiB: the hot index pages of a million rows
      'temp_store = MEMORY',
      'mmap_size = 1073741824', // reads without a system call per page
    ];
    if (opts.readOnly) {
      this.db = new Database(join(dataDir, 'appeals.sqlite'), { readonly: true, fileMustExist: true });
      for (const p of pragmas) this.db.pragma(p);
      this.s = this.prepare();
      return;
    }
    this.db = openSqlite(dataDir, 'appeals', {
      // a projection: what a crash loses is folded again from the log; a checkpoint every 16 MiB
      // of WAL instead of 4 copies the hot index pages a quarter as often (12 % of a fold's cost)
      pragmas: ['synchronous = NORMAL', 'wal_autocheckpoint = 4000', ...pragmas],
      // a read model is rebuilt from the log when its schema changes (SCHEMA_VERSION in meta), not migrated
      migrations: [],
    });
    this.open();
  }

  private open(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const version = this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as string | undefined;
    if (version !== undefined && version !== SCHEMA_VERSION) this.drop();
    this.db.exec(SCHEMA);
    this.db
      .prepare("INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(SCHEMA_VERSION);
    this.s = this.prepare();
    this.cp = Number(this.s.getCheckpoint.get() ?? 0);
    this.maybeAnalyze(true);
  }

  /**
   * The planner picks each list query's index from statistics, and sampled ones mislead it (a
   * status that is 90 % of the rows looks like one in seven): they are computed in full when
   * missing or when the table has doubled since, at start at any size (about 2 s at a million
   * rows) and while running only while that stays cheap.
   */
  private maybeAnalyze(starting: boolean): void {
    const rows = (this.db.prepare('SELECT max(rid) FROM appeals').pluck().get() as number | null) ?? 0;
    const analyzed = Number(this.db.prepare("SELECT value FROM meta WHERE key = 'analyzed_rows'").pluck().get() ?? 0);
    if (rows < ANALYZE_FROM || rows < 2 * analyzed || (!starting && rows > ANALYZE_LIVE_UP_TO)) return;
    this.db.exec('ANALYZE');
    this.db
      .prepare("INSERT INTO meta (key, value) VALUES ('analyzed_rows', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(String(rows));
    this.statements.clear();
  }

  private drop(): void {
    this.db.exec('DROP TABLE IF EXISTS appeals; DROP TABLE IF EXISTS appeal_texts; DROP TABLE IF EXISTS appeal_events; DELETE FROM meta;');
    this.statements.clear();
  }

  private prepare() {
    const db = this.db;
    return {
      getCheckpoint: db.prepare("SELECT value FROM meta WHERE key = 'checkpoint'").pluck(),
      setCheckpoint: db.prepare(
        "INSERT INTO meta (key, value) VALUES ('checkpoint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
      // the fold (appeal-fold.ts) computes the values; an update writes only the columns its kind changes
      // positional parameters: binding by name costs a lookup per column per row
      insert: db
        .prepare(`INSERT INTO appeals (${APPEAL_COLUMNS.join(', ')}) VALUES (${APPEAL_COLUMNS.map(() => '?').join(', ')}) RETURNING rid`)
        .pluck(),
      update: Object.fromEntries(
        Object.entries(UPDATED_COLUMNS).map(([kind, columns]) => [
          kind,
          db.prepare(`UPDATE appeals SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE rid = ?`),
        ]),
      ) as Record<AppealUpdate, Database.Statement>,
      // a step between open statuses leaves `open` as it was: not naming it in the SET spares the
      // three partial indexes on it, which SQLite rewrites for every column named, changed or not
      stepWithinOpen: db.prepare(`UPDATE appeals SET ${STEP_WITHIN_OPEN.map((c) => `${c} = ?`).join(', ')} WHERE rid = ?`),
      texts: db.prepare(
        `INSERT INTO appeal_texts (rid, title, description, address, reporter_name, reporter_phone)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      textsOf: db.prepare('SELECT * FROM appeal_texts WHERE rid = ?'),
      textsIn: db.prepare('SELECT * FROM appeal_texts WHERE rid IN (SELECT value FROM json_each(?))'),
      step: db.prepare('INSERT INTO appeal_events (rid, seq) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      get: db.prepare('SELECT * FROM appeals WHERE id = ?'),
      timeline: db.prepare('SELECT seq FROM appeal_events WHERE rid = (SELECT rid FROM appeals WHERE id = ?) ORDER BY seq').pluck(),
    };
  }

  async checkpoint(): Promise<number> {
    return this.cp;
  }

  async apply(events: StoredEvent[], failures?: FoldFailures): Promise<void> {
    this.applySync(events, failures);
  }

  /**
   * The synchronous core of apply (SQLite works synchronously). A batch folds in one transaction;
   * if an event in it cannot be folded and `failures` is given, the batch is folded again event by
   * event, each in its own transaction, and the ones that fail go to the quarantine (skipped from
   * then on) while the rest land.
   */
  applySync(events: StoredEvent[], failures?: FoldFailures): void {
    let last = this.cp;
    const todo: StoredEvent[] = [];
    for (const e of events) {
      if (e.seq <= this.cp) continue;
      if (e.seq > last) last = e.seq;
      if (e.event.type.startsWith('appeal.') && !failures?.holds(e.seq)) todo.push(e);
    }
    if (last === this.cp) return;
    // a batch without appeals moves the checkpoint in memory only: replaying it again changes nothing
    if (todo.length) {
      const all = this.db.transaction(() => {
        for (const e of todo) this.fold(e);
        this.s.setCheckpoint.run(String(last));
      });
      try {
        all();
      } catch (err) {
        if (!failures) throw err;
        const one = this.db.transaction((e: StoredEvent) => this.fold(e));
        for (const e of todo) {
          try {
            one(e);
          } catch (foldErr) {
            failures.failed(e, foldErr);
          }
        }
        this.s.setCheckpoint.run(String(last));
      }
    }
    this.cp = last;
    this.foldedSinceCheck += todo.length;
    if (this.foldedSinceCheck >= ANALYZE_CHECK_EVERY) {
      this.foldedSinceCheck = 0;
      this.maybeAnalyze(false);
    }
  }

  /** One event: its appeal's row read, folded by the shared rule (appeal-fold.ts), written back. */
  private fold(stored: StoredEvent): void {
    const current = this.s.get.get(appealIdOf(stored)) as Row | undefined;
    const f = foldAppealEvent(current, stored);
    if (!f) return;
    let rid: number;
    if (f.kind === 'created') {
      const c = f.columns as unknown as Record<string, unknown>;
      rid = this.s.insert.get(APPEAL_COLUMNS.map((k) => c[k])) as number;
      const t = f.texts;
      this.s.texts.run(rid, t.title, t.description, t.address, t.reporter_name, t.reporter_phone);
    } else {
      rid = current!.rid;
      const c = f.columns as unknown as Record<string, unknown>;
      if (f.kind === 'transitioned' && f.columns.open === current!.open)
        this.s.stepWithinOpen.run([...STEP_WITHIN_OPEN.map((k) => c[k]), rid]);
      else this.s.update[f.kind].run([...UPDATED_COLUMNS[f.kind].map((k) => c[k]), rid]);
    }
    this.s.step.run(rid, stored.seq);
  }

  async get(id: string): Promise<AppealRecord | undefined> {
    const r = this.s.get.get(id) as Row | undefined;
    return r && recordOf(r, this.s.textsOf.get(r.rid) as TextRow | undefined);
  }

  async timeline(id: string): Promise<number[]> {
    return this.s.timeline.all(id) as number[];
  }

  async list(q: AppealQuery): Promise<AppealPage> {
    const p = planQuery(q);
    const rows = this.statement(p.sql).all(...p.args, p.limit + 1) as Row[];
    const more = rows.length > p.limit;
    if (more) rows.length = p.limit;
    const last = rows[rows.length - 1] as unknown as Record<string, number> | undefined;
    const nextCursor = more && last ? encodeCursor({ sort: p.sort, order: p.order, key: p.keyColumns.map((c) => last[c]) }) : null;
    let total = 0;
    if (p.cap > 0)
      total = this.statement(p.countSql)
        .pluck()
        .get(...p.countArgs, p.cap + 1) as number;
    const texts = new Map<number, TextRow>();
    if (rows.length) for (const t of this.s.textsIn.all(JSON.stringify(rows.map((r) => r.rid))) as TextRow[]) texts.set(t.rid, t);
    return { items: rows.map((r) => recordOf(r, texts.get(r.rid))), nextCursor, total: Math.min(total, p.cap), totalExact: total <= p.cap };
  }

  /** The SQL of a list query and of its count. */
  private statement(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  async reset(): Promise<void> {
    this.drop();
    this.open();
  }

  /** The query plans of a list query and its count, for the bench and for tuning. */
  explain(q: AppealQuery): { page: string[]; count: string[] } {
    const p = planQuery(q);
    const detail = (sql: string, args: unknown[]) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    return { page: detail(p.sql, [...p.args, p.limit + 1]), count: detail(p.countSql, [...p.countArgs, p.cap + 1]) };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
