/**
 * The heat map's data: appeals raised and video alerts raised, counted per local day on a grid of
 * {@link HEAT_BIN_DEGREES}° (about 200 m) bins, per place (grid cell, or community), for the last
 * {@link HEAT_DAYS} days. A bin's centre is all that is ever served: coarser than the masking
 * policy's rounded coordinates, so the heat map shows where things happen, never a door.
 * Memory follows the bins that had something (a few per event-day), not the events.
 */
import { instantOf } from '@commandhall/shared';
import type { StoredEvent } from '../../core/store/event-store.ts';
import type { Projection } from '../../core/projection.ts';
import type { ScopeIndex } from '../../core/scope-index.ts';

export const HEAT_BIN_DEGREES = 0.002;
export const HEAT_DAYS = 30;
export const HEAT_KINDS = ['appeals', 'alerts'] as const;
export type HeatKind = (typeof HEAT_KINDS)[number];
export const HEAT_WINDOWS = { today: 1, '7d': 7, '30d': 30 } as const;
export type HeatWindow = keyof typeof HEAT_WINDOWS;

/** Bins of one place: day → bin key → count. */
type PlaceBins = Map<number, Map<number, number>>;

const LAT_SPAN = Math.round(180 / HEAT_BIN_DEGREES) + 1;
const binOf = (lon: number, lat: number) =>
  Math.round((lon + 180) / HEAT_BIN_DEGREES) * LAT_SPAN + Math.round((lat + 90) / HEAT_BIN_DEGREES);
const centreOf = (key: number): [number, number] => {
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return [round(Math.floor(key / LAT_SPAN) * HEAT_BIN_DEGREES - 180), round((key % LAT_SPAN) * HEAT_BIN_DEGREES - 90)];
};

export interface HeatPoint {
  lon: number;
  lat: number;
  count: number;
}

export class HeatProjection implements Projection {
  readonly name = 'heat';
  private bins: Record<HeatKind, Map<string, PlaceBins>> = { appeals: new Map(), alerts: new Map() };

  apply(stored: StoredEvent, index: ScopeIndex): void {
    const e = stored.event;
    if (!stored.community) return;
    const kind: HeatKind | null = e.type === 'appeal.created' ? 'appeals' : e.type === 'video_alert.raised' ? 'alerts' : null;
    if (!kind) return;
    const at = (e.data as { location: { lon: number; lat: number } }).location;
    const day = index.localDay(instantOf(e.occurredAt));
    if (day <= index.day - HEAT_DAYS || day > index.day) return;
    const place = index.placeOf(stored.community, at);
    let byDay = this.bins[kind].get(place);
    if (!byDay) this.bins[kind].set(place, (byDay = new Map()));
    let counts = byDay.get(day);
    if (!counts) byDay.set(day, (counts = new Map()));
    const key = binOf(at.lon, at.lat);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  rollover(index: ScopeIndex): void {
    for (const places of Object.values(this.bins))
      for (const byDay of places.values()) for (const day of byDay.keys()) if (day <= index.day - HEAT_DAYS) byDay.delete(day);
  }

  /** The bins of a scope over the last `days` local days (today included), summed over the kinds asked. */
  heat(scope: string, kinds: readonly HeatKind[], window: HeatWindow, index: ScopeIndex): HeatPoint[] {
    const code = scope.slice(scope.indexOf(':') + 1);
    const from = index.day - HEAT_WINDOWS[window] + 1;
    const sum = new Map<number, number>();
    for (const kind of kinds)
      for (const [place, byDay] of this.bins[kind]) {
        if (!place.startsWith(code)) continue;
        for (const [day, counts] of byDay) if (day >= from) for (const [k, n] of counts) sum.set(k, (sum.get(k) ?? 0) + n);
      }
    return [...sum].map(([k, count]) => {
      const [lon, lat] = centreOf(k);
      return { lon, lat, count };
    });
  }

  figures() {
    return {};
  }
}
