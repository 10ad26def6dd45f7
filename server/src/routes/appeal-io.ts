/**
 * Appeal files: CSV import of historical appeals, and CSV / Excel export of the filtered appeal
 * list. Both run as jobs that a browser polls for progress:
 *
 *   POST /api/v1/appeal-imports            body: the CSV file          → 202 job
 *   GET  /api/v1/appeal-imports/:id        progress, counts, rejected rows with line numbers
 *
 * Imports are for administrators and directors, each within their own scope; every import and
 * export is written to the audit log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '@commandhall/shared';
import { actorOf, type Principal } from '../auth/principal.ts';
import { errorBody } from '../plugins/errors.ts';
import { ErrorSchema } from './schemas.ts';
import { JobLimitError, JobRegistry } from '../appeal-io/jobs.ts';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ERRORS, ImportFileError, runImport, type ImportJob } from '../appeal-io/import-job.ts';

/** Roles that may import historical appeals (operators and wall devices may not). */
export const IMPORT_ROLES: ReadonlySet<Role> = new Set(['admin', 'district_director', 'street_director', 'community_director']);
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream'];
const JOB_KEEP_MS = 60 * 60_000;

const JobId = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' }) });
const JobState = Type.Union(['queued', 'running', 'done', 'failed'].map((s) => Type.Literal(s)));
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

const ImportJobView = Type.Object({
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

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function importView(j: ImportJob) {
  return {
    id: j.id,
    state: j.state,
    fileName: j.fileName,
    createdAt: iso(j.createdAt)!,
    finishedAt: iso(j.finishedAt),
    error: j.error,
    progress: j.bytes.total ? Math.min(1, j.bytes.done / j.bytes.total) : j.state === 'done' ? 1 : 0,
    bytes: j.bytes,
    rows: j.rows,
    errors: j.errors,
    errorsTruncated: j.errorsTruncated,
  };
}

export default async function appealIoRoutes(app: FastifyInstance) {
  const closing = new AbortController();
  const imports = new JobRegistry<ImportJob>({ now: app.clock, keepMs: JOB_KEEP_MS, maxActivePerOwner: 2 });
  const running = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    closing.abort();
    await Promise.allSettled(running);
  });

  // the CSV arrives as the raw body: `fetch(url, { method: 'POST', body: file })` from a browser
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));

  const mayImport = (req: FastifyRequest, reply: FastifyReply): Principal | null => {
    const p = req.principal!;
    if (p.kind !== 'user' || !IMPORT_ROLES.has(p.role as Role)) {
      reply.code(403).send(errorBody('forbidden', 'importing appeals is for administrators and directors'));
      return null;
    }
    return p;
  };

  app.post(
    '/api/v1/appeal-imports',
    {
      config: { auth: 'principal' },
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        tags: ['appeals'],
        summary: `Import historical appeals from a CSV file (at most ${IMPORT_MAX_BYTES / 1024 / 1024} MiB); poll the job for progress`,
        description:
          'Send the file as the request body with Content-Type text/csv (UTF-8, or GB18030 as Chinese Excel saves it). ' +
          'Columns and rules: docs/import-export.md. Rows outside your scope are rejected; re-importing a file changes nothing.',
        querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200, description: 'File name, for the job view' })) }),
        response: {
          202: ImportJobView,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          413: ErrorSchema,
          415: ErrorSchema,
          429: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const p = mayImport(req, reply);
      if (!p) return reply;
      const body = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        return reply.code(400).send(errorBody('invalid_request', 'send the CSV file as the request body (Content-Type: text/csv)'));
      const owner = actorOf(p);
      let job: ImportJob;
      try {
        job = imports.add(
          (base) => ({
            ...base,
            kind: 'import',
            fileName: (req.query as { name?: string }).name ?? null,
            bytes: { done: 0, total: body.length },
            rows: { read: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 },
            errors: [],
            errorsTruncated: false,
          }),
          'import',
          owner,
        );
      } catch (e) {
        if (e instanceof JobLimitError) return reply.code(429).send(errorBody('too_many_jobs', e.message));
        throw e;
      }
      app.auth.audit({
        actor: owner,
        action: 'appeals.import',
        target: `import:${job.id}`,
        ip: req.ip,
        outcome: 'ok',
        details: { fileName: job.fileName, bytes: body.length, scope: p.scope },
      });
      job.state = 'running';
      const run = runImport(job, body, {
        geo: app.geo,
        utcOffsetMinutes: app.config.UTC_OFFSET_MINUTES,
        now: app.clock,
        principal: p,
        ingest: app.ingest,
        store: app.store,
        statusOf: (id) => app.engine.appeals.get(id)?.status,
        producer: `import:${owner}`,
        signal: closing.signal,
      })
        .then(
          () => imports.finish(job),
          (e: Error) => {
            if (!(e instanceof ImportFileError)) req.log.error({ err: e }, 'import failed');
            imports.finish(job, e instanceof Error ? e.message : String(e));
          },
        )
        .then(() =>
          app.auth.audit({
            actor: owner,
            action: 'appeals.import.finished',
            target: `import:${job.id}`,
            ip: req.ip,
            outcome: job.state === 'done' ? 'ok' : 'failed',
            details: { rows: job.rows, error: job.error ?? undefined },
          }),
        )
        .finally(() => running.delete(run));
      running.add(run);
      return reply.code(202).header('location', `/api/v1/appeal-imports/${job.id}`).send(importView(job));
    },
  );

  app.get(
    '/api/v1/appeal-imports/:id',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['appeals'],
        summary: 'Progress and outcome of an import job (yours only)',
        params: JobId,
        response: { 200: ImportJobView, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const job = imports.get((req.params as { id: string }).id, actorOf(req.principal));
      if (!job) return reply.code(404).send(errorBody('not_found', 'no such import job (jobs are kept for an hour after they finish)'));
      return importView(job);
    },
  );
}
