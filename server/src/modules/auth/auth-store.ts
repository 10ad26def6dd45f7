/**
 * Accounts, sessions, wall devices, producer keys and the audit log, in `auth.sqlite` beside the
 * event log: a separate file so that the event log stays the district's record and nothing else.
 * The audit table refuses UPDATE and DELETE by trigger: no code path, here or elsewhere, can
 * rewrite history.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open-sqlite.ts';
import type { EventType, Role } from '@commandhall/shared';

export interface UserRow {
  id: number;
  username: string;
  role: Role;
  scope: string;
  passwordHash: string;
  pii: boolean;
  disabled: boolean;
  createdAt: number;
}

export interface SessionRow {
  userId: number;
  csrfHash: string;
  expiresAt: number;
}

export interface DeviceRow {
  id: number;
  name: string;
  scope: string;
  createdAt: number;
  revokedAt: number | null;
  lastSeenAt: number | null;
}

export interface ProducerKeyRow {
  id: number;
  name: string;
  /** Event types the key may send. */
  types: EventType[];
  /** Batches per second this key may send on average; null: the configured default; 0: unlimited. */
  ratePerSecond: number | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  details?: unknown;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

const userOf = (r: Record<string, unknown>): UserRow => ({
  id: r.id as number,
  username: r.username as string,
  role: r.role as Role,
  scope: r.scope as string,
  passwordHash: r.password_hash as string,
  pii: r.pii === 1,
  disabled: r.disabled === 1,
  createdAt: r.created_at as number,
});
const deviceOf = (r: Record<string, unknown>): DeviceRow => ({
  id: r.id as number,
  name: r.name as string,
  scope: r.scope as string,
  createdAt: r.created_at as number,
  revokedAt: (r.revoked_at as number | null) ?? null,
  lastSeenAt: (r.last_seen_at as number | null) ?? null,
});
const keyOf = (r: Record<string, unknown>): ProducerKeyRow => ({
  id: r.id as number,
  name: r.name as string,
  types: JSON.parse(r.types as string) as EventType[],
  ratePerSecond: (r.rate_per_second as number | null) ?? null,
  createdAt: r.created_at as number,
  revokedAt: (r.revoked_at as number | null) ?? null,
});

export class AuthStore {
  readonly db: Database.Database;

  constructor(dataDir: string) {
    this.db = openSqlite(dataDir, 'auth', {
      pragmas: ['foreign_keys = ON'],
      migrations: [
        `
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL,
        scope TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        pii INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        csrf_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ip TEXT
      );
      CREATE TABLE IF NOT EXISTS devices (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        scope TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        last_seen_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS producer_keys (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL UNIQUE,
        types TEXT NOT NULL,
        rate_per_second REAL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        ip TEXT,
        outcome TEXT NOT NULL,
        details TEXT
      );
      CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
      CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
      ],
    });
  }

  close(): void {
    this.db.close();
  }

  // --- meta: one-time bootstrap markers ---
  meta(key: string): string | null {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // --- users ---
  insertUser(u: Omit<UserRow, 'id' | 'disabled'>): UserRow {
    const r = this.db
      .prepare('INSERT INTO users (username, role, scope, password_hash, pii, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(u.username, u.role, u.scope, u.passwordHash, u.pii ? 1 : 0, u.createdAt);
    return this.userById(Number(r.lastInsertRowid))!;
  }
  userById(id: number): UserRow | null {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? userOf(r) : null;
  }
  userByName(username: string): UserRow | null {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Record<string, unknown> | undefined;
    return r ? userOf(r) : null;
  }
  users(): UserRow[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY id').all() as Record<string, unknown>[]).map(userOf);
  }
  updateUser(id: number, change: Partial<Pick<UserRow, 'passwordHash' | 'disabled' | 'role' | 'scope' | 'pii'>>): void {
    const cols: string[] = [];
    const vals: unknown[] = [];
    const map = { passwordHash: 'password_hash', disabled: 'disabled', role: 'role', scope: 'scope', pii: 'pii' } as const;
    for (const [k, col] of Object.entries(map)) {
      const v = change[k as keyof typeof change];
      if (v === undefined) continue;
      cols.push(`${col} = ?`);
      vals.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
    if (cols.length) this.db.prepare(`UPDATE users SET ${cols.join(', ')} WHERE id = ?`).run(...vals, id);
  }

  // --- sessions ---
  insertSession(tokenHash: string, userId: number, csrfHash: string, now: number, expiresAt: number, ip: string | null): void {
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, csrf_hash, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?)')
      .run(tokenHash, userId, csrfHash, now, expiresAt, ip);
  }
  session(tokenHash: string): SessionRow | null {
    const r = this.db.prepare('SELECT user_id, csrf_hash, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      { user_id: number; csrf_hash: string; expires_at: number } | undefined;
    return r ? { userId: r.user_id, csrfHash: r.csrf_hash, expiresAt: r.expires_at } : null;
  }
  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }
  deleteSessionsOf(userId: number): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }
  deleteExpiredSessions(now: number): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
  }

  // --- wall devices ---
  insertDevice(name: string, scope: string, tokenHash: string, now: number): DeviceRow {
    const r = this.db
      .prepare('INSERT INTO devices (name, scope, token_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(name, scope, tokenHash, now);
    return this.deviceById(Number(r.lastInsertRowid))!;
  }
  deviceById(id: number): DeviceRow | null {
    const r = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? deviceOf(r) : null;
  }
  deviceByToken(tokenHash: string): DeviceRow | null {
    const r = this.db.prepare('SELECT * FROM devices WHERE token_hash = ?').get(tokenHash) as Record<string, unknown> | undefined;
    return r ? deviceOf(r) : null;
  }
  devices(): DeviceRow[] {
    return (this.db.prepare('SELECT * FROM devices ORDER BY id').all() as Record<string, unknown>[]).map(deviceOf);
  }
  revokeDevice(id: number, now: number): boolean {
    return this.db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }
  unrevokeDevice(id: number): void {
    this.db.prepare('UPDATE devices SET revoked_at = NULL WHERE id = ?').run(id);
  }
  touchDevice(id: number, now: number): void {
    this.db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?').run(now, id);
  }

  // --- producer keys ---
  insertKey(name: string, tokenHash: string, types: EventType[], ratePerSecond: number | null, now: number): ProducerKeyRow {
    const r = this.db
      .prepare('INSERT INTO producer_keys (name, token_hash, types, rate_per_second, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(name, tokenHash, JSON.stringify(types), ratePerSecond, now);
    return this.keyById(Number(r.lastInsertRowid))!;
  }
  keyById(id: number): ProducerKeyRow | null {
    const r = this.db.prepare('SELECT * FROM producer_keys WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? keyOf(r) : null;
  }
  keyByName(name: string): ProducerKeyRow | null {
    const r = this.db.prepare('SELECT * FROM producer_keys WHERE name = ?').get(name) as Record<string, unknown> | undefined;
    return r ? keyOf(r) : null;
  }
  keyByToken(tokenHash: string): ProducerKeyRow | null {
    const r = this.db.prepare('SELECT * FROM producer_keys WHERE token_hash = ?').get(tokenHash) as Record<string, unknown> | undefined;
    return r ? keyOf(r) : null;
  }
  keys(): ProducerKeyRow[] {
    return (this.db.prepare('SELECT * FROM producer_keys ORDER BY id').all() as Record<string, unknown>[]).map(keyOf);
  }
  /** Replaces a key's secret (and un-revokes it): for keys the server itself holds. */
  renewKey(id: number, tokenHash: string): void {
    this.db.prepare('UPDATE producer_keys SET token_hash = ?, revoked_at = NULL WHERE id = ?').run(tokenHash, id);
  }
  revokeKey(id: number, now: number): boolean {
    return this.db.prepare('UPDATE producer_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }

  // --- audit (append-only) ---
  appendAudit(e: Omit<AuditEntry, 'id'>): void {
    this.db
      .prepare('INSERT INTO audit (at, actor, action, target, ip, outcome, details) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.at, e.actor, e.action, e.target, e.ip, e.outcome, e.details === undefined ? null : JSON.stringify(e.details));
  }
  audit(q: AuditQuery): { total: number; entries: AuditEntry[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    const filter = (sql: string, value: unknown) => {
      if (value === undefined) return;
      where.push(sql);
      args.push(value);
    };
    filter('actor = ?', q.actor);
    filter('action = ?', q.action);
    filter('at >= ?', q.from);
    filter('at < ?', q.to);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit ${w}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM audit ${w} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as Record<
      string,
      unknown
    >[];
    return {
      total,
      entries: rows.map((r) => ({
        id: r.id as number,
        at: r.at as number,
        actor: r.actor as string,
        action: r.action as string,
        target: (r.target as string | null) ?? null,
        ip: (r.ip as string | null) ?? null,
        outcome: r.outcome as AuditEntry['outcome'],
        details: r.details === null ? null : JSON.parse(r.details as string),
      })),
    };
  }
}
