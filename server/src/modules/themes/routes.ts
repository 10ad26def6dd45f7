/**
 * Themes and hall playlists. Any principal reads them (a wall loads what it shows); saving is
 * for administrators, and for community directors on their community's own themes and hall
 * (docs/themes.md). A theme that does not validate is refused with every problem and its path.
 */
import type { FastifyContextConfig } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PlaylistBody } from '@commandhall/shared/themes';
import type { Principal } from '../auth/principal.ts';
import { ErrorSchema } from '../../plugins/route-schemas.ts';

const ThemeId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]*$' });
const HallParam = Type.Object({ scope: Type.String({ maxLength: 40, description: 'The hall’s scope, e.g. community:440310001001' }) });
const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
// a theme's options differ by widget type: its full schema is checked by validateTheme, not by the serializer
// (declared all the same: a route's declared answers are what its handler may return)
const Ok = { 200: Type.Unknown(), 201: Type.Unknown() };

// the service's ThemeError answers for itself (plugins/errors.ts): the handlers only call the service
const themeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const principal: FastifyContextConfig = { auth: 'principal' };
  const mayEdit = (p: Principal, owner?: string) => app.themes.canEdit(p, { owner });

  app.get(
    '/api/v1/themes',
    {
      config: principal,
      schema: {
        tags: ['themes'],
        summary: 'Latest version of every theme (with `hall`: the ones that hall can show), and whether the caller may edit each',
        querystring: Type.Object({ hall: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const p = req.principal!;
      return { themes: (await app.themes.list(req.query.hall)).map((v) => ({ ...v, editable: mayEdit(p, v.theme.owner) })) };
    },
  );

  app.get(
    '/api/v1/themes/:id',
    { config: principal, schema: { tags: ['themes'], summary: 'The latest version of a theme', params: Type.Object({ id: ThemeId }) } },
    async (req) => {
      const v = await app.themes.get(req.params.id);
      return { ...v, editable: mayEdit(req.principal!, v.theme.owner) };
    },
  );

  app.get(
    '/api/v1/themes/:id/versions',
    {
      config: principal,
      schema: { tags: ['themes'], summary: 'Every version of a theme, newest first', params: Type.Object({ id: ThemeId }) },
    },
    async (req) => ({ versions: await app.themes.history(req.params.id) }),
  );

  app.put(
    '/api/v1/themes/:id',
    {
      bodyLimit: 1024 * 1024,
      config: principal,
      schema: {
        tags: ['themes'],
        summary: 'Save a theme as its next version (creates it when new)',
        description:
          'The body is the theme (shared/src/themes/types.ts). 400 `invalid_theme` lists every problem with its path in `details`.',
        params: Type.Object({ id: ThemeId }),
        querystring: Type.Object(
          {
            baseVersion: Type.Optional(
              Type.String({
                pattern: '^\\d{1,9}$',
                description: 'The version the change was made on (0: a new theme); a newer one is 409',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { ...Ok, ...Errors },
      },
    },
    async (req, reply) => {
      const base = req.query.baseVersion;
      const saved = await app.themes.save(req.principal!, req.params.id, req.body, req.ip, base === undefined ? undefined : Number(base));
      return reply.code(saved.version === 1 ? 201 : 200).send(saved);
    },
  );

  app.post(
    '/api/v1/themes/:id/rollback',
    {
      config: principal,
      schema: {
        tags: ['themes'],
        summary: 'Make an earlier version current again (saved as a new version)',
        params: Type.Object({ id: ThemeId }),
        body: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { ...Ok, ...Errors },
      },
    },
    async (req) => app.themes.rollback(req.principal!, req.params.id, req.body.version, req.ip),
  );

  app.delete(
    '/api/v1/themes/:id',
    {
      config: principal,
      schema: {
        tags: ['themes'],
        summary: 'Delete a theme (its versions are kept for the audit trail; saving the id again brings it back)',
        description: '409 `theme_in_use` when a hall’s saved rotation shows it: `details.halls` names them.',
        params: Type.Object({ id: ThemeId }),
        response: { 200: Type.Object({ id: Type.String(), version: Type.Integer() }), ...Errors },
      },
    },
    async (req) => app.themes.remove(req.principal!, req.params.id, req.ip),
  );

  app.get(
    '/api/v1/halls/:scope/playlist',
    {
      config: principal,
      schema: {
        tags: ['themes'],
        summary: 'The hall’s rotation: themes, seconds each, and the epoch every display counts from',
        params: HallParam,
        response: { 200: Ok[200], 404: ErrorSchema },
      },
    },
    async (req) => {
      const hall = req.params.scope;
      return { ...(await app.themes.playlist(hall)), editable: app.themes.canEditPlaylist(req.principal!, hall) };
    },
  );

  app.put(
    '/api/v1/halls/:scope/playlist',
    {
      config: principal,
      schema: {
        tags: ['themes'],
        summary: 'Set the hall’s rotation (administrators, and the hall’s own directors)',
        params: HallParam,
        body: PlaylistBody,
        response: { ...Ok, ...Errors },
      },
    },
    async (req) => app.themes.savePlaylist(req.principal!, req.params.scope, req.body.entries, req.ip),
  );
};

export default themeRoutes;
