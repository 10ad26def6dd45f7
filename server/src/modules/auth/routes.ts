/**
 * Sign-in for people: a session cookie (httpOnly, SameSite=Strict) plus a readable CSRF cookie
 * that changing requests echo in `X-CSRF-Token`. A failure never says which part was wrong;
 * repeated failures lock the username and the address for a while, and the answer says until when.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES, scopeIds, subtreeOf } from '@commandhall/shared';
import { errorBody } from '../../plugins/errors.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './plugin.ts';
import { actorOf } from './principal.ts';
import { ErrorSchema, Literals, NoContent } from '../../plugins/route-schemas.ts';

const Me = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('device')]),
  name: Type.String(),
  role: Literals([...ROLES, 'device']),
  scope: Type.String(),
  pii: Type.Boolean({ description: 'Sees personal data unmasked' }),
  demo: Type.Boolean({ description: 'The anonymous demo wall (demo mode, nobody signed in)' }),
  allowedScopes: Type.Array(Type.String(), { description: 'Every scope this principal may read' }),
});

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const secure = (req: FastifyRequest) =>
    app.config.COOKIE_SECURE === 'auto' ? req.protocol === 'https' : app.config.COOKIE_SECURE === 'on';
  const clearCookies = (req: FastifyRequest, reply: FastifyReply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(req) });
    reply.clearCookie(CSRF_COOKIE, { path: '/', sameSite: 'strict', secure: secure(req) });
  };

  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'login' },
      bodyLimit: 4096,
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie and the CSRF cookie',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            user: Type.Object({ username: Type.String(), role: Type.String(), scope: Type.String(), pii: Type.Boolean() }),
            csrfToken: Type.String(),
            expiresAt: Type.String(),
          }),
          401: ErrorSchema,
          429: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const result = await app.auth.login(username, password, req.ip);
      const audit = { actor: `user:${username.slice(0, 100)}`, action: 'auth.login', target: null, ip: req.ip };
      if (!result.ok && result.code === 'locked') {
        await app.auth.audit({ ...audit, outcome: 'denied', details: { reason: 'locked' } });
        const seconds = Math.max(1, Math.ceil((result.retryAt - app.clock()) / 1000));
        return reply
          .code(429)
          .header('retry-after', String(seconds))
          .send(
            errorBody(
              'locked',
              `too many failed sign-ins: try again in ${Math.ceil(seconds / 60)} min (after ${new Date(result.retryAt).toISOString()})`,
              { retryAt: new Date(result.retryAt).toISOString() },
            ),
          );
      }
      if (!result.ok) {
        await app.auth.audit({ ...audit, outcome: 'failed' });
        return reply.code(401).send(errorBody('bad_credentials', 'wrong username or password'));
      }
      await app.auth.audit({ ...audit, actor: `user:${result.user.username}`, outcome: 'ok' });
      const expires = new Date(result.expiresAt);
      reply.setCookie(SESSION_COOKIE, result.session, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(req), expires });
      // readable by the page's script, which echoes it in X-CSRF-Token: a foreign site can do neither
      reply.setCookie(CSRF_COOKIE, result.csrf, { path: '/', httpOnly: false, sameSite: 'strict', secure: secure(req), expires });
      const { username: name, role, scope, pii } = result.user;
      return { user: { username: name, role, scope, pii }, csrfToken: result.csrf, expiresAt: expires.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { auth: 'principal' },
      schema: { tags: ['auth'], summary: 'Sign out: ends the session', response: { 204: NoContent, 401: ErrorSchema, 403: ErrorSchema } },
    },
    async (req, reply) => {
      const session = req.cookies[SESSION_COOKIE];
      if (session && req.principal?.via === 'session') {
        await app.auth.logout(session);
        await app.auth.audit({ actor: actorOf(req.principal), action: 'auth.logout', target: null, ip: req.ip, outcome: 'ok' });
      }
      clearCookies(req, reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, their role, scope and the scopes they may read',
        response: { 200: Me, 401: ErrorSchema },
      },
    },
    async (req) => {
      const p = req.principal!;
      const tree = subtreeOf(app.geo.tree, p.scope);
      const allowedScopes = tree ? scopeIds(tree) : [];
      return { kind: p.kind, name: p.name, role: p.role, scope: p.scope, pii: p.pii, demo: p.via === 'demo', allowedScopes };
    },
  );
};

export default authRoutes;
