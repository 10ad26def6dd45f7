/**
 * Recent appeals and alerts as points for the map. The `recent` list of a snapshot holds only the
 * last few events; the map keeps what it has seen for a while longer, bounded by count and age.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { TickerItem } from '@commandhall/shared/metrics';

export const POINT_CAPS = { count: 300, ageMs: 30 * 60_000 } as const;

export type PointKind = 'appeal' | 'alert' | 'other';

export interface LivePoint {
  id: string;
  kind: PointKind;
  lon: number;
  lat: number;
  /** Event time (ms), for ordering. */
  at: number;
  /** When this client first saw it: ages are counted from here, so that a simulator running
   * faster than the clock cannot make points expire at once or live forever. */
  seenAt: number;
  community: string;
  label: string;
}

/** New appeals and newly raised alerts become points; later steps of the same case do not. */
export function pointKind(type: string): PointKind {
  if (type === 'appeal.created' || type === 'appeal') return 'appeal';
  if (type === 'video_alert.raised' || type === 'alert') return 'alert';
  return 'other';
}

export const usePointsStore = defineStore('points', () => {
  /** Points of the scope shown on the map, newest first. Replaced as a whole on change. */
  const points = shallowRef<readonly LivePoint[]>([]);
  let scope: string | null = null;

  function reset(next: string | null): void {
    scope = next;
    points.value = [];
  }

  /** Merges ticker items of `forScope`; items without coordinates are skipped. */
  function merge(forScope: string, items: readonly TickerItem[] | undefined, now = Date.now()): void {
    if (forScope !== scope || !items) return;
    const byId = new Map(points.value.map((p) => [p.id, p]));
    let changed = false;
    for (const it of items) {
      if (byId.has(it.id) || !Number.isFinite(it.lon) || !Number.isFinite(it.lat)) continue;
      const kind = pointKind(it.type);
      if (kind === 'other') continue;
      const at = Date.parse(it.at);
      byId.set(it.id, {
        id: it.id,
        kind,
        lon: it.lon,
        lat: it.lat,
        at: Number.isFinite(at) ? at : now,
        seenAt: now,
        community: it.community,
        label: it.label,
      });
      changed = true;
    }
    const list = [...byId.values()].filter((p) => now - p.seenAt <= POINT_CAPS.ageMs);
    if (!changed && list.length === points.value.length) return;
    list.sort((a, b) => b.at - a.at);
    points.value = list.slice(0, POINT_CAPS.count);
  }

  /** Drops points past their age even when nothing new arrives. */
  function expire(now = Date.now()): void {
    const kept = points.value.filter((p) => now - p.seenAt <= POINT_CAPS.ageMs);
    if (kept.length !== points.value.length) points.value = kept;
  }

  return { points, reset, merge, expire, scope: () => scope };
});
