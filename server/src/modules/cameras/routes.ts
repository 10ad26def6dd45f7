/**
 * Cameras: the map's camera layer for principals (their scope only), the video platform's
 * heartbeats, and the registry's administration (administrators; every change audited).
 *
 * Heartbeats have a route of their own rather than being events in the log: they are liveness,
 * not facts of the district's record. A district's cameras beating every 30 s would be hundreds
 * of thousands of events a day, outweighing everything else in the log and in every replay, and
 * each one would be forgotten the moment the next arrives. What is worth keeping, the camera's
 * last heartbeat and status, is kept in the registry; a status change is announced to listeners.
 */
import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { canReadScope, parseScope } from '@commandhall/shared';
import {
  Camera,
  CameraCreate,
  CameraId,
  CameraList,
  CameraPatch,
  HEARTBEATS_MAX,
  HeartbeatBatch,
  HeartbeatResult,
} from '@commandhall/shared/cameras';
import { actorOf } from '../auth/principal.ts';
import type { Actor } from '../auth/auth-service.ts';
import { cameraView, speaksForCameras, VIDEO_PLATFORM_EVENT } from './view.ts';
import { errorBody } from '../../plugins/errors.ts';
import { authenticateProducer } from '../events/routes.ts';
import { ErrorSchema, NoContent } from '../../plugins/route-schemas.ts';

const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const IdParam = Type.Object({ id: CameraId });
const by = (req: FastifyRequest): Actor => ({ actor: actorOf(req.principal), ip: req.ip });

const cameraRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin: FastifyContextConfig = { auth: 'admin' };

  /** True when the scope id names an area of the loaded geography. */
  const known = (scope: string): boolean => {
    const s = parseScope(scope);
    if (!s) return false;
    return app.geo.area(s.code)?.level === s.level;
  };

  app.get(
    '/api/v1/cameras',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['cameras'],
        summary: 'Cameras of a scope with their status and place, for the map’s camera layer',
        description: 'Default scope: the caller’s own. A scope outside the caller’s area is 403 whether or not it exists.',
        querystring: Type.Object(
          { scope: Type.Optional(Type.String({ maxLength: 40, description: 'e.g. street:440310001' })) },
          { additionalProperties: false },
        ),
        response: { 200: CameraList, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const scope = req.query.scope ?? p.scope;
      if (!canReadScope(p, scope)) return reply.code(403).send(errorBody('forbidden', 'this scope is outside your area'));
      if (!known(scope)) return reply.code(404).send(errorBody('unknown_scope', `unknown scope "${scope}"`));
      return { scope, summary: app.cameras.onlineRate(scope), cameras: app.cameras.list(scope).map(cameraView) };
    },
  );

  app.post(
    '/api/v1/cameras/heartbeats',
    {
      bodyLimit: 1024 * 1024,
      onRequest: authenticateProducer,
      config: { auth: 'producer' },
      schema: {
        security: [{ apiKey: [] }, { bearer: [] }],
        tags: ['cameras'],
        summary: `The video platform's heartbeats: up to ${HEARTBEATS_MAX} cameras it still hears`,
        description:
          `For producer keys that may send ${VIDEO_PLATFORM_EVENT}. Send every 30–60 s; a camera not heard for the allowance ` +
          '(3 minutes by default) goes offline. Unknown ids are listed in the answer and otherwise ignored.',
        body: HeartbeatBatch,
        response: { 200: HeartbeatResult, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 413: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (req, reply) => {
      if (!speaksForCameras(req.producer!))
        return reply
          .code(403)
          .send(errorBody('forbidden', `this producer key may not report cameras: it needs the ${VIDEO_PLATFORM_EVENT} type`));
      const { heartbeats } = req.body;
      const r = await app.cameras.heartbeat(
        heartbeats.map((h) => ({ cameraId: h.cameraId, at: h.at === undefined ? undefined : Date.parse(h.at) })),
      );
      return { accepted: r.accepted, unknown: r.unknown.slice(0, 100), unknownCount: r.unknown.length };
    },
  );

  app.get(
    '/api/v1/admin/cameras',
    { config: admin, schema: { tags: ['admin'], summary: 'Every registered camera', response: { 200: Type.Array(Camera), ...Errors } } },
    async () => app.cameras.list(app.geo.rootScope).map(cameraView),
  );

  app.post(
    '/api/v1/admin/cameras',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Register a camera (its community is found from the location unless given)',
        body: CameraCreate,
        response: { 201: Camera, ...Errors },
      },
    },
    async (req, reply) => reply.code(201).send(cameraView(await app.cameras.create(req.body, by(req)))),
  );

  app.patch(
    '/api/v1/admin/cameras/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Rename or move a camera',
        params: IdParam,
        body: CameraPatch,
        response: { 200: Camera, ...Errors },
      },
    },
    async (req) => cameraView(await app.cameras.update(req.params.id, req.body, by(req))),
  );

  app.delete(
    '/api/v1/admin/cameras/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Remove a camera from the registry (its snapshots stay, readable as before)',
        params: IdParam,
        response: { 204: NoContent, ...Errors },
      },
    },
    async (req, reply) => {
      await app.cameras.remove(req.params.id, by(req));
      return reply.code(204).send();
    },
  );
};

export default cameraRoutes;
