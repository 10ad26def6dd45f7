/**
 * Grid records (网格管理): the buildings, legal entities and grid workers of each grid cell, kept
 * in `grid-records.sqlite` beside the event log, or in PostgreSQL with DATABASE_URL (shared by
 * every node). Reference data that people import and correct, not facts of the district's record,
 * so, like the camera registry, they live outside the log. Both stores keep the same rules: a row
 * is keyed by its id (a worker by its cell); writing a row that is already there as it is changes
 * nothing and is counted `unchanged`; lists are by a code prefix (a scope's cells), in id order.
 */

export const BUILDING_USES = ['residential', 'commercial', 'industrial', 'mixed', 'public'] as const;
export type BuildingUse = (typeof BUILDING_USES)[number];
export const ENTITY_KINDS = ['enterprise', 'individual', 'organisation'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface Building {
  id: string;
  cell: string;
  name: string;
  address: string;
  use: BuildingUse;
  floors: number;
  housingUnits: number;
  residents: number;
  manager: { name: string | null; phone: string | null };
  risk: RiskLevel;
}

export interface Entity {
  id: string;
  cell: string;
  name: string;
  creditCode: string;
  kind: EntityKind;
  industry: string;
  employees: number;
  address: string;
  legalRep: { name: string | null; phone: string | null };
  risk: RiskLevel;
}

export interface GridWorker {
  cell: string;
  id: string;
  name: string;
  phone: string | null;
}

export const RECORD_KINDS = ['buildings', 'entities', 'workers'] as const;
export type RecordKindName = (typeof RECORD_KINDS)[number];
export interface RecordOf {
  buildings: Building;
  entities: Entity;
  workers: GridWorker;
}

/** What a write did to each row. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ListQuery {
  /** Code prefix of the cells (a scope's code). */
  prefix: string;
  limit: number;
  offset: number;
  /** A building's use or an entity's kind. */
  type?: string;
  risk?: RiskLevel;
}

/** A cell's totals from its records. */
export interface CellTotals {
  buildings: number;
  housingUnits: number;
  residents: number;
  entities: number;
}

export interface RecordsStore {
  counts(): Promise<Record<RecordKindName, number>>;
  write<K extends RecordKindName>(kind: K, rows: RecordOf[K][]): Promise<WriteCounts>;
  list<K extends RecordKindName>(kind: K, q: ListQuery): Promise<{ total: number; items: RecordOf[K][] }>;
  /** Totals of every cell under the prefix, by cell code. */
  totals(prefix: string): Promise<Map<string, CellTotals>>;
  close(): Promise<void>;
}

/** The columns of each kind: [field path, column]. One table of them for both stores. */
export const COLUMNS: Record<RecordKindName, readonly (readonly [string, string])[]> = {
  buildings: [
    ['id', 'id'],
    ['cell', 'cell'],
    ['name', 'name'],
    ['address', 'address'],
    ['use', 'use'],
    ['floors', 'floors'],
    ['housingUnits', 'housing_units'],
    ['residents', 'residents'],
    ['manager.name', 'manager_name'],
    ['manager.phone', 'manager_phone'],
    ['risk', 'risk'],
  ],
  entities: [
    ['id', 'id'],
    ['cell', 'cell'],
    ['name', 'name'],
    ['creditCode', 'credit_code'],
    ['kind', 'kind'],
    ['industry', 'industry'],
    ['employees', 'employees'],
    ['address', 'address'],
    ['legalRep.name', 'legal_rep_name'],
    ['legalRep.phone', 'legal_rep_phone'],
    ['risk', 'risk'],
  ],
  workers: [
    ['cell', 'cell'],
    ['id', 'id'],
    ['name', 'name'],
    ['phone', 'phone'],
  ],
};

/** The table and key of each kind. */
export const TABLES: Record<RecordKindName, { table: string; key: string; typeColumn: string | null; order: string }> = {
  buildings: { table: 'grid_buildings', key: 'id', typeColumn: 'use', order: 'id' },
  entities: { table: 'grid_entities', key: 'id', typeColumn: 'kind', order: 'id' },
  workers: { table: 'grid_workers', key: 'cell', typeColumn: null, order: 'cell' },
};

/** A row's column values, in COLUMNS order. */
export function columnValues(kind: RecordKindName, row: object): unknown[] {
  return COLUMNS[kind].map(([path]) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k] ?? null, row));
}

/** A record from its row (columns by name). */
export function recordOf<K extends RecordKindName>(kind: K, r: Record<string, unknown>): RecordOf[K] {
  const out: Record<string, unknown> = {};
  for (const [path, column] of COLUMNS[kind]) {
    const keys = path.split('.');
    let holder = out;
    for (const k of keys.slice(0, -1)) holder = (holder[k] ??= {}) as Record<string, unknown>;
    const v = r[column];
    holder[keys[keys.length - 1]] = typeof v === 'bigint' ? Number(v) : (v ?? null);
  }
  return out as unknown as RecordOf[K];
}

/** The half-open range of codes under a prefix: digits sort below ':'. */
export const prefixRange = (prefix: string): [string, string] => [prefix, `${prefix}:`];
