import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeApp, tempDir, testClock } from '../helpers.ts';

const SYS = { actor: 'test', ip: null };
const cookiesOf = (setCookie: string | string[] | undefined) =>
  Object.fromEntries(([] as string[]).concat(setCookie ?? []).map((c) => c.split(';')[0].split('=') as [string, string]));

describe('sign-in for people', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  const login = (username: string, password: string, ip = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { username, password } });

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env: { LOGIN_MAX_FAILURES: '5', LOGIN_LOCKOUT_MINUTES: '15' } });
    await app.auth.createUser(
      { username: 'zhang', password: 'correct horse battery', role: 'street_director', scope: 'street:440310001' },
      SYS,
    );
    await app.auth.createUser(
      { username: 'li', password: 'another good secret', role: 'community_director', scope: 'community:440310001001' },
      SYS,
    );
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('signs in with a session cookie (httpOnly, SameSite=Strict) and a readable CSRF cookie', async () => {
    const res = await login('zhang', 'correct horse battery');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({ username: 'zhang', role: 'street_director', scope: 'street:440310001', pii: false });
    const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const session = raw.find((c) => c.startsWith('ch_session='))!;
    const csrf = raw.find((c) => c.startsWith('ch_csrf='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).not.toMatch(/Secure/i); // plain http here; COOKIE_SECURE=auto
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(cookiesOf(raw).ch_csrf).toBe(body.csrfToken);
    expect(JSON.stringify(body)).not.toContain(cookiesOf(raw).ch_session); // the session never reaches script
  });

  it('me tells the principal, role, scope and the scopes it may read', async () => {
    const c = cookiesOf((await login('zhang', 'correct horse battery')).headers['set-cookie']);
    const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `ch_session=${c.ch_session}` } });
    expect(me.json()).toMatchObject({ kind: 'user', name: 'zhang', role: 'street_director', scope: 'street:440310001', demo: false });
    expect(me.json().allowedScopes.length).toBeGreaterThan(2);
    expect(me.json().allowedScopes[0]).toBe('street:440310001');
    expect(
      me
        .json()
        .allowedScopes.every(
          (s: string) => s === 'street:440310001' || s.startsWith('community:440310001') || s.startsWith('grid:440310001'),
        ),
    ).toBe(true);
  });

  it('a wrong password and an unknown user get the same answer', async () => {
    const a = await login('zhang', 'wrong password!', '10.0.0.2');
    const b = await login('nobody', 'wrong password!', '10.0.0.3');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    expect(a.json().error).toEqual({ code: 'bad_credentials', message: 'wrong username or password' });
  });

  it('a disabled user cannot sign in, and its sessions end', async () => {
    await app.auth.createUser({ username: 'wang', password: 'soon disabled pw', role: 'operator', scope: 'street:440310002' }, SYS);
    const c = cookiesOf((await login('wang', 'soon disabled pw', '10.0.0.4')).headers['set-cookie']);
    await app.auth.setDisabled('wang', true, SYS);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `ch_session=${c.ch_session}` } })).statusCode).toBe(401);
    expect((await login('wang', 'soon disabled pw', '10.0.0.4')).json().error.message).toBe('wrong username or password');
  });

  it('locks a username after 5 failures for 15 minutes, saying when to retry', async () => {
    for (let i = 0; i < 5; i++) expect((await login('li', 'guess ' + i, `10.1.0.${i}`)).statusCode).toBe(401);
    const locked = await login('li', 'another good secret', '10.1.0.99'); // even the right password, from elsewhere
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('locked');
    expect(locked.json().error.message).toMatch(/try again in 15 min/);
    expect(Number(locked.headers['retry-after'])).toBe(900);
    clock.advance(15 * 60_000 + 1);
    expect((await login('li', 'another good secret', '10.1.0.99')).statusCode).toBe(200);
  });

  it('locks an address after 5 failures, whatever the usernames', async () => {
    for (let i = 0; i < 5; i++) await login(`spray${i}`, 'x', '10.2.0.1');
    expect((await login('zhang', 'correct horse battery', '10.2.0.1')).statusCode).toBe(429);
    expect((await login('zhang', 'correct horse battery', '10.2.0.2')).statusCode).toBe(200);
    clock.advance(15 * 60_000 + 1);
  });

  it('state-changing requests by cookie need the CSRF header (double submit); logout ends the session', async () => {
    const res = await login('zhang', 'correct horse battery', '10.3.0.1');
    const c = cookiesOf(res.headers['set-cookie']);
    const cookie = `ch_session=${c.ch_session}; ch_csrf=${c.ch_csrf}`;
    const noHeader = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('csrf_failed');
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': 'forged' } });
    expect(wrong.statusCode).toBe(403);
    // a CSRF token of another session does not fit this one
    const other = cookiesOf((await login('li', 'another good secret', '10.3.0.2')).headers['set-cookie']);
    const mixed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: `ch_session=${c.ch_session}; ch_csrf=${other.ch_csrf}`, 'x-csrf-token': other.ch_csrf },
    });
    expect(mixed.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': c.ch_csrf } });
    expect(ok.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('sessions expire', async () => {
    const c = cookiesOf((await login('zhang', 'correct horse battery', '10.4.0.1')).headers['set-cookie']);
    clock.advance(721 * 3_600_000);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `ch_session=${c.ch_session}` } })).statusCode).toBe(401);
  });

  it('validates the body', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'zhang' } });
    expect(res.statusCode).toBe(400);
  });
});
