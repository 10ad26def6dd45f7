/**
 * First-start accounts. An administrator always exists (password from ADMIN_PASSWORD or generated
 * and shown once). In demo mode: a director per level, an operator, the well-known demo producer
 * key and a pre-paired district wall, all documented in docs/accounts.md. Turning demo mode off
 * disables every one of them, so that a demo install promoted to production keeps no known
 * passwords or keys.
 *
 * Nodes sharing one database (scale-out mode) bootstrap one at a time (`store.exclusive`: an
 * advisory lock): the first creates the accounts, and prints the administrator's generated
 * password; the others find them made and create nothing, so two nodes starting at once on an
 * empty database leave one administrator, one demo key and one demo wall.
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
  /** The first cell of that community (a grid worker's), or null without grid cells. */
  grid: string | null;
}

export function demoAreasOf(tree: ScopeNode): DemoAreas {
  const first = (n: ScopeNode | undefined, level: string): ScopeNode | undefined =>
    !n || n.level === level ? n : first(n.children[0], level);
  return {
    top: tree.id,
    district: first(tree, 'district')!.id,
    street: first(tree, 'street')!.id,
    community: first(tree, 'community')!.id,
    // the first community's first cell, when the deployment has grid cells
    grid: first(tree, 'grid')?.id ?? null,
  };
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
    ...(a.grid ? [{ username: 'grid', password: 'demo-grid-2026', role: 'grid_worker' as const, scope: a.grid, pii: false }] : []),
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
  /**
   * Makes `simulatorKey` the simulator key's secret. Called by the node that starts running the
   * simulator (the leader), not at every start: with several nodes on one database, a node
   * starting beside the leader must not take the running simulator's key away from it.
   */
  claimSimulatorKey: () => Promise<void>;
}

export async function bootstrap(auth: AuthService, opts: BootstrapOptions): Promise<BootstrapResult> {
  return auth.store.exclusive(() => bootstrapAlone(auth, opts));
}

async function bootstrapAlone(auth: AuthService, opts: BootstrapOptions): Promise<BootstrapResult> {
  const store = auth.store;
  const notices: string[] = [];
  const DEMO_USERS = demoUsers(opts.areas);

  if (!(await store.users()).some((u) => u.role === 'admin')) {
    const password = opts.adminPassword ?? randomBytes(12).toString('base64url');
    await auth.createUser({ username: 'admin', password, role: 'admin', scope: opts.areas.top, pii: true }, SYSTEM);
    notices.push(
      opts.adminPassword
        ? 'Administrator "admin" created with the password from ADMIN_PASSWORD.'
        : `Administrator "admin" created with the password ${password} — it is shown this once: keep it, or reset it with the admin CLI.`,
    );
  }

  // the simulator runs in this process: a fresh secret each start, held only in memory and
  // written (as its hash) when this node starts running the simulator: claimSimulatorKey
  const simulatorKey = opts.simulator ? newToken('key') : null;
  if (simulatorKey && !(await store.keyByName(SIMULATOR_KEY_NAME)))
    await auth.issueProducerKey({ name: SIMULATOR_KEY_NAME, ratePerSecond: 0, token: simulatorKey }, SYSTEM);
  const claimSimulatorKey = async () => {
    const k = simulatorKey && (await store.keyByName(SIMULATOR_KEY_NAME));
    if (k) await store.renewKey(k.id, hashToken(simulatorKey));
  };

  if (opts.demoMode) {
    for (const u of DEMO_USERS) {
      const existing = await store.userByName(u.username);
      if (!existing) await auth.createUser(u, SYSTEM);
      else if (existing.disabled && (await store.meta(`demo.user.${u.username}`)) === 'disabled-by-demo-off') {
        await store.updateUser(existing.id, { disabled: false });
      }
      await store.setMeta(`demo.user.${u.username}`, 'on');
    }
    const demoKey = await store.keyByName('demo');
    if (!demoKey) await auth.issueProducerKey({ name: 'demo', token: DEMO_PRODUCER_KEY }, SYSTEM);
    else await store.renewKey(demoKey.id, hashToken(DEMO_PRODUCER_KEY));
    const deviceId = Number(await store.meta('demo.device'));
    if (!deviceId || !(await store.deviceById(deviceId))) {
      // nobody holds this device's token: it is reached only as the demo visitor
      const { device } = await auth.issueDevice(DEMO_DEVICE_NAME, opts.areas.top, SYSTEM);
      await store.setMeta('demo.device', String(device.id));
    } else if ((await store.meta('demo.device.state')) === 'revoked-by-demo-off') await store.unrevokeDevice(deviceId);
    await store.setMeta('demo.device.state', 'on');
    notices.push(
      'Demo mode is on (DEMO_MODE=off for production). Demo sign-ins: ' +
        DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join(', ') +
        '.',
      `Demo producer key: ${DEMO_PRODUCER_KEY}. The district wall opens without signing in. See docs/accounts.md.`,
    );
  } else {
    for (const u of DEMO_USERS) {
      const existing = await store.userByName(u.username);
      if (existing && (await store.meta(`demo.user.${u.username}`)) === 'on') {
        await auth.setDisabled(u.username, true, SYSTEM);
        await store.setMeta(`demo.user.${u.username}`, 'disabled-by-demo-off');
      }
    }
    const demoKey = await store.keyByName('demo');
    if (demoKey && demoKey.revokedAt === null) await auth.revokeKey(demoKey.id, SYSTEM);
    const deviceId = Number(await store.meta('demo.device'));
    if (deviceId && (await store.meta('demo.device.state')) === 'on') {
      await auth.revokeDevice(deviceId, SYSTEM);
      await store.setMeta('demo.device.state', 'revoked-by-demo-off');
    }
  }
  return { notices, simulatorKey, claimSimulatorKey };
}
