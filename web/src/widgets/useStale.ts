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

export function useStale(opts: { afterMs?: number; checkMs?: number } = {}) {
  const conn = useConnectionStore();
  const now = ref(Date.now());
  useIntervalFn(() => (now.value = Date.now()), opts.checkMs ?? STALE_CHECK_MS);
  // recomputed every check, but only a change of the answer reaches the widgets
  return computed(() =>
    isStale({ state: conn.state, lastTickAt: conn.lastTickAt ?? 0, since: conn.since }, now.value, opts.afterMs ?? STALE_AFTER_MS),
  );
}
