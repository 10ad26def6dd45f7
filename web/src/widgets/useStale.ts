/**
 * Whether what the widgets show may be old: the live channel is down, or its heartbeat
 * (`live:tick`, every TICK_MS) has not been heard for STALE_AFTER_MS. The last figures stay on
 * screen; the badge says they are not live. One timer per caller, checked about once a second.
 */
import { computed, ref } from 'vue';
import { useIntervalFn } from '@vueuse/core';
import { useConnectionStore, type ConnectionState } from '../stores/connection.ts';

/** A few ticks (500 ms each) missed in a row, not one late packet. */
export const STALE_AFTER_MS = 3_000;
export const STALE_CHECK_MS = 1_000;

export interface LinkState {
  state: ConnectionState;
  /** Local ms of the last tick; 0 before the first. */
  lastTickAt: number;
  /** Local ms the state last changed: the grace period starts there before the first tick. */
  since: number;
}

export function isStale(s: LinkState, now: number, after = STALE_AFTER_MS): boolean {
  if (s.state === 'reconnecting' || s.state === 'offline') return true;
  return now - Math.max(s.lastTickAt, s.since) > after;
}

/** How old what is on screen is (ms since the last tick, or since the wait began), when it may be stale; null while live. */
export function staleAge(s: LinkState, now: number, after = STALE_AFTER_MS): number | null {
  return isStale(s, now, after) ? Math.max(0, now - (s.lastTickAt || s.since)) : null;
}

/** The stale badge's words: how old the data is, in the largest whole unit (数据延迟 2 分钟). */
export function staleLabel(ms: number, t: (key: string, named: Record<string, unknown>) => string): string {
  const s = Math.floor(ms / 1000);
  // a channel lost a moment ago: "0 秒" would read as no delay at all
  if (s < 5) return t('widgets.stale', {});
  if (s < 60) return t('widgets.staleSeconds', { n: s });
  if (s < 3600) return t('widgets.staleMinutes', { n: Math.floor(s / 60) });
  return t('widgets.staleHours', { n: Math.floor(s / 3600) });
}

/** The age of the data on screen while it is stale (null while live), checked about once a second. */
export function useStaleAge(opts: { afterMs?: number; checkMs?: number } = {}) {
  const conn = useConnectionStore();
  const now = ref(Date.now());
  useIntervalFn(() => (now.value = Date.now()), opts.checkMs ?? STALE_CHECK_MS);
  return computed(() =>
    staleAge({ state: conn.state, lastTickAt: conn.lastTickAt ?? 0, since: conn.since }, now.value, opts.afterMs ?? STALE_AFTER_MS),
  );
}
