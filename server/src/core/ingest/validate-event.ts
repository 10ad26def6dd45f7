/**
 * Checks one incoming event: everything shared's `validateEvent` checks (shape, times, text,
 * meaning: the one definition of a valid event), then its place: a point inside the district,
 * and a given community code that agrees with the point's street. Returns a reason a person can
 * act on, never a stack of schema jargon.
 */
import { streetOf, validateEvent, type CityEvent, type ValidityWindow } from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';

export type Checked = { ok: true; event: CityEvent; community: string | null } | { ok: false; reason: string };

export function checkEvent(raw: unknown, geo: Geography, window: ValidityWindow): Checked {
  const valid = validateEvent(raw, window);
  if (!valid.ok) return valid;
  const event = valid.event;
  const d = event.data as { location?: { lon: number; lat: number }; communityCode?: string };
  const location = d.location;
  if (!location) return { ok: true, event, community: null };
  const located = geo.locate(location.lon, location.lat);
  const given = d.communityCode;
  if (given) {
    const area = geo.area(given);
    if (!area || area.level !== 'community')
      return { ok: false, reason: `/data/communityCode "${given}" is not a community of ${geo.root.level} ${geo.root.code}` };
    // the outlines are drawn coarsely: a point may fall in the neighbouring community, or just
    // outside the district, and the producer's code wins; a point in another street is a mistake
    if (located && streetOf(located) !== streetOf(given)) {
      const name = (code: string) => geo.area(code)?.name ?? code;
      return {
        ok: false,
        reason: `/data/communityCode "${given}" (${name(given)}, ${name(streetOf(given))}) disagrees with /data/location (${location.lon}, ${location.lat}), which lies in ${name(located)}, ${name(streetOf(located))}`,
      };
    }
    return { ok: true, event, community: given };
  }
  if (!located)
    return {
      ok: false,
      reason: `/data/location (${location.lon}, ${location.lat}) is outside every community of ${geo.root.level} ${geo.root.code}`,
    };
  return { ok: true, event, community: located };
}
