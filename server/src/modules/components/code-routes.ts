/**
 * What the scan page (`/code/<id>`, public: whoever scanned a label) asks: the component, and a
 * report about it. Public, so bounded: a report is refused past SMART_CODE_REPORTS_PER_HOUR from
 * one address, or three times that about one component from everyone (the deployment's limits:
 * Redis in scale-out mode, so that more nodes do not mean more reports), validated like every
 * body, and written through ingest like every event (the same checks, the log, the projections).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { COMPONENT_STATUSES } from '@commandhall/shared';
import { errorBody } from '../../plugins/errors.ts';
import { ErrorSchema, Literals } from '../../plugins/route-schemas.ts';
import { CodeReport, SCAN_PAGE_PRODUCER, isTopCategory, reportEvents } from './code-report.ts';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });
const Errors = { 400: ErrorSchema, 404: ErrorSchema, 422: ErrorSchema, 429: ErrorSchema };

const PublicComponent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  cell: Type.String(),
  cellName: Type.String(),
  community: Type.String(),
  communityName: Type.String(),
  street: Type.String(),
  streetName: Type.String(),
  road: Type.Union([Type.String(), Type.Null()]),
  status: Literals(COMPONENT_STATUSES),
});

const codeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const perHour = app.config.SMART_CODE_REPORTS_PER_HOUR;

  app.get(
    '/api/v1/code/:id',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['smart codes'],
        summary: 'A component as its scan page shows it (public: what it is, where, its status)',
        params: IdParam,
        response: { 200: PublicComponent, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      if (!app.componentService) return reply.code(404).send(errorBody('not_found', 'this deployment has no city components'));
      return app.componentService.publicView(req.params.id);
    },
  );

  app.post(
    '/api/v1/code/:id/reports',
    {
      config: { auth: 'public' },
      bodyLimit: 8 * 1024,
      schema: {
        tags: ['smart codes'],
        summary: 'Report a problem with a component: becomes an appeal (channel smart_code) with the component attached',
        params: IdParam,
        body: CodeReport,
        response: { 201: Type.Object({ appealId: Type.String(), deadline: Type.Union([Type.String(), Type.Null()]) }), ...Errors },
      },
    },
    async (req, reply) => {
      const registry = app.componentService?.registry;
      const c = registry?.get(req.params.id);
      if (!c) return reply.code(404).send(errorBody('not_found', `no city component has the code "${req.params.id}"`));
      if (!isTopCategory(req.body.category))
        return reply.code(400).send(errorBody('invalid_category', `"${req.body.category}" is not a top-level category of the taxonomy`));
      const rate = perHour / 3600;
      const wait = Math.max(
        await app.auth.takeToken(`code-ip:${req.ip}`, rate, perHour),
        await app.auth.takeToken(`code-component:${c.id}`, rate * 3, perHour * 3),
      );
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return reply.code(429).send(errorBody('too_many_reports', `too many reports: try again in ${wait} s, or call 12345`));
      }
      const view = app.componentService!.view(c);
      const { scan, appeal, appealId } = reportEvents(c, req.body, app.clock(), view);
      const result = await app.ingest.ingest([scan, appeal], {
        id: SCAN_PAGE_PRODUCER,
        types: new Set(['smart_code.scanned', 'appeal.created']),
      });
      const refused = result.results.find((r) => r.status === 'rejected');
      if (refused) return reply.code(422).send(errorBody('rejected', refused.reason ?? 'the report was refused'));
      const deadline = app.engine.appeals.get(appealId)?.deadline;
      return reply.code(201).send({ appealId, deadline: deadline ? new Date(deadline).toISOString() : null });
    },
  );
};

export default codeRoutes;
