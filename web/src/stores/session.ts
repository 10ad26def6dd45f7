/**
 * Who is using this screen: a signed-in person, a paired wall display, the demo wall (demo mode,
 * nobody signed in), or nobody. Everything that depends on the principal (route guards, the scope
 * picker, admin links) reads it here; `version` moves whenever the principal changes, so the live
 * channel can reconnect as the new one.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { ROLES, can, type Actor, type Capability, type Role } from '@commandhall/shared/access';
import { api, ApiError } from '../api/http.ts';
import { deviceToken, DEVICE_TOKEN_PATTERN } from '../api/device-token.ts';

export interface Me {
  kind: 'user' | 'device';
  name: string;
  role: string;
  scope: string;
  pii: boolean;
  demo: boolean;
  allowedScopes: string[];
}

/**
 * `loading` before the first answer; `unreachable` while the server cannot be asked (the screen
 * keeps what it shows and asks again); `anonymous` when credentials are needed; `unpaired` when
 * this display's token was refused (revoked or unknown).
 */
export type SessionStatus = 'loading' | 'signed-in' | 'unreachable' | 'anonymous' | 'unpaired';

export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<Me | null>(null);
  const status = ref<SessionStatus>('loading');
  const version = ref(0);
  let loading: Promise<void> | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const allowed = computed(() => new Set(me.value?.allowedScopes ?? []));
  /** Who acts, for the capability table; null for nobody, or a role this version does not know. */
  const actor = computed<Actor | null>(() => {
    const m = me.value;
    if (!m) return null;
    if (m.kind === 'device') return 'device';
    return (ROLES as readonly string[]).includes(m.role) ? (m.role as Role) : null;
  });
  const isAdmin = computed(() => may('admin.manage'));
  const isPerson = computed(() => me.value?.kind === 'user');
  const isDevice = computed(() => me.value?.kind === 'device' && !me.value.demo);
  const isDemo = computed(() => !!me.value?.demo);
  /** The scope this principal starts at: its own area. */
  const home = computed(() => me.value?.scope ?? null);

  /** Whether this principal has a capability (shared's table; the server checks too). */
  function may(capability: Capability): boolean {
    return actor.value !== null && can(actor.value, capability);
  }

  function canRead(scope: string): boolean {
    return allowed.value.has(scope);
  }

  function setMe(next: Me | null, s: SessionStatus): void {
    const changed = (me.value?.kind ?? '') + (me.value?.name ?? '') !== (next?.kind ?? '') + (next?.name ?? '');
    me.value = next;
    status.value = s;
    if (changed) version.value++;
  }

  async function fetchMe(): Promise<void> {
    if (retry) clearTimeout(retry);
    retry = null;
    try {
      setMe(await api<Me>('/api/v1/auth/me'), 'signed-in');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setMe(null, deviceToken.get() ? 'unpaired' : 'anonymous');
        return;
      }
      // server down or restarting: keep what we know and ask again shortly
      if (status.value === 'loading') status.value = 'unreachable';
      retry = setTimeout(() => void refresh(), 3000);
    }
  }

  /** Asks the server who we are (once at a time). */
  function refresh(): Promise<void> {
    loading ??= fetchMe().finally(() => (loading = null));
    return loading;
  }

  /** Resolves once the first answer (or the first failure) is in. */
  function ready(): Promise<void> {
    return status.value === 'loading' ? refresh() : Promise.resolve();
  }

  async function login(username: string, password: string): Promise<void> {
    // a person signing in here is not a wall display: its bearer token would override the session
    deviceToken.clear();
    await api('/api/v1/auth/login', { method: 'POST', body: { username, password } });
    await refresh();
  }

  async function logout(): Promise<void> {
    try {
      await api('/api/v1/auth/logout', { method: 'POST' });
    } finally {
      await refresh();
    }
  }

  /** Pairs this display with a device token; throws an ApiError the pairing screen shows. */
  async function pair(token: string): Promise<void> {
    const t = token.trim();
    if (!DEVICE_TOKEN_PATTERN.test(t)) throw new ApiError(400, 'bad_token', 'not a display token: it starts with "chd_"');
    deviceToken.set(t);
    await refresh();
    if (status.value === 'unpaired') {
      deviceToken.clear();
      await refresh();
      throw new ApiError(401, 'unauthorized', 'the server does not know this token (revoked or mistyped)');
    }
  }

  function unpair(): Promise<void> {
    deviceToken.clear();
    return refresh();
  }

  return { me, status, version, isAdmin, isPerson, isDevice, isDemo, home, may, canRead, refresh, ready, login, logout, pair, unpair };
});

export type SessionStore = ReturnType<typeof useSessionStore>;
