/**
 * Who this deployment serves: its district (scope, code, name) and its local time. The web app
 * reads it before it draws anything, so no district, name or time zone is built into the bundle.
 * Public: a wall that is not paired yet needs it for its clock, and none of it is personal.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { scopeId } from '@commandhall/shared';

const Deployment = Type.Object({
  district: Type.Object({
    scope: Type.String({ description: 'e.g. district:440310' }),
    code: Type.String(),
    name: Type.String(),
  }),
  utcOffsetMinutes: Type.Integer({ description: 'Local time of the district, minutes east of UTC (no daylight saving): 480 for China' }),
});

const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const answer = {
    district: { scope: scopeId('district', app.geo.district.code), code: app.geo.district.code, name: app.geo.district.name },
    utcOffsetMinutes: app.config.UTC_OFFSET_MINUTES,
  };
  app.get(
    '/api/v1/deployment',
    {
      config: { auth: 'public' },
      schema: { tags: ['metrics'], summary: 'The district this deployment serves and its local time', response: { 200: Deployment } },
    },
    async () => answer,
  );
};

export default deploymentRoutes;
