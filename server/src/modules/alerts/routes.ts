/**
 * The video alerts API of the console: a scope's queue and recent alerts, one alert with its
 * detections, and actions (acknowledge, confirm → an appeal, dismiss). Bounded by the caller's
 * scope; an alert outside it is a 404 like an unknown one. Actions are cookie-authenticated writes
 * (CSRF checked by the auth gate), refused for wall devices, checked against the role and the
 * lifecycle, and audited (docs/alerts.md). Acting on one screen reaches every other one through the
 * live channel's `alert:update`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ALERT_ACTIONS, ALERT_STATUSES, AlertView } from '@commandhall/shared';
import { ALERT_LIST_DEFAULT, ALERT_LIST_MAX, AlertListParams, alertListOf } from './list-query.ts';
import { ErrorSchema } from '../../plugins/route-schemas.ts';

const AlertId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:\\-]+$',
  description: 'Alert id, or a merged detection’s',
});

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

// the service's AlertError answers for itself (plugins/errors.ts): the handlers only call the service
const alertsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/alerts',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['alerts'],
        summary: `A scope's video alerts, newest raised first: the queue (open alerts) by default, ${ALERT_LIST_DEFAULT} (at most ${ALERT_LIST_MAX}) per page`,
        querystring: AlertListParams,
        response: { 200: List, ...Errors },
      },
    },
    async (req) => app.alerts.list(req.principal!, alertListOf(req.query)),
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
    async (req) => app.alerts.detail(req.principal!, req.params.id),
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
    async (req) => app.alerts.act(req.principal!, req.params.id, req.body, req.ip),
  );
};

export default alertsRoutes;
