/**
 * The components API: lists and details within the caller's area, the map layer (clusters and
 * points for a box at a zoom), the heat map of appeals and alerts, a component's QR code, and
 * sheets of labels to print. Scope checks as everywhere: a scope outside the caller's area is a
 * 403, a component outside it a 404 like one that does not exist.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { COMPONENT_STATUSES, can, canReadScope, isKnown } from '@commandhall/shared';
import { errorBody } from '../../plugins/errors.ts';
import { ErrorSchema, Literals } from '../../plugins/route-schemas.ts';
import { COMPONENT_LAYERS } from './component-map.ts';
import { LIST_MAX } from './component-service.ts';
import { PER_PAGE, codeUrl, labelSheet, qrSvg } from './smart-code.ts';
import { HEAT_KINDS, HEAT_WINDOWS, type HeatKind, type HeatWindow } from '../metrics/heat-projection.ts';

const Errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
const Scope = Type.Optional(Type.String({ maxLength: 40, description: 'e.g. community:440310001001; default: the caller’s scope' }));
const IdParam = Type.Object({ id: Type.String({ pattern: '^[0-9A-Za-z._-]{1,40}$' }) });
const Point = Type.Object({ lon: Type.Number(), lat: Type.Number() });

export const ComponentViewSchema = Type.Object({
  id: Type.String(),
  type: Type.String({ description: 'Component type code of the taxonomy' }),
  lon: Type.Number(),
  lat: Type.Number(),
  cell: Type.String({ description: 'Its grid cell' }),
  cellName: Type.String(),
  community: Type.String(),
  communityName: Type.String(),
  street: Type.String(),
  streetName: Type.String(),
  road: Type.Union([Type.String(), Type.Null()]),
  status: Literals(COMPONENT_STATUSES),
});

const Detail = Type.Intersect([
  ComponentViewSchema,
  Type.Object({
    scansTotal: Type.Optional(Type.Integer()),
    appealsTotal: Type.Optional(Type.Integer()),
    scans: Type.Optional(Type.Array(Type.Object({ scanId: Type.String(), at: Type.String(), purpose: Type.String() }))),
    appeals: Type.Optional(
      Type.Array(
        Type.Object({
          appealId: Type.String(),
          at: Type.String(),
          category: Type.String(),
          channel: Type.String(),
          status: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    ),
  }),
]);

/** Where the QR codes point: PUBLIC_URL, or the address this request came to. */
export const publicBase = (configured: string | undefined, req: FastifyRequest): string => configured ?? `${req.protocol}://${req.host}`;

const componentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // every handler answers 404 first when there is no registry: past that, the service is there
  const service = () => app.componentService!;
  const none = () => errorBody('no_registry', 'this deployment has no city-component registry (COMPONENTS_FILE)');

  app.get(
    '/api/v1/components',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['components'],
        summary: 'City components within a scope of the caller’s area, by type and status',
        querystring: Type.Object({
          scope: Scope,
          type: Type.Optional(Type.String({ maxLength: 40 })),
          status: Type.Optional(Literals(COMPONENT_STATUSES)),
          // query strings are strings (no coercion, as everywhere in this app): digits, read below
          limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: `1–${LIST_MAX} (default 100)` })),
          offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', description: 'default 0' })),
        }),
        response: { 200: Type.Object({ scope: Type.String(), total: Type.Integer(), items: Type.Array(ComponentViewSchema) }), ...Errors },
      },
    },
    async (req, reply) => {
      if (!app.componentService) return reply.code(404).send(none());
      const q = req.query;
      if (q.type && !isKnown('componentType', q.type))
        return reply.code(400).send(errorBody('invalid_type', `"${q.type}" is not a component type`));
      const limit = q.limit === undefined ? 100 : Number(q.limit);
      if (limit < 1 || limit > LIST_MAX) return reply.code(400).send(errorBody('invalid_limit', `limit is 1–${LIST_MAX}`));
      return service().list(req.principal!, { ...q, limit, offset: q.offset === undefined ? 0 : Number(q.offset) });
    },
  );

  app.get(
    '/api/v1/components/map',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['components'],
        summary: 'The components’ map layer: clusters and points of a scope in a box at a zoom (GeoJSON)',
        description:
          'Clusters carry `count`; points `id`, `type` and `status`; components out of order inside a cluster come as points with `overlay: true`.',
        querystring: Type.Object({
          scope: Scope,
          layer: Type.Optional(Literals(COMPONENT_LAYERS, { default: 'components' })),
          bbox: Type.String({ pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'west,south,east,north' }),
          zoom: Type.String({ pattern: '^([0-9]|1[0-9]|2[0-2])$', description: '0–22' }),
        }),
        response: { 200: Type.Unknown(), ...Errors },
      },
    },
    async (req, reply) => {
      if (!app.componentService) return reply.code(404).send(none());
      const q = req.query;
      const scope = service().checkScope(req.principal!, q.scope);
      const [w, s, e, n] = q.bbox.split(',').map(Number);
      if (!(w < e && s < n && Math.abs(w) <= 180 && Math.abs(e) <= 180 && Math.abs(s) <= 90 && Math.abs(n) <= 90))
        return reply
          .code(400)
          .send(errorBody('invalid_bbox', 'bbox is west,south,east,north in WGS84 degrees, west < east and south < north'));
      const features = app.componentMap!.features(scope, q.layer ?? 'components', [w, s, e, n], Number(q.zoom), app.engine.components);
      return { type: 'FeatureCollection', features };
    },
  );

  app.get(
    '/api/v1/heat',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['components'],
        summary: 'Heat map of appeals and video alerts in a scope over a window: counts on a 200 m grid',
        querystring: Type.Object({
          scope: Scope,
          window: Type.Optional(Literals(Object.keys(HEAT_WINDOWS) as HeatWindow[], { default: 'today' })),
          kinds: Type.Optional(Type.String({ pattern: '^(appeals|alerts)(,(appeals|alerts))?$', default: 'appeals,alerts' })),
        }),
        response: {
          200: Type.Object({
            scope: Type.String(),
            window: Type.String(),
            max: Type.Integer(),
            points: Type.Array(Type.Intersect([Point, Type.Object({ count: Type.Integer() })])),
          }),
          ...Errors,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const scope = q.scope ?? req.principal!.scope;
      if (!canReadScope(req.principal!, scope)) return reply.code(403).send(errorBody('forbidden', 'this scope is outside your area'));
      if (!app.engine.hasScope(scope)) return reply.code(404).send(errorBody('unknown_scope', `unknown scope "${scope}"`));
      const kinds = (q.kinds ?? 'appeals,alerts').split(',').filter((k): k is HeatKind => (HEAT_KINDS as readonly string[]).includes(k));
      const window = q.window ?? 'today';
      app.engine.advance();
      const points = app.engine.heat.heat(scope, [...new Set(kinds)], window, app.engine.index);
      return { scope, window, max: points.reduce((m, p) => Math.max(m, p.count), 0), points };
    },
  );

  app.get(
    '/api/v1/components/:id',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['components'],
        summary: 'One component: where, its status, the scans of its smart code and the appeals raised through it',
        params: IdParam,
        response: { 200: Detail, ...Errors },
      },
    },
    async (req, reply) => (app.componentService ? service().detail(req.principal!, req.params.id) : reply.code(404).send(none())),
  );

  app.get(
    '/api/v1/components/:id/code.svg',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['components'],
        summary: 'The component’s smart code: a QR code (SVG) of its scan page',
        params: IdParam,
        response: { 200: Type.String(), ...Errors },
      },
    },
    async (req, reply) => {
      if (!app.componentService) return reply.code(404).send(none());
      const c = service().detail(req.principal!, req.params.id);
      return reply.type('image/svg+xml').send(qrSvg(codeUrl(publicBase(app.config.PUBLIC_URL, req), c.id)));
    },
  );

  app.get(
    '/api/v1/components/labels.svg',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['components'],
        summary: `A sheet of smart-code labels to print: A4, ${PER_PAGE} components a page, of a street or community (SVG)`,
        description: 'The header X-Total-Pages says how many pages the scope (and type) has.',
        querystring: Type.Object({
          scope: Type.String({ maxLength: 40, description: 'a street, community or grid cell' }),
          type: Type.Optional(Type.String({ maxLength: 40 })),
          page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,4}$', description: 'from 1 (default 1)' })),
        }),
        response: { 200: Type.String(), ...Errors },
      },
    },
    async (req, reply) => {
      if (!app.componentService) return reply.code(404).send(none());
      const who = req.principal!;
      if (!can(who.role, 'components.labels'))
        return reply.code(403).send(errorBody('forbidden', 'printing labels is for directors, operators and administrators'));
      const q = req.query;
      if (q.type && !isKnown('componentType', q.type))
        return reply.code(400).send(errorBody('invalid_type', `"${q.type}" is not a component type`));
      const page = Number(q.page ?? 1);
      const list = service().list(who, { scope: q.scope, type: q.type, offset: (page - 1) * PER_PAGE, limit: PER_PAGE });
      const pages = Math.max(1, Math.ceil(list.total / PER_PAGE));
      if (page > pages) return reply.code(404).send(errorBody('no_page', `the labels have ${pages} page(s)`));
      const base = publicBase(app.config.PUBLIC_URL, req);
      const svg = labelSheet(
        list.items.map((view) => ({ view, url: codeUrl(base, view.id) })),
        `智慧码 ${list.scope} ${q.type ?? ''} ${page}/${pages}`,
      );
      return reply.type('image/svg+xml').header('x-total-pages', String(pages)).send(svg);
    },
  );
};

export default componentRoutes;
