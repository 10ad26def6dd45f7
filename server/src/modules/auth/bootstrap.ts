/**
 * First-start accounts. An administrator always exists (password from ADMIN_PASSWORD or generated
 * and shown once). In demo mode: a director per level, an operator, the well-known demo producer
 * key and a pre-paired district wall, all documented in docs/accounts.md. Turning demo mode off
 * disables every one of them, so that a demo install promoted to production keeps no known
 * passwords or keys.
 */
import { randomBytes } from 'node:crypto';
import type { Role, ScopeNode } from '@commandhall/shared';
import { DEMO_DEVICE_NAME, type AuthService } from './auth-service.ts';
import { hashToken, newToken } from './tokens.ts';

export const DEMO_PRODUCER_KEY = 'demo-producer-key';
export const SIMULATOR_KEY_NAME = 'simulator';
const SYSTEM = { actor: 'system:bootstrap', ip: null };

/**
 * The areas the first accounts are bound to: the deployment's top (its district, or its city;
 * the administrator and the demo wall) and the first district, street and community below it (by
 * code), so that a demo of any geography has a director at every level.
 */
export interface DemoAreas {
  top: string;
  district: string;
  street: string;
  community: string;
}

export function demoAreasOf(tree: ScopeNode): DemoAreas {
  const first = (n: ScopeNode, level: string): ScopeNode => (n.level === level ? n : first(n.children[0], level));
  return { top: tree.id, district: first(tree, 'district').id, street: first(tree, 'street').id, community: first(tree, 'community').id };
}

export interface DemoUser {
  username: string;
  password: string;
  role: Role;
  scope: string;
  pii: boolean;
}

/** Demo people: documented in docs/accounts.md; keep the two in step. A city deployment adds its city director. */
export function demoUsers(a: DemoAreas): DemoUser[] {
  return [
    ...(a.top.startsWith('city:')
      ? [{ username: 'city', password: 'demo-city-2026', role: 'city_director' as const, scope: a.top, pii: true }]
      : []),
    { username: 'district', password: 'demo-district-2026', role: 'district_director', scope: a.district, pii: true },
    { username: 'street', password: 'demo-street-2026', role: 'street_director', scope: a.street, pii: false },
    { username: 'community', password: 'demo-community-2026', role: 'community_director', scope: a.community, pii: false },
    { username: 'operator', password: 'demo-operator-2026', role: 'operator', scope: a.street, pii: false },
  ];
}

export interface BootstrapOptions {
  areas: DemoAreas;
  demoMode: boolean;
  simulator: boolean;
  adminPassword?: string;
}

export interface BootstrapResult {
  /** Lines for the operator's console, printed once by server.ts (they may hold a password). */
  notices: string[];
  /** The simulator's producer key for this run, when the simulator is on. */
  simulatorKey: string | null;
}

export async function bootstrap(auth: AuthService, opts: BootstrapOptions): Promise<BootstrapResult> {
  const store = auth.store;
  const notices: string[] = [];
  const DEMO_USERS = demoUsers(opts.areas);

  if (!store.users().some((u) => u.role === 'admin')) {
    const password = opts.adminPassword ?? randomBytes(12).toString('base64url');
    await auth.createUser({ username: 'admin', password, role: 'admin', scope: opts.areas.top, pii: true }, SYSTEM);
    notices.push(
      opts.adminPassword
        ? 'Administrator "admin" created with the password from ADMIN_PASSWORD.'
        : `Administrator "admin" created with the password ${password} — it is shown this once: keep it, or reset it with the admin CLI.`,
    );
  }

  // the simulator runs in this process: a fresh secret each start, never written anywhere
  let simulatorKey: string | null = null;
  if (opts.simulator) {
    simulatorKey = newToken('key');
    const k = store.keyByName(SIMULATOR_KEY_NAME);
    if (k) store.renewKey(k.id, hashToken(simulatorKey));
    else auth.issueProducerKey({ name: SIMULATOR_KEY_NAME, ratePerSecond: 0, token: simulatorKey }, SYSTEM);
  }

  if (opts.demoMode) {
    for (const u of DEMO_USERS) {
      const existing = store.userByName(u.username);
      if (!existing) await auth.createUser(u, SYSTEM);
      else if (existing.disabled && store.meta(`demo.user.${u.username}`) === 'disabled-by-demo-off') {
        store.updateUser(existing.id, { disabled: false });
      }
      store.setMeta(`demo.user.${u.username}`, 'on');
    }
    const demoKey = store.keyByName('demo');
    if (!demoKey) auth.issueProducerKey({ name: 'demo', token: DEMO_PRODUCER_KEY }, SYSTEM);
    else store.renewKey(demoKey.id, hashToken(DEMO_PRODUCER_KEY));
    const deviceId = Number(store.meta('demo.device'));
    if (!deviceId || !store.deviceById(deviceId)) {
      // nobody holds this device's token: it is reached only as the demo visitor
      const { device } = auth.issueDevice(DEMO_DEVICE_NAME, opts.areas.top, SYSTEM);
      store.setMeta('demo.device', String(device.id));
    } else if (store.meta('demo.device.state') === 'revoked-by-demo-off') store.unrevokeDevice(deviceId);
    store.setMeta('demo.device.state', 'on');
    notices.push(
      'Demo mode is on (DEMO_MODE=off for production). Demo sign-ins: ' +
        DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join(', ') +
        '.',
      `Demo producer key: ${DEMO_PRODUCER_KEY}. The district wall opens without signing in. See docs/accounts.md.`,
    );
  } else {
    for (const u of DEMO_USERS) {
      const existing = store.userByName(u.username);
      if (existing && store.meta(`demo.user.${u.username}`) === 'on') {
        auth.setDisabled(u.username, true, SYSTEM);
        store.setMeta(`demo.user.${u.username}`, 'disabled-by-demo-off');
      }
    }
    const demoKey = store.keyByName('demo');
    if (demoKey && demoKey.revokedAt === null) auth.revokeKey(demoKey.id, SYSTEM);
    const deviceId = Number(store.meta('demo.device'));
    if (deviceId && store.meta('demo.device.state') === 'on') {
      auth.revokeDevice(deviceId, SYSTEM);
      store.setMeta('demo.device.state', 'revoked-by-demo-off');
    }
  }
  return { notices, simulatorKey };
}
