/**
 * `POST /api/v1/events`: a batch of mixed city events. Per-event results; one bad event does not
 * block the others; re-sending a batch changes nothing. 200 when nothing was rejected, 207 when some
 * were, 422 when all were.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { INGEST_MAX_BYTES, INGEST_MAX_EVENTS, IngestResponse, type IngestResponse as IngestResponseT } from '@commandhall/shared';
import type { Producer } from '../ingest/ingest-service.ts';
import { errorBody } from '../plugins/errors.ts';

const ErrorSchema = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }) });

declare module 'fastify' {
  interface FastifyRequest {
    producer?: Producer;
  }
}

/**
 * Identifies the producer of a batch. Every producer is anonymous until producer authentication
 * (API keys per producer) replaces this seam.
 */
export async function authenticateProducer(req: FastifyRequest): Promise<void> {
  req.producer = { id: 'anonymous' };
}

export default async function eventsRoutes(app: FastifyInstance) {
  app.post(
    '/api/v1/events',
    {
      bodyLimit: INGEST_MAX_BYTES,
      preHandler: authenticateProducer,
      schema: {
        tags: ['ingest'],
        summary: `Ingest a batch of up to ${INGEST_MAX_EVENTS} events (at most ${INGEST_MAX_BYTES / 1024 / 1024} MiB)`,
        description:
          'Each event is accepted, duplicate (its id is already stored) or rejected with a reason. Accepted events are durably stored before the response.',
        body: Type.Object({ events: Type.Array(Type.Unknown(), { minItems: 1 }) }, { additionalProperties: false }),
        response: { 200: IngestResponse, 207: IngestResponse, 422: IngestResponse, 400: ErrorSchema, 413: ErrorSchema },
      },
    },
    async (req, reply) => {
      const { events } = req.body as { events: unknown[] };
      if (events.length > INGEST_MAX_EVENTS) {
        return reply.code(413).send(errorBody('too_many_events', `batch has ${events.length} events; the maximum is ${INGEST_MAX_EVENTS}: split it`));
      }
      const result: IngestResponseT = await app.ingest.ingest(events, req.producer!);
      const status = result.rejected === 0 ? 200 : result.rejected === events.length ? 422 : 207;
      return reply.code(status).send(result);
    },
  );
}
