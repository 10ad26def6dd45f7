/**
 * REST mirrors of the live channel: the scope tree, a scope's snapshot, the geography. Each is
 * bounded by the principal's scope: outside it, the answer is 403 whether or not the scope
 * exists, so that probing tells nothing.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { canReadScope, subtreeOf } from '@commandhall/shared';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorBody } from '../../plugins/errors.ts';
import { ErrorSchema } from '../../plugins/route-schemas.ts';

/** Pingshan's schematic roads and river (scripts/build-spatial.ts). */
const DEFAULT_BASEMAP_FILE = fileURLToPath(new URL('../../../../public/geo/pingshan-basemap.geojson', import.meta.url));

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

  const basemap = loadBasemap(app.config.BASEMAP_FILE, app.geo.rootScope, (msg) => app.log.info(msg));
  app.get(
    '/api/v1/geography/basemap',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['geography'],
        summary: 'The plain offline basemap: roads and water as GeoJSON lines (empty when the deployment has none)',
        response: { 200: AsIs, 401: ErrorSchema },
      },
    },
    async (_req, reply) => reply.type('application/geo+json').send(basemap),
  );
};

/** BASEMAP_FILE, or Pingshan's schematic one for Pingshan; an empty collection otherwise. */
function loadBasemap(file: string | undefined, root: string, note: (msg: string) => void): unknown {
  const path = file ?? (root === 'district:440310' && existsSync(DEFAULT_BASEMAP_FILE) ? DEFAULT_BASEMAP_FILE : undefined);
  if (!path) {
    note('no offline basemap (BASEMAP_FILE): the map draws the areas alone');
    return { type: 'FeatureCollection', features: [] };
  }
  const json = JSON.parse(readFileSync(path, 'utf8')) as { type?: unknown; features?: unknown };
  if (json.type !== 'FeatureCollection' || !Array.isArray(json.features))
    throw new Error(`BASEMAP_FILE ${path} is not a GeoJSON FeatureCollection`);
  return json;
}

export default metricsRoutes;
