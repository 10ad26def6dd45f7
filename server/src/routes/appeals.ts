/**
 * The appeals API of the console: the list (filters, keyset cursor paging), one appeal with its
 * timeline, the dispatch suggestion and the video alert it came from, and actions. Everything is
 * bounded by the caller's scope; personal fields are masked without PII clearance; an appeal
 * outside the area is a 404 like an unknown one. Actions are cookie-authenticated writes (CSRF checked by the auth gate), refused
 * for wall devices, checked against the role and the lifecycle, and audited (docs/appeals.md).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ActionBody, AppealDetail, AppealList } from '@commandhall/shared';
import { AppealService } from '../appeals/appeal-service.ts';
import { AppealError } from '../appeals/actions.ts';
import { LIST_DEFAULT, LIST_MAX, ListQuery, listFiltersOf } from '../appeals/list-filters.ts';
import { errorBody } from '../plugins/errors.ts';
import { ErrorSchema } from './schemas.ts';

const AppealId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:\\-]+$', description: 'Appeal id' });

const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

function fail(reply: FastifyReply, err: unknown) {
  if (err instanceof AppealError) return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.details));
  throw err;
}

export default async function appealsRoutes(app: FastifyInstance) {
  const service = new AppealService({
    model: app.appealReadModel,
    store: app.store,
    ingest: app.ingest,
    engine: app.engine,
    geo: app.geo,
    now: app.clock,
    audit: (e) => app.auth.audit(e),
  });

  app.get(
    '/api/v1/appeals',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['appeals'],
        summary: `Appeals in a scope, filtered and sorted, ${LIST_DEFAULT} (at most ${LIST_MAX}) per page`,
        description:
          'Keyset paging: pass nextCursor as cursor with the same sort and order. total counts matches up to 10,000 (totalExact false beyond). Personal fields are masked without PII clearance.',
        querystring: ListQuery,
        response: { 200: AppealList, ...Errors },
      },
    },
    async (req, reply) => {
      try {
        return await service.list(req.principal!, listFiltersOf(req.query as ListQuery));
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.get(
    '/api/v1/appeals/:id',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['appeals'],
        summary: 'One appeal: the record, its timeline, the suggested unit, what the caller may do and the video alert it came from',
        description:
          'An appeal outside the caller’s area answers 404, like one that does not exist. sourceAlert is the video alert whose confirmation created the appeal, null for other appeals and when that alert lies outside the caller’s area.',
        params: Type.Object({ id: AppealId }),
        response: { 200: AppealDetail, ...Errors },
      },
    },
    async (req, reply) => {
      try {
        return await service.detail(req.principal!, (req.params as { id: string }).id);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.post(
    '/api/v1/appeals/:id/actions',
    {
      config: { auth: 'principal' },
      bodyLimit: 8 * 1024,
      schema: {
        tags: ['appeals'],
        summary: 'Act on an appeal: verify, dispatch, handle, resolve, close, return, reject, reopen, extend_*',
        description:
          'Becomes an event in the log with the caller as producer, and a line in the audit log. 403 when the role may not, 409 when the appeal’s state does not allow it (the message names the state and the allowed moves). Cookie sessions send X-CSRF-Token.',
        params: Type.Object({ id: AppealId }),
        body: ActionBody,
        response: {
          200: Type.Intersect([Type.Object({ eventId: Type.String() }), AppealDetail]),
          ...Errors,
          409: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      try {
        return await service.act(req.principal!, (req.params as { id: string }).id, req.body as ActionBody, req.ip);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );
}
