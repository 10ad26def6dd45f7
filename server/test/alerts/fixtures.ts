/** Events and requests for the video alert tests. */
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { LIULIAN, pointOf } from '../helpers.ts';
import type { Who } from '../appeals/fixtures.ts';

export const KENGZI_COMMUNITY = '440310005001';

/**
 * A detection, placed in `community` by its code, at a point of the community's street (ingest
 * refuses a code of another street than the point): LIULIAN's point in its street, else the community's centre.
 */
export function detection(
  at: number,
  alertId: string,
  o: Partial<{ camera: string; algorithm: string; community: string; snapshotUrl: string; address: string }> = {},
): CityEvent {
  const community = o.community ?? LIULIAN.code;
  const point = community.slice(0, 9) === LIULIAN.code.slice(0, 9) ? LIULIAN : pointOf(community);
  return {
    id: `${alertId}.raised`,
    type: 'video_alert.raised',
    occurredAt: new Date(at).toISOString(),
    data: {
      alertId,
      cameraId: o.camera ?? 'CAM-440310001001-01',
      algorithm: o.algorithm ?? 'shop_outside',
      confidence: 0.91,
      location: { lon: point.lon, lat: point.lat, ...(o.address ? { address: o.address } : {}) },
      communityCode: community,
      ...(o.snapshotUrl ? { snapshotUrl: o.snapshotUrl } : {}),
    },
  };
}

const headersOf = (w: Who, csrf = true) => ({
  ...(w.cookie ? { cookie: w.cookie } : {}),
  ...(w.token ? { authorization: `Bearer ${w.token}` } : {}),
  ...(csrf && w.csrf ? { 'x-csrf-token': w.csrf } : {}),
});

export const actOnAlert = (app: FastifyInstance, w: Who, id: string, body: Record<string, unknown>, opts: { csrf?: boolean } = {}) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/alerts/${encodeURIComponent(id)}/actions`,
    headers: headersOf(w, opts.csrf ?? true),
    payload: body,
  });
