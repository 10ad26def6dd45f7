/**
 * Keeps the live channel and the session in step. The socket identifies itself once, on connect
 * (session cookie, or the display's token in `auth`); so when the principal changes (sign-in,
 * sign-out, pairing) it reconnects as the new one, and when the server refuses it (revoked,
 * signed out elsewhere) the session is asked again, which sends the screen to sign-in or pairing.
 */
import { watch } from 'vue';
import { io } from 'socket.io-client';
import type { IoFactory, LiveClient } from '../live/client.ts';
import { deviceToken } from '../api/device-token.ts';
import type { SessionStore } from './session.ts';
import type { useScopesStore } from './scopes.ts';

/** Socket.IO factory that presents this display's token, read at every (re)connect. */
export const ioWithDeviceToken: IoFactory = (url, opts) =>
  (io as unknown as IoFactory)(url, {
    ...opts,
    auth: (cb: (data: object) => void) => {
      const token = deviceToken.get();
      cb(token ? { token } : {});
    },
  });

export function syncLiveWithSession(live: LiveClient, session: SessionStore, scopes: ReturnType<typeof useScopesStore>): void {
  let previous: string | null = null;
  watch(
    () => session.version,
    () => {
      const key = session.me ? `${session.me.kind}:${session.me.name}` : null;
      const was = previous;
      previous = key;
      if (!key) return;
      scopes.retryNow();
      // the first principal seen is the one the socket connected as; only a change needs a new connection
      if (live.socket.connected && was !== null && was !== key) live.socket.disconnect().connect();
      else if (!live.socket.connected && !live.socket.active) live.socket.connect();
    },
  );
  const refused = (code: unknown) => {
    if (code === 'unauthorized') void session.refresh();
  };
  live.socket.on('connect_error', (err) => refused((err as Error & { data?: { code?: string } }).data?.code));
  live.socket.on('live:error', (e) => refused(e.code));
}
