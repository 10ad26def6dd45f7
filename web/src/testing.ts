/**
 * A small handle on `window.__commandHall` for browser tests and the soak script (the map
 * instance, the stores). Read-only use; nothing in the app reads it back.
 */
export interface CommandHallHandle {
  map?: unknown;
  [k: string]: unknown;
}

declare global {
  interface Window {
    __commandHall?: CommandHallHandle;
  }
}

export function exposeForTests(values: Record<string, unknown>): void {
  if (typeof window === 'undefined') return;
  window.__commandHall = Object.assign(window.__commandHall ?? {}, values);
}
