/**
 * Authentication and the access gate in front of every API route. Each `/api/` route declares
 * who may call it in `config.auth`; a route that declares nothing stops the server at start, so
 * that a forgotten check is a crash in development and never an open door.
 *
 *   public    anyone                         login    anyone; the sign-in route itself
 *   principal a person or a wall device      admin    an administrator
 *   producer  an ingest API key (checked by the route's own preHandler)
 *
 * People are recognised by the session cookie, wall devices by `Authorization: Bearer chd_…`; in
 * demo mode a visitor with neither is the pre-paired district wall. A cookie-authenticated
 * request that changes something must echo the CSRF cookie in `X-CSRF-Token` (double submit).
 */
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '@commandhall/shared';
import type { AuthStore } from './auth-store.ts';
import { SqliteAuthStore } from './sqlite-auth-store.ts';
import { PostgresAuthStore } from './postgres-auth-store.ts';
import { AuthService } from './auth-service.ts';
import { RedisLimits } from './redis-limits.ts';
import { bootstrap, demoAreasOf, type BootstrapResult } from './bootstrap.ts';
import { actorOf, type Principal } from './principal.ts';
import { hashToken, sameSecret } from './tokens.ts';
import { errorBody } from '../../plugins/errors.ts';

export type RouteAuth = 'public' | 'login' | 'principal' | 'admin' | 'producer';
export const SESSION_COOKIE = 'ch_session';
export const CSRF_COOKIE = 'ch_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    authBootstrap: BootstrapResult;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

/** Bearer token of a request, if any. */
export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h && /^Bearer /i.test(h) ? h.slice(7).trim() : undefined;
}

type Identified = Principal & { csrfHash?: string };

/**
 * Whoever the request acts for, or null; `invalid` when it presented a credential that is not
 * valid. One read of the store (two for an anonymous visitor in demo mode): asked afresh on every
 * request, so a revocation on any node holds on the next request here.
 */
async function identify(app: FastifyInstance, req: FastifyRequest): Promise<Identified | null | 'invalid'> {
  const token = bearer(req);
  if (token) return (await app.auth.fromDeviceToken(token)) ?? 'invalid';
  const session = await app.auth.fromSession(req.cookies[SESSION_COOKIE]);
  if (session) return session;
  // a stale session cookie is no claim to be anyone in particular: the visitor is then anonymous
  return app.auth.demoPrincipal();
}

/** The double submit: the header echoes the CSRF cookie, and both are the session's own (its hash, read with it). */
function csrfOk(req: FastifyRequest, who: Identified): boolean {
  const header = req.headers[CSRF_HEADER];
  const cookieValue = req.cookies[CSRF_COOKIE];
  if (typeof header !== 'string' || !cookieValue || !sameSecret(header, cookieValue)) return false;
  return !!who.csrfHash && sameSecret(hashToken(header), who.csrfHash);
}

async function auth(app: FastifyInstance) {
  const c = app.config;
  await app.register(cookie);
  // shared by the nodes in PostgreSQL (scale-out mode); auth.sqlite in DATA_DIR otherwise
  const store: AuthStore = app.pg ? await PostgresAuthStore.open(app.pg) : new SqliteAuthStore(c.DATA_DIR);
  const service = new AuthService(
    store,
    {
      sessionHours: c.SESSION_HOURS,
      loginMaxFailures: c.LOGIN_MAX_FAILURES,
      loginLockoutMinutes: c.LOGIN_LOCKOUT_MINUTES,
      ingestRatePerSecond: c.INGEST_RATE_PER_SECOND,
      ingestBurst: c.INGEST_BURST,
      demoMode: c.DEMO_MODE === 'on',
    },
    app.clock,
    (scope) => app.engine.hasScope(scope),
    {
      limits: app.redis
        ? new RedisLimits(app.redis, c.REDIS_PREFIX, app.clock, c.LOGIN_MAX_FAILURES, c.LOGIN_LOCKOUT_MINUTES * 60_000)
        : undefined,
      onAuditError: (err) => app.log.error({ err }, 'an audit entry could not be written'),
    },
  );
  // audit entries under way land before the store closes
  app.addHook('onClose', async () => {
    await service.flushAudit();
    await store.close();
  });
  app.decorate('auth', service);
  app.decorate(
    'authBootstrap',
    await bootstrap(service, {
      areas: demoAreasOf(app.geo.tree),
      demoMode: c.DEMO_MODE === 'on',
      simulator: c.SIMULATOR === 'on',
      adminPassword: c.ADMIN_PASSWORD,
    }),
  );
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.auth)
      throw new Error(`route ${String(route.method)} ${route.url} declares no config.auth`);
  });

  // onRequest: before the body is read, so that nobody unauthenticated gets to upload or probe validation
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const need = req.routeOptions.config?.auth;
    if (!need || need === 'public' || need === 'login' || need === 'producer') return;
    const who = await identify(app, req);
    if (who === 'invalid' || who === null) {
      return reply
        .code(401)
        .send(
          errorBody(
            'unauthorized',
            who === 'invalid' ? 'the token is not valid (revoked or unknown): pair the display again' : 'sign in first',
          ),
        );
    }
    req.principal = who;
    if (!SAFE_METHODS.has(req.method)) {
      if (who.kind === 'device') return reply.code(403).send(errorBody('forbidden', 'a wall display can only read'));
      if (who.via === 'session' && !csrfOk(req, who)) {
        return reply
          .code(403)
          .send(errorBody('csrf_failed', `missing or wrong ${CSRF_HEADER} header: send the value of the ${CSRF_COOKIE} cookie`));
      }
    }
    if (need === 'admin' && !can(who.role, 'admin.manage')) {
      // someone probing the admin API is worth a line in the audit log
      await app.auth.audit({
        actor: actorOf(who),
        action: 'admin.denied',
        target: `${req.method} ${req.url.split('?')[0].slice(0, 120)}`,
        ip: req.ip,
        outcome: 'denied',
      });
      return reply.code(403).send(errorBody('forbidden', 'administrators only'));
    }
  });
}

export default fp(auth, { name: 'auth', dependencies: ['core'] });
