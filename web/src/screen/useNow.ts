import { onScopeDispose, ref } from 'vue';

/** A ref of the current time (ms), ticking every `intervalMs`, aligned to the interval's boundary. */
export function useNow(intervalMs = 1000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setTimeout> | null = null;
  const tick = () => {
    now.value = Date.now();
    timer = setTimeout(tick, intervalMs - (now.value % intervalMs) + 5);
  };
  timer = setTimeout(tick, intervalMs - (now.value % intervalMs) + 5);
  onScopeDispose(() => {
    if (timer) clearTimeout(timer);
  });
  return now;
}
