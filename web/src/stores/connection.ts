/** State of the live channel, for the small indicator in a corner and for tests. */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('connecting');
  const since = ref(Date.now());
  const attempts = ref(0);
  const lastError = ref<string | null>(null);
  /** Times the channel came back after a loss: tests and the soak script read it. */
  const reconnects = ref(0);

  function set(next: ConnectionState, error?: string): void {
    if (next === 'live' && state.value !== 'live' && state.value !== 'connecting') reconnects.value++;
    if (next !== state.value) since.value = Date.now();
    state.value = next;
    if (next === 'live') attempts.value = 0;
    if (error !== undefined) lastError.value = error;
  }
  function attempt(n: number): void {
    attempts.value = n;
  }

  /** Local time (ms) the last server tick arrived; 0 before the first. What "stale" is judged by. */
  const lastTickAt = ref(0);
  /**
   * Server clock − local clock, ms, from the ticks. A tick left the server a network delay ago,
   * so the lowest-delay estimate is the largest offset seen; it is re-learned slowly so that a
   * corrected local clock is followed (the hall's displays agree within a few tens of ms).
   */
  let offset: number | null = null;
  function tick(serverAt: number, now = Date.now()): void {
    lastTickAt.value = now;
    const sample = serverAt - now;
    offset = offset === null || sample > offset ? sample : offset + (sample - offset) * 0.02;
  }
  /** The server's clock as best known here (the local clock before the first tick). */
  const serverNow = (now = Date.now()): number => now + (offset ?? 0);

  return { state, since, attempts, lastError, reconnects, lastTickAt, set, attempt, tick, serverNow };
});

export type ConnectionStore = ReturnType<typeof useConnectionStore>;
