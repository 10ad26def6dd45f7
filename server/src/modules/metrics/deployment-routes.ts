/**
 * Who this deployment serves: the area at its top (a district, or a city: scope, level, code,
 * name) and its local time. The web app
 * reads it before it draws anything, so no district, name or time zone is built into the bundle.
 * Public: a wall that is not paired yet needs it for its clock, and none of it is personal.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const Deployment = Type.Object({
  root: Type.Object({
    scope: Type.String({ description: 'e.g. district:440310, or city:9901 for a city deployment' }),
    level: Type.Union([Type.Literal('city'), Type.Literal('district')]),
    code: Type.String(),
    name: Type.String(),
  }),
  utcOffsetMinutes: Type.Integer({ description: 'Local time of the district, minutes east of UTC (no daylight saving): 480 for China' }),
});

const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const answer = {
    root: { scope: app.geo.rootScope, level: app.geo.root.level as 'city' | 'district', code: app.geo.root.code, name: app.geo.root.name },
    utcOffsetMinutes: app.config.UTC_OFFSET_MINUTES,
  };
  app.get(
    '/api/v1/deployment',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['metrics'],
        summary: 'The area this deployment serves (a district or a city) and its local time',
        response: { 200: Deployment },
      },
    },
    async () => answer,
  );
};

export default deploymentRoutes;
