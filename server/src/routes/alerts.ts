/**
 * The video alerts API of the console: a scope's queue and recent alerts, one alert with its
 * detections, and actions (acknowledge, confirm → an appeal, dismiss). Bounded by the caller's
 * scope; an alert outside it is a 404 like an unknown one. Actions are cookie-authenticated writes
 * (CSRF checked by the auth gate), refused for wall devices, checked against the role and the
 * lifecycle, and audited (docs/alerts.md). Acting on one screen reaches every other one through the
 * live channel's `alert:update`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ALERT_ACTIONS, ALERT_STATUSES, AlertView } from '@commandhall/shared';
import { AlertService, parseStatuses } from '../alerts/alert-service.ts';
import { AlertError, type AlertActionBody } from '../alerts/actions.ts';
import { errorBody } from '../plugins/errors.ts';
import { ErrorSchema } from './schemas.ts';

export const ALERT_LIST_MAX = 200;
export const ALERT_LIST_DEFAULT = 50;

const AlertId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:\\-]+$',
  description: 'Alert id, or a merged detection’s',
});

const ListQuery = Type.Object(
  {
    scope: Type.Optional(Type.String({ maxLength: 40, description: 'district:…, street:… or community:…; default: the caller’s scope' })),
    status: Type.Optional(
      Type.String({
        maxLength: 120,
        description: `Comma-separated: any of ${ALERT_STATUSES.join(', ')}, open (raised and acknowledged: the default) or all`,
      }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Raised at or after (RFC 3339)' })),
    limit: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,4}$', description: `Page size, 1–${ALERT_LIST_MAX} (default ${ALERT_LIST_DEFAULT})` }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

const Detail = Type.Object({
  alert: AlertView,
  communityName: Type.String(),
  streetName: Type.String(),
  detections: Type.Array(
    Type.Object({ id: Type.String(), status: Type.Enum(ALERT_STATUSES, { description: 'The detection’s own lifecycle status' }) }),
    { description: 'Its detections, the first (whose id is the alert’s) first' },
  ),
  actions: Type.Array(Type.Enum(ALERT_ACTIONS), { description: 'What the caller may do now' }),
});

const List = Type.Object({
  scope: Type.String(),
  items: Type.Array(AlertView, { description: 'Newest raised first' }),
  total: Type.Integer({ description: 'All the matches' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last one' }),
});

const ActionBodySchema = Type.Object(
  {
    action: Type.Enum(ALERT_ACTIONS, { description: ALERT_ACTIONS.join(', ') }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'dismiss: why it is a false positive (required)' })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Anything else worth keeping' })),
  },
  { additionalProperties: false },
);

const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

function fail(reply: FastifyReply, err: unknown) {
  if (err instanceof AlertError) return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.details));
  throw err;
}

export default async function alertsRoutes(app: FastifyInstance) {
  const service = new AlertService({
    engine: app.engine,
    ingest: app.ingest,
    geo: app.geo,
    cameras: app.cameras,
    now: app.clock,
    audit: (e) => app.auth.audit(e),
  });

  app.get(
    '/api/v1/alerts',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['alerts'],
        summary: `A scope's video alerts, newest raised first: the queue (open alerts) by default, ${ALERT_LIST_DEFAULT} (at most ${ALERT_LIST_MAX}) per page`,
        querystring: ListQuery,
        response: { 200: List, ...Errors },
      },
    },
    async (req, reply) => {
      const q = req.query as { scope?: string; status?: string; from?: string; limit?: string; cursor?: string };
      try {
        const limit = q.limit === undefined ? ALERT_LIST_DEFAULT : Number(q.limit);
        if (limit < 1 || limit > ALERT_LIST_MAX)
          throw new AlertError(400, 'invalid_request', `limit must be 1–${ALERT_LIST_MAX}, not ${q.limit}: page with the cursor for more`);
        const from = q.from === undefined ? undefined : Date.parse(q.from);
        if (from !== undefined && Number.isNaN(from)) throw new AlertError(400, 'invalid_request', `"from" is not a date-time: ${q.from}`);
        return service.list(req.principal!, { scope: q.scope, statuses: parseStatuses(q.status), from, limit, cursor: q.cursor });
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['alerts'],
        summary: 'One video alert: the alert, its detections and what the caller may do',
        description:
          'A merged detection’s id answers with its alert. An alert outside the caller’s area answers 404, like one that does not exist.',
        params: Type.Object({ id: AlertId }),
        response: { 200: Detail, ...Errors },
      },
    },
    async (req, reply) => {
      try {
        return service.detail(req.principal!, (req.params as { id: string }).id);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.post(
    '/api/v1/alerts/:id/actions',
    {
      config: { auth: 'principal' },
      bodyLimit: 8 * 1024,
      schema: {
        tags: ['alerts'],
        summary: 'Act on a video alert: acknowledge, confirm (creates an appeal) or dismiss (with a reason)',
        description:
          'Becomes events in the log with the caller as producer, and a line in the audit log. confirm creates an appeal (channel video_ai) in the same batch and answers its appealId. 403 when the role may not, 409 when the alert’s status does not allow it (the message names the status and the allowed moves). Cookie sessions send X-CSRF-Token.',
        params: Type.Object({ id: AlertId }),
        body: ActionBodySchema,
        response: {
          200: Type.Intersect([
            Type.Object({
              eventId: Type.String(),
              appealId: Type.Union([Type.String(), Type.Null()], { description: 'confirm: the appeal created' }),
            }),
            Detail,
          ]),
          ...Errors,
          409: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      try {
        return await service.act(req.principal!, (req.params as { id: string }).id, req.body as AlertActionBody, req.ip);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );
}
