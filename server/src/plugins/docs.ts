/** OpenAPI document built from the routes' TypeBox schemas, browsable at /docs (assets ship locally). */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

async function docs(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Command Hall API',
        version: '1.0.0',
        description: 'Live command dashboard for a district operations centre (一网统管).',
      },
      tags: [{ name: 'ingest' }, { name: 'metrics' }, { name: 'geography' }, { name: 'auth' }, { name: 'admin' }, { name: 'health' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Producer API key (ingest)' },
          bearer: { type: 'http', scheme: 'bearer', description: 'Producer API key (ingest) or wall device token (reads)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'ch_session',
            description: 'Sign-in session; changes also need the X-CSRF-Token header',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

export default fp(docs, { name: 'docs' });
