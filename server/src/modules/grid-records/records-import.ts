/**
 * Grid records from CSV, as an import job like the appeals' (the same job store, progress and
 * rejected-row reporting: modules/appeal-io). One kind per file (buildings, legal entities or grid
 * workers), the columns named in the header as RECORD_CSV_COLUMNS says; each row checked on its
 * own (a rejected row says its line and why, the rest land); rows of cells outside the importer's
 * area rejected; written in batches, so that a file of tens of thousands of rows shows progress.
 * Importing the same file again counts every row unchanged.
 */
import { parse } from 'csv-parse';
import { scopeWithin } from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import type { ImportJob } from '../appeal-io/import-job.ts';
import { decodeCsv, IMPORT_MAX_ERRORS } from '../appeal-io/import-job.ts';
import { BUILDING_USES, ENTITY_KINDS, RISK_LEVELS, type RecordKindName, type RecordOf, type RecordsStore } from './records-store.ts';

/** The header of each kind's CSV, in order. */
export const RECORD_CSV_COLUMNS: Record<RecordKindName, readonly string[]> = {
  buildings: ['id', 'cell', 'name', 'address', 'use', 'floors', 'housingUnits', 'residents', 'managerName', 'managerPhone', 'risk'],
  entities: ['id', 'cell', 'name', 'creditCode', 'kind', 'industry', 'employees', 'address', 'legalRepName', 'legalRepPhone', 'risk'],
  workers: ['cell', 'id', 'name', 'phone'],
};

const BATCH = 500;
const ID = /^[A-Za-z0-9_-]{1,40}$/;
const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;

class RowError extends Error {}

const text = (v: string | undefined, field: string, max: number): string => {
  const t = (v ?? '').trim();
  if (!t) throw new RowError(`${field} is empty`);
  if (t.length > max) throw new RowError(`${field} is longer than ${max} characters`);
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(t)) throw new RowError(`${field} has control characters`);
  return t;
};
const optional = (v: string | undefined, field: string, max: number): string | null => ((v ?? '').trim() ? text(v, field, max) : null);
const count = (v: string | undefined, field: string, max: number): number => {
  const t = (v ?? '').trim();
  if (!/^\d{1,7}$/.test(t) || Number(t) > max) throw new RowError(`${field} "${t}" is not a whole number from 0 to ${max}`);
  return Number(t);
};
const oneOf = <T extends string>(v: string | undefined, field: string, values: readonly T[]): T => {
  const t = (v ?? '').trim();
  if (!(values as readonly string[]).includes(t)) throw new RowError(`${field} "${t}" is not one of ${values.join(', ')}`);
  return t as T;
};
const phone = (v: string | undefined, field: string): string | null => {
  const t = (v ?? '').trim();
  if (!t) return null;
  if (!PHONE.test(t)) throw new RowError(`${field} "${t}" is not a phone number`);
  return t.replace(/[ -]/g, '');
};

/** One CSV row as a record of its kind, or a RowError saying why not. */
export function recordFromRow<K extends RecordKindName>(
  kind: K,
  r: Record<string, string>,
  cellOk: (cell: string) => string | null,
): RecordOf[K] {
  const cell = (r.cell ?? '').trim();
  const why = cellOk(cell);
  if (why) throw new RowError(why);
  const id = (r.id ?? '').trim();
  if (!ID.test(id)) throw new RowError(`id "${id}" must be 1–40 letters, digits, - or _`);
  if (kind === 'workers') return { cell, id, name: text(r.name, 'name', 50), phone: phone(r.phone, 'phone') } as RecordOf[K];
  if (kind === 'buildings')
    return {
      id,
      cell,
      name: text(r.name, 'name', 100),
      address: text(r.address, 'address', 200),
      use: oneOf(r.use, 'use', BUILDING_USES),
      floors: count(r.floors, 'floors', 200),
      housingUnits: count(r.housingUnits, 'housingUnits', 100_000),
      residents: count(r.residents, 'residents', 100_000),
      manager: { name: optional(r.managerName, 'managerName', 50), phone: phone(r.managerPhone, 'managerPhone') },
      risk: oneOf(r.risk, 'risk', RISK_LEVELS),
    } as RecordOf[K];
  return {
    id,
    cell,
    name: text(r.name, 'name', 200),
    creditCode: text(r.creditCode, 'creditCode', 18),
    kind: oneOf(r.kind, 'kind', ENTITY_KINDS),
    industry: text(r.industry, 'industry', 50),
    employees: count(r.employees, 'employees', 1_000_000),
    address: text(r.address, 'address', 200),
    legalRep: { name: optional(r.legalRepName, 'legalRepName', 50), phone: phone(r.legalRepPhone, 'legalRepPhone') },
    risk: oneOf(r.risk, 'risk', RISK_LEVELS),
  } as RecordOf[K];
}

export interface RecordsImportDeps {
  kind: RecordKindName;
  geo: Geography;
  store: RecordsStore;
  /** The importer's scope: rows of cells outside it are rejected. */
  scope: string;
  signal: AbortSignal;
}

/** Runs an import job over the file, counting what each row did (imported, updated, unchanged, rejected). */
export async function runRecordsImport(job: ImportJob, file: Buffer, deps: RecordsImportDeps): Promise<void> {
  const columns = RECORD_CSV_COLUMNS[deps.kind];
  const cellOk = (cell: string): string | null => {
    if (deps.geo.area(cell)?.level !== 'grid') return `cell "${cell}" is not a grid cell of this deployment`;
    return scopeWithin(deps.scope, `grid:${cell}`) ? null : `cell ${cell} is outside your area (${deps.scope})`;
  };
  const reject = (line: number, id: string | null, reason: string) => {
    job.rows.rejected++;
    if (job.errors.length < IMPORT_MAX_ERRORS) job.errors.push({ line, appealId: id, reason });
    else job.errorsTruncated = true;
  };
  let batch: RecordOf[typeof deps.kind][] = [];
  const flush = async () => {
    if (!batch.length) return;
    const c = await deps.store.write(deps.kind, batch);
    job.rows.imported += c.inserted;
    job.rows.updated += c.updated;
    job.rows.unchanged += c.unchanged;
    batch = [];
  };
  const text = decodeCsv(file);
  const parser = parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true, trim: false });
  let headerChecked = false;
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>) {
    if (deps.signal.aborted) throw new Error('the import was stopped');
    if (!headerChecked) {
      const missing = columns.filter((c) => !(c in rec.record));
      if (missing.length)
        throw new Error(`line 1: the header lacks the column(s) ${missing.join(', ')} (a ${deps.kind} file has ${columns.join(', ')})`);
      headerChecked = true;
    }
    job.rows.read++;
    try {
      batch.push(recordFromRow(deps.kind, rec.record, cellOk));
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      reject(rec.info.lines, (rec.record.id ?? '').trim() || null, e.message);
    }
    job.bytes.done = Math.min(job.bytes.total, Math.round((rec.info.bytes / text.length) * job.bytes.total));
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  job.bytes.done = job.bytes.total;
}
