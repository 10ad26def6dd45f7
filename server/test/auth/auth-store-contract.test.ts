/**
 * Auth stores keep the same promises embedded (SQLite) and shared (PostgreSQL): users unique
 * whatever their case, sessions read with their user and re-checked in bulk, devices and keys
 * revoked once, the audit log filtered, paged newest first and refused any change by the database
 * itself, meta markers. On PostgreSQL: two nodes see each other's writes, create one user of a
 * name between them, and take turns in `exclusive`. And an `auth.sqlite` written before this
 * store existed opens as it is. PostgreSQL skipped, saying why, where it is absent.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { AuthStore, NewUserRow } from '../../src/modules/auth/auth-store.ts';
import { SqliteAuthStore } from '../../src/modules/auth/sqlite-auth-store.ts';
import { PostgresAuthStore } from '../../src/modules/auth/postgres-auth-store.ts';
import { openPool } from '../../src/core/store/open-postgres.ts';
import { tempDir } from '../helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

const missing = await postgresMissing();
if (missing) saySkipped('the auth store on PostgreSQL', missing);
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** A store, and a way to send SQL to its database behind its back (to prove what the database refuses). */
interface Opened {
  store: AuthStore;
  raw: (sql: string) => Promise<unknown>;
}

async function sqlite(): Promise<Opened> {
  const tmp = tempDir();
  const store = new SqliteAuthStore(tmp.dir);
  cleanup.push(async () => (await store.close(), tmp.remove()));
  return { store, raw: async (sql) => store.db.prepare(sql).run() };
}
async function postgres(url?: string): Promise<Opened & { url: string; pool: pg.Pool }> {
  if (!url) {
    const db = await freshDatabase();
    cleanup.push(db.drop);
    url = db.url;
  }
  const pool = openPool(url, 4);
  cleanup.push(() => pool.end());
  return { store: await PostgresAuthStore.open(pool), raw: (sql) => pool.query(sql), url, pool };
}

const person = (username: string, over: Partial<NewUserRow> = {}): NewUserRow => ({
  username,
  role: 'operator',
  scope: 'street:440310001',
  passwordHash: `hash-of-${username}`,
  pii: false,
  createdAt: 1000,
  ...over,
});

const kinds: [string, () => Promise<Opened>][] = [['SQLite', sqlite]];
if (!missing) kinds.push(['PostgreSQL', () => postgres()]);

for (const [name, open] of kinds) {
  describe(`the auth store on ${name}`, () => {
    it('keeps users: unique whatever the case, found by id and by name in any case, changed field by field', async () => {
      const { store: s } = await open();
      const zhang = (await s.insertUser(person('Zhang.Wei', { pii: true })))!;
      expect(zhang).toMatchObject({ username: 'Zhang.Wei', role: 'operator', pii: true, disabled: false, createdAt: 1000 });
      expect(await s.insertUser(person('zhang.wei'))).toBeNull();
      expect(await s.insertUser(person('ZHANG.WEI'))).toBeNull();
      expect(await s.userByName('zHaNg.wEi')).toEqual(zhang);
      expect(await s.userById(zhang.id)).toEqual(zhang);
      expect(await s.userByName('nobody')).toBeNull();
      expect(await s.userById(99_999)).toBeNull();
      const li = (await s.insertUser(person('li')))!;
      expect((await s.users()).map((u) => u.username)).toEqual(['Zhang.Wei', 'li']);
      await s.updateUser(li.id, { disabled: true, role: 'street_director', scope: 'street:440310002', pii: true, passwordHash: 'new' });
      expect(await s.userById(li.id)).toEqual({
        ...li,
        disabled: true,
        role: 'street_director',
        scope: 'street:440310002',
        pii: true,
        passwordHash: 'new',
      });
      await s.updateUser(li.id, { disabled: false });
      expect((await s.userById(li.id))!.disabled).toBe(false);
      expect((await s.userById(zhang.id))!.disabled).toBe(false); // nobody else touched
    });

    it('reads a session with its user, re-checks many at once, and forgets them by token, user or age', async () => {
      const { store: s } = await open();
      const a = (await s.insertUser(person('a')))!;
      const b = (await s.insertUser(person('b')))!;
      await s.insertSession('ha1', a.id, 'csrf-a1', 1000, 5000, '10.0.0.1');
      await s.insertSession('ha2', a.id, 'csrf-a2', 1000, 9000, null);
      await s.insertSession('hb', b.id, 'csrf-b', 1000, 9000, null);
      expect(await s.sessionWithUser('ha1')).toEqual({ session: { userId: a.id, csrfHash: 'csrf-a1', expiresAt: 5000 }, user: a });
      expect(await s.sessionWithUser('nope')).toBeNull();
      // expired at 5000; b's user disabled; unknown tokens simply absent
      await s.updateUser(b.id, { disabled: true });
      expect(await s.activeSessions(['ha1', 'ha2', 'hb', 'unknown'], 5000)).toEqual(new Map([['ha2', a.id]]));
      expect(await s.activeSessions(['ha1', 'ha2'], 4999)).toEqual(
        new Map([
          ['ha1', a.id],
          ['ha2', a.id],
        ]),
      );
      expect(await s.activeSessions([], 0)).toEqual(new Map());
      await s.deleteExpiredSessions(5000);
      expect(await s.sessionWithUser('ha1')).toBeNull();
      expect(await s.sessionWithUser('ha2')).not.toBeNull();
      await s.deleteSession('ha2');
      expect(await s.sessionWithUser('ha2')).toBeNull();
      await s.deleteSessionsOf(b.id);
      expect(await s.sessionWithUser('hb')).toBeNull();
    });

    it('keeps wall devices: found by id and token, revoked once, un-revoked, last seen, re-checked many at once', async () => {
      const { store: s } = await open();
      const d1 = await s.insertDevice('坪山大厅', 'district:440310', 'tok1', 1000);
      const d2 = await s.insertDevice('六联社区', 'community:440310001001', 'tok2', 2000);
      expect(d1).toEqual({ id: d1.id, name: '坪山大厅', scope: 'district:440310', createdAt: 1000, revokedAt: null, lastSeenAt: null });
      expect(await s.deviceByToken('tok2')).toEqual(d2);
      expect(await s.deviceById(d1.id)).toEqual(d1);
      expect(await s.deviceByToken('nope')).toBeNull();
      expect(await s.activeDevices([d1.id, d2.id, 99_999])).toEqual(new Set([d1.id, d2.id]));
      expect(await s.revokeDevice(d2.id, 3000)).toBe(true);
      expect(await s.revokeDevice(d2.id, 4000)).toBe(false);
      expect(await s.revokeDevice(99_999, 4000)).toBe(false);
      expect((await s.deviceById(d2.id))!.revokedAt).toBe(3000);
      expect(await s.activeDevices([d1.id, d2.id])).toEqual(new Set([d1.id]));
      expect(await s.activeDevices([])).toEqual(new Set());
      await s.unrevokeDevice(d2.id);
      expect(await s.activeDevices([d2.id])).toEqual(new Set([d2.id]));
      await s.touchDevice(d1.id, 5000);
      expect((await s.deviceById(d1.id))!.lastSeenAt).toBe(5000);
      expect((await s.devices()).map((d) => d.name)).toEqual(['坪山大厅', '六联社区']);
    });

    it('keeps producer keys: one per name, their types and rates, renewed (un-revoked) and revoked once', async () => {
      const { store: s } = await open();
      const k = (await s.insertKey('video', 'h1', ['video_alert.raised', 'video_alert.acknowledged'], 2.5, 1000))!;
      expect(k).toEqual({
        id: k.id,
        name: 'video',
        types: ['video_alert.raised', 'video_alert.acknowledged'],
        ratePerSecond: 2.5,
        createdAt: 1000,
        revokedAt: null,
      });
      expect(await s.insertKey('video', 'h-other', ['appeal.created'], null, 2000)).toBeNull();
      expect(await s.insertKey('other', 'h1', ['appeal.created'], null, 2000)).toBeNull(); // the same secret
      const unlimited = (await s.insertKey('simulator', 'h2', ['appeal.created'], 0, 2000))!;
      const byDefault = (await s.insertKey('app', 'h3', ['appeal.created'], null, 2000))!;
      expect([unlimited.ratePerSecond, byDefault.ratePerSecond]).toEqual([0, null]);
      expect(await s.keyByName('video')).toEqual(k);
      expect(await s.keyByToken('h1')).toEqual(k);
      expect(await s.keyById(k.id)).toEqual(k);
      expect(await s.keyByName('nope')).toBeNull();
      expect(await s.revokeKey(k.id, 3000)).toBe(true);
      expect(await s.revokeKey(k.id, 4000)).toBe(false);
      expect((await s.keyById(k.id))!.revokedAt).toBe(3000);
      await s.renewKey(k.id, 'h1-new');
      expect(await s.keyByToken('h1')).toBeNull();
      expect(await s.keyByToken('h1-new')).toMatchObject({ id: k.id, revokedAt: null });
      expect((await s.keys()).map((x) => x.name)).toEqual(['video', 'simulator', 'app']);
    });

    it('lists the audit log newest first, filtered by actor, action and time, paged, with its details as written', async () => {
      const { store: s } = await open();
      const entries = Array.from({ length: 12 }, (_, i) => ({
        at: 10_000 + i * 1000,
        actor: i % 3 === 0 ? 'user:admin' : 'cli:root',
        action: i % 2 ? 'device.issue' : 'user.create',
        target: i === 5 ? null : `t${i}`,
        ip: i % 4 ? '10.0.0.9' : null,
        outcome: (i === 7 ? 'denied' : 'ok') as 'ok' | 'denied',
        details: i === 0 ? undefined : i === 1 ? null : { i, name: '张三', nested: { z: 1, a: [1, 2] } },
      }));
      for (const e of entries) await s.appendAudit(e);
      const all = await s.audit({ limit: 100, offset: 0 });
      expect(all.total).toBe(12);
      expect(all.entries.map((e) => e.at)).toEqual(entries.map((e) => e.at).reverse());
      const ids = all.entries.map((e) => e.id);
      expect([...ids].sort((x, y) => y - x)).toEqual(ids);
      const byAt = new Map(all.entries.map((e) => [e.at, e]));
      expect(byAt.get(10_000)).toMatchObject({
        actor: 'user:admin',
        action: 'user.create',
        target: 't0',
        ip: null,
        outcome: 'ok',
        details: null,
      });
      expect(byAt.get(11_000)!.details).toBeNull();
      expect(byAt.get(12_000)!.details).toEqual({ i: 2, name: '张三', nested: { z: 1, a: [1, 2] } });
      expect(JSON.stringify(byAt.get(12_000)!.details)).toBe(JSON.stringify(entries[2].details)); // keys in the order written
      expect(byAt.get(15_000)).toMatchObject({ target: null, ip: '10.0.0.9' });
      expect(byAt.get(17_000)!.outcome).toBe('denied');

      const q = (o: Partial<Parameters<AuthStore['audit']>[0]>) => s.audit({ limit: 100, offset: 0, ...o });
      expect((await q({ actor: 'user:admin' })).entries.map((e) => e.at)).toEqual([19_000, 16_000, 13_000, 10_000]);
      expect((await q({ action: 'device.issue' })).total).toBe(6);
      expect((await q({ actor: 'user:admin', action: 'device.issue' })).entries.map((e) => e.at)).toEqual([19_000, 13_000]);
      expect((await q({ from: 15_000, to: 18_000 })).entries.map((e) => e.at)).toEqual([17_000, 16_000, 15_000]);
      expect((await q({ from: 30_000 })).total).toBe(0);
      const page = await q({ limit: 5, offset: 5 });
      expect(page.total).toBe(12);
      expect(page.entries.map((e) => e.id)).toEqual(ids.slice(5, 10));
      expect((await q({ limit: 5, offset: 10 })).entries.map((e) => e.id)).toEqual(ids.slice(10));
      const filteredPage = await q({ actor: 'cli:root', limit: 3, offset: 3 });
      expect(filteredPage.total).toBe(8);
      expect(filteredPage.entries.map((e) => e.at)).toEqual([17_000, 15_000, 14_000]);
    });

    it('the database itself refuses to change or delete an audit entry', async () => {
      const { store: s, raw } = await open();
      await s.appendAudit({ at: 1, actor: 'user:admin', action: 'user.create', target: 'user:x', ip: null, outcome: 'ok' });
      await expect(raw("UPDATE audit SET outcome = 'denied'")).rejects.toThrow(/append-only/);
      await expect(raw('DELETE FROM audit')).rejects.toThrow(/append-only/);
      if (name === 'PostgreSQL') await expect(raw('TRUNCATE audit')).rejects.toThrow(/append-only/);
      expect((await s.audit({ limit: 10, offset: 0 })).entries).toMatchObject([{ outcome: 'ok', target: 'user:x' }]);
    });

    it('keeps meta markers, the latest value of each', async () => {
      const { store: s } = await open();
      expect(await s.meta('demo.device')).toBeNull();
      await s.setMeta('demo.device', '3');
      await s.setMeta('demo.device', '4');
      await s.setMeta('demo.device.state', 'on');
      expect(await s.meta('demo.device')).toBe('4');
      expect(await s.meta('demo.device.state')).toBe('on');
    });
  });
}

describe('an auth.sqlite written before the store interface', () => {
  it('opens as it is: its accounts, sessions, devices, keys and audit read back', async () => {
    const tmp = tempDir();
    cleanup.push(() => tmp.remove());
    // the schema as first shipped, in a file from before versions were counted (user_version 0)
    const old = new Database(join(tmp.dir, 'auth.sqlite'));
    old.exec(`
      CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE COLLATE NOCASE, role TEXT NOT NULL,
        scope TEXT NOT NULL, password_hash TEXT NOT NULL, pii INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL);
      CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), csrf_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, ip TEXT);
      CREATE TABLE devices (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, scope TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL, revoked_at INTEGER, last_seen_at INTEGER);
      CREATE TABLE producer_keys (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, token_hash TEXT NOT NULL UNIQUE,
        types TEXT NOT NULL, rate_per_second REAL, created_at INTEGER NOT NULL, revoked_at INTEGER);
      CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT, ip TEXT, outcome TEXT NOT NULL, details TEXT);
      CREATE INDEX audit_at ON audit (at);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO users (username, role, scope, password_hash, pii, disabled, created_at)
        VALUES ('admin', 'admin', 'district:440310', '$argon2id$old', 1, 0, 100);
      INSERT INTO sessions VALUES ('sess', 1, 'csrf', 100, 999999, '10.1.1.1');
      INSERT INTO devices (name, scope, token_hash, created_at) VALUES ('demo-wall', 'district:440310', 'dev', 100);
      INSERT INTO producer_keys (name, token_hash, types, rate_per_second, created_at) VALUES ('demo', 'key', '["appeal.created"]', NULL, 100);
      INSERT INTO audit (at, actor, action, target, ip, outcome, details) VALUES (100, 'system:bootstrap', 'user.create', 'user:admin', NULL, 'ok', '{"role":"admin"}');
      INSERT INTO meta VALUES ('demo.device', '1');
    `);
    old.close();
    const s = new SqliteAuthStore(tmp.dir);
    cleanup.push(() => s.close());
    const admin = await s.userByName('ADMIN');
    expect(admin).toMatchObject({ id: 1, username: 'admin', role: 'admin', pii: true, disabled: false, passwordHash: '$argon2id$old' });
    expect(await s.sessionWithUser('sess')).toMatchObject({ session: { userId: 1, csrfHash: 'csrf', expiresAt: 999999 }, user: admin });
    expect(await s.deviceByToken('dev')).toMatchObject({ name: 'demo-wall', revokedAt: null });
    expect(await s.keyByToken('key')).toMatchObject({ name: 'demo', types: ['appeal.created'], ratePerSecond: null });
    expect((await s.audit({ limit: 10, offset: 0 })).entries).toMatchObject([{ actor: 'system:bootstrap', details: { role: 'admin' } }]);
    expect(await s.meta('demo.device')).toBe('1');
    // and it is written on as before
    expect(await s.insertUser(person('Admin'))).toBeNull();
    expect(await s.insertUser(person('new-one'))).toMatchObject({ username: 'new-one' });
    expect(() => s.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
  });
});

describe.skipIf(missing)('the auth store shared by two nodes (PostgreSQL)', () => {
  it('each node reads what the other wrote, at once', async () => {
    const a = await postgres();
    const b = await postgres(a.url);
    const u = (await a.store.insertUser(person('wang')))!;
    await a.store.insertSession('hw', u.id, 'c', 1, 10_000, null);
    const d = await a.store.insertDevice('hall', 'district:440310', 'tok', 1);
    expect(await b.store.sessionWithUser('hw')).toMatchObject({ user: { username: 'wang' } });
    expect(await b.store.deviceByToken('tok')).toEqual(d);
    await b.store.revokeDevice(d.id, 2);
    await b.store.updateUser(u.id, { disabled: true });
    expect(await a.store.activeDevices([d.id])).toEqual(new Set());
    expect(await a.store.activeSessions(['hw'], 5)).toEqual(new Map());
    await b.store.appendAudit({ at: 3, actor: 'user:b', action: 'x', target: null, ip: null, outcome: 'ok' });
    await a.store.appendAudit({ at: 4, actor: 'user:a', action: 'x', target: null, ip: null, outcome: 'ok' });
    expect((await b.store.audit({ limit: 10, offset: 0 })).entries.map((e) => e.actor)).toEqual(['user:a', 'user:b']);
  });

  it('two nodes creating the same user or key at once: one row, and the other is told it exists', async () => {
    const a = await postgres();
    const b = await postgres(a.url);
    const users = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).store.insertUser(person(i % 2 ? 'Chen' : 'chen'))));
    expect(users.filter((u) => u !== null)).toHaveLength(1);
    expect(await a.store.users()).toHaveLength(1);
    const keys = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).store.insertKey('demo', `h${i}`, [], null, i)));
    expect(keys.filter((k) => k !== null)).toHaveLength(1);
  });

  it('exclusive: work on two nodes at once runs one after the other', async () => {
    const a = await postgres();
    const b = await postgres(a.url);
    const steps: string[] = [];
    const work = (who: string) => async () => {
      steps.push(`${who} in`);
      // the other node asks for the lock meanwhile (a query each, on other connections)
      for (let i = 0; i < 5; i++) await a.pool.query('SELECT pg_sleep(0.02)');
      steps.push(`${who} out`);
      return who;
    };
    expect(await Promise.all([a.store.exclusive(work('A')), b.store.exclusive(work('B'))])).toEqual(['A', 'B']);
    expect([
      ['A in', 'A out', 'B in', 'B out'],
      ['B in', 'B out', 'A in', 'A out'],
    ]).toContainEqual(steps);
    // a failing work lets go of the lock too
    await expect(a.store.exclusive(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await b.store.exclusive(async () => 'after')).toBe('after');
  });
});
