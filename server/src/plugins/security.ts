/**
 * Security headers on every answer, and CORS closed unless CORS_ORIGINS names the origins that
 * may call the API from a browser. The content security policy is helmet's default, opened only
 * as far as the app needs: MapLibre's worker and decoded tiles (`blob:`), `data:` images, the live
 * channel's websocket to this same origin (`'self'`, which covers ws: and wss: to it). Swagger UI
 * at /docs loads its scripts from /docs itself. No `upgrade-insecure-requests`: halls reach the
 * server over plain http on their own network, where upgrading would break every request.
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  upgradeInsecureRequests: null,
};

async function security(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // over plain http HSTS is ignored anyway; behind https it is wanted
    hsts: app.config.COOKIE_SECURE !== 'off',
  });

  const origins = new Set(
    (app.config.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
  if (origins.size === 0) return; // closed: no CORS header at all, browsers refuse cross-origin reads
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin || !origins.has(origin)) return;
    reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true').header('vary', 'Origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      return reply
        .header('access-control-allow-methods', 'GET, POST, PATCH, DELETE')
        .header('access-control-allow-headers', 'content-type, authorization, x-api-key, x-csrf-token')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    }
  });
}

export default fp(security, { name: 'security', dependencies: ['core'] });
