/** Runs `fn` at most once per `ms`, always with the latest call's effect (trailing edge). */
export function throttle(fn: () => void, ms: number): { (): void; cancel(): void; flush(): void } {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    last = Date.now();
    fn();
  };
  const call = () => {
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(run, wait);
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  call.flush = () => {
    call.cancel();
    run();
  };
  return call;
}
