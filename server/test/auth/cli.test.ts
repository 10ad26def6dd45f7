import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { runAdmin } from '../../src/cli/admin.ts';
import { makeApp, tempDir } from '../helpers.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('admin CLI', () => {
  const tmp = tempDir();
  // the server's own settings: with DATABASE_URL (the server-pg run) the CLI works on PostgreSQL as the server does
  const env: Record<string, string | undefined> = { DATA_DIR: tmp.dir };
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runAdmin(argv, env, { out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, text: out.join('\n') };
  };
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir }); // the server runs beside the CLI on the same folder
    env.DATABASE_URL = app.config.DATABASE_URL;
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('creates a user who can then sign in; resets the password; disables and enables', async () => {
    const created = await run('create-user', 'huang', 'community_director', 'community:440310001001');
    expect(created.code).toBe(0);
    const password = created.text.match(/password: (\S+)/)![1];
    const login = (pw: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'huang', password: pw } });
    expect((await login(password)).statusCode).toBe(200);
    expect((await run('reset-password', 'huang', '--password', 'chosen password 1')).code).toBe(0);
    expect((await login(password)).statusCode).toBe(401);
    expect((await login('chosen password 1')).statusCode).toBe(200);
    expect((await run('disable-user', 'huang')).code).toBe(0);
    expect((await login('chosen password 1')).statusCode).toBe(401);
    expect((await run('enable-user', 'huang')).code).toBe(0);
    expect((await login('chosen password 1')).statusCode).toBe(200);
  });

  it('refuses bad input with a message and exit code 1', async () => {
    expect(await run('create-user', 'x1', 'street_director', 'community:440310001001')).toMatchObject({
      code: 1,
      text: expect.stringMatching(/needs a street scope/),
    });
    expect(await run('create-user', 'x2', 'operator', 'street:999999999')).toMatchObject({
      code: 1,
      text: expect.stringMatching(/unknown scope/),
    });
    expect(await run('reset-password', 'nobody')).toMatchObject({ code: 1, text: expect.stringMatching(/no user/) });
    expect(await run('issue-device', 'only-a-name')).toMatchObject({ code: 1, text: expect.stringMatching(/usage/) });
    expect((await run('frobnicate')).code).toBe(2);
  });

  it('issues and revokes device tokens and producer keys; list shows no secrets', async () => {
    const dev = await run('issue-device', 'hall', 'street:440310001');
    const token = dev.text.match(/token \(shown once\): (\S+)/)![1];
    const id = dev.text.match(/device #(\d+)/)![1];
    const read = () => app.inject({ url: '/api/v1/metrics/street:440310001', headers: { authorization: `Bearer ${token}` } });
    expect((await read()).statusCode).toBe(200);
    const key = await run('issue-key', 'grid-app', '--types', 'grid_inspection.reported', '--rate', '2');
    const secret = key.text.match(/key \(shown once\): (\S+)/)![1];
    const keyId = key.text.match(/key #(\d+)/)![1];
    expect(await app.auth.producerFromKey(secret)).toMatchObject({
      name: 'grid-app',
      types: ['grid_inspection.reported'],
      ratePerSecond: 2,
    });
    const list = await run('list');
    expect(list.text).toMatch(/hall/);
    expect(list.text).toMatch(/grid-app/);
    expect(list.text).not.toContain(token);
    expect(list.text).not.toContain(secret);
    expect((await run('revoke-device', id)).code).toBe(0);
    expect((await read()).statusCode).toBe(401);
    expect((await run('revoke-key', keyId)).code).toBe(0);
    expect(await app.auth.producerFromKey(secret)).toBeNull();
    const audit = (await app.auth.auditLog({ actor: undefined, limit: 100, offset: 0 })).entries.filter((e) => e.actor.startsWith('cli:'));
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['user.create', 'user.reset_password', 'device.issue', 'device.revoke', 'key.issue', 'key.revoke']),
    );
  });

  it('runs as documented: node --import tsx server/src/cli/admin.ts', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', 'list'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/users:\n {2}admin/);
  });
});
