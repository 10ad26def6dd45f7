/**
 * Live figures per watched scope. Written only by the live module (snapshots and patches: keys
 * replaced whole or edited, shared's live-delta.ts); read by widgets. Each scope's metrics object is replaced as a whole on every change and never
 * made deeply reactive: a snapshot holds hundreds of numbers and arrays that are only ever
 * replaced, so per-property proxies would cost memory and time for nothing.
 */
import { defineStore } from 'pinia';
import { shallowReactive } from 'vue';
import { RECENT_CAP, type MetricsPatch, type ScopeMetrics } from '@commandhall/shared/metrics';
import type { ScopePatch, ScopeSnapshot } from '@commandhall/shared/live';
import { applyPatchTo, EditMismatch } from '@commandhall/shared/live-delta';

export interface ScopeEntry {
  scope: string;
  /** Sequence number of the last patch folded in; the next patch must be seq + 1. */
  seq: number;
  metrics: Readonly<ScopeMetrics>;
  /** Local clock (ms) of the last snapshot or patch: what the stale badge reads. */
  receivedAt: number;
}

/** `mismatch`: the patch is the next one but its edits do not fit what we hold; a snapshot is needed, as after a gap. */
export type PatchResult = 'applied' | 'stale' | 'gap' | 'mismatch' | 'unknown';

/** Live series are bounded whatever the server sends: a wall runs for months. */
export const SERIES_CAPS = { recent: RECENT_CAP, hourly: 24, daily: 31 } as const;

export function capMetrics<T extends MetricsPatch>(m: T): T {
  const out = { ...m };
  if (Array.isArray(out.recent) && out.recent.length > SERIES_CAPS.recent) out.recent = out.recent.slice(0, SERIES_CAPS.recent);
  if (Array.isArray(out['appeals.hourlyToday']) && out['appeals.hourlyToday'].length > SERIES_CAPS.hourly)
    out['appeals.hourlyToday'] = out['appeals.hourlyToday'].slice(0, SERIES_CAPS.hourly);
  if (Array.isArray(out['appeals.hourlyYesterday']) && out['appeals.hourlyYesterday'].length > SERIES_CAPS.hourly)
    out['appeals.hourlyYesterday'] = out['appeals.hourlyYesterday'].slice(0, SERIES_CAPS.hourly);
  for (const key of ['appeals.daily', 'inspections.daily', 'scans.daily'] as const) {
    const series = out[key];
    if (Array.isArray(series) && series.length > SERIES_CAPS.daily) out[key] = series.slice(-SERIES_CAPS.daily);
  }
  return out;
}

export const useMetricsStore = defineStore('metrics', () => {
  const entries = shallowReactive(new Map<string, ScopeEntry>());

  function applySnapshot(snap: ScopeSnapshot, now = Date.now()): void {
    entries.set(snap.scope, {
      scope: snap.scope,
      seq: snap.seq,
      metrics: Object.freeze(capMetrics({ ...snap.metrics, scope: snap.scope })),
      receivedAt: now,
    });
  }

  /** Folds a patch in when it is the next in sequence; says why not otherwise. */
  function applyPatch(patch: ScopePatch, now = Date.now()): PatchResult {
    const cur = entries.get(patch.scope);
    if (!cur) return 'unknown';
    if (patch.seq <= cur.seq) return 'stale';
    if (patch.seq !== cur.seq + 1) return 'gap';
    let next: ScopeMetrics;
    try {
      next = applyPatchTo(cur.metrics as ScopeMetrics, patch);
    } catch (e) {
      if (e instanceof EditMismatch) return 'mismatch';
      throw e;
    }
    entries.set(patch.scope, {
      scope: cur.scope,
      seq: patch.seq,
      metrics: Object.freeze(capMetrics({ ...next, scope: cur.scope })),
      receivedAt: now,
    });
    return 'applied';
  }

  const get = (scope: string): ScopeEntry | undefined => entries.get(scope);
  const drop = (scope: string): void => void entries.delete(scope);

  return { entries, applySnapshot, applyPatch, get, drop };
});

export type MetricsStore = ReturnType<typeof useMetricsStore>;
