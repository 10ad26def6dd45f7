/**
 * Serves the built web app (web/dist) at the root, with history-mode fallback to index.html for
 * screen URLs. API paths that match no route get a JSON 404 instead.
 */
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.ts';

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
const API_PREFIXES = ['/api/', '/open311/', '/socket.io/', '/docs', '/healthz', '/readyz', '/metrics'];

async function web(app: FastifyInstance) {
  const built = existsSync(`${WEB_DIST}index.html`);
  if (built) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'], maxAge: '1h' });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && built && !API_PREFIXES.some((p) => path.startsWith(p)) && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send(errorBody('not_found', `no route ${req.method} ${path}`));
  });
}

export default fp(web, { name: 'web' });
