/** REST mirrors of the live channel: the scope tree, a scope's snapshot, the geography. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { parseScope } from '@commandhall/shared';
import { errorBody } from '../plugins/errors.ts';

export default async function metricsRoutes(app: FastifyInstance) {
  app.get('/api/v1/scopes', { schema: { tags: ['metrics'], summary: 'The scope tree: district → streets → communities' } }, async () => app.geo.tree);

  app.get(
    '/api/v1/metrics/:scope',
    {
      schema: {
        tags: ['metrics'],
        summary: 'Live figures of a scope: the same snapshot the live channel sends',
        params: Type.Object({ scope: Type.String({ maxLength: 40, description: 'e.g. district:440310' }) }),
      },
    },
    async (req, reply) => {
      const { scope } = req.params as { scope: string };
      if (!parseScope(scope) || !app.engine.hasScope(scope)) return reply.code(404).send(errorBody('unknown_scope', `unknown scope "${scope}"`));
      app.engine.advance();
      return { scope, seq: app.live.currentSeq(scope), metrics: app.engine.snapshot(scope) };
    },
  );

  app.get('/api/v1/geography', { schema: { tags: ['geography'], summary: 'District, street and community boundaries (GeoJSON)' } }, async (_req, reply) =>
    reply.type('application/geo+json').send(app.geo.geojson),
  );
}
