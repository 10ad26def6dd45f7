import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io } from 'socket.io-client';
import { appealCreated, makeApp, tempDir } from '../helpers.ts';
import { DEMO_PRODUCER_KEY, demoAreasOf, demoUsers } from '../../src/modules/auth/bootstrap.ts';
import { DEFAULT_GEOGRAPHY_FILE, loadGeography } from '../../src/geography/index.ts';

// Pingshan's: district, street:440310001, community:440310001001 (the first by code)
const DEMO_USERS = demoUsers(demoAreasOf(loadGeography(DEFAULT_GEOGRAPHY_FILE).tree));

const watchAnon = async (url: string, scope: string) => {
  const s = io(`${url}/live`, { transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
    return await s.timeout(5000).emitWithAck('scope:watch', { scope });
  } finally {
    s.close();
  }
};

describe('demo mode', () => {
  let app: FastifyInstance;
  let url: string;
  const tmp = tempDir();

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, env: { DEMO_MODE: 'on', SIMULATOR: 'on', SIM_BACKFILL_DAYS: '0' } });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('creates a director per level and an operator, who can sign in with the documented passwords', async () => {
    for (const u of DEMO_USERS) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: u.password } });
      expect(res.statusCode, u.username).toBe(200);
      expect(res.json().user).toMatchObject({ role: u.role, scope: u.scope });
    }
    expect(app.authBootstrap.notices.join('\n')).toMatch(/demo-district-2026/);
  });

  it('the district wall reads its area without signing in, read-only, nothing else', async () => {
    const m = await app.inject('/api/v1/metrics/district:440310');
    expect(m.statusCode).toBe(200);
    // the district hall's area holds its streets and communities
    expect((await app.inject('/api/v1/metrics/street:440310001')).statusCode).toBe(200);
    expect((await app.inject('/api/v1/metrics/community:440310001001')).statusCode).toBe(200);
    const me = (await app.inject('/api/v1/auth/me')).json();
    expect(me).toMatchObject({ kind: 'device', role: 'device', scope: 'district:440310', pii: false, demo: true });
    // 1 district, 6 streets, 24 communities and their 700 grid cells
    expect(me.allowedScopes).toHaveLength(731);
    expect((await app.inject('/api/v1/scopes')).json().id).toBe('district:440310');
    expect((await app.inject('/api/v1/admin/users')).statusCode).toBe(403);
    expect(await watchAnon(url, 'district:440310')).toHaveProperty('data.scope', 'district:440310');
    expect(await watchAnon(url, 'street:440310001')).toHaveProperty('data.scope', 'street:440310001');
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/users', payload: {} })).statusCode).toBeGreaterThanOrEqual(401);
  });

  it('accepts the well-known demo producer key; the simulator has a key of its own', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'x-api-key': DEMO_PRODUCER_KEY },
      payload: { events: [appealCreated(Date.now() - 1000)] },
    });
    expect(res.statusCode).toBe(200);
    expect(app.authBootstrap.simulatorKey).toMatch(/^chk_/);
    await app.simulator!.tick();
    expect((await app.auth.store.keyByName('simulator'))?.revokedAt).toBeNull();
  });

  it('with DEMO_MODE=off, nothing is readable without credentials and the demo accounts and key stop working', async () => {
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, env: { DEMO_MODE: 'off' } });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    for (const path of ['/api/v1/metrics/district:440310', '/api/v1/scopes', '/api/v1/geography', '/api/v1/auth/me']) {
      const res = await app.inject(path);
      expect(res.statusCode, path).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    const ingest = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'x-api-key': DEMO_PRODUCER_KEY },
      payload: { events: [appealCreated(Date.now() - 1000)] },
    });
    expect(ingest.statusCode).toBe(401);
    const u = DEMO_USERS[0];
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: u.password } })).statusCode,
    ).toBe(401);
    await expect(watchAnon(url, 'district:440310')).rejects.toThrow(/unauthorized/);
  });

  it('a fresh production install creates no demo accounts and prints a generated admin password once', async () => {
    const fresh = tempDir();
    const prod = await makeApp({ dataDir: fresh.dir, env: { DEMO_MODE: 'off', ADMIN_PASSWORD: '' } });
    expect((await prod.auth.store.users()).map((x) => x.username)).toEqual(['admin']);
    expect(await prod.auth.store.keyByName('demo')).toBeNull();
    const line = prod.authBootstrap.notices.find((l) => l.includes('Administrator'))!;
    const password = line.match(/password (\S+) —/)![1];
    expect((await prod.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password } })).statusCode).toBe(
      200,
    );
    await prod.close();
    const again = await makeApp({ dataDir: fresh.dir, env: { DEMO_MODE: 'off', ADMIN_PASSWORD: '' } });
    expect(again.authBootstrap.notices.join('')).not.toContain(password);
    await again.close();
    fresh.remove();
  });
});
