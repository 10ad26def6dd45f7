import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { credsOf, get, makeApp, tempDir } from '../helpers.ts';
import type { SqliteAuthStore } from '../../src/modules/auth/sqlite-auth-store.ts';

describe('hardening', () => {
  let app: FastifyInstance | null = null;
  const tmp = tempDir();
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('sends security headers with a CSP the wall, MapLibre, the live channel and /docs can live with', async () => {
    app = await makeApp({ dataDir: tmp.dir });
    for (const url of ['/api/v1/metrics/district:440310', '/docs/', '/healthz']) {
      const res = url.startsWith('/api') ? await get(app, url) : await app.inject(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toMatch(/worker-src 'self' blob:/);
      expect(csp).toMatch(/img-src 'self' data: blob:/);
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    const docs = await app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script for the CSP to block
  });

  it('has CORS closed by default', async () => {
    app = await makeApp({ dataDir: tmp.dir });
    const res = await app.inject({
      url: '/api/v1/metrics/district:440310',
      headers: { origin: 'https://elsewhere.example', cookie: credsOf(app).cookie },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/events',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('opens CORS to the configured origins only', async () => {
    app = await makeApp({ dataDir: tmp.dir, env: { CORS_ORIGINS: 'https://console.example, https://other.example' } });
    const ok = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/events',
      headers: { origin: 'https://console.example', 'access-control-request-method': 'POST' },
    });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://console.example');
    expect(ok.headers['access-control-allow-headers']).toMatch(/x-api-key/);
    const read = await app.inject({
      url: '/api/v1/metrics/district:440310',
      headers: { origin: 'https://other.example', cookie: credsOf(app).cookie },
    });
    expect(read.headers['access-control-allow-origin']).toBe('https://other.example');
    const evil = await app.inject({
      url: '/api/v1/metrics/district:440310',
      headers: { origin: 'https://evil.example', cookie: credsOf(app).cookie },
    });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never sends stacks or SQL in errors', async () => {
    app = await makeApp({ dataDir: tmp.dir });
    const a = app;
    a.get('/boom', { config: { auth: 'public' } }, async () => {
      if (a.pg) await a.pg.query('SELECT * FROM no_such_table');
      else (a.auth.store as SqliteAuthStore).db.prepare('SELECT * FROM no_such_table').all();
    });
    const res = await a.inject('/boom');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: 'internal error; the server log has the details' } });
    expect(res.body).not.toMatch(/SELECT|sqlite|at .*\.ts/i);
  });

  it('refuses a route under /api/ that does not say who may call it', async () => {
    app = await makeApp({ dataDir: tmp.dir });
    expect(() => app!.get('/api/v1/forgotten', async () => 'open')).toThrow(/declares no config.auth/);
  });

  it('limits request sizes', async () => {
    app = await makeApp({ dataDir: tmp.dir });
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x', password: 'y'.repeat(10_000) } });
    expect(res.statusCode).toBe(413);
  });
});
