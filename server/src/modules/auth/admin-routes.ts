/**
 * Administration: people, wall devices, producer keys and the audit log. Administrators only;
 * every change is audited by the auth service. Secrets (device tokens, producer keys) are in the
 * answer to the request that made them and nowhere else, ever again. The audit log has a read
 * route and nothing more.
 */
import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EVENT_TYPES, ROLES } from '@commandhall/shared';
import { actorOf } from './principal.ts';
import { userView, type Actor } from './auth-service.ts';
import type { DeviceRow, ProducerKeyRow } from './auth-store.ts';
import { ErrorSchema, Literals, NoContent } from '../../plugins/route-schemas.ts';
import { errorBody } from '../../plugins/errors.ts';

const Scope = Type.String({ maxLength: 40, description: 'e.g. street:440310001' });
const Username = Type.String({ minLength: 2, maxLength: 40 });
const Password = Type.String({ minLength: 1, maxLength: 200 });
// path and query values arrive as strings (type coercion is off app-wide): digits, read with Number()
const Digits = (description: string) => Type.String({ pattern: '^[0-9]{1,9}$', description });
const IdParam = Type.Object({ id: Digits('id') });
const NameParam = Type.Object({ username: Username });
const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: Type.String(),
  scope: Type.String(),
  pii: Type.Boolean(),
  disabled: Type.Boolean(),
  createdAt: Type.Integer(),
});
const Device = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  scope: Type.String(),
  createdAt: Type.Integer(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
  lastSeenAt: Type.Union([Type.Integer(), Type.Null()]),
});
const Key = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  types: Type.Array(Type.String()),
  ratePerSecond: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Type.Integer(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
});
const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  details: Type.Optional(Type.Unknown()),
});

const QuarantinedEvent = Type.Object({
  seq: Type.Integer({ description: 'Position of the event in the log' }),
  projection: Type.String({ description: 'The projection that could not fold it' }),
  eventId: Type.Union([Type.String(), Type.Null()], { description: 'Null when the stored row is not readable as an event' }),
  type: Type.Union([Type.String(), Type.Null()]),
  error: Type.String(),
  quarantinedAt: Type.String({ format: 'date-time' }),
  releasedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Released: folded again at the next start' }),
  releasedBy: Type.Union([Type.String(), Type.Null()]),
});

const by = (req: FastifyRequest): Actor => ({ actor: actorOf(req.principal), ip: req.ip });
const deviceOut = (d: DeviceRow) => d;
const keyOut = (k: ProducerKeyRow) => k;

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin: FastifyContextConfig = { auth: 'admin' };

  app.get(
    '/api/v1/admin/users',
    { config: admin, schema: { tags: ['admin'], summary: 'Every account', response: { 200: Type.Array(User), ...Errors } } },
    async () => (await app.auth.store.users()).map(userView),
  );

  app.post(
    '/api/v1/admin/users',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Create an account',
        body: Type.Object(
          {
            username: Username,
            password: Password,
            role: Literals(ROLES),
            scope: Scope,
            pii: Type.Optional(Type.Boolean({ description: 'Clearance for personal data' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...Errors },
      },
    },
    async (req, reply) => reply.code(201).send(await app.auth.createUser(req.body, by(req))),
  );

  app.post(
    '/api/v1/admin/users/:username/password',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Set a new password; the user is signed out everywhere',
        params: NameParam,
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 204: NoContent, ...Errors },
      },
    },
    async (req, reply) => {
      await app.auth.resetPassword(req.params.username, req.body.password, by(req));
      return reply.code(204).send();
    },
  );

  app.patch(
    '/api/v1/admin/users/:username',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Disable or enable an account (disabling signs it out)',
        params: NameParam,
        body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: User, ...Errors },
      },
    },
    async (req) => app.auth.setDisabled(req.params.username, req.body.disabled, by(req)),
  );

  app.get(
    '/api/v1/admin/devices',
    { config: admin, schema: { tags: ['admin'], summary: 'Wall devices', response: { 200: Type.Array(Device), ...Errors } } },
    async () => (await app.auth.store.devices()).map(deviceOut),
  );

  app.post(
    '/api/v1/admin/devices',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Pair a wall device: the token is shown in this answer only',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), scope: Scope }, { additionalProperties: false }),
        response: { 201: Type.Object({ device: Device, token: Type.String() }), ...Errors },
      },
    },
    async (req, reply) => {
      const { device, token } = await app.auth.issueDevice(req.body.name, req.body.scope, by(req));
      return reply.code(201).send({ device: deviceOut(device), token });
    },
  );

  app.delete(
    '/api/v1/admin/devices/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Revoke a wall device: it drops off within seconds',
        params: IdParam,
        response: { 204: NoContent, ...Errors },
      },
    },
    async (req, reply) => {
      await app.auth.revokeDevice(Number(req.params.id), by(req));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/admin/keys',
    { config: admin, schema: { tags: ['admin'], summary: 'Producer API keys', response: { 200: Type.Array(Key), ...Errors } } },
    async () => (await app.auth.store.keys()).map(keyOut),
  );

  app.post(
    '/api/v1/admin/keys',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Issue a producer API key: the key is shown in this answer only',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9._-]+$' }),
            types: Type.Optional(
              Type.Array(Literals(EVENT_TYPES), {
                minItems: 1,
                description: 'Event types it may send; default all',
              }),
            ),
            ratePerSecond: Type.Optional(
              Type.Union([Type.Number({ minimum: 0, maximum: 10_000 }), Type.Null()], {
                description: 'Batches per second; null: the default; 0: unlimited',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ key: Key, token: Type.String() }), ...Errors },
      },
    },
    async (req, reply) => {
      const { key, token } = await app.auth.issueProducerKey(req.body, by(req));
      return reply.code(201).send({ key: keyOut(key), token });
    },
  );

  app.delete(
    '/api/v1/admin/keys/:id',
    {
      config: admin,
      schema: { tags: ['admin'], summary: 'Revoke a producer API key', params: IdParam, response: { 204: NoContent, ...Errors } },
    },
    async (req, reply) => {
      await app.auth.revokeKey(Number(req.params.id), by(req));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/admin/audit',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'The audit log, newest first (append-only: there is no route to change it)',
        querystring: Type.Object(
          {
            actor: Type.Optional(Type.String({ maxLength: 120, description: 'e.g. user:admin' })),
            action: Type.Optional(Type.String({ maxLength: 60, description: 'e.g. auth.login' })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            limit: Type.Optional(Digits('page size, 1–500 (default 100)')),
            offset: Type.Optional(Digits('entries to skip')),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ total: Type.Integer(), entries: Type.Array(AuditEntry) }), ...Errors },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const limit = Number(q.limit ?? 100);
      if (limit < 1 || limit > 500) return reply.code(400).send(errorBody('invalid_request', 'limit must be between 1 and 500'));
      const { total, entries } = await app.auth.auditLog({
        actor: q.actor,
        action: q.action,
        from: q.from ? Date.parse(q.from) : undefined,
        to: q.to ? Date.parse(q.to) : undefined,
        limit,
        offset: Number(q.offset ?? 0),
      });
      return { total, entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString(), details: e.details ?? undefined })) };
    },
  );

  app.get(
    '/api/v1/admin/quarantine',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Events a projection could not fold: kept aside (everything after them folded on), with their errors',
        response: { 200: Type.Object({ held: Type.Integer(), entries: Type.Array(QuarantinedEvent) }), ...Errors },
      },
    },
    async () => {
      const iso = (t: number) => new Date(t).toISOString();
      return {
        held: app.quarantine.count(),
        entries: app.quarantine
          .list()
          .map((e) => ({ ...e, quarantinedAt: iso(e.quarantinedAt), releasedAt: e.releasedAt === null ? null : iso(e.releasedAt) })),
      };
    },
  );

  app.post(
    '/api/v1/admin/quarantine/release',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Releases quarantined events: they are folded again at the next start of the server',
        body: Type.Object(
          {
            seqs: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 10_000 })),
            all: Type.Optional(Type.Literal(true)),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ released: Type.Integer() }), ...Errors },
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (!body.all === !body.seqs)
        return reply.code(400).send(errorBody('invalid_request', 'give either "seqs" (the events to release) or "all": true'));
      const released = app.quarantine.release(body.all ? 'all' : body.seqs!, actorOf(req.principal));
      await app.auth.audit({
        actor: actorOf(req.principal),
        ip: req.ip,
        action: 'quarantine.release',
        target: body.all ? 'all' : body.seqs!.join(','),
        outcome: 'ok',
        details: { released },
      });
      return { released };
    },
  );
};

export default adminRoutes;
