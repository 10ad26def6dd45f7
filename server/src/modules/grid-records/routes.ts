/**
 * Grid records (网格管理) within the caller's area: the cells with their figures and grid worker,
 * the buildings and legal entities of a scope, the grid inspections of the last 30 days, the
 * classification table every answer is filtered by, and the CSV import of records (a job like the
 * appeals' import). Every record goes out through `classify` (数据分级分类): what is above the
 * caller's clearance is left out, personal data masked without PII clearance.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CLASSIFICATION, INSPECTION_KINDS, can, canReadScope, classify, localDay, type InspectionKind } from '@commandhall/shared';
import { errorBody } from '../../plugins/errors.ts';
import { ErrorSchema, Literals } from '../../plugins/route-schemas.ts';
import { RequestError } from '../../util/request-error.ts';
import { actorOf } from '../auth/principal.ts';
import { IMPORT_JOBS, IMPORT_MAX_BYTES, ImportFileError, type ImportJob } from '../appeal-io/import-job.ts';
import { ImportJobView, JobId, importView } from '../appeal-io/job-views.ts';
import { RECORD_KINDS, RISK_LEVELS, type RecordKindName } from './records-store.ts';
import { runRecordsImport } from './records-import.ts';

const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
const Scope = Type.Optional(Type.String({ maxLength: 40, description: 'default: the caller’s scope' }));
const Digits = (d: string) => Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: d }));
const Day = Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date, YYYY-MM-DD' }));
const Page = { limit: Digits('1–500 (default 50)'), offset: Digits('default 0') };
const AsIs = Type.Unknown();
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

const gridRecordsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));

  /** The scope asked, in the caller's area (403) and the geography (404). */
  const scopeOf = (req: FastifyRequest, asked: string | undefined): string => {
    const scope = asked ?? req.principal!.scope;
    if (!canReadScope(req.principal!, scope)) throw new RequestError(403, 'forbidden', 'this scope is outside your area');
    if (!app.engine.hasScope(scope)) throw new RequestError(404, 'unknown_scope', `unknown scope "${scope}"`);
    return scope;
  };
  const codeOf = (scope: string) => scope.slice(scope.indexOf(':') + 1);
  const page = (q: { limit?: string; offset?: string }) => {
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (limit < 1 || limit > 500) throw new RequestError(400, 'invalid_limit', 'limit is 1–500');
    return { limit, offset: q.offset === undefined ? 0 : Number(q.offset) };
  };

  app.get(
    '/api/v1/grid/cells',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['grid'],
        summary: 'The grid cells of a scope: figures from their records, components, grid worker',
        querystring: Type.Object({ scope: Scope }),
        response: { 200: AsIs, ...Errors },
      },
    },
    async (req) => {
      const scope = scopeOf(req, req.query.scope);
      const code = codeOf(scope);
      const totals = await app.gridRecords.totals(code);
      const workers = new Map(
        (await app.gridRecords.list('workers', { prefix: code, limit: 100_000, offset: 0 })).items.map((w) => [w.cell, w]),
      );
      const registry = app.componentService?.registry;
      const cells = app.geo.cells
        .filter((c) => c.code.startsWith(code))
        .map((c) => {
          const t = totals.get(c.code) ?? { buildings: 0, housingUnits: 0, residents: 0, entities: 0 };
          const w = workers.get(c.code);
          return classify(
            'gridCell',
            {
              code: c.code,
              name: c.name,
              community: c.parent!,
              communityName: app.geo.area(c.parent!)?.name ?? '',
              residents: t.residents,
              buildings: t.buildings,
              housingUnits: t.housingUnits,
              legalEntities: t.entities,
              components: registry?.count(`grid:${c.code}`) ?? 0,
              worker: w ? { id: w.id, name: w.name, phone: w.phone } : null,
            },
            req.principal,
          );
        });
      return { scope, synthetic: app.gridRecordsSynthetic, cells };
    },
  );

  for (const kind of ['buildings', 'entities'] as const) {
    app.get(
      `/api/v1/grid/${kind}`,
      {
        config: { auth: 'principal' },
        schema: {
          tags: ['grid'],
          summary: kind === 'buildings' ? 'Buildings of a scope, by use and risk' : 'Legal entities of a scope, by kind and risk',
          querystring: Type.Object({
            scope: Scope,
            type: Type.Optional(Type.String({ maxLength: 20, description: kind === 'buildings' ? 'use' : 'kind' })),
            risk: Type.Optional(Literals(RISK_LEVELS)),
            ...Page,
          }),
          response: { 200: AsIs, ...Errors },
        },
      },
      async (req) => {
        const scope = scopeOf(req, req.query.scope);
        const { total, items } = await app.gridRecords.list(kind, {
          prefix: codeOf(scope),
          type: req.query.type,
          risk: req.query.risk,
          ...page(req.query),
        });
        const as = kind === 'buildings' ? 'building' : 'entity';
        return { scope, total, items: items.map((r) => classify(as, r, req.principal)) };
      },
    );
  }

  app.get(
    '/api/v1/grid/inspections',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['grid'],
        summary: 'Grid inspections of a scope in the last 30 days, newest first, by kind, day and issues',
        querystring: Type.Object({
          scope: Scope,
          kind: Type.Optional(Literals(INSPECTION_KINDS)),
          issues: Type.Optional(Literals(['any', 'found'])),
          from: Day,
          to: Day,
          ...Page,
        }),
        response: { 200: AsIs, ...Errors },
      },
    },
    async (req) => {
      const q = req.query;
      const scope = scopeOf(req, q.scope);
      const dayOf = (d: string | undefined) => (d === undefined ? undefined : localDay(Date.parse(`${d}T12:00:00Z`), 0));
      app.engine.advance();
      const { total, items } = app.engine.inspections.list({
        prefix: codeOf(scope),
        kind: q.kind as InspectionKind | undefined,
        withIssues: q.issues === 'found',
        fromDay: dayOf(q.from),
        toDay: dayOf(q.to),
        ...page(q),
      });
      return { scope, total, items: items.map((i) => classify('inspection', i, req.principal)) };
    },
  );

  app.get(
    '/api/v1/classification',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['grid'],
        summary: 'The classification table (数据分级分类): every field of every record kind and its level',
        response: { 200: AsIs, 401: ErrorSchema },
      },
    },
    async () => CLASSIFICATION,
  );

  app.post(
    '/api/v1/grid/imports',
    {
      config: { auth: 'principal' },
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        tags: ['grid'],
        summary: 'Import grid records (buildings, legal entities or grid workers) from a CSV file; poll the job for progress',
        description:
          'The file is the body (Content-Type text/csv); columns: docs/grid-and-components.md. Rows of cells outside your area are rejected.',
        querystring: Type.Object({
          kind: Literals(RECORD_KINDS),
          name: Type.Optional(Type.String({ maxLength: 200, description: 'File name, for the job view' })),
        }),
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
      const p = req.principal!;
      if (!can(p.role, 'records.import'))
        return reply.code(403).send(errorBody('forbidden', 'importing grid records is for administrators and directors'));
      const body = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        return reply.code(400).send(errorBody('invalid_request', 'send the CSV file as the request body (Content-Type: text/csv)'));
      const owner = actorOf(p);
      const kind: RecordKindName = req.query.kind;
      const { job, finished } = await app.appealJobs.start<ImportJob>(
        IMPORT_JOBS,
        owner,
        (base) => ({
          ...base,
          kind: 'import',
          fileName: req.query.name ?? `${kind}.csv`,
          bytes: { done: 0, total: body.length },
          rows: { read: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 },
          errors: [],
          errorsTruncated: false,
        }),
        (j, { signal }) => runRecordsImport(j, body, { kind, geo: app.geo, store: app.gridRecords, scope: p.scope, signal }),
        (e) => {
          if (!(e instanceof ImportFileError)) req.log.warn({ err: e }, 'grid records import failed');
          return e instanceof Error ? e.message : String(e);
        },
      );
      app.auth.audit({
        actor: owner,
        action: 'grid.import',
        target: `import:${job.id}`,
        ip: req.ip,
        outcome: 'ok',
        details: { kind, bytes: body.length },
      });
      void finished.catch(() => undefined);
      return reply.code(202).send(importView(job, p));
    },
  );

  app.get(
    '/api/v1/grid/imports/:id',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['grid'],
        summary: 'A grid records import’s progress and rejected rows',
        params: JobId,
        response: { 200: ImportJobView, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const job = await app.appealJobs.get(IMPORT_JOBS, req.params.id, actorOf(req.principal));
      return job
        ? importView(job, req.principal!)
        : reply.code(404).send(errorBody('not_found', 'no such import job (jobs are kept for an hour after they finish)'));
    },
  );
};

export default gridRecordsRoutes;
