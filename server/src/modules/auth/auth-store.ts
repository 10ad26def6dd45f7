/**
 * Where accounts, sessions, wall devices, producer keys and the audit log are kept: `auth.sqlite`
 * beside the event log (sqlite-auth-store.ts, the embedded default) or PostgreSQL, shared by every
 * node (postgres-auth-store.ts, `DATABASE_URL`). The rules both keep:
 *
 * - a username is unique whatever its case (ASCII case: usernames are ASCII by rule);
 * - secrets (session, CSRF, device and producer tokens) are stored as their SHA-256 only;
 * - the audit log is append-only: the database itself refuses UPDATE and DELETE (a trigger), so
 *   no code path, here or elsewhere, can rewrite history;
 * - an insert that meets an existing name answers null rather than throwing, so that two nodes
 *   creating the same thing at once end with one of it and a clear "exists" for the other.
 */
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
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  limit: number;
  offset: number;
}

export type NewUserRow = Omit<UserRow, 'id' | 'disabled'>;
export type UserChange = Partial<Pick<UserRow, 'passwordHash' | 'disabled' | 'role' | 'scope' | 'pii'>>;

export interface AuthStore {
  // --- meta: one-time bootstrap markers ---
  meta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Runs `work` while no other node runs work under this call (PostgreSQL: an advisory lock held
   * by a session of its own; a node that dies lets go with its session). The embedded store has
   * one server process and simply runs it. For the first-start bootstrap.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;

  // --- users ---
  /** Null when the username is taken (in any case). */
  insertUser(u: NewUserRow): Promise<UserRow | null>;
  userById(id: number): Promise<UserRow | null>;
  /** Case-insensitive (ASCII). */
  userByName(username: string): Promise<UserRow | null>;
  /** Every account, in the order they were created. */
  users(): Promise<UserRow[]>;
  updateUser(id: number, change: UserChange): Promise<void>;

  // --- sessions ---
  insertSession(tokenHash: string, userId: number, csrfHash: string, now: number, expiresAt: number, ip: string | null): Promise<void>;
  /** A session and its user in one read (every request signed in by cookie asks this). */
  sessionWithUser(tokenHash: string): Promise<{ session: SessionRow; user: UserRow } | null>;
  /**
   * Of these sessions, those unexpired at `now` whose user is enabled, each with its user's id:
   * the live channel's re-check of all its sockets in one read.
   */
  activeSessions(tokenHashes: readonly string[], now: number): Promise<Map<string, number>>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteSessionsOf(userId: number): Promise<void>;
  deleteExpiredSessions(now: number): Promise<void>;

  // --- wall devices ---
  insertDevice(name: string, scope: string, tokenHash: string, now: number): Promise<DeviceRow>;
  deviceById(id: number): Promise<DeviceRow | null>;
  deviceByToken(tokenHash: string): Promise<DeviceRow | null>;
  devices(): Promise<DeviceRow[]>;
  /** Of these devices, the ones not revoked (one read for every socket of a node). */
  activeDevices(ids: readonly number[]): Promise<Set<number>>;
  /** False when the device was revoked already (or does not exist). */
  revokeDevice(id: number, now: number): Promise<boolean>;
  unrevokeDevice(id: number): Promise<void>;
  touchDevice(id: number, now: number): Promise<void>;

  // --- producer keys ---
  /** Null when a key of this name (or this secret) exists. */
  insertKey(name: string, tokenHash: string, types: EventType[], ratePerSecond: number | null, now: number): Promise<ProducerKeyRow | null>;
  keyById(id: number): Promise<ProducerKeyRow | null>;
  keyByName(name: string): Promise<ProducerKeyRow | null>;
  keyByToken(tokenHash: string): Promise<ProducerKeyRow | null>;
  keys(): Promise<ProducerKeyRow[]>;
  /** Replaces a key's secret (and un-revokes it): for keys the server itself holds. */
  renewKey(id: number, tokenHash: string): Promise<void>;
  /** False when the key was revoked already (or does not exist). */
  revokeKey(id: number, now: number): Promise<boolean>;

  // --- audit (append-only) ---
  appendAudit(e: Omit<AuditEntry, 'id'>): Promise<void>;
  /** Newest first (by id), with the number of entries the filters match. */
  audit(q: AuditQuery): Promise<{ total: number; entries: AuditEntry[] }>;

  close(): Promise<void>;
}
