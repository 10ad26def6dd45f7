/**
 * Open311 GeoReport v2 at /open311/v2, for existing 311 clients (docs/open311.md):
 *
 *   GET  discovery.{json,xml}         service discovery
 *   GET  services.{json,xml}          every category and subcategory of the taxonomy
 *   GET  services/{code}.{json,xml}   a service definition (its attributes)
 *   POST requests.{json,xml}          create an appeal (api_key: a producer key allowed appeal.created)
 *   GET  requests.{json,xml}          appeals by the spec's filters, newest first, at most 1000
 *   GET  requests/{id}.{json,xml}     one appeal
 *
 * Errors use the spec's own format (`[{ code, description }]`, `<errors><error>…`), 404 for what
 * does not exist, 403 for a missing or wrong api_key and 400 for the rest.
 */
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { canReadScope, scopeId } from '@commandhall/shared';
import { SESSION_COOKIE, bearer } from '../auth/plugin.ts';
import { CONTENT_TYPE, FORMATS, errorDocument, serialise, splitFormat, type Format, type Open311Error } from './format.ts';
import { serviceDefinition, serviceList } from './services.ts';
import {
  DiscoveryJson,
  ServicesJson,
  DefinitionJson,
  RequestJson,
  CreatedJson,
  errorResponses,
  FilterQuery,
  CommonQuery,
  joined,
} from './schemas.ts';
import { Open311RequestError, appealFromForm, type Form } from './create.ts';
import {
  FilterError,
  MAX_REQUESTS,
  WINDOW_DAYS,
  findRequests,
  requestQueries,
  toOpen311,
  w3cTime,
  type Audience,
  type RequestFilters,
} from './requests.ts';

export const OPEN311_PREFIX = '/open311/v2';
export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
const FORM_MAX_BYTES = 32 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The Open311 format a route answers in (its errors too). */
    open311Format?: Format;
  }
}

/** Thrown inside handlers: answered in the spec's error format. */
class Open311Failure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function formatOf(req: FastifyRequest): Format {
  const fixed = req.routeOptions.config?.open311Format;
  if (fixed) return fixed;
  return /\.xml$/i.test(req.url.split('?')[0]) ? 'xml' : 'json';
}

function sendErrors(reply: FastifyReply, format: Format, status: number, errors: Open311Error[]) {
  return reply.code(status).type(CONTENT_TYPE[format]).send(errorDocument(format, errors));
}

/** A request's form fields: what the form parser made of the body; any other body (JSON, none) has none. */
const isForm = (body: unknown): body is Form => typeof body === 'object' && body !== null;
const formOf = (body: unknown): Form => (isForm(body) ? body : {});

function parseForm(text: string): Form {
  const form: Form = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prior = form[k];
    form[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  return form;
}

const open311: FastifyPluginAsyncTypebox = async (app) => {
  // one jurisdiction: the area this deployment serves (its district, or its city)
  const jurisdiction = app.geo.root;
  const changeset = new Date(app.clock()).toISOString();
  const offset = app.config.UTC_OFFSET_MINUTES;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_MAX_BYTES }, (_req, body, done) =>
    done(null, parseForm(body.toString())),
  );

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; code?: string }, req, reply) => {
    const format = formatOf(req);
    if (err instanceof Open311Failure || err instanceof Open311RequestError)
      return sendErrors(reply, format, err.status, [{ code: err.status, description: err.message }]);
    if (err instanceof FilterError) return sendErrors(reply, format, 400, [{ code: 400, description: err.message }]);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendErrors(reply, format, 413, [{ code: 413, description: `the request is larger than ${FORM_MAX_BYTES} bytes` }]);
    if (err.validation) return sendErrors(reply, format, 400, [{ code: 400, description: `invalid request: ${err.message}` }]);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'open311 request failed');
    return sendErrors(reply, format, status, [
      { code: status, description: status === 500 ? 'internal error; the server log has the details' : err.message },
    ]);
  });

  app.setNotFoundHandler((req, reply) =>
    sendErrors(reply, formatOf(req), 404, [
      { code: 404, description: `no Open311 resource ${req.method} ${req.url.split('?')[0]}: see ${OPEN311_PREFIX}/discovery.json` },
    ]),
  );

  // the spec's jurisdiction_id: optional here (one jurisdiction), but a wrong one is not ours
  // every route here declares jurisdiction_id in its query (CommonQuery, FilterQuery): the hook reads it as they declare it
  app.addHook<{ Querystring: { jurisdiction_id?: string } }>('preHandler', async (req) => {
    const b = formOf(req.body);
    const j = (req.query?.jurisdiction_id ?? (typeof b.jurisdiction_id === 'string' ? b.jurisdiction_id : undefined))?.trim();
    if (j && j !== jurisdiction.code)
      throw new Open311Failure(
        404,
        `jurisdiction_id "${j}" was not found: this endpoint serves ${jurisdiction.code} (${jurisdiction.name})`,
      );
  });

  const apiKeyOf = (req: FastifyRequest, query: { api_key?: string }, form?: Form): string | undefined => {
    const fromForm = form?.api_key;
    const header = req.headers['x-api-key'];
    const v = (typeof fromForm === 'string' ? fromForm : undefined) ?? query.api_key ?? (typeof header === 'string' ? header : undefined);
    return v?.trim() || undefined;
  };

  /** A producer key that may create appeals, or a 403 saying what is wrong with it. */
  const open311Key = async (token: string | undefined) => {
    if (!token) throw new Open311Failure(403, 'api_key is required: ask an administrator for a producer key that may send appeal.created');
    const key = await app.auth.producerFromKey(token);
    if (!key) throw new Open311Failure(403, 'invalid api_key (unknown or revoked)');
    if (!key.types.includes('appeal.created'))
      throw new Open311Failure(403, 'this api_key may not create appeals (its producer key lacks appeal.created)');
    return key;
  };

  /** Who reads, and so what it sees: see docs/open311.md. */
  const audienceOf = async (req: FastifyRequest, query: { api_key?: string }): Promise<Audience> => {
    const token = apiKeyOf(req, query);
    if (token) {
      await open311Key(token);
      return { tier: 'internal', pii: false, scope: app.geo.rootScope };
    }
    const device = bearer(req);
    if (device) {
      const p = await app.auth.fromDeviceToken(device);
      if (!p) throw new Open311Failure(403, 'the bearer token is not valid (revoked or unknown)');
      return { tier: 'internal', pii: false, scope: p.scope };
    }
    const person = await app.auth.fromSession(req.cookies[SESSION_COOKIE]);
    if (person) return { tier: 'internal', pii: person.pii, scope: person.scope };
    const demo = await app.auth.demoPrincipal();
    if (demo) return { tier: 'public', pii: false, scope: demo.scope };
    throw new Open311Failure(
      403,
      'api_key is required to read service requests: ask an administrator for a producer key that may send appeal.created',
    );
  };

  // the documents are open311/'s interfaces: JSON all the same, but without the index signature serialise's JSON type asks for
  const send = (reply: FastifyReply, format: Format, root: string, value: unknown) =>
    reply.type(CONTENT_TYPE[format]).send(format === 'json' ? value : serialise(format, root, value as never));

  const routeConfig = (format: Format): FastifyContextConfig => ({ auth: 'public', open311Format: format });

  for (const format of FORMATS) {
    app.get(
      `/discovery.${format}`,
      {
        config: routeConfig(format),
        schema: {
          tags: ['open311'],
          summary: `Service discovery (${format.toUpperCase()})`,
          querystring: CommonQuery,
          ...(format === 'json' ? { response: { 200: DiscoveryJson } } : {}),
        },
      },
      async (req, reply) =>
        send(reply, format, 'discovery', {
          changeset,
          contact: `${jurisdiction.name}城市运行管理中心（Command Hall）：请联系系统管理员 / ask the system administrator`,
          key_service:
            'api_key：由管理员签发可发送 appeal.created 的接入密钥（管理 → 接入密钥）/ an administrator issues a producer key allowed to send appeal.created',
          endpoints: [
            {
              specification: SPECIFICATION,
              url: `${req.protocol}://${req.host}${OPEN311_PREFIX}`,
              changeset,
              type: app.config.DEMO_MODE === 'on' ? 'test' : 'production',
              formats: [CONTENT_TYPE.xml.split(';')[0], CONTENT_TYPE.json.split(';')[0]],
            },
          ],
        }),
    );

    app.get(
      `/services.${format}`,
      {
        config: routeConfig(format),
        schema: {
          tags: ['open311'],
          summary: `GET Service List (${format.toUpperCase()}): every appeal category and subcategory`,
          querystring: CommonQuery,
          ...(format === 'json' ? { response: { 200: ServicesJson, ...errorResponses } } : {}),
        },
      },
      async (_req, reply) => send(reply, format, 'services', serviceList()),
    );

    app.get(
      `/requests.${format}`,
      {
        config: routeConfig(format),
        schema: {
          tags: ['open311'],
          summary: `GET Service Requests (${format.toUpperCase()}): newest first, at most ${MAX_REQUESTS}, within ${WINDOW_DAYS} days`,
          querystring: FilterQuery,
          ...(format === 'json' ? { response: { 200: Type.Array(RequestJson), ...errorResponses } } : {}),
        },
      },
      async (req, reply) => {
        const q = req.query;
        const who = await audienceOf(req, q);
        const filters: RequestFilters = {
          service_request_id: joined(q.service_request_id),
          service_code: joined(q.service_code),
          status: joined(q.status),
          start_date: q.start_date,
          end_date: q.end_date,
        };
        const queries = requestQueries(filters, who.scope, app.clock(), offset);
        const found = await findRequests(app.appealReadModel, queries);
        return send(
          reply,
          format,
          'service_requests',
          found.map((a) => toOpen311(a, who, app.geo, offset)),
        );
      },
    );

    app.post(
      `/requests.${format}`,
      {
        config: routeConfig(format),
        bodyLimit: FORM_MAX_BYTES,
        schema: {
          tags: ['open311'],
          summary: `POST Service Request (${format.toUpperCase()}): creates an appeal`,
          description:
            'Form fields (application/x-www-form-urlencoded): api_key, service_code, lat & long or address_string, attribute[nature], attribute[subcategory], description, first_name, last_name, phone, media_url.',
          querystring: CommonQuery,
          ...(format === 'json' ? { response: { 201: CreatedJson, ...errorResponses } } : {}),
        },
      },
      async (req, reply) => {
        const form = formOf(req.body);
        const key = await open311Key(apiKeyOf(req, req.query, form));
        const wait = await app.auth.takeIngestToken(key);
        if (wait > 0) {
          reply.header('retry-after', String(wait));
          throw new Open311Failure(429, `too many requests for this api_key: retry in ${wait} s`);
        }
        const event = appealFromForm({ form, geo: app.geo, now: app.clock() });
        const result = await app.ingest.ingest([event], { id: key.name, types: new Set(key.types) });
        const r = result.results[0];
        if (r.status === 'rejected') throw new Open311Failure(400, r.reason ?? 'the request was refused');
        const deadline = app.engine.appeals.get(event.data.appealId)?.deadline;
        return send(reply.code(201), format, 'service_requests', [
          {
            service_request_id: event.data.appealId,
            service_notice: deadline ? `已受理，预计 ${w3cTime(deadline, offset)} 前办理（expected by then）` : null,
            account_id: null,
          },
        ]);
      },
    );
  }

  app.get(
    '/services/:file',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['open311'],
        summary: 'GET Service Definition: services/{service_code}.{json|xml}',
        params: Type.Object({ file: Type.String({ maxLength: 80 }) }),
        querystring: CommonQuery,
        response: { 200: DefinitionJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const split = splitFormat(req.params.file);
      if (!split) throw new Open311Failure(404, 'ask for services/{service_code}.json or .xml');
      const [code, format] = split;
      const def = serviceDefinition(code);
      if (!def) throw new Open311Failure(404, `service_code "${code}" was not found: take one from services.${format}`);
      return send(reply, format, 'service_definition', def);
    },
  );

  app.get(
    '/requests/:file',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['open311'],
        summary: 'GET Service Request: requests/{service_request_id}.{json|xml}',
        params: Type.Object({ file: Type.String({ maxLength: 200 }) }),
        querystring: CommonQuery,
        response: { 200: Type.Array(RequestJson), ...errorResponses },
      },
    },
    async (req, reply) => {
      const split = splitFormat(req.params.file);
      if (!split) throw new Open311Failure(404, 'ask for requests/{service_request_id}.json or .xml');
      const [id, format] = split;
      const who = await audienceOf(req, req.query);
      const a = await app.appealReadModel.get(id);
      // another area's appeal is as good as missing: its existence is not for this caller
      if (!a || !canReadScope({ kind: 'user', scope: who.scope }, scopeId('community', a.community)))
        throw new Open311Failure(404, `service_request_id "${id}" was not found`);
      return send(reply, format, 'service_requests', [toOpen311(a, who, app.geo, offset)]);
    },
  );
};

const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(open311, { prefix: OPEN311_PREFIX });
};

export default open311Routes;
