/** Grid records in `grid-records.sqlite` beside the event log (records-store.ts says what they are). */
import Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open-sqlite.ts';
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

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS grid_buildings (
    id TEXT PRIMARY KEY, cell TEXT NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL, use TEXT NOT NULL,
    floors INTEGER NOT NULL, housing_units INTEGER NOT NULL, residents INTEGER NOT NULL,
    manager_name TEXT, manager_phone TEXT, risk TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS grid_buildings_cell ON grid_buildings (cell, id);
  CREATE TABLE IF NOT EXISTS grid_entities (
    id TEXT PRIMARY KEY, cell TEXT NOT NULL, name TEXT NOT NULL, credit_code TEXT NOT NULL, kind TEXT NOT NULL,
    industry TEXT NOT NULL, employees INTEGER NOT NULL, address TEXT NOT NULL,
    legal_rep_name TEXT, legal_rep_phone TEXT, risk TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS grid_entities_cell ON grid_entities (cell, id);
  CREATE TABLE IF NOT EXISTS grid_workers (cell TEXT PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, phone TEXT);
`;

export class SqliteRecordsStore implements RecordsStore {
  private db: Database.Database;

  constructor(dataDir: string) {
    this.db = openSqlite(dataDir, 'grid-records', { migrations: [SCHEMA] });
  }

  async counts(): Promise<Record<RecordKindName, number>> {
    const out = {} as Record<RecordKindName, number>;
    for (const k of RECORD_KINDS) out[k] = (this.db.prepare(`SELECT count(*) AS n FROM ${TABLES[k].table}`).get() as { n: number }).n;
    return out;
  }

  async write<K extends RecordKindName>(kind: K, rows: RecordOf[K][]): Promise<WriteCounts> {
    const { table, key } = TABLES[kind];
    const cols = COLUMNS[kind].map(([, c]) => c);
    const others = cols.filter((c) => c !== key);
    // only a row that differs is written: `changes` is 0 for one that is already there as it is
    const upsert = this.db.prepare(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
       ON CONFLICT (${key}) DO UPDATE SET ${others.map((c) => `${c} = excluded.${c}`).join(', ')}
       WHERE ${others.map((c) => `${c} IS NOT excluded.${c}`).join(' OR ')}`,
    );
    const exists = this.db.prepare(`SELECT 1 FROM ${table} WHERE ${key} = ?`);
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    this.db.transaction(() => {
      for (const row of rows) {
        const values = columnValues(kind, row);
        const was = exists.get(values[cols.indexOf(key)]) !== undefined;
        const changed = upsert.run(...values).changes === 1;
        if (!changed) counts.unchanged++;
        else if (was) counts.updated++;
        else counts.inserted++;
      }
    })();
    return counts;
  }

  async list<K extends RecordKindName>(kind: K, q: ListQuery): Promise<{ total: number; items: RecordOf[K][] }> {
    const { table, typeColumn, order } = TABLES[kind];
    const [lo, hi] = prefixRange(q.prefix);
    const where = ['cell >= ? AND cell < ?'];
    const args: unknown[] = [lo, hi];
    if (q.type && typeColumn) {
      where.push(`${typeColumn} = ?`);
      args.push(q.type);
    }
    if (q.risk && kind !== 'workers') {
      where.push('risk = ?');
      args.push(q.risk);
    }
    const w = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${w}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM ${table} WHERE ${w} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset);
    return { total, items: (rows as Record<string, unknown>[]).map((r) => recordOf(kind, r)) };
  }

  async totals(prefix: string): Promise<Map<string, CellTotals>> {
    const [lo, hi] = prefixRange(prefix);
    const out = new Map<string, CellTotals>();
    const at = (cell: string) => out.get(cell) ?? out.set(cell, { buildings: 0, housingUnits: 0, residents: 0, entities: 0 }).get(cell)!;
    for (const r of this.db
      .prepare(
        'SELECT cell, count(*) AS n, sum(housing_units) AS h, sum(residents) AS p FROM grid_buildings WHERE cell >= ? AND cell < ? GROUP BY cell',
      )
      .all(lo, hi) as { cell: string; n: number; h: number; p: number }[])
      Object.assign(at(r.cell), { buildings: r.n, housingUnits: r.h, residents: r.p });
    for (const r of this.db
      .prepare('SELECT cell, count(*) AS n FROM grid_entities WHERE cell >= ? AND cell < ? GROUP BY cell')
      .all(lo, hi) as {
      cell: string;
      n: number;
    }[])
      at(r.cell).entities = r.n;
    return out;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
