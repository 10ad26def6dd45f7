/**
 * Appeal files: CSV import of historical appeals, and CSV / Excel export of the filtered appeal
 * list. Both run as jobs that a browser polls for progress:
 *
 *   POST /api/v1/appeal-imports            body: the CSV file          → 202 job
 *   GET  /api/v1/appeal-imports/:id        progress, counts, rejected rows with line numbers
 *   POST /api/v1/appeal-exports            body: the list's filters and a format → 202 job
 *   GET  /api/v1/appeal-exports/:id        progress: rows written of the total
 *   GET  /api/v1/appeal-exports/:id/file   the file, once the job is done
 *
 * Imports are for administrators and directors, each within their own scope; every import and
 * export is written to the audit log.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { can, canReadScope, type Clearance } from '@commandhall/shared';
import { actorOf, type Principal } from '../auth/principal.ts';
import { errorBody } from '../../plugins/errors.ts';
import { RequestError } from '../../util/request-error.ts';
import { Binary, ErrorSchema } from '../../plugins/route-schemas.ts';
import type { JobBase } from './jobs.ts';
import type { JobKindOf } from './job-service.ts';
import { IMPORT_JOBS, IMPORT_MAX_BYTES, ImportFileError, runImport, type ImportJob } from './import-job.ts';
import { EXPORT_CONTENT_TYPE, EXPORT_JOBS, EXPORT_MAX_ROWS, countMatches, runExport } from './export-job.ts';
import type { AppealQuery } from '../appeals/appeal-read-model.ts';
import { filtersOf } from '../appeals/list-filters.ts';
import { ExportBody, ExportJobView, ImportJobView, JobId, exportView, importView } from './job-views.ts';

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream'];

const noJob = (kind: 'import' | 'export') => errorBody('not_found', `no such ${kind} job (jobs are kept for an hour after they finish)`);

// a job limit (JobLimitError) and the filters' AppealError answer for themselves (plugins/errors.ts)
const appealIoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const jobs = app.appealJobs;

  // the CSV arrives as the raw body: `fetch(url, { method: 'POST', body: file })` from a browser
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));

  /** GET /api/v1/appeal-{kind}s/:id: a job's progress, for the one who started it. */
  function jobProgress<J extends JobBase>(
    kind: JobKindOf<J>,
    view: (j: J, who: Clearance) => unknown,
    schema: TSchema,
    summary: string,
  ): void {
    app.get(
      `/api/v1/appeal-${kind.kind}s/:id`,
      {
        config: { auth: 'principal' },
        schema: {
          tags: ['appeals'],
          summary,
          params: JobId,
          response: { 200: schema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (req, reply) => {
        const job = await jobs.get(kind, req.params.id, actorOf(req.principal));
        if (!job) return reply.code(404).send(noJob(kind.kind));
        return view(job, req.principal!);
      },
    );
  }

  const importer = (p: Principal): Principal => {
    if (!can(p.role, 'appeals.import')) throw new RequestError(403, 'forbidden', 'importing appeals is for administrators and directors');
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
      const p = importer(req.principal!);
      const body = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        return reply.code(400).send(errorBody('invalid_request', 'send the CSV file as the request body (Content-Type: text/csv)'));
      const owner = actorOf(p);
      const { job, finished } = await jobs.start<ImportJob>(
        IMPORT_JOBS,
        owner,
        (base) => ({
          ...base,
          kind: 'import',
          fileName: req.query.name ?? null,
          bytes: { done: 0, total: body.length },
          rows: { read: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 },
          errors: [],
          errorsTruncated: false,
        }),
        (j, { signal }) =>
          runImport(j, body, {
            geo: app.geo,
            utcOffsetMinutes: app.config.UTC_OFFSET_MINUTES,
            now: app.clock,
            principal: p,
            ingest: app.ingest,
            store: app.store,
            statusOf: (id) => app.engine.appeals.get(id)?.status,
            producer: `import:${owner}`,
            signal,
          }),
        (e) => {
          if (!(e instanceof ImportFileError)) req.log.error({ err: e }, 'import failed');
          return e instanceof Error ? e.message : String(e);
        },
      );
      app.auth.audit({
        actor: owner,
        action: 'appeals.import',
        target: `import:${job.id}`,
        ip: req.ip,
        outcome: 'ok',
        details: { fileName: job.fileName, bytes: body.length, scope: p.scope },
      });
      void finished.then(() =>
        app.auth.audit({
          actor: owner,
          action: 'appeals.import.finished',
          target: `import:${job.id}`,
          ip: req.ip,
          outcome: job.state === 'done' ? 'ok' : 'failed',
          details: { rows: job.rows, error: job.error ?? undefined },
        }),
      );
      return reply.code(202).header('location', `/api/v1/appeal-imports/${job.id}`).send(importView(job, req.principal!));
    },
  );

  jobProgress(IMPORT_JOBS, importView, ImportJobView, 'Progress and outcome of an import job (yours only)');

  app.post(
    '/api/v1/appeal-exports',
    {
      config: { auth: 'principal' },
      bodyLimit: 8192,
      schema: {
        tags: ['appeals'],
        summary: `Export the filtered appeal list as CSV or Excel (at most ${EXPORT_MAX_ROWS.toLocaleString('en')} rows); poll the job, then fetch its file`,
        description:
          'The filters are those of GET /api/v1/appeals, within your scope. Personal data is masked unless you have PII clearance. Every export is audited.',
        body: ExportBody,
        response: { 202: ExportJobView, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body;
      const scope = b.scope ?? p.scope;
      if (!canReadScope(p, scope)) return reply.code(403).send(errorBody('forbidden', 'this scope is outside your area'));
      if (!app.engine.hasScope(scope)) return reply.code(404).send(errorBody('unknown_scope', `unknown scope "${scope}"`));
      const filters = filtersOf(b);
      const now = app.clock();
      const q: Omit<AppealQuery, 'cursor' | 'limit'> = { ...filters, scope, now };
      const total = await countMatches(app.appealReadModel, q);
      if (total > EXPORT_MAX_ROWS)
        return reply
          .code(400)
          .send(
            errorBody(
              'too_many_rows',
              `more than ${EXPORT_MAX_ROWS.toLocaleString('en')} appeals match: narrow the filters (e.g. a shorter time span)`,
            ),
          );
      const owner = actorOf(p);
      const stamp = new Date(now + app.config.UTC_OFFSET_MINUTES * 60_000)
        .toISOString()
        .slice(0, 16)
        .replace(/[-:]/g, '')
        .replace('T', '-');
      const { job } = await jobs.start(
        EXPORT_JOBS,
        owner,
        (base) => ({
          ...base,
          kind: 'export',
          format: b.format,
          total,
          done: 0,
          fileBytes: null,
          fileName: `appeals-${scope.replace(':', '-')}-${stamp}.${b.format}`,
        }),
        (j, { signal }) =>
          runExport(j, q, {
            model: app.appealReadModel,
            geo: app.geo,
            utcOffsetMinutes: app.config.UTC_OFFSET_MINUTES,
            now: app.clock,
            clearance: { pii: p.pii },
            out: jobs.fileWriter(j.id),
            signal,
          }),
        (e, { closing }) => {
          if (!closing) req.log.error({ err: e }, 'export failed');
          return closing ? 'the server shut down during the export: start it again' : 'the export failed; the server log has the details';
        },
      );
      const { format: _format, ...asked } = b;
      app.auth.audit({
        actor: owner,
        action: 'appeals.export',
        target: `export:${job.id}`,
        ip: req.ip,
        outcome: 'ok',
        details: { format: b.format, filters: { ...asked, scope }, rows: total, pii: p.pii },
      });
      return reply.code(202).header('location', `/api/v1/appeal-exports/${job.id}`).send(exportView(job));
    },
  );

  jobProgress(EXPORT_JOBS, exportView, ExportJobView, 'Progress of an export job (yours only)');

  app.get(
    '/api/v1/appeal-exports/:id/file',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['appeals'],
        summary: 'The file of a finished export job (yours only)',
        params: JobId,
        response: {
          200: Binary({ description: 'The CSV or Excel file, to save under the job’s fileName' }),
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
          409: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const owner = actorOf(req.principal);
      const job = await jobs.get(EXPORT_JOBS, req.params.id, owner);
      if (!job) return reply.code(404).send(noJob('export'));
      if (job.state !== 'done')
        return reply
          .code(409)
          .send(errorBody('not_ready', job.state === 'failed' ? `the export failed: ${job.error}` : 'the export is still running'));
      // from whichever node: the file is the store's, streamed a piece at a time
      const file = await jobs.readFile(job.id);
      if (!file || job.fileBytes === null) return reply.code(404).send(noJob('export'));
      app.auth.audit({
        actor: owner,
        action: 'appeals.export.download',
        target: `export:${job.id}`,
        ip: req.ip,
        outcome: 'ok',
        details: { rows: job.done },
      });
      return reply
        .type(EXPORT_CONTENT_TYPE[job.format])
        .header('content-length', String(job.fileBytes))
        .header('content-disposition', `attachment; filename="${job.fileName}"; filename*=UTF-8''${encodeURIComponent(job.fileName)}`)
        .header('cache-control', 'no-store')
        .send(file);
    },
  );
};

export default appealIoRoutes;
