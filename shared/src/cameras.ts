/**
 * Cameras of the video platform and the snapshots it sends with its alerts: the schemas of the
 * camera API (the map's camera layer, administration, heartbeats) and of snapshot uploads, and
 * the form of a snapshot's URL, which a `video_alert.raised` event carries in `snapshotUrl`.
 */
import { Type, type Static } from 'typebox';

export const CAMERA_STATUSES = ['online', 'offline'] as const;
/** `online` while heartbeats keep coming; `offline` after a silence (or before the first one). */
export type CameraStatus = (typeof CAMERA_STATUSES)[number];

/** The same form as an event's `cameraId`, so that alerts and the registry name cameras alike. */
export const CameraId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:\\-]+$',
  description: 'Camera id as the video platform names it, e.g. CAM-440310001001-03',
});

export const CameraLocation = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'WGS84 longitude' }),
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'WGS84 latitude' }),
    address: Type.Optional(Type.String({ maxLength: 200, description: 'Where it hangs: a street corner or a shop front' })),
  },
  { additionalProperties: false },
);
export type CameraLocation = Static<typeof CameraLocation>;

const CommunityCode = Type.String({ pattern: '^\\d{12}$', description: '12-digit community code' });
const Time = (description: string) => Type.String({ format: 'date-time', description });

/** A camera as the API shows it: to administrators, and to principals for the cameras in their scope. */
export const Camera = Type.Object({
  id: CameraId,
  name: Type.String(),
  location: CameraLocation,
  community: CommunityCode,
  status: Type.Enum(CAMERA_STATUSES),
  lastHeartbeatAt: Type.Union([Time('Last heartbeat received'), Type.Null()]),
  statusSince: Time('When the camera took its present status'),
  createdAt: Time('Registered'),
  updatedAt: Time('Last changed by an administrator'),
});
export type Camera = Static<typeof Camera>;

/** `POST /api/v1/admin/cameras`: the community is found from the location when it is not given. */
export const CameraCreate = Type.Object(
  {
    id: CameraId,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    location: CameraLocation,
    communityCode: Type.Optional(CommunityCode),
  },
  { additionalProperties: false },
);
export type CameraCreate = Static<typeof CameraCreate>;

/**
 * `PATCH /api/v1/admin/cameras/:id`: a new location moves the camera to the community it lies in,
 * unless `communityCode` names one; `communityCode: null` places it by its location again.
 */
export const CameraPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    location: Type.Optional(CameraLocation),
    communityCode: Type.Optional(Type.Union([CommunityCode, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CameraPatch = Static<typeof CameraPatch>;

/** Online and total cameras of a scope; `rate` is null when the scope has no camera. */
export const OnlineRate = Type.Object({
  online: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 0 }),
  rate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
});
export type OnlineRate = Static<typeof OnlineRate>;

/** `GET /api/v1/cameras`: the cameras of a scope, for the map's camera layer. */
export const CameraList = Type.Object({
  scope: Type.String(),
  summary: OnlineRate,
  cameras: Type.Array(Camera),
});
export type CameraList = Static<typeof CameraList>;

export const HEARTBEATS_MAX = 10_000;

/** `POST /api/v1/cameras/heartbeats`: the video platform says which cameras it still hears. */
export const HeartbeatBatch = Type.Object(
  {
    heartbeats: Type.Array(
      Type.Object(
        {
          cameraId: CameraId,
          at: Type.Optional(Time('When the platform last heard the camera; default: on arrival (a later time counts as now)')),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: HEARTBEATS_MAX },
    ),
  },
  { additionalProperties: false },
);
export type HeartbeatBatch = Static<typeof HeartbeatBatch>;

export const HeartbeatResult = Type.Object({
  accepted: Type.Integer({ description: 'Heartbeats of registered cameras' }),
  unknown: Type.Array(Type.String(), { description: 'Ids that no registered camera has (the first 100)' }),
  unknownCount: Type.Integer(),
});
export type HeartbeatResult = Static<typeof HeartbeatResult>;

/** Largest snapshot accepted: a CCTV still, not a video. */
export const SNAPSHOT_MAX_BYTES = 2 * 1024 * 1024;
/** What a snapshot may be, told by its bytes (magic numbers), never by the Content-Type header. */
export const SNAPSHOT_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type SnapshotMediaType = (typeof SNAPSHOT_MEDIA_TYPES)[number];

const SNAPSHOT_PATH = '/api/v1/snapshots/';
const SNAPSHOT_ID = /^SN-[A-Za-z0-9_-]{20}$/;

export const SnapshotId = Type.String({ pattern: SNAPSHOT_ID.source, description: 'Snapshot id, e.g. SN-3q2x…' });

/** `POST /api/v1/snapshots`: what the store kept. */
export const SnapshotUploaded = Type.Object({
  id: SnapshotId,
  url: Type.String({ description: 'Where principals fetch it; put it in the alert’s snapshotUrl' }),
  cameraId: CameraId,
  community: CommunityCode,
  mediaType: Type.Enum(SNAPSHOT_MEDIA_TYPES),
  bytes: Type.Integer(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  takenAt: Time('When the camera took it'),
  createdAt: Time('When it was stored'),
});
export type SnapshotUploaded = Static<typeof SnapshotUploaded>;

/** True for an id the snapshot store could have made. */
export const isSnapshotId = (id: unknown): id is string => typeof id === 'string' && SNAPSHOT_ID.test(id);

/** The URL of a stored snapshot: relative, so that it works behind any proxy and host name. */
export const snapshotUrl = (id: string): string => `${SNAPSHOT_PATH}${id}`;

/**
 * The snapshot id in an alert's `snapshotUrl` when it points into this server's snapshot store,
 * else null (a video platform may link images it keeps itself).
 */
export function snapshotIdOf(url: string | undefined | null): string | null {
  if (!url || !url.startsWith(SNAPSHOT_PATH)) return null;
  const id = url.slice(SNAPSHOT_PATH.length);
  return isSnapshotId(id) ? id : null;
}
