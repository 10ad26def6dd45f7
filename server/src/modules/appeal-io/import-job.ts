/**
 * Imports a CSV file of historical appeals through ingest, row by row, in batches, keeping count
 * of what each row did: imported (a new appeal), updated (later steps added to an appeal imported
 * before), unchanged (everything already there) or rejected (with its line number and the reason).
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { INGEST_MAX_EVENTS, type AppealStatus, type CityEvent } from '@commandhall/shared';
import type { IngestService } from '../../core/ingest/ingest-service.ts';
import type { EventStore } from '../../core/store/event-store.ts';
import { baseOf, type JobBase } from './jobs.ts';
import type { JobKindOf } from './job-service.ts';
import { IMPORT_COLUMNS, columnOf } from './columns.ts';
import { RowError, rowEvents, type RowContext, type RowEvents } from './import-row.ts';

/** Largest file an import accepts. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** Rejected rows listed in a job (all are counted). */
export const IMPORT_MAX_ERRORS = 1000;
const ROWS_PER_BATCH = 150; // at most 6 events a row: one ingest call stays under INGEST_MAX_EVENTS

export interface RowProblem {
  /** Line of the file where the row starts (the header is line 1). */
  line: number;
  appealId: string | null;
  reason: string;
}

export interface ImportJob extends JobBase {
  kind: 'import';
  fileName: string | null;
  /** Progress through the file. */
  bytes: { done: number; total: number };
  rows: { read: number; imported: number; updated: number; unchanged: number; rejected: number };
  errors: RowProblem[];
  /** More rows were rejected than `errors` lists. */
  errorsTruncated: boolean;
}

/** How an import job is stored: bytes read of the file as its progress; its rows and rejected rows beside. */
export const IMPORT_JOBS: JobKindOf<ImportJob> = {
  kind: 'import',
  progress: (j) => ({
    done: j.bytes.done,
    total: j.bytes.total,
    fileBytes: null,
    detail: { fileName: j.fileName, rows: j.rows, errors: j.errors, errorsTruncated: j.errorsTruncated },
  }),
  fromRecord: (r) => {
    const d = r.detail as Pick<ImportJob, 'fileName' | 'rows' | 'errors' | 'errorsTruncated'>;
    return {
      ...baseOf(r),
      kind: 'import',
      fileName: d.fileName,
      bytes: { done: r.done, total: r.total },
      rows: d.rows,
      errors: d.errors,
      errorsTruncated: d.errorsTruncated,
    };
  },
};

export interface ImportDeps extends Omit<RowContext, 'now'> {
  now: () => number;
  ingest: IngestService;
  store: EventStore;
  /** Current status of an appeal, or undefined when there is none. */
  statusOf: (appealId: string) => AppealStatus | undefined;
  /** Producer identity the imported events are stored under. */
  producer: string;
  /** Aborted when the server shuts down: the import stops between batches. */
  signal?: AbortSignal;
}

/** A problem with the file as a whole (no header, wrong header): the import stops. */
export class ImportFileError extends Error {}

const IMPORT_TYPES: ReadonlySet<string> = new Set(['appeal.created', 'appeal.transitioned']);

/** Text of an uploaded file: UTF-8 (with or without BOM), else GB18030, what Chinese Excel saves. */
export function decodeCsv(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

interface Pending {
  line: number;
  row: RowEvents;
}

function reject(job: ImportJob, line: number, appealId: string | null, reason: string): void {
  job.rows.rejected++;
  if (job.errors.length < IMPORT_MAX_ERRORS) job.errors.push({ line, appealId, reason });
  else job.errorsTruncated = true;
}

/** Sends a batch of rows through ingest; every row is counted exactly once. */
async function flush(job: ImportJob, batch: Pending[], deps: ImportDeps): Promise<void> {
  if (!batch.length) return;
  const existing = await deps.store.existing(batch.flatMap((p) => p.row.events.map((e) => e.id)));
  const toSend: CityEvent[] = [];
  const sent: { p: Pending; from: number; count: number; isNew: boolean }[] = [];
  for (const p of batch) {
    const { events, statuses, appealId } = p.row;
    let k = 0;
    while (k < events.length && existing.has(events[k].id)) k++;
    if (k === events.length) {
      job.rows.unchanged++;
      continue;
    }
    const current = deps.statusOf(appealId);
    if (k === 0 && current !== undefined) {
      reject(job, p.line, appealId, `appeal ${appealId} already exists with other data (it was not imported from this row)`);
      continue;
    }
    if (k > 0 && current !== statuses[k - 1]) {
      reject(
        job,
        p.line,
        appealId,
        `appeal ${appealId} was imported before and its history differs from this row from step "${statuses[k]}" on (it is now "${current ?? 'missing'}")`,
      );
      continue;
    }
    sent.push({ p, from: toSend.length, count: events.length - k, isNew: k === 0 });
    toSend.push(...events.slice(k));
  }
  if (toSend.length > INGEST_MAX_EVENTS) throw new Error('import batch too large'); // ROWS_PER_BATCH keeps it below
  const result = toSend.length ? await deps.ingest.ingest(toSend, { id: deps.producer, types: IMPORT_TYPES }) : null;
  for (const s of sent) {
    const results = result!.results.slice(s.from, s.from + s.count);
    const bad = results.find((r) => r.status === 'rejected');
    if (bad) reject(job, s.p.line, s.p.row.appealId, bad.reason ?? 'rejected by ingest');
    else if (results.every((r) => r.status === 'duplicate')) job.rows.unchanged++;
    else if (s.isNew) job.rows.imported++;
    else job.rows.updated++;
  }
}

/** Reads the file and imports it; resolves when done (the job says how it went). */
export async function runImport(job: ImportJob, file: Buffer, deps: ImportDeps): Promise<void> {
  const text = decodeCsv(file);
  job.bytes.total = Buffer.byteLength(text);
  const parser = parse({
    bom: true,
    info: true,
    raw: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // a stray quote (`"a"b`) stays in the field, which is then refused below: strict parsing would
    // drop the rows after it without a word
    relax_quotes: true,
    skip_records_with_error: true,
  });
  const skipped: { code?: string; line: number; reason: string }[] = [];
  parser.on('skip', (err: Error & { code?: string; lines?: number }) =>
    skipped.push({ code: err.code, line: err.lines ?? 0, reason: `not valid CSV: ${err.message}` }),
  );
  let lastLine = 0;
  const report = (s: (typeof skipped)[number]) => {
    job.rows.read++;
    if (s.code === 'CSV_QUOTE_NOT_CLOSED')
      // only at the end of the file: the unclosed quote is on the first line after the last row read
      reject(
        job,
        lastLine + 1,
        null,
        `a quoted field here is never closed: lines ${lastLine + 1}–${s.line} were not read; close the quote and import again`,
      );
    else reject(job, s.line, null, s.reason);
  };
  const chunks = function* () {
    for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
  };
  Readable.from(chunks()).pipe(parser);

  let header: (string | undefined)[] | null = null;
  const seen = new Map<string, number>();
  let batch: Pending[] = [];
  for await (const r of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number; bytes: number } }>) {
    for (const s of skipped.filter((x) => x.code !== 'CSV_QUOTE_NOT_CLOSED')) report(s);
    skipped.splice(0, skipped.length, ...skipped.filter((x) => x.code === 'CSV_QUOTE_NOT_CLOSED'));
    const raw = r.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
    const line = r.info.lines - (raw.match(/\n/g)?.length ?? 0);
    lastLine = r.info.lines;
    if (!header) {
      const cols = r.record.map((h) => columnOf(h)?.key);
      const missing = IMPORT_COLUMNS.filter((c) => c.required && !cols.includes(c.key)).map((c) => c.key);
      const twice = cols.filter((c, i) => c && cols.indexOf(c) !== i);
      if (missing.length || twice.length) {
        throw new ImportFileError(
          `line ${line}: the header row ${missing.length ? `lacks the column(s) ${missing.join(', ')}` : `names ${twice.join(', ')} twice`}; see docs/import-export.md for the columns`,
        );
      }
      header = cols;
      continue;
    }
    job.rows.read++;
    job.bytes.done = r.info.bytes;
    const idCell = r.record[header.indexOf('appeal_id')]?.trim();
    const id = idCell && !idCell.startsWith('"') ? idCell : null;
    // a well-formed field never starts with a quote once parsed: this one's quotes are broken
    if (r.record.some((c) => c.startsWith('"'))) {
      const end = r.info.lines;
      reject(
        job,
        line,
        id,
        `a quote is not closed properly${end > line ? ` (the row runs on to line ${end})` : ''}: write "" for a quote inside a quoted field`,
      );
      continue;
    }
    if (r.record.length > header.length && r.record.slice(header.length).some((c) => c.trim())) {
      reject(job, line, id, `has ${r.record.length} cells but the header has ${header.length}`);
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((key, i) => key && (row[key] = r.record[i] ?? ''));
    if (id && seen.has(id)) {
      reject(job, line, id, `appeal_id ${id} appears on line ${seen.get(id)} already`);
      continue;
    }
    if (id) seen.set(id, line);
    try {
      batch.push({ line, row: rowEvents(row, { ...deps, now: deps.now() }) });
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      reject(job, line, id, e.message);
      continue;
    }
    if (batch.length >= ROWS_PER_BATCH) {
      if (deps.signal?.aborted)
        throw new ImportFileError('the server shut down during the import: run it again to finish (rows already imported stay unchanged)');
      await flush(job, batch, deps);
      batch = [];
    }
  }
  for (const s of skipped.splice(0)) report(s);
  await flush(job, batch, deps);
  if (!header) throw new ImportFileError('the file is empty: it needs a header row and one row per appeal');
  job.bytes.done = job.bytes.total;
  job.errors.sort((a, b) => a.line - b.line);
}
