import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appealCreated, credsOf, makeApp, tempDir } from '../helpers.ts';
import type { SqliteAuthStore } from '../../src/modules/auth/sqlite-auth-store.ts';

const SYS = { actor: 'test', ip: null };

describe('admin API and audit log', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  let director = '';
  const asAdmin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      payload: payload as object,
      remoteAddress: '10.9.9.9',
      headers: { cookie: credsOf(app).cookie, 'x-csrf-token': credsOf(app).csrf },
    });

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir });
    await app.auth.createUser(
      { username: 'chen', password: 'street director pw', role: 'street_director', scope: 'street:440310001' },
      SYS,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'chen', password: 'street director pw' },
    });
    director = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .map((s) => s.split(';')[0])
      .join('; ');
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('is for administrators only', async () => {
    const csrf = director.match(/ch_csrf=([^;]+)/)![1];
    for (const [method, url] of [
      ['GET', '/api/v1/admin/users'],
      ['POST', '/api/v1/admin/users'],
      ['GET', '/api/v1/admin/audit'],
      ['POST', '/api/v1/admin/keys'],
      ['DELETE', '/api/v1/admin/devices/1'],
    ] as const) {
      const res = await app.inject({
        method,
        url,
        headers: { cookie: director, 'x-csrf-token': csrf },
        payload: method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' },
      });
      expect([400, 403], `${method} ${url}`).toContain(res.statusCode);
      if (method === 'GET') expect(res.json().error.code).toBe('forbidden');
      expect((await app.inject({ method, url })).statusCode, `${method} ${url} anonymous`).toBe(401);
    }
    const wall = (await app.auth.issueDevice('w', 'district:440310', SYS)).token;
    expect((await app.inject({ url: '/api/v1/admin/users', headers: { authorization: `Bearer ${wall}` } })).statusCode).toBe(403);
  });

  it('creates users, resets passwords and disables them', async () => {
    const created = await asAdmin('POST', '/api/v1/admin/users', {
      username: 'zhou',
      password: 'first password!',
      role: 'community_director',
      scope: 'community:440310001001',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).not.toHaveProperty('passwordHash');
    expect(
      (
        await asAdmin('POST', '/api/v1/admin/users', {
          username: 'zhou',
          password: 'first password!',
          role: 'operator',
          scope: 'street:440310001',
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await asAdmin('POST', '/api/v1/admin/users', {
          username: 'wu',
          password: 'a fine password',
          role: 'street_director',
          scope: 'community:440310001001',
        })
      ).json().error.message,
    ).toMatch(/needs a street scope/);
    expect(
      (
        await asAdmin('POST', '/api/v1/admin/users', { username: 'wu', password: 'short', role: 'operator', scope: 'street:440310001' })
      ).json().error.code,
    ).toBe('weak_password');
    expect(
      (
        await asAdmin('POST', '/api/v1/admin/users', {
          username: 'wu',
          password: 'a fine password',
          role: 'overlord',
          scope: 'street:440310001',
        })
      ).statusCode,
    ).toBe(400);
    const login = (password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.7.0.1', payload: { username: 'zhou', password } });
    expect((await login('first password!')).statusCode).toBe(200);
    expect((await asAdmin('POST', '/api/v1/admin/users/zhou/password', { password: 'second password!' })).statusCode).toBe(204);
    expect((await login('first password!')).statusCode).toBe(401);
    expect((await login('second password!')).statusCode).toBe(200);
    expect((await asAdmin('PATCH', '/api/v1/admin/users/zhou', { disabled: true })).json().disabled).toBe(true);
    expect((await login('second password!')).statusCode).toBe(401);
    expect((await asAdmin('PATCH', '/api/v1/admin/users/nobody', { disabled: true })).statusCode).toBe(404);
    const list = (await asAdmin('GET', '/api/v1/admin/users')).json();
    expect(list.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'chen', 'zhou']));
    expect(JSON.stringify(list)).not.toMatch(/argon2/);
  });

  it('issues producer keys (shown once) and revokes them', async () => {
    const res = await asAdmin('POST', '/api/v1/admin/keys', { name: 'video-platform', types: ['video_alert.raised'], ratePerSecond: 5 });
    expect(res.statusCode).toBe(201);
    const { key, token } = res.json();
    expect(token).toMatch(/^chk_/);
    expect(JSON.stringify((await asAdmin('GET', '/api/v1/admin/keys')).json())).not.toContain(token);
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { 'x-api-key': token },
        payload: { events: [appealCreated(Date.now() - 1000)] },
      });
    expect((await send()).json().results[0].reason).toMatch(/may not send/);
    expect((await asAdmin('DELETE', `/api/v1/admin/keys/${key.id}`)).statusCode).toBe(204);
    expect((await send()).statusCode).toBe(401);
    expect((await asAdmin('POST', '/api/v1/admin/keys', { name: 'bad', types: ['appeal.exploded'] })).statusCode).toBe(400);
  });

  it('pairs wall devices (token shown once) and revokes them', async () => {
    const res = await asAdmin('POST', '/api/v1/admin/devices', { name: '坪山街道指挥大厅', scope: 'street:440310001' });
    expect(res.statusCode).toBe(201);
    const { device, token } = res.json();
    const read = () => app.inject({ url: '/api/v1/metrics/street:440310001', headers: { authorization: `Bearer ${token}` } });
    expect((await read()).statusCode).toBe(200);
    expect(JSON.stringify((await asAdmin('GET', '/api/v1/admin/devices')).json())).not.toContain(token);
    expect((await asAdmin('DELETE', `/api/v1/admin/devices/${device.id}`)).statusCode).toBe(204);
    expect((await read()).statusCode).toBe(401);
    expect((await asAdmin('POST', '/api/v1/admin/devices', { name: 'x', scope: 'street:999999999' })).statusCode).toBe(400);
  });

  it('a cookie-authenticated admin change without the CSRF header is refused', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: { cookie: credsOf(app).cookie },
      payload: { name: 'csrf-victim' },
    });
    expect(res.statusCode).toBe(403);
    expect(await app.auth.store.keyByName('csrf-victim')).toBeNull();
  });

  it('audits sign-ins, failures and admin changes: who, what, target, when, from where, outcome', async () => {
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '10.8.0.1',
      payload: { username: 'chen', password: 'nope nope nope' },
    });
    const log = (await asAdmin('GET', '/api/v1/admin/audit?limit=500')).json();
    expect(log.total).toBe(log.entries.length);
    const find = (action: string, pred: (e: any) => boolean = () => true) => log.entries.find((e: any) => e.action === action && pred(e));
    expect(find('auth.login', (e) => e.outcome === 'failed' && e.ip === '10.8.0.1')).toMatchObject({ actor: 'user:chen', target: null });
    expect(find('auth.login', (e) => e.outcome === 'ok' && e.actor === 'user:zhou')).toBeTruthy();
    expect(find('user.create', (e) => e.target === 'user:zhou')).toMatchObject({ actor: 'user:admin', ip: '10.9.9.9', outcome: 'ok' });
    expect(find('user.reset_password')).toMatchObject({ target: 'user:zhou' });
    expect(find('user.disable')).toMatchObject({ target: 'user:zhou' });
    expect(find('key.issue', (e) => e.target === 'key:video-platform')).toBeTruthy();
    expect(find('key.revoke')).toBeTruthy();
    expect(find('device.revoke')).toBeTruthy();
    expect(find('admin.denied', (e) => e.actor === 'user:chen' && e.target === 'GET /api/v1/admin/users')).toMatchObject({
      outcome: 'denied',
    });
    expect(JSON.stringify(log)).not.toMatch(/password!|chk_|chd_/); // no secrets in the log
    expect(Date.parse(log.entries[0].at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('filters the audit log by who, action and time, and pages it', async () => {
    const q = (s: string) => asAdmin('GET', `/api/v1/admin/audit?${s}`).then((r) => r.json());
    const fails = await q('action=auth.login&actor=user:chen');
    expect(fails.entries.every((e: any) => e.action === 'auth.login' && e.actor === 'user:chen')).toBe(true);
    const all = await q('limit=500');
    const page = await q('limit=2&offset=1');
    expect(page.entries.map((e: any) => e.id)).toEqual(all.entries.slice(1, 3).map((e: any) => e.id));
    expect(page.total).toBe(all.total);
    expect((await q(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total).toBe(0);
    expect((await q(`to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total).toBe(all.total);
    expect((await asAdmin('GET', '/api/v1/admin/audit?limit=0')).statusCode).toBe(400);
    expect((await asAdmin('GET', '/api/v1/admin/audit?from=yesterday')).statusCode).toBe(400);
  });

  it('no route edits or deletes the audit log, and the table itself refuses it', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      for (const url of ['/api/v1/admin/audit', '/api/v1/admin/audit/1']) {
        expect([404, 405], `${method} ${url}`).toContain((await asAdmin(method, url, {})).statusCode);
      }
    }
    const routes = app.printRoutes({ commonPrefix: false });
    expect(routes).toMatch(/audit \(GET, HEAD\)/);
    // straight to the database the store keeps it in: SQLite's file, or PostgreSQL with DATABASE_URL
    const tamper = async (sql: string) => (app.pg ? app.pg.query(sql) : (app.auth.store as SqliteAuthStore).db.prepare(sql).run());
    await expect(tamper("UPDATE audit SET outcome = 'ok'")).rejects.toThrow(/append-only/);
    await expect(tamper('DELETE FROM audit')).rejects.toThrow(/append-only/);
  });
});
