/**
 * Drives a CityProjections directly, with a hand-moved clock: events as the log would hold them,
 * fed "live" (the clock at each event's time, as ingest does) or replayed at one instant (as a
 * restart does).
 */
import type { CityEvent } from '@commandhall/shared';
import { loadGeography, DEFAULT_GEOGRAPHY_FILE } from '../../src/geography/index.ts';
import { CityProjections } from '../../src/modules/city-projections.ts';
import type { StoredEvent } from '../../src/core/store/event-store.ts';

export const geo = loadGeography(DEFAULT_GEOGRAPHY_FILE);

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Day D of the fixtures: 2026-11-27 (Asia/Shanghai, UTC+8). */
const D0 = Date.parse('2026-11-27T00:00:00+08:00');
/** Local time `hh:mm` on day D + `day`. */
export const at = (day: number, hh: number, mm = 0) => D0 + day * DAY + hh * HOUR + mm * MIN;

export const LIULIAN = { code: '440310001001', lon: 114.325325, lat: 22.695235 }; // 坪山街道
export const KENGZI = { code: '440310005001', lon: 114.378589, lat: 22.749569 }; // 坑梓街道
export const DISTRICT = 'district:440310';
export const STREET_PINGSHAN = 'street:440310001';
export const STREET_KENGZI = 'street:440310005';

export interface Logged {
  event: CityEvent;
  community: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Builds the events of one appeal, each placed in its community as ingest would. */
export function appeal(
  id: string,
  opts: {
    where: { code: string; lon: number; lat: number };
    category: string;
    subcategory?: string;
    nature?: string;
    createdAt: number;
    deadline: number;
  },
) {
  const events: Logged[] = [];
  const push = (event: CityEvent) => events.push({ event, community: opts.where.code });
  push({
    id: `${id}.created`,
    type: 'appeal.created',
    occurredAt: iso(opts.createdAt),
    data: {
      appealId: id,
      channel: 'hotline_12345',
      nature: opts.nature ?? 'request',
      category: opts.category,
      ...(opts.subcategory ? { subcategory: opts.subcategory } : {}),
      title: 'fixture',
      location: { lon: opts.where.lon, lat: opts.where.lat },
      deadline: iso(opts.deadline),
    },
  });
  const api = {
    events,
    to(status: string, time: number, extra: { unit?: string; satisfaction?: string } = {}) {
      push({
        id: `${id}.${events.length}.${status}`,
        type: 'appeal.transitioned',
        occurredAt: iso(time),
        data: { appealId: id, to: status, ...extra },
      } as CityEvent);
      return api;
    },
    extension(action: 'requested' | 'approved' | 'denied', time: number, until?: number) {
      push({
        id: `${id}.${events.length}.ext-${action}`,
        type: 'appeal.extension',
        occurredAt: iso(time),
        data: {
          appealId: id,
          action,
          ...(until !== undefined ? { until: iso(until) } : {}),
          ...(action !== 'approved' ? { reason: 'fixture' } : {}),
        },
      });
      return api;
    },
  };
  return api;
}

/** Events of several appeals in log order: by event time, ties in the order given. */
export function logOf(...appeals: { events: Logged[] }[]): StoredEvent[] {
  const all = appeals.flatMap((a) => a.events);
  const time = (l: Logged) => Date.parse(l.event.occurredAt);
  return all
    .map((l, i) => ({ l, i }))
    .sort((x, y) => time(x.l) - time(y.l) || x.i - y.i)
    .map(({ l }, k) => ({ event: l.event, community: l.community, producer: 'test', receivedAt: time(l), seq: k + 1 }));
}

export function clockAt(start: number) {
  let t = start;
  return { now: () => t, set: (ms: number) => void (t = ms) };
}

export function newEngine(clock: { now: () => number }): CityProjections {
  return new CityProjections(geo, { utcOffsetMinutes: 480, now: clock.now });
}

/** Feeds the log as it happened: the clock at each event's time, the engine advanced first. */
export function live(log: StoredEvent[], end: number): { engine: CityProjections; clock: ReturnType<typeof clockAt> } {
  const clock = clockAt(log.length ? log[0].receivedAt : end);
  const engine = newEngine(clock);
  for (const s of log) {
    if (s.receivedAt > end) throw new Error(`event ${s.event.id} is after the end of the run`);
    clock.set(s.receivedAt);
    engine.advance();
    engine.apply(s);
  }
  clock.set(end);
  engine.advance();
  return { engine, clock };
}

/** Replays the whole log at one instant, as a restart does. */
export function replay(log: StoredEvent[], now: number): CityProjections {
  const engine = newEngine(clockAt(now));
  for (const s of log) engine.apply(s);
  engine.advance();
  return engine;
}

/** Everything the engine exposes, comparable with toEqual. */
export function stateOf(engine: CityProjections) {
  return {
    scopes: Object.fromEntries(engine.scopes().map((s) => [s, engine.snapshot(s)])),
    appeals: [...engine.appeals.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
