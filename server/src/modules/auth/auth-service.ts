/**
 * Accounts and credentials: creating and checking them, and the principal each one stands for.
 * Everything an administrator changes is written to the audit log here, so that the admin API
 * and the command-line tool audit alike.
 */
import { EVENT_TYPES, ROLES, ROLE_LEVEL, parseScope, type EventType, type Role } from '@commandhall/shared';
import type { AuditEntry, AuthStore, DeviceRow, ProducerKeyRow, UserRow } from './auth-store.ts';
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

export class AuthService {
  private limits: Limits;

  constructor(
    readonly store: AuthStore,
    readonly settings: AuthSettings,
    private now: () => number,
    /** Whether a scope exists in the loaded geography. */
    private hasScope: (scope: string) => boolean,
    /** Shared by the nodes (Redis) in scale-out mode; this process's own otherwise. */
    limits?: Limits,
  ) {
    this.limits = limits ?? new MemoryLimits(now, settings.loginMaxFailures, settings.loginLockoutMinutes * 60_000);
  }

  audit(e: Omit<AuditEntry, 'id' | 'at'> & { at?: number }): void {
    this.store.appendAudit({ ...e, at: e.at ?? this.now() });
  }

  // --- people ---

  private checkScopeForRole(role: Role, scope: string): void {
    if (!ROLES.includes(role)) throw new AuthError(400, 'invalid_request', `unknown role "${role}"; one of ${ROLES.join(', ')}`);
    const parsed = parseScope(scope);
    if (!parsed || !this.hasScope(scope)) throw new AuthError(400, 'unknown_scope', `unknown scope "${scope}"`);
    const level = ROLE_LEVEL[role];
    if (level && parsed.level !== level) throw new AuthError(400, 'invalid_request', `a ${role} needs a ${level} scope, not "${scope}"`);
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
    if (this.store.userByName(u.username)) throw new AuthError(409, 'conflict', `user "${u.username}" already exists`);
    const row = this.store.insertUser({
      username: u.username,
      role: u.role,
      scope: u.scope,
      pii: u.pii ?? false,
      passwordHash: await hashPassword(u.password),
      createdAt: this.now(),
    });
    this.audit({
      ...by,
      action: 'user.create',
      target: `user:${row.username}`,
      outcome: 'ok',
      details: { role: row.role, scope: row.scope, pii: row.pii },
    });
    return userView(row);
  }

  private userOrThrow(username: string): UserRow {
    const u = this.store.userByName(username);
    if (!u) throw new AuthError(404, 'not_found', `no user "${username}"`);
    return u;
  }

  async resetPassword(username: string, password: string, by: Actor): Promise<void> {
    const u = this.userOrThrow(username);
    this.checkPassword(password);
    this.store.updateUser(u.id, { passwordHash: await hashPassword(password) });
    // whoever knew the old password is signed out everywhere
    this.store.deleteSessionsOf(u.id);
    await this.limits.clear(`user:${u.username.toLowerCase()}`);
    this.audit({ ...by, action: 'user.reset_password', target: `user:${u.username}`, outcome: 'ok' });
  }

  setDisabled(username: string, disabled: boolean, by: Actor): UserView {
    const u = this.userOrThrow(username);
    this.store.updateUser(u.id, { disabled });
    if (disabled) this.store.deleteSessionsOf(u.id);
    this.audit({ ...by, action: disabled ? 'user.disable' : 'user.enable', target: `user:${u.username}`, outcome: 'ok' });
    return userView(this.store.userById(u.id)!);
  }

  /** Tries a sign-in; the caller audits. A wrong username and a wrong password look the same. */
  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const userKey = `user:${username.toLowerCase()}`;
    const ipKey = `ip:${ip}`;
    const locked = Math.max((await this.limits.lockedUntil(userKey)) ?? 0, (await this.limits.lockedUntil(ipKey)) ?? 0);
    if (locked) return { ok: false, code: 'locked', retryAt: locked };
    const user = this.store.userByName(username);
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
    this.store.deleteExpiredSessions(this.now());
    this.store.insertSession(hashToken(session), user.id, hashToken(csrf), this.now(), expiresAt, ip);
    return { ok: true, user, session, csrf, expiresAt };
  }

  logout(session: string): void {
    this.store.deleteSession(hashToken(session));
  }

  /** The person a session cookie stands for, or null when it is unknown, expired or disabled. */
  fromSession(session: string | undefined): (Principal & { csrfHash: string }) | null {
    if (!session) return null;
    const h = hashToken(session);
    const s = this.store.session(h);
    if (!s || s.expiresAt <= this.now()) return null;
    const u = this.store.userById(s.userId);
    if (!u || u.disabled) return null;
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

  issueDevice(name: string, scope: string, by: Actor, token = newToken('device')): { device: DeviceRow; token: string } {
    if (!parseScope(scope) || !this.hasScope(scope)) throw new AuthError(400, 'unknown_scope', `unknown scope "${scope}"`);
    const device = this.store.insertDevice(name, scope, hashToken(token), this.now());
    this.audit({ ...by, action: 'device.issue', target: `device:${device.id}`, outcome: 'ok', details: { name, scope } });
    return { device, token };
  }

  revokeDevice(id: number, by: Actor): void {
    if (!this.store.deviceById(id)) throw new AuthError(404, 'not_found', `no device ${id}`);
    this.store.revokeDevice(id, this.now());
    this.audit({ ...by, action: 'device.revoke', target: `device:${id}`, outcome: 'ok' });
  }

  private devicePrincipal(d: DeviceRow | null, via: Principal['via']): Principal | null {
    if (!d || d.revokedAt !== null) return null;
    return { kind: 'device', id: d.id, name: d.name, role: 'device', scope: d.scope, pii: false, via };
  }

  fromDeviceToken(token: string | undefined): Principal | null {
    if (!token || !token.startsWith('chd_')) return null;
    const d = this.store.deviceByToken(hashToken(token));
    const p = this.devicePrincipal(d, 'token');
    if (p && (d!.lastSeenAt ?? 0) < this.now() - 60_000) this.store.touchDevice(d!.id, this.now());
    return p;
  }

  /** In demo mode, a visitor without credentials is the pre-paired district wall (if still paired). */
  demoPrincipal(): Principal | null {
    if (!this.settings.demoMode) return null;
    const id = Number(this.store.meta('demo.device'));
    return id ? this.devicePrincipal(this.store.deviceById(id), 'demo') : null;
  }

  /** Re-checks a principal held by a long-lived socket: revoked, signed out or disabled ends it. */
  stillValid(p: Principal): boolean {
    if (p.kind === 'device') return (p.via !== 'demo' || this.settings.demoMode) && this.store.deviceById(p.id)?.revokedAt === null;
    const s = p.session ? this.store.session(p.session) : null;
    return !!s && s.expiresAt > this.now() && this.store.userById(p.id)?.disabled === false;
  }

  // --- producer keys ---

  issueProducerKey(
    o: { name: string; types?: EventType[]; ratePerSecond?: number | null; token?: string },
    by: Actor,
  ): { key: ProducerKeyRow; token: string } {
    const types = o.types ?? EVENT_TYPES;
    const unknown = types.filter((t) => !EVENT_TYPES.includes(t));
    if (unknown.length)
      throw new AuthError(400, 'invalid_request', `unknown event types ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}`);
    if (this.store.keyByName(o.name)) throw new AuthError(409, 'conflict', `a producer key named "${o.name}" exists`);
    const token = o.token ?? newToken('key');
    const key = this.store.insertKey(o.name, hashToken(token), [...new Set(types)], o.ratePerSecond ?? null, this.now());
    this.audit({
      ...by,
      action: 'key.issue',
      target: `key:${key.name}`,
      outcome: 'ok',
      details: { types: key.types, ratePerSecond: key.ratePerSecond },
    });
    return { key, token };
  }

  revokeKey(id: number, by: Actor): void {
    const k = this.store.keyById(id);
    if (!k) throw new AuthError(404, 'not_found', `no producer key ${id}`);
    this.store.revokeKey(id, this.now());
    this.audit({ ...by, action: 'key.revoke', target: `key:${k.name}`, outcome: 'ok' });
  }

  producerFromKey(token: string | undefined): ProducerKeyRow | null {
    if (!token) return null;
    const k = this.store.keyByToken(hashToken(token));
    return k && k.revokedAt === null ? k : null;
  }

  /** 0 when the key may send a batch now, else the seconds to wait. */
  takeIngestToken(k: ProducerKeyRow): Promise<number> {
    return this.limits.take(`key:${k.id}`, k.ratePerSecond ?? this.settings.ingestRatePerSecond, this.settings.ingestBurst);
  }
}
