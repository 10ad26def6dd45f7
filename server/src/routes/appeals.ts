/**
 * The appeals API of the console: the list (filters, keyset cursor paging), one appeal with its
 * timeline and the dispatch suggestion, and actions. Everything is bounded by the caller's scope;
 * personal fields are masked without PII clearance; an appeal outside the area is a 404 like an
 * unknown one. Actions are cookie-authenticated writes (CSRF checked by the auth gate), refused
 * for wall devices, checked against the role and the lifecycle, and audited (docs/appeals.md).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { APPEAL_STATUSES, ActionBody, AppealDetail, AppealList, isKnown, type AppealStatus } from '@commandhall/shared';
import { APPEAL_SORTS, type AppealSort, type SortOrder } from '../store/appeal-read-model.ts';
import { AppealService, type ListFilters } from '../appeals/appeal-service.ts';
import { AppealError } from '../appeals/actions.ts';
import { errorBody } from '../plugins/errors.ts';
import { ErrorSchema } from './schemas.ts';

/** Largest page of the list. */
export const LIST_MAX = 200;
export const LIST_DEFAULT = 50;

const Code = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 64, description }));
const AppealId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:\\-]+$', description: 'Appeal id' });

const ListQuery = Type.Object(
  {
    scope: Type.Optional(Type.String({ maxLength: 40, description: 'district:…, street:… or community:…; default: the caller’s scope' })),
    status: Type.Optional(
      Type.Union([Type.String({ maxLength: 120 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: APPEAL_STATUSES.length })], {
        description: `Any of ${APPEAL_STATUSES.join(', ')}: comma-separated or repeated`,
      }),
    ),
    category: Code('Top-level category code'),
    subcategory: Code('Second-level category code'),
    channel: Code('Channel code'),
    nature: Code('Nature code'),
    overdue: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Open and past the deadline now' })),
    extension: Type.Optional(
      Type.Union([Type.Literal('pending'), Type.Literal('none')], { description: 'An extension request is pending' }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (RFC 3339)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (RFC 3339)' })),
    sort: Type.Optional(Type.Enum(APPEAL_SORTS, { description: 'created (default), deadline or status' })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'desc (default) or asc' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: `Page size, 1–${LIST_MAX} (default ${LIST_DEFAULT})` })),
    cursor: Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
type ListQuery = {
  scope?: string;
  status?: string | string[];
  category?: string;
  subcategory?: string;
  channel?: string;
  nature?: string;
  overdue?: 'true' | 'false';
  extension?: 'pending' | 'none';
  from?: string;
  to?: string;
  sort?: AppealSort;
  order?: SortOrder;
  limit?: string;
  cursor?: string;
};

const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

const bad = (message: string) => new AppealError(400, 'invalid_request', message);

/** The query's meaning: statuses and codes that exist, dates that parse, a page size in range. */
function filtersOf(q: ListQuery): ListFilters {
  const statuses = [q.status ?? []]
    .flat()
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of statuses)
    if (!(APPEAL_STATUSES as readonly string[]).includes(s)) throw bad(`unknown status "${s}"; one of ${APPEAL_STATUSES.join(', ')}`);
  for (const kind of ['category', 'subcategory', 'channel', 'nature'] as const) {
    const code = q[kind];
    if (code !== undefined && !isKnown(kind, code)) throw bad(`unknown ${kind} code "${code}"`);
  }
  const time = (name: 'from' | 'to') => {
    const text = q[name];
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw bad(`"${name}" is not a date-time: ${text}`);
    return ms;
  };
  const createdFrom = time('from');
  const createdTo = time('to');
  if (createdFrom !== undefined && createdTo !== undefined && createdTo <= createdFrom) throw bad('"to" must be later than "from"');
  const limit = q.limit === undefined ? LIST_DEFAULT : Number(q.limit);
  if (limit < 1 || limit > LIST_MAX) throw bad(`limit must be 1–${LIST_MAX}, not ${q.limit}: page with the cursor for more`);
  return {
    scope: q.scope,
    statuses: statuses.length ? (statuses as AppealStatus[]) : undefined,
    category: q.category,
    subcategory: q.subcategory,
    channel: q.channel,
    nature: q.nature,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    extensionPending: q.extension === undefined ? undefined : q.extension === 'pending',
    createdFrom,
    createdTo,
    sort: q.sort,
    order: q.order,
    limit,
    cursor: q.cursor,
  };
}

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
        return await service.list(req.principal!, filtersOf(req.query as ListQuery));
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
        summary: 'One appeal: the record, its timeline, the suggested unit and what the caller may do',
        description: 'An appeal outside the caller’s area answers 404, like one that does not exist.',
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
