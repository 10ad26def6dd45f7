/**
 * What the appeal file jobs look like on the wire: the TypeBox schemas of a job's view and of an
 * export's body, and the views themselves (an import's rejected rows masked without clearance).
 */
import { Type } from 'typebox';
import { redactText, type Clearance } from '@commandhall/shared';
import { Literals } from '../../plugins/route-schemas.ts';
import { IMPORT_MAX_ERRORS, type ImportJob } from './import-job.ts';
import { EXPORT_FORMATS, type ExportJob } from './export-job.ts';
import { FilterProperties } from '../appeals/list-filters.ts';

export const JobId = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' }) });
const JobState = Literals(['queued', 'running', 'done', 'failed']);
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

export const ImportJobView = Type.Object({
  id: Type.String(),
  state: JobState,
  fileName: Type.Union([Type.String(), Type.Null()]),
  createdAt: Time,
  finishedAt: NullableTime,
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the whole import failed (e.g. a header without required columns)' }),
  progress: Type.Number({ minimum: 0, maximum: 1, description: 'Share of the file read so far' }),
  bytes: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  rows: Type.Object({
    read: Type.Integer({ description: 'Rows read so far (header excluded)' }),
    imported: Type.Integer({ description: 'New appeals' }),
    updated: Type.Integer({ description: 'Appeals imported before that got later steps' }),
    unchanged: Type.Integer({ description: 'Rows already imported exactly so' }),
    rejected: Type.Integer(),
  }),
  errors: Type.Array(Type.Object({ line: Type.Integer(), appealId: Type.Union([Type.String(), Type.Null()]), reason: Type.String() }), {
    description: `Rejected rows by line (the header is line 1); at most ${IMPORT_MAX_ERRORS}`,
  }),
  errorsTruncated: Type.Boolean(),
});

export const ExportJobView = Type.Object({
  id: Type.String(),
  state: JobState,
  format: Literals(EXPORT_FORMATS),
  total: Type.Integer({ description: 'Rows to write: the matches, counted when the job started' }),
  done: Type.Integer({ description: 'Rows written so far' }),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  fileName: Type.String({ description: 'Name to save the file under' }),
  createdAt: Time,
  finishedAt: NullableTime,
  error: Type.Union([Type.String(), Type.Null()]),
});

/** The appeal list's filters (the same names and values as GET /api/v1/appeals), and the format. */
export const ExportBody = Type.Object(
  {
    format: Literals(EXPORT_FORMATS, { description: 'csv (UTF-8 with BOM) or xlsx' }),
    ...FilterProperties,
    // a JSON body may say it with a boolean too
    overdue: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Boolean()], { description: 'Open and past the deadline now' }),
    ),
  },
  { additionalProperties: false },
);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An import job as its owner sees it: a rejected row's reason quotes its cells, masked without clearance. */
export function importView(j: ImportJob, who: Clearance) {
  return {
    id: j.id,
    state: j.state,
    fileName: j.fileName,
    createdAt: iso(j.createdAt)!,
    finishedAt: iso(j.finishedAt),
    error: j.error === null ? null : redactText(j.error, who),
    progress: j.bytes.total ? Math.min(1, j.bytes.done / j.bytes.total) : j.state === 'done' ? 1 : 0,
    bytes: j.bytes,
    rows: j.rows,
    errors: j.errors.map((e) => ({ ...e, reason: redactText(e.reason, who) })),
    errorsTruncated: j.errorsTruncated,
  };
}

export function exportView(j: ExportJob) {
  return {
    id: j.id,
    state: j.state,
    format: j.format,
    total: j.total,
    done: j.done,
    progress: j.total ? Math.min(1, j.done / j.total) : j.state === 'done' ? 1 : 0,
    fileName: j.fileName,
    createdAt: iso(j.createdAt)!,
    finishedAt: iso(j.finishedAt),
    error: j.error,
  };
}
