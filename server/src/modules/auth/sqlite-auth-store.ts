/**
 * Accounts, sessions, wall devices, producer keys and the audit log in `auth.sqlite` beside the
 * event log (the embedded store): a separate file so that the event log stays the district's
 * record and nothing else. What it keeps, and the rules, are auth-store.ts's. The schema is the
 * one every earlier version wrote, so an existing `auth.sqlite` opens as it is.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open-sqlite.ts';
import type { EventType, Role } from '@commandhall/shared';
import type {
  AuditEntry,
  AuditQuery,
  AuthStore,
  DeviceRow,
  NewUserRow,
  ProducerKeyRow,
  SessionRow,
  UserChange,
  UserRow,
} from './auth-store.ts';

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
const USER_COLUMNS = { passwordHash: 'password_hash', disabled: 'disabled', role: 'role', scope: 'scope', pii: 'pii' } as const;

const keyOf = (r: Record<string, unknown>): ProducerKeyRow => ({
  id: r.id as number,
  name: r.name as string,
  types: JSON.parse(r.types as string) as EventType[],
  ratePerSecond: (r.rate_per_second as number | null) ?? null,
  createdAt: r.created_at as number,
  revokedAt: (r.revoked_at as number | null) ?? null,
});

export class SqliteAuthStore implements AuthStore {
  /** The database itself: for tests that prove what it refuses. */
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

  async close(): Promise<void> {
    this.db.close();
  }

  // --- meta: one-time bootstrap markers ---
  async meta(key: string): Promise<string | null> {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  }
  async setMeta(key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
  /** One server process owns a data folder: nothing to wait for. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  // --- users ---
  async insertUser(u: NewUserRow): Promise<UserRow | null> {
    const r = this.db
      .prepare('INSERT INTO users (username, role, scope, password_hash, pii, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(u.username, u.role, u.scope, u.passwordHash, u.pii ? 1 : 0, u.createdAt);
    return r.changes === 1 ? this.userById(Number(r.lastInsertRowid)) : null;
  }
  async userById(id: number): Promise<UserRow | null> {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? userOf(r) : null;
  }
  async userByName(username: string): Promise<UserRow | null> {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Record<string, unknown> | undefined;
    return r ? userOf(r) : null;
  }
  async users(): Promise<UserRow[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY id').all() as Record<string, unknown>[]).map(userOf);
  }
  async updateUser(id: number, change: UserChange): Promise<void> {
    const cols: string[] = [];
    const vals: unknown[] = [];
    for (const [k, col] of Object.entries(USER_COLUMNS)) {
      const v = change[k as keyof UserChange];
      if (v === undefined) continue;
      cols.push(`${col} = ?`);
      vals.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
    if (cols.length) this.db.prepare(`UPDATE users SET ${cols.join(', ')} WHERE id = ?`).run(...vals, id);
  }

  // --- sessions ---
  async insertSession(
    tokenHash: string,
    userId: number,
    csrfHash: string,
    now: number,
    expiresAt: number,
    ip: string | null,
  ): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, csrf_hash, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?)')
      .run(tokenHash, userId, csrfHash, now, expiresAt, ip);
  }
  async sessionWithUser(tokenHash: string): Promise<{ session: SessionRow; user: UserRow } | null> {
    const r = this.db
      .prepare(
        `SELECT u.*, s.csrf_hash AS s_csrf_hash, s.expires_at AS s_expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?`,
      )
      .get(tokenHash) as Record<string, unknown> | undefined;
    if (!r) return null;
    const user = userOf(r);
    return { session: { userId: user.id, csrfHash: r.s_csrf_hash as string, expiresAt: r.s_expires_at as number }, user };
  }
  async activeSessions(tokenHashes: readonly string[], now: number): Promise<Map<string, number>> {
    if (!tokenHashes.length) return new Map();
    // one parameter however many sockets: json_each spreads the array
    const rows = this.db
      .prepare(
        `SELECT s.token_hash, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash IN (SELECT value FROM json_each(?)) AND s.expires_at > ? AND u.disabled = 0`,
      )
      .all(JSON.stringify(tokenHashes), now) as { token_hash: string; user_id: number }[];
    return new Map(rows.map((r) => [r.token_hash, r.user_id]));
  }
  async deleteSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }
  async deleteSessionsOf(userId: number): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }
  async deleteExpiredSessions(now: number): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
  }

  // --- wall devices ---
  async insertDevice(name: string, scope: string, tokenHash: string, now: number): Promise<DeviceRow> {
    const r = this.db
      .prepare('INSERT INTO devices (name, scope, token_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(name, scope, tokenHash, now);
    return (await this.deviceById(Number(r.lastInsertRowid)))!;
  }
  async deviceById(id: number): Promise<DeviceRow | null> {
    const r = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? deviceOf(r) : null;
  }
  async deviceByToken(tokenHash: string): Promise<DeviceRow | null> {
    const r = this.db.prepare('SELECT * FROM devices WHERE token_hash = ?').get(tokenHash) as Record<string, unknown> | undefined;
    return r ? deviceOf(r) : null;
  }
  async devices(): Promise<DeviceRow[]> {
    return (this.db.prepare('SELECT * FROM devices ORDER BY id').all() as Record<string, unknown>[]).map(deviceOf);
  }
  async activeDevices(ids: readonly number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows = this.db
      .prepare('SELECT id FROM devices WHERE id IN (SELECT value FROM json_each(?)) AND revoked_at IS NULL')
      .all(JSON.stringify(ids)) as { id: number }[];
    return new Set(rows.map((r) => r.id));
  }
  async revokeDevice(id: number, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }
  async unrevokeDevice(id: number): Promise<void> {
    this.db.prepare('UPDATE devices SET revoked_at = NULL WHERE id = ?').run(id);
  }
  async touchDevice(id: number, now: number): Promise<void> {
    this.db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?').run(now, id);
  }

  // --- producer keys ---
  async insertKey(
    name: string,
    tokenHash: string,
    types: EventType[],
    ratePerSecond: number | null,
    now: number,
  ): Promise<ProducerKeyRow | null> {
    const r = this.db
      .prepare(
        'INSERT INTO producer_keys (name, token_hash, types, rate_per_second, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(name, tokenHash, JSON.stringify(types), ratePerSecond, now);
    return r.changes === 1 ? this.keyById(Number(r.lastInsertRowid)) : null;
  }
  async keyById(id: number): Promise<ProducerKeyRow | null> {
    const r = this.db.prepare('SELECT * FROM producer_keys WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? keyOf(r) : null;
  }
  async keyByName(name: string): Promise<ProducerKeyRow | null> {
    const r = this.db.prepare('SELECT * FROM producer_keys WHERE name = ?').get(name) as Record<string, unknown> | undefined;
    return r ? keyOf(r) : null;
  }
  async keyByToken(tokenHash: string): Promise<ProducerKeyRow | null> {
    const r = this.db.prepare('SELECT * FROM producer_keys WHERE token_hash = ?').get(tokenHash) as Record<string, unknown> | undefined;
    return r ? keyOf(r) : null;
  }
  async keys(): Promise<ProducerKeyRow[]> {
    return (this.db.prepare('SELECT * FROM producer_keys ORDER BY id').all() as Record<string, unknown>[]).map(keyOf);
  }
  async renewKey(id: number, tokenHash: string): Promise<void> {
    this.db.prepare('UPDATE producer_keys SET token_hash = ?, revoked_at = NULL WHERE id = ?').run(tokenHash, id);
  }
  async revokeKey(id: number, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE producer_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }

  // --- audit (append-only) ---
  async appendAudit(e: Omit<AuditEntry, 'id'>): Promise<void> {
    this.db
      .prepare('INSERT INTO audit (at, actor, action, target, ip, outcome, details) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.at, e.actor, e.action, e.target, e.ip, e.outcome, e.details === undefined ? null : JSON.stringify(e.details));
  }
  async audit(q: AuditQuery): Promise<{ total: number; entries: AuditEntry[] }> {
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
