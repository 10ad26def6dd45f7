/**
 * Two nodes on one PostgreSQL database share their accounts, sessions, wall devices, producer keys
 * and audit log (scale-out mode, DATABASE_URL), as people meet them: an account made on A signs in
 * on B; a session and its CSRF token from A work on B; a wall paired on A reads from B; a wall
 * revoked or a person disabled on B is refused on A at the next request, and A's live sockets for
 * them drop within the live channel's re-check interval (RECHECK_MS); one audit log on both; and
 * two nodes starting at once on an empty database make one administrator, one demo key and one
 * demo wall. Needs PostgreSQL; skipped, saying why, where it is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveError, ServerToClientEvents } from '@commandhall/shared';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { RECHECK_MS } from '../../src/live/plugin.ts';
import { DEMO_PRODUCER_KEY } from '../../src/modules/auth/bootstrap.ts';
import { appealCreated, credsOf, makeApp, tempDir } from '../helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const missing = await postgresMissing();
if (missing) saySkipped('accounts shared by two nodes on one PostgreSQL', missing);
const DISTRICT = 'district:440310';

/** Cookies of a login answer, as a Cookie header, and its CSRF token. */
function session(res: { headers: Record<string, unknown>; json: () => { csrfToken: string } }) {
  const cookie = ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | string | undefined) ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: res.json().csrfToken };
}

describe.skipIf(missing)('accounts shared by two nodes on one PostgreSQL database', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  let aUrl: string;
  let drop: () => Promise<void>;
  const dirs = [tempDir(), tempDir()];
  const clients: Client[] = [];

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    a = await makeApp({ dataDir: dirs[0].dir, env: { DATABASE_URL: db.url } });
    b = await makeApp({ dataDir: dirs[1].dir, env: { DATABASE_URL: db.url } });
    aUrl = await a.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await a?.close();
    await b?.close();
    await drop?.();
    for (const d of dirs) d.remove();
  });

  const asAdminOf = (app: FastifyInstance, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, payload, headers: { cookie: credsOf(app).cookie, 'x-csrf-token': credsOf(app).csrf } });
  const me = (app: FastifyInstance, headers: Record<string, string>) => app.inject({ url: '/api/v1/auth/me', headers });

  async function connectToA(opts: { cookie?: string; token?: string }): Promise<Client> {
    const s: Client = io(`${aUrl}/live`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: opts.cookie ? { cookie: opts.cookie } : {},
      auth: opts.token ? { token: opts.token } : {},
    });
    clients.push(s);
    await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
    const ack = await s.timeout(5000).emitWithAck('scope:watch', { scope: DISTRICT });
    if (!('data' in ack)) throw new Error(`watch failed: ${JSON.stringify(ack)}`);
    return s;
  }

  it('a user created by an administrator on A signs in on B; the session and CSRF token from A work on B', async () => {
    const made = await asAdminOf(a, 'POST', '/api/v1/admin/users', {
      username: 'zhou',
      password: 'zhou-password-1',
      role: 'district_director',
      scope: DISTRICT,
    });
    expect(made.statusCode).toBe(201);
    expect((await login(b, 'zhou', 'zhou-password-1')).statusCode).toBe(200);

    const fromA = session(await login(a, 'zhou', 'zhou-password-1'));
    expect((await me(b, { cookie: fromA.cookie })).json()).toMatchObject({ kind: 'user', name: 'zhou', role: 'district_director' });
    // a changing request on B with A's session: refused without its CSRF token, accepted with it
    const rotate = (headers: Record<string, string>) =>
      b.inject({
        method: 'PUT',
        url: `/api/v1/halls/${DISTRICT}/playlist`,
        headers,
        payload: { entries: [{ themeId: 'grid', seconds: 90 }] },
      });
    const noCsrf = await rotate({ cookie: fromA.cookie });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    expect((await rotate({ cookie: fromA.cookie, 'x-csrf-token': 'not-the-token' })).statusCode).toBe(403);
    expect((await rotate({ cookie: fromA.cookie, 'x-csrf-token': fromA.csrf })).statusCode).toBe(200);
    // signed out on B: the session is gone on A too
    expect(
      (await b.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: fromA.cookie, 'x-csrf-token': fromA.csrf } }))
        .statusCode,
    ).toBe(204);
    expect((await me(a, { cookie: fromA.cookie })).statusCode).toBe(401);
  });

  it('a wall paired on A reads on B; producer keys issued on A are accepted by B', async () => {
    const paired = await asAdminOf(a, 'POST', '/api/v1/admin/devices', { name: '坪山指挥大厅', scope: DISTRICT });
    expect(paired.statusCode).toBe(201);
    const { token } = paired.json() as { token: string };
    const onB = await b.inject({ url: `/api/v1/metrics/${DISTRICT}`, headers: { authorization: `Bearer ${token}` } });
    expect(onB.statusCode).toBe(200);
    expect((await me(b, { authorization: `Bearer ${token}` })).json()).toMatchObject({ kind: 'device', name: '坪山指挥大厅' });

    const issued = await asAdminOf(a, 'POST', '/api/v1/admin/keys', { name: 'hotline-2n', types: ['appeal.created'] });
    const key = (issued.json() as { token: string }).token;
    const sent = await b.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'x-api-key': key },
      payload: { events: [appealCreated(Date.now() - 1000, { appealId: 'AP-AUTH-2N' })] },
    });
    expect(sent.json()).toMatchObject({ accepted: 1 });
    expect((await asAdminOf(b, 'GET', '/api/v1/admin/keys')).json().map((k: { name: string }) => k.name)).toContain('hotline-2n');
  });

  it(`a wall revoked and a person disabled on B are refused on A, and A's sockets for them drop within ${RECHECK_MS} ms`, async () => {
    const paired = (await asAdminOf(a, 'POST', '/api/v1/admin/devices', { name: 'to-revoke', scope: DISTRICT })).json() as {
      device: { id: number };
      token: string;
    };
    await asAdminOf(a, 'POST', '/api/v1/admin/users', { username: 'qian', password: 'qian-password-1', role: 'operator', scope: DISTRICT });
    const qian = session(await login(a, 'qian', 'qian-password-1'));
    const wall = await connectToA({ token: paired.token });
    const person = await connectToA({ cookie: qian.cookie });
    const told: LiveError[] = [];
    wall.on('live:error', (e) => told.push(e));
    const gone = (s: Client) => new Promise<void>((resolve) => s.once('disconnect', () => resolve()));
    const wallGone = gone(wall);
    const personGone = gone(person);

    expect((await asAdminOf(b, 'DELETE', `/api/v1/admin/devices/${paired.device.id}`)).statusCode).toBe(204);
    expect((await asAdminOf(b, 'PATCH', '/api/v1/admin/users/qian', { disabled: true })).statusCode).toBe(200);

    // REST on A asks the shared store on every request: refused at once
    const read = await a.inject({ url: `/api/v1/metrics/${DISTRICT}`, headers: { authorization: `Bearer ${paired.token}` } });
    expect(read.statusCode).toBe(401);
    expect((await me(a, { cookie: qian.cookie })).statusCode).toBe(401);
    expect((await login(a, 'qian', 'qian-password-1')).statusCode).toBe(401);
    // A's live sockets: at the next re-check pass (generous margin for a busy machine)
    const bound = new Promise((_, reject) => setTimeout(() => reject(new Error('still connected')), RECHECK_MS + 10_000));
    await Promise.race([Promise.all([wallGone, personGone]), bound]);
    expect(told).toContainEqual(expect.objectContaining({ code: 'unauthorized' }));
    // and they cannot come back
    await expect(connectToA({ token: paired.token })).rejects.toThrow(/unauthorized/);
  });

  it('audit entries written on either node are in one list, read on either', async () => {
    const onA = await asAdminOf(a, 'GET', '/api/v1/admin/audit?limit=500');
    const onB = await asAdminOf(b, 'GET', '/api/v1/admin/audit?limit=500');
    type Entry = { id: number; action: string; target: string | null };
    const [la, lb] = [onA.json() as { total: number; entries: Entry[] }, onB.json() as { total: number; entries: Entry[] }];
    expect(la.total).toBe(lb.total);
    expect(la.entries.map((e) => e.id)).toEqual(lb.entries.map((e) => e.id));
    const did = la.entries.map((e) => `${e.action} ${e.target}`);
    // made on A
    expect(did).toContain('user.create user:zhou');
    expect(did).toContain('user.create user:qian');
    // made on B
    expect(did).toContain('user.disable user:qian');
    expect(did.filter((d) => d.startsWith('device.revoke'))).toHaveLength(1);
    // signed in on both
    expect(la.entries.filter((e) => e.action === 'auth.login').length).toBeGreaterThanOrEqual(3);
  });
});

describe.skipIf(missing)('two nodes starting at once on one empty database', () => {
  it('bootstrap once: one administrator (its password printed by the node that made it), one demo key, one demo wall', async () => {
    const db = await freshDatabase();
    const dirs = [tempDir(), tempDir()];
    const env = {
      DATABASE_URL: db.url,
      DEMO_MODE: 'on',
      SIMULATOR: 'off',
      LOG_LEVEL: 'silent',
      // generated, so that only the node that creates the administrator can know it
      ADMIN_PASSWORD: '',
    };
    const apps = await Promise.all(dirs.map((d) => buildApp({ config: loadConfig({ ...env, DATA_DIR: d.dir }), logger: false })));
    try {
      const printed = apps.flatMap((app) => app.authBootstrap.notices.filter((l) => l.includes('Administrator "admin" created')));
      expect(printed).toHaveLength(1);
      const password = printed[0].match(/password (\S+) —/)![1];
      const [a, b] = apps;
      const users = (await a.auth.store.users()).map((u) => u.username);
      expect(users.sort()).toEqual(['admin', 'community', 'district', 'grid', 'operator', 'street']);
      expect((await a.auth.store.keys()).map((k) => k.name)).toEqual(['demo']);
      expect((await a.auth.store.devices()).map((d) => d.name)).toEqual(['demo-wall']);
      const creates = await a.auth.auditLog({ action: 'user.create', limit: 100, offset: 0 });
      expect(creates.total).toBe(6);
      for (const app of apps) {
        // the administrator signs in on either node with the one password printed
        expect((await login(app, 'admin', password)).statusCode).toBe(200);
        // the demo visitor is the same wall on both
        expect((await app.inject('/api/v1/auth/me')).json()).toMatchObject({ kind: 'device', name: 'demo-wall', demo: true });
        const sent = await app.inject({
          method: 'POST',
          url: '/api/v1/events',
          headers: { 'x-api-key': DEMO_PRODUCER_KEY },
          payload: { events: [appealCreated(Date.now() - 1000)] },
        });
        expect(sent.statusCode).toBe(200);
      }
      expect(await b.auth.store.meta('demo.device')).toBe(await a.auth.store.meta('demo.device'));
    } finally {
      for (const app of apps) await app.close();
      await db.drop();
      for (const d of dirs) d.remove();
    }
  });

  it('a node starting beside the one running the simulator leaves the simulator its key', async () => {
    const db = await freshDatabase();
    const dirs = [tempDir(), tempDir()];
    const env = {
      DATABASE_URL: db.url,
      SIMULATOR: 'on',
      SIM_BACKFILL_DAYS: '0',
      DEMO_MODE: 'off',
      LOG_LEVEL: 'silent',
      ADMIN_PASSWORD: 'x-admin-password',
    };
    const open = (dir: string) => buildApp({ config: loadConfig({ ...env, DATA_DIR: dir }), logger: false });
    const a = await open(dirs[0].dir);
    let b: FastifyInstance | undefined;
    try {
      await a.ready();
      for (let i = 0; i < 200 && !a.leader.leading; i++) await new Promise((r) => setTimeout(r, 50));
      expect(a.leader.leading).toBe(true);
      const aKey = a.authBootstrap.simulatorKey!;
      for (let i = 0; i < 200 && !(await a.auth.producerFromKey(aKey)); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await a.auth.producerFromKey(aKey)).toMatchObject({ name: 'simulator' });
      b = await open(dirs[1].dir);
      await b.ready();
      // B does not lead: its own secret was never written, and A's simulator keeps sending
      expect(b.leader.leading).toBe(false);
      expect(await b.auth.producerFromKey(aKey)).toMatchObject({ name: 'simulator' });
      expect(await b.auth.producerFromKey(b.authBootstrap.simulatorKey!)).toBeNull();
    } finally {
      await b?.close();
      await a.close();
      await db.drop();
      for (const d of dirs) d.remove();
    }
  });
});

function login(app: FastifyInstance, username: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
}
