/**
 * The life of one simulated video alert, written in advance as timed events: raised by one of the
 * district's cameras, acknowledged (now and then only hours later), then dismissed as a false
 * positive or confirmed, which opens an appeal (channel video_ai) that lives on as any appeal.
 */
import { taxonomy } from '@commandhall/shared';
import type { AreaInfo } from '../geography/index.ts';
import { appealScript, iso, type Scheduled } from './appeal-script.ts';
import { ALERT_OUTCOME_MIX, DISMISS_REASONS, SLOW_ACK_SHARE } from './district-mix.ts';
import type { SimCamera } from './district-layout.ts';
import type { Random } from './random.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

export function alertScript(
  rng: Random,
  id: string,
  t0: number,
  speed: number,
  cam: SimCamera,
  c: AreaInfo,
  streetName: string,
): Scheduled[] {
  const algorithm = rng.pick(taxonomy.algorithms);
  const out: Scheduled[] = [
    {
      at: t0,
      event: {
        id: `${id}.0`,
        type: 'video_alert.raised',
        occurredAt: iso(t0),
        data: {
          alertId: id,
          cameraId: cam.id,
          algorithm: algorithm.code,
          confidence: Math.round(rng.between(0.62, 0.99) * 100) / 100,
          location: { lon: cam.lon, lat: cam.lat },
          communityCode: cam.community,
        },
      },
    },
  ];
  const outcome = rng.weighted(ALERT_OUTCOME_MIX);
  let t = t0 + (rng.chance(SLOW_ACK_SHARE) ? rng.between(1, 6) * HOUR : rng.between(1, 15) * MIN) / speed;
  out.push({
    at: t,
    event: { id: `${id}.1`, type: 'video_alert.acknowledged', occurredAt: iso(t), data: { alertId: id, by: 'operator' } },
  });
  t += (rng.between(2, 20) * MIN) / speed;
  if (outcome === 'dismissed') {
    out.push({
      at: t,
      event: {
        id: `${id}.2`,
        type: 'video_alert.dismissed',
        occurredAt: iso(t),
        data: { alertId: id, reason: rng.pick(DISMISS_REASONS) },
      },
    });
    return out;
  }
  const appealId = `${id}-AP`;
  out.push({ at: t, event: { id: `${id}.2`, type: 'video_alert.confirmed', occurredAt: iso(t), data: { alertId: id, appealId } } });
  out.push(
    ...appealScript(
      rng,
      {
        appealId,
        at: t + 1,
        community: c,
        streetName,
        point: { lon: cam.lon, lat: cam.lat },
        channel: 'video_ai',
        category: algorithm.category,
        subcategory: algorithm.subcategory,
        nature: 'request',
      },
      speed,
    ),
  );
  return out;
}
