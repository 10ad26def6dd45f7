/**
 * Grid records in PostgreSQL (DATABASE_URL), shared by every node: the same tables as
 * `grid-records.sqlite`. A write is one statement per 500 rows (`unnest` of the columns' arrays),
 * which tells the rows it inserted from those it updated (`xmax = 0`); a row already there as it is
 * is not touched and not returned, so it counts as unchanged. Codes sort by their bytes (`"C"`).
 */
import type pg from 'pg';
import { inTransaction, migrate } from '../../core/store/open-postgres.ts';
import {
  COLUMNS,
  RECORD_KINDS,
  TABLES,
  columnValues,
  prefixRange,
  recordOf,
  type CellTotals,
  type ListQuery,
  type RecordKindName,
  type RecordOf,
  type RecordsStore,
  type WriteCounts,
} from './records-store.ts';

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS grid_buildings (
     id TEXT COLLATE "C" PRIMARY KEY, cell TEXT COLLATE "C" NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL, use TEXT NOT NULL,
     floors INTEGER NOT NULL, housing_units INTEGER NOT NULL, residents INTEGER NOT NULL,
     manager_name TEXT, manager_phone TEXT, risk TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS grid_buildings_cell ON grid_buildings (cell, id);
   CREATE TABLE IF NOT EXISTS grid_entities (
     id TEXT COLLATE "C" PRIMARY KEY, cell TEXT COLLATE "C" NOT NULL, name TEXT NOT NULL, credit_code TEXT NOT NULL, kind TEXT NOT NULL,
     industry TEXT NOT NULL, employees INTEGER NOT NULL, address TEXT NOT NULL,
     legal_rep_name TEXT, legal_rep_phone TEXT, risk TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS grid_entities_cell ON grid_entities (cell, id);
   CREATE TABLE IF NOT EXISTS grid_workers (cell TEXT COLLATE "C" PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, phone TEXT);`,
];

/** The SQL type of each column, for the arrays `unnest` takes. */
const INTEGER = new Set(['floors', 'housing_units', 'residents', 'employees']);
const BATCH = 500;

export class PostgresRecordsStore implements RecordsStore {
  private constructor(private pool: pg.Pool) {}

  static async open(pool: pg.Pool): Promise<PostgresRecordsStore> {
    await migrate(pool, 'grid-records', MIGRATIONS);
    return new PostgresRecordsStore(pool);
  }

  async counts(): Promise<Record<RecordKindName, number>> {
    const out = {} as Record<RecordKindName, number>;
    for (const k of RECORD_KINDS) out[k] = Number((await this.pool.query(`SELECT count(*) AS n FROM ${TABLES[k].table}`)).rows[0].n);
    return out;
  }

  async write<K extends RecordKindName>(kind: K, rows: RecordOf[K][]): Promise<WriteCounts> {
    const { table, key } = TABLES[kind];
    const cols = COLUMNS[kind].map(([, c]) => c);
    const others = cols.filter((c) => c !== key);
    const sql = `INSERT INTO ${table} (${cols.join(', ')})
       SELECT * FROM unnest(${cols.map((c, i) => `$${i + 1}::${INTEGER.has(c) ? 'integer' : 'text'}[]`).join(', ')})
       ON CONFLICT (${key}) DO UPDATE SET ${others.map((c) => `${c} = excluded.${c}`).join(', ')}
       WHERE ${others.map((c) => `${table}.${c} IS DISTINCT FROM excluded.${c}`).join(' OR ')}
       RETURNING (xmax = 0) AS inserted`;
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    await inTransaction(this.pool, async (client) => {
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH).map((r) => columnValues(kind, r));
        const arrays = cols.map((_, c) => batch.map((v) => v[c]));
        const res = await client.query<{ inserted: boolean }>(sql, arrays);
        const inserted = res.rows.filter((r) => r.inserted).length;
        counts.inserted += inserted;
        counts.updated += res.rows.length - inserted;
        counts.unchanged += batch.length - res.rows.length;
      }
    });
    return counts;
  }

  async list<K extends RecordKindName>(kind: K, q: ListQuery): Promise<{ total: number; items: RecordOf[K][] }> {
    const { table, typeColumn, order } = TABLES[kind];
    const [lo, hi] = prefixRange(q.prefix);
    const where = ['cell >= $1 AND cell < $2'];
    const args: unknown[] = [lo, hi];
    if (q.type && typeColumn) {
      args.push(q.type);
      where.push(`${typeColumn} = $${args.length}`);
    }
    if (q.risk && kind !== 'workers') {
      args.push(q.risk);
      where.push(`risk = $${args.length}`);
    }
    const w = where.join(' AND ');
    const total = Number((await this.pool.query(`SELECT count(*) AS n FROM ${table} WHERE ${w}`, args)).rows[0].n);
    const res = await this.pool.query(
      `SELECT * FROM ${table} WHERE ${w} ORDER BY ${order} LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, q.limit, q.offset],
    );
    return { total, items: res.rows.map((r: Record<string, unknown>) => recordOf(kind, r)) };
  }

  async totals(prefix: string): Promise<Map<string, CellTotals>> {
    const [lo, hi] = prefixRange(prefix);
    const out = new Map<string, CellTotals>();
    const at = (cell: string) => out.get(cell) ?? out.set(cell, { buildings: 0, housingUnits: 0, residents: 0, entities: 0 }).get(cell)!;
    const b = await this.pool.query(
      'SELECT cell, count(*) AS n, sum(housing_units) AS h, sum(residents) AS p FROM grid_buildings WHERE cell >= $1 AND cell < $2 GROUP BY cell',
      [lo, hi],
    );
    for (const r of b.rows) Object.assign(at(r.cell), { buildings: Number(r.n), housingUnits: Number(r.h), residents: Number(r.p) });
    const e = await this.pool.query('SELECT cell, count(*) AS n FROM grid_entities WHERE cell >= $1 AND cell < $2 GROUP BY cell', [lo, hi]);
    for (const r of e.rows) at(r.cell).entities = Number(r.n);
    return out;
  }

  async close(): Promise<void> {
    // the pool is the app's
  }
}
