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

  return { state, since, attempts, lastError, reconnects, set, attempt };
});

export type ConnectionStore = ReturnType<typeof useConnectionStore>;
