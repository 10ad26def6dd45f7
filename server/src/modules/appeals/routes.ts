/**
 * The appeals API of the console: the list (filters, keyset cursor paging), one appeal with its
 * timeline, the dispatch suggestion and the video alert it came from, and actions. Everything is
 * bounded by the caller's scope; personal fields are masked without PII clearance; an appeal
 * outside the area is a 404 like an unknown one. Actions are cookie-authenticated writes (CSRF checked by the auth gate), refused
 * for wall devices, checked against the role and the lifecycle, and audited (docs/appeals.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ActionBody, AppealDetail, AppealList } from '@commandhall/shared';
import { LIST_DEFAULT, LIST_MAX, ListQuery, listFiltersOf } from './list-filters.ts';
import { ErrorSchema } from '../../plugins/route-schemas.ts';

const AppealId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:\\-]+$', description: 'Appeal id' });

const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

// the service's AppealError answers for itself (plugins/errors.ts): the handlers only call the service
const appealsRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
    async (req) => app.appeals.list(req.principal!, listFiltersOf(req.query)),
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
    async (req) => app.appeals.detail(req.principal!, req.params.id),
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
    async (req) => app.appeals.act(req.principal!, req.params.id, req.body, req.ip),
  );
};

export default appealsRoutes;
