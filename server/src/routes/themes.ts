/**
 * Themes and hall playlists. Any principal reads them (a wall loads what it shows); saving is
 * for administrators, and for community directors on their community's own themes and hall
 * (docs/themes.md). A theme that does not validate is refused with every problem and its path.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { PlaylistBody, type PlaylistBody as PlaylistBodyT } from '@commandhall/shared/themes';
import { errorBody } from '../plugins/errors.ts';
import { ThemeError } from '../themes/theme-service.ts';
import { ErrorSchema } from './schemas.ts';

const ThemeId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]*$' });
const HallParam = Type.Object({ scope: Type.String({ maxLength: 40, description: 'The hall’s scope, e.g. community:440310001001' }) });
const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
// a theme's options differ by widget type: its full schema is checked by validateTheme, not by the serializer
const Ok = { 200: Type.Unknown(), 201: Type.Unknown() };

function fail(reply: FastifyReply, err: unknown) {
  if (err instanceof ThemeError) return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.details));
  throw err;
}

export default async function themeRoutes(app: FastifyInstance) {
  const principal = { auth: 'principal' as const };
  const mayEdit = (req: { principal?: unknown }, owner?: string) => app.themes.canEdit(req.principal as never, { owner });

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
      const { hall } = req.query as { hall?: string };
      return { themes: app.themes.list(hall).map((v) => ({ ...v, editable: mayEdit(req, v.theme.owner) })) };
    },
  );

  app.get(
    '/api/v1/themes/:id',
    { config: principal, schema: { tags: ['themes'], summary: 'The latest version of a theme', params: Type.Object({ id: ThemeId }) } },
    async (req, reply) => {
      try {
        const v = app.themes.get((req.params as { id: string }).id);
        return { ...v, editable: mayEdit(req, v.theme.owner) };
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.get(
    '/api/v1/themes/:id/versions',
    {
      config: principal,
      schema: { tags: ['themes'], summary: 'Every version of a theme, newest first', params: Type.Object({ id: ThemeId }) },
    },
    async (req, reply) => {
      try {
        return { versions: app.themes.history((req.params as { id: string }).id) };
      } catch (err) {
        return fail(reply, err);
      }
    },
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
      try {
        const base = (req.query as { baseVersion?: string }).baseVersion;
        const saved = app.themes.save(
          req.principal!,
          (req.params as { id: string }).id,
          req.body,
          req.ip,
          base === undefined ? undefined : Number(base),
        );
        return reply.code(saved.version === 1 ? 201 : 200).send(saved);
      } catch (err) {
        return fail(reply, err);
      }
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
    async (req, reply) => {
      try {
        return app.themes.rollback(req.principal!, (req.params as { id: string }).id, (req.body as { version: number }).version, req.ip);
      } catch (err) {
        return fail(reply, err);
      }
    },
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
    async (req, reply) => {
      try {
        return app.themes.remove(req.principal!, (req.params as { id: string }).id, req.ip);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.get(
    '/api/v1/halls/:scope/playlist',
    {
      config: principal,
      schema: {
        tags: ['themes'],
        summary: 'The hall’s rotation: themes, seconds each, and the epoch every display counts from',
        params: HallParam,
        response: { 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      try {
        const hall = (req.params as { scope: string }).scope;
        return { ...app.themes.playlist(hall), editable: app.themes.canEditPlaylist(req.principal!, hall) };
      } catch (err) {
        return fail(reply, err);
      }
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
    async (req, reply) => {
      try {
        const hall = (req.params as { scope: string }).scope;
        return app.themes.savePlaylist(req.principal!, hall, (req.body as PlaylistBodyT).entries, req.ip);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );
}
