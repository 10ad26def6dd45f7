/**
 * A paired wall display keeps its device token in local storage: entered once, it survives
 * reloads and power cuts. Clearing it (or the server revoking it) unpairs the display.
 */
const KEY = 'commandhall.deviceToken';
/** Device tokens are issued as `chd_` plus URL-safe characters. */
export const DEVICE_TOKEN_PATTERN = /^chd_[A-Za-z0-9_-]{16,200}$/;

export const deviceToken = {
  get(): string | null {
    try {
      return globalThis.localStorage?.getItem(KEY) ?? null;
    } catch {
      return null; // storage disabled in some kiosk modes
    }
  },
  set(token: string): void {
    globalThis.localStorage?.setItem(KEY, token);
  },
  clear(): void {
    try {
      globalThis.localStorage?.removeItem(KEY);
    } catch {
      /* ignore */
    }
  },
};
