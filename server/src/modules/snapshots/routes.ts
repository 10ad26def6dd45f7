/**
 * Snapshots of video alerts. The video platform uploads the still (`POST /api/v1/snapshots`,
 * naming the camera) before it raises the alert, and puts the answer's `url` in the alert's
 * `snapshotUrl`. Principals fetch it there, and only those whose scope holds the camera's
 * community: for anyone else it is a 404 exactly like an id that never existed.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CameraId,
  SNAPSHOT_MAX_BYTES,
  SNAPSHOT_MEDIA_TYPES,
  SnapshotUploaded,
  snapshotUrl,
  type SnapshotUploaded as SnapshotUploadedT,
} from '@commandhall/shared/cameras';
import { speaksForCameras, VIDEO_PLATFORM_EVENT } from '../cameras/view.ts';
import type { SnapshotRecord } from './snapshot-store.ts';
import { EXTENSION } from './sniff.ts';
import { errorBody } from '../../plugins/errors.ts';
import { authenticateProducer } from '../events/routes.ts';
import { Binary, ErrorSchema, NoContent } from '../../plugins/route-schemas.ts';

/** Header types an upload may come with; what it really is, its bytes decide. */
const UPLOAD_TYPES = [/^image\/[a-z0-9.+-]+$/i, 'application/octet-stream'];
/** A snapshot never changes under its id: a browser keeps it for a week, for its own user only. */
const CACHE = 'private, max-age=604800, immutable';

const view = (s: SnapshotRecord): SnapshotUploadedT => ({
  id: s.id,
  url: snapshotUrl(s.id),
  cameraId: s.cameraId,
  community: s.community,
  mediaType: s.mediaType,
  bytes: s.bytes,
  sha256: s.sha256,
  takenAt: new Date(s.takenAt).toISOString(),
  createdAt: new Date(s.createdAt).toISOString(),
});

const snapshotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // only in this plugin's routes: everywhere else an image body stays unsupported
  for (const type of UPLOAD_TYPES)
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: SNAPSHOT_MAX_BYTES }, (_req, body, done) => done(null, body));

  app.post(
    '/api/v1/snapshots',
    {
      bodyLimit: SNAPSHOT_MAX_BYTES,
      // before the body is read: nobody unknown gets to upload 2 MiB first
      onRequest: authenticateProducer,
      config: { auth: 'producer' },
      schema: {
        security: [{ apiKey: [] }, { bearer: [] }],
        tags: ['cameras'],
        summary: `Upload an alert's snapshot (JPEG, PNG or WebP, at most ${SNAPSHOT_MAX_BYTES / 1024 / 1024} MiB)`,
        description:
          `For producer keys that may send ${VIDEO_PLATFORM_EVENT}. The image is the request body (Content-Type image/… or ` +
          'application/octet-stream: the type is read from the bytes). The camera must be registered. Uploading the same image ' +
          'for the same camera again returns the stored snapshot (200) instead of a new one (201).',
        consumes: [...SNAPSHOT_MEDIA_TYPES, 'application/octet-stream'],
        querystring: Type.Object(
          {
            cameraId: CameraId,
            takenAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the camera took it; default now' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: SnapshotUploaded,
          201: SnapshotUploaded,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          413: ErrorSchema,
          415: ErrorSchema,
          422: ErrorSchema,
          429: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      if (!speaksForCameras(req.producer!))
        return reply
          .code(403)
          .send(errorBody('forbidden', `this producer key may not upload snapshots: it needs the ${VIDEO_PLATFORM_EVENT} type`));
      if (!Buffer.isBuffer(req.body))
        return reply
          .code(415)
          .send(errorBody('not_an_image', 'send the image as the request body (Content-Type image/jpeg, image/png or image/webp)'));
      const q = req.query;
      const { snapshot, created } = await app.snapshots.upload({
        cameraId: q.cameraId,
        data: req.body,
        takenAt: q.takenAt === undefined ? undefined : Date.parse(q.takenAt),
        producer: req.producer!.id,
      });
      return reply.code(created ? 201 : 200).send(view(snapshot));
    },
  );

  app.get(
    '/api/v1/snapshots/:id',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['cameras'],
        summary: 'A snapshot image, for principals whose scope holds its camera’s community',
        description: 'Anyone else, and any id that does not exist, gets the same 404.',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        produces: [...SNAPSHOT_MEDIA_TYPES],
        response: {
          200: Binary({ description: 'The image, served with the type found in its bytes' }),
          304: NoContent,
          401: ErrorSchema,
          404: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const notFound = () => reply.code(404).send(errorBody('not_found', 'no such snapshot'));
      const s = await app.snapshots.forPrincipal(req.params.id, req.principal!);
      if (!s) return notFound();
      const etag = `"${s.sha256}"`;
      reply
        .header('cache-control', CACHE)
        .header('etag', etag)
        .header('vary', 'Cookie, Authorization')
        .header('x-content-type-options', 'nosniff');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      const stream = await app.snapshots.open(s);
      // pruned between the look-up and now
      if (!stream) return notFound();
      return reply
        .header('content-type', s.mediaType)
        .header('content-length', String(s.bytes))
        .header('content-disposition', `inline; filename="${s.id}.${EXTENSION[s.mediaType]}"`)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(stream);
    },
  );
};

export default snapshotRoutes;
