/**
 * `POST /api/v1/events`: a batch of mixed city events. Per-event results; one bad event does not
 * block the others; re-sending a batch changes nothing. 200 when nothing was rejected, 207 when some
 * were, 422 when all were.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { INGEST_MAX_BYTES, INGEST_MAX_EVENTS, IngestResponse, type IngestResponse as IngestResponseT } from '@commandhall/shared';
import type { Producer } from '../../core/ingest/ingest-service.ts';
import { errorBody } from '../../plugins/errors.ts';
import { bearer } from '../auth/plugin.ts';
import { ErrorSchema } from '../../plugins/route-schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    producer?: Producer;
  }
}

/**
 * Identifies the producer of a batch by its API key (`Authorization: Bearer …` or `X-API-Key`)
 * and applies the key's rate limit. The key's event types are checked per event by ingest.
 */
export async function authenticateProducer(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const header = req.headers['x-api-key'];
  const token = bearer(req) ?? (typeof header === 'string' ? header : undefined);
  const key = await req.server.auth.producerFromKey(token);
  if (!key) {
    return reply
      .code(401)
      .send(
        errorBody(
          'unauthorized',
          token ? 'the API key is not valid (unknown or revoked)' : 'an API key is required: send Authorization: Bearer <key> or X-API-Key',
        ),
      );
  }
  const wait = await req.server.auth.takeIngestToken(key);
  if (wait > 0) {
    return reply
      .code(429)
      .header('retry-after', String(wait))
      .send(errorBody('rate_limited', `too many batches for this key: retry in ${wait} s`));
  }
  req.producer = { id: key.name, types: new Set(key.types) };
}

const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/events',
    {
      bodyLimit: INGEST_MAX_BYTES,
      // before the body is read: an unknown producer does not get to upload 2 MiB first
      onRequest: authenticateProducer,
      config: { auth: 'producer' },
      schema: {
        security: [{ apiKey: [] }, { bearer: [] }],
        headers: Type.Object({
          'x-api-key': Type.Optional(Type.String({ maxLength: 200 })),
          authorization: Type.Optional(Type.String({ maxLength: 300 })),
        }),
        tags: ['ingest'],
        summary: `Ingest a batch of up to ${INGEST_MAX_EVENTS} events (at most ${INGEST_MAX_BYTES / 1024 / 1024} MiB)`,
        description:
          'Each event is accepted, duplicate (its id is already stored) or rejected with a reason. Accepted events are durably stored before the response.',
        body: Type.Object({ events: Type.Array(Type.Unknown(), { minItems: 1 }) }, { additionalProperties: false }),
        response: {
          200: IngestResponse,
          207: IngestResponse,
          422: IngestResponse,
          400: ErrorSchema,
          401: ErrorSchema,
          413: ErrorSchema,
          429: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const { events } = req.body;
      if (events.length > INGEST_MAX_EVENTS) {
        return reply
          .code(413)
          .send(errorBody('too_many_events', `batch has ${events.length} events; the maximum is ${INGEST_MAX_EVENTS}: split it`));
      }
      const result: IngestResponseT = await app.ingest.ingest(events, req.producer!);
      const status = result.rejected === 0 ? 200 : result.rejected === events.length ? 422 : 207;
      return reply.code(status).send(result);
    },
  );
};

export default eventsRoutes;
