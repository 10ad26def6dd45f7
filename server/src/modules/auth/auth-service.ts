/**
 * Accounts and credentials: creating and checking them, and the principal each one stands for.
 * Everything an administrator changes is written to the audit log here, so that the admin API
 * and the command-line tool audit alike. The store is `auth.sqlite` or PostgreSQL (shared by the
 * nodes): every read of it is awaited, and every request asks it afresh, so a change made on one
 * node holds on the next request to any node.
 */
import { EVENT_TYPES, ROLES, ROLE_LEVEL, codeAt, levelAbove, parseScope, scopeId, type EventType, type Role } from '@commandhall/shared';
import type { AuditEntry, AuditQuery, AuthStore, DeviceRow, ProducerKeyRow, UserRow } from './auth-store.ts';
import { MIN_PASSWORD_LENGTH, decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { hashToken, newToken } from './tokens.ts';
import { MemoryLimits, type Limits } from './rate-limit.ts';
import { AuthError, type Principal } from './principal.ts';

export interface AuthSettings {
  sessionHours: number;
  loginMaxFailures: number;
  loginLockoutMinutes: number;
  ingestRatePerSecond: number;
  ingestBurst: number;
  demoMode: boolean;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  scope: string;
  pii?: boolean;
}

/** The public view of an account: never the hash. */
export type UserView = Omit<UserRow, 'passwordHash'>;
export const userView = ({ passwordHash: _, ...u }: UserRow): UserView => u;

export type LoginResult =
  | { ok: true; user: UserRow; session: string; csrf: string; expiresAt: number }
  | { ok: false; code: 'bad_credentials' }
  | { ok: false; code: 'locked'; retryAt: number };

/** Who did something, for the audit log. */
export interface Actor {
  actor: string;
  ip: string | null;
}

export const DEMO_DEVICE_NAME = 'demo-wall';
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/i;

export interface AuthServiceOptions {
  /** Shared by the nodes (Redis) in scale-out mode; this process's own otherwise. */
  limits?: Limits;
  /** Told of an audit entry that could not be written (its caller, if it waited, is told too). */
  onAuditError?: (err: unknown) => void;
}

export class AuthService {
  private limits: Limits;
  /** Audit writes not yet settled: reads of the log and close() wait for them. */
  private pendingAudit = new Set<Promise<void>>();
  /** The demo wall's device id, read once (written by the bootstrap only). */
  private demoDeviceId: number | null = null;

  constructor(
    readonly store: AuthStore,
    readonly settings: AuthSettings,
    private now: () => number,
    /** Whether a scope exists in the loaded geography. */
    private hasScope: (scope: string) => boolean,
    private opts: AuthServiceOptions = {},
  ) {
    this.limits = opts.limits ?? new MemoryLimits(now, settings.loginMaxFailures, settings.loginLockoutMinutes * 60_000);
  }

  /**
   * Appends to the audit log; resolves once the entry is stored. A caller that cannot wait may
   * leave the promise: a failure then goes to `onAuditError` rather than becoming an unhandled
   * rejection, and this node's reads of the log (`auditLog`) wait for the write first.
   */
  audit(e: Omit<AuditEntry, 'id' | 'at'> & { at?: number }): Promise<void> {
    const write = this.store.appendAudit({ ...e, at: e.at ?? this.now() });
    this.pendingAudit.add(write);
    write.then(
      () => this.pendingAudit.delete(write),
      (err: unknown) => {
        this.pendingAudit.delete(write);
        (this.opts.onAuditError ?? ((x) => console.error('an audit entry could not be written', x)))(err);
      },
    );
    return write;
  }

  /** Waits for the audit writes under way (before a read of the log, and before the store closes). */
  async flushAudit(): Promise<void> {
    await Promise.allSettled([...this.pendingAudit]);
  }

  /** The audit log, newest first, with this node's writes under way included. */
  async auditLog(q: AuditQuery): Promise<{ total: number; entries: AuditEntry[] }> {
    await this.flushAudit();
    return this.store.audit(q);
  }

  // --- people ---

  private checkScopeForRole(role: Role, scope: string): void {
    if (!ROLES.includes(role)) throw new AuthError(400, 'invalid_request', `unknown role "${role}"; one of ${ROLES.join(', ')}`);
    const parsed = parseScope(scope);
    if (!parsed || !this.hasScope(scope)) throw new AuthError(400, 'unknown_scope', `unknown scope "${scope}"`);
    const level = ROLE_LEVEL[role];
    if (level && parsed.level !== level) throw new AuthError(400, 'invalid_request', `a ${role} needs a ${level} scope, not "${scope}"`);
    // the top is the area whose parent the geography does not have: the district, or the city
    const up = levelAbove(parsed.level);
    if (role === 'admin' && up && this.hasScope(scopeId(up, codeAt(up, parsed.code))))
      throw new AuthError(400, 'invalid_request', `an admin needs the deployment's top scope (its district, or its city), not "${scope}"`);
  }

  private checkPassword(password: string): void {
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new AuthError(400, 'weak_password', `the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }

  async createUser(u: NewUser, by: Actor): Promise<UserView> {
    if (!USERNAME.test(u.username))
      throw new AuthError(400, 'invalid_request', 'a username has 2–40 letters, digits, dots, dashes or underscores');
    this.checkScopeForRole(u.role, u.scope);
    this.checkPassword(u.password);
    const exists = () => new AuthError(409, 'conflict', `user "${u.username}" already exists`);
    if (await this.store.userByName(u.username)) throw exists();
    const row = await this.store.insertUser({
      username: u.username,
      role: u.role,
      scope: u.scope,
      pii: u.pii ?? false,
      passwordHash: await hashPassword(u.password),
      createdAt: this.now(),
    });
    // created meanwhile by another request or node
    if (!row) throw exists();
    await this.audit({
      ...by,
      action: 'user.create',
      target: `user:${row.username}`,
      outcome: 'ok',
      details: { role: row.role, scope: row.scope, pii: row.pii },
    });
    return userView(row);
  }

  private async userOrThrow(username: string): Promise<UserRow> {
    const u = await this.store.userByName(username);
    if (!u) throw new AuthError(404, 'not_found', `no user "${username}"`);
    return u;
  }

  async resetPassword(username: string, password: string, by: Actor): Promise<void> {
    const u = await this.userOrThrow(username);
    this.checkPassword(password);
    await this.store.updateUser(u.id, { passwordHash: await hashPassword(password) });
    // whoever knew the old password is signed out everywhere
    await this.store.deleteSessionsOf(u.id);
    await this.limits.clear(`user:${u.username.toLowerCase()}`);
    await this.audit({ ...by, action: 'user.reset_password', target: `user:${u.username}`, outcome: 'ok' });
  }

  async setDisabled(username: string, disabled: boolean, by: Actor): Promise<UserView> {
    const u = await this.userOrThrow(username);
    await this.store.updateUser(u.id, { disabled });
    if (disabled) await this.store.deleteSessionsOf(u.id);
    await this.audit({ ...by, action: disabled ? 'user.disable' : 'user.enable', target: `user:${u.username}`, outcome: 'ok' });
    return userView((await this.store.userById(u.id))!);
  }

  /** Tries a sign-in; the caller audits. A wrong username and a wrong password look the same. */
  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const userKey = `user:${username.toLowerCase()}`;
    const ipKey = `ip:${ip}`;
    const locked = Math.max((await this.limits.lockedUntil(userKey)) ?? 0, (await this.limits.lockedUntil(ipKey)) ?? 0);
    if (locked) return { ok: false, code: 'locked', retryAt: locked };
    const user = await this.store.userByName(username);
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !ok || user.disabled) {
      await this.limits.fail(userKey);
      await this.limits.fail(ipKey);
      return { ok: false, code: 'bad_credentials' };
    }
    await this.limits.clear(userKey);
    const session = newToken('session');
    const csrf = newToken('csrf');
    const expiresAt = this.now() + this.settings.sessionHours * 3_600_000;
    await this.store.deleteExpiredSessions(this.now());
    await this.store.insertSession(hashToken(session), user.id, hashToken(csrf), this.now(), expiresAt, ip);
    return { ok: true, user, session, csrf, expiresAt };
  }

  async logout(session: string): Promise<void> {
    await this.store.deleteSession(hashToken(session));
  }

  /** The person a session cookie stands for, or null when it is unknown, expired or disabled (one read). */
  async fromSession(session: string | undefined): Promise<(Principal & { csrfHash: string }) | null> {
    if (!session) return null;
    const h = hashToken(session);
    const found = await this.store.sessionWithUser(h);
    if (!found || found.session.expiresAt <= this.now()) return null;
    const { session: s, user: u } = found;
    if (u.disabled) return null;
    return {
      kind: 'user',
      id: u.id,
      name: u.username,
      role: u.role,
      scope: u.scope,
      pii: u.pii,
      via: 'session',
      session: h,
      csrfHash: s.csrfHash,
    };
  }

  // --- wall devices ---

  async issueDevice(name: string, scope: string, by: Actor, token = newToken('device')): Promise<{ device: DeviceRow; token: string }> {
    if (!parseScope(scope) || !this.hasScope(scope)) throw new AuthError(400, 'unknown_scope', `unknown scope "${scope}"`);
    const device = await this.store.insertDevice(name, scope, hashToken(token), this.now());
    await this.audit({ ...by, action: 'device.issue', target: `device:${device.id}`, outcome: 'ok', details: { name, scope } });
    return { device, token };
  }

  async revokeDevice(id: number, by: Actor): Promise<void> {
    if (!(await this.store.deviceById(id))) throw new AuthError(404, 'not_found', `no device ${id}`);
    await this.store.revokeDevice(id, this.now());
    await this.audit({ ...by, action: 'device.revoke', target: `device:${id}`, outcome: 'ok' });
  }

  private devicePrincipal(d: DeviceRow | null, via: Principal['via']): Principal | null {
    if (!d || d.revokedAt !== null) return null;
    return { kind: 'device', id: d.id, name: d.name, role: 'device', scope: d.scope, pii: false, via };
  }

  async fromDeviceToken(token: string | undefined): Promise<Principal | null> {
    if (!token || !token.startsWith('chd_')) return null;
    const d = await this.store.deviceByToken(hashToken(token));
    const p = this.devicePrincipal(d, 'token');
    // last seen, to the minute: a write a minute per wall, not one a request
    if (p && (d!.lastSeenAt ?? 0) < this.now() - 60_000) await this.store.touchDevice(d!.id, this.now());
    return p;
  }

  /** In demo mode, a visitor without credentials is the pre-paired district wall (if still paired). */
  async demoPrincipal(): Promise<Principal | null> {
    if (!this.settings.demoMode) return null;
    this.demoDeviceId ||= Number(await this.store.meta('demo.device')) || null;
    return this.demoDeviceId ? this.devicePrincipal(await this.store.deviceById(this.demoDeviceId), 'demo') : null;
  }

  /** Re-checks a principal held by a long-lived socket: revoked, signed out or disabled ends it. */
  async stillValid(p: Principal): Promise<boolean> {
    return (await this.stillValidAll([p]))[0];
  }

  /**
   * `stillValid` for many principals in two reads of the store, whatever their number (the live
   * channel re-checks every socket of a node at once): one for the devices, one for the sessions.
   */
  async stillValidAll(ps: readonly Principal[]): Promise<boolean[]> {
    const deviceIds = [...new Set(ps.filter((p) => p.kind === 'device').map((p) => p.id))];
    const sessions = [...new Set(ps.flatMap((p) => (p.kind === 'user' && p.session ? [p.session] : [])))];
    const [devices, live] = await Promise.all([this.store.activeDevices(deviceIds), this.store.activeSessions(sessions, this.now())]);
    return ps.map((p) =>
      p.kind === 'device' ? (p.via !== 'demo' || this.settings.demoMode) && devices.has(p.id) : !!p.session && live.get(p.session) === p.id,
    );
  }

  // --- producer keys ---

  async issueProducerKey(
    o: { name: string; types?: EventType[]; ratePerSecond?: number | null; token?: string },
    by: Actor,
  ): Promise<{ key: ProducerKeyRow; token: string }> {
    const types = o.types ?? EVENT_TYPES;
    const unknown = types.filter((t) => !EVENT_TYPES.includes(t));
    if (unknown.length)
      throw new AuthError(400, 'invalid_request', `unknown event types ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}`);
    const exists = () => new AuthError(409, 'conflict', `a producer key named "${o.name}" exists`);
    if (await this.store.keyByName(o.name)) throw exists();
    const token = o.token ?? newToken('key');
    const key = await this.store.insertKey(o.name, hashToken(token), [...new Set(types)], o.ratePerSecond ?? null, this.now());
    // issued meanwhile by another request or node
    if (!key) throw exists();
    await this.audit({
      ...by,
      action: 'key.issue',
      target: `key:${key.name}`,
      outcome: 'ok',
      details: { types: key.types, ratePerSecond: key.ratePerSecond },
    });
    return { key, token };
  }

  async revokeKey(id: number, by: Actor): Promise<void> {
    const k = await this.store.keyById(id);
    if (!k) throw new AuthError(404, 'not_found', `no producer key ${id}`);
    await this.store.revokeKey(id, this.now());
    await this.audit({ ...by, action: 'key.revoke', target: `key:${k.name}`, outcome: 'ok' });
  }

  async producerFromKey(token: string | undefined): Promise<ProducerKeyRow | null> {
    if (!token) return null;
    const k = await this.store.keyByToken(hashToken(token));
    return k && k.revokedAt === null ? k : null;
  }

  /** 0 when the key may send a batch now, else the seconds to wait. */
  /**
   * Takes a token of any named bucket of the deployment's limits (in Redis, shared by every node, in
   * scale-out mode): 0 when allowed, else the seconds until one is available. For public forms.
   */
  takeToken(bucket: string, ratePerSecond: number, burst: number): Promise<number> {
    return this.limits.take(bucket, ratePerSecond, burst);
  }

  takeIngestToken(k: ProducerKeyRow): Promise<number> {
    return this.limits.take(`key:${k.id}`, k.ratePerSecond ?? this.settings.ingestRatePerSecond, this.settings.ingestBurst);
  }
}
