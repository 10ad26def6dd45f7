/**
 * REST mirrors of the live channel: the scope tree, a scope's snapshot, the geography. Each is
 * bounded by the principal's scope: outside it, the answer is 403 whether or not the scope
 * exists, so that probing tells nothing.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { canReadScope, subtreeOf } from '@commandhall/shared';
import { errorBody } from '../../plugins/errors.ts';
import { ErrorSchema } from '../../plugins/route-schemas.ts';

// the tree, the figures and the GeoJSON go out as they are (their shapes live in shared and
// the geography): their 200s are declared as Unknown, which the serializer writes as JSON.stringify would
const AsIs = Type.Unknown();

const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/scopes',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['metrics'],
        summary: 'The scope tree below the caller’s scope: district → streets → communities',
        description: 'Only the part of the tree the caller may see: a street director gets its street and its communities.',
        response: { 200: AsIs, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      // a device reads its own scope only, but its map names the areas below it: those are public
      const tree = subtreeOf(app.geo.tree, req.principal!.scope);
      return tree ?? reply.code(404).send(errorBody('unknown_scope', 'your scope is not in the loaded geography'));
    },
  );

  app.get(
    '/api/v1/metrics/:scope',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['metrics'],
        summary: 'Live figures of a scope: the same snapshot the live channel sends',
        params: Type.Object({ scope: Type.String({ maxLength: 40, description: 'e.g. district:440310' }) }),
        response: { 200: AsIs, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const { scope } = req.params;
      if (!canReadScope(req.principal!, scope)) return reply.code(403).send(errorBody('forbidden', 'this scope is outside your area'));
      if (!app.engine.hasScope(scope)) return reply.code(404).send(errorBody('unknown_scope', `unknown scope "${scope}"`));
      return { scope, seq: app.live.currentSeq(scope), metrics: app.engine.snapshot(scope) };
    },
  );

  app.get(
    '/api/v1/geography',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['geography'],
        summary: 'District, street and community boundaries (GeoJSON)',
        response: { 200: AsIs, 401: ErrorSchema },
      },
    },
    async (_req, reply) => reply.type('application/geo+json').send(app.geo.geojson),
  );
};

export default metricsRoutes;
