/** Events and requests for the video alert tests. */
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { LIULIAN } from '../helpers.ts';
import type { Who } from '../appeals/fixtures.ts';

export const KENGZI_COMMUNITY = '440310005001';

/** A detection, placed in `community` by its code (LIULIAN's point either way). */
export function detection(
  at: number,
  alertId: string,
  o: Partial<{ camera: string; algorithm: string; community: string; snapshotUrl: string; address: string }> = {},
): CityEvent {
  return {
    id: `${alertId}.raised`,
    type: 'video_alert.raised',
    occurredAt: new Date(at).toISOString(),
    data: {
      alertId,
      cameraId: o.camera ?? 'CAM-440310001001-01',
      algorithm: o.algorithm ?? 'shop_outside',
      confidence: 0.91,
      location: { lon: LIULIAN.lon, lat: LIULIAN.lat, ...(o.address ? { address: o.address } : {}) },
      communityCode: o.community ?? LIULIAN.code,
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
