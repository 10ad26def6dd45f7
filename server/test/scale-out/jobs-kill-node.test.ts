/**
 * An import whose node is killed with SIGKILL in the middle of it (two real processes on one
 * PostgreSQL database): the other node, which showed its progress while it ran, shows it failed
 * once its lease lapses, with a reason the person can act on, and running the same file again
 * there stores what was missing and changes nothing already stored. Accounts are still per node:
 * the same demo account signs in on each. Needs PostgreSQL; skipped, saying why, without it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { LIULIAN, tempDir } from '../helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const missing = await postgresMissing();
if (missing) saySkipped('an import whose node is killed', missing);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Rows of the import: enough that it runs for seconds, so that it is killed mid-way. */
const ROWS = 20_000;

interface Node {
  child: ChildProcess;
  url: string;
}

function startNode(env: Record<string, string>, dir: string): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`the node exited with ${code} before listening`)));
  });
}

/** Signs the demo district director in on a node: its cookies and CSRF token. */
async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'district', password: 'demo-district-2026' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

interface ImportView {
  id: string;
  state: string;
  error: string | null;
  rows: { read: number; imported: number; updated: number; unchanged: number; rejected: number };
}

describe.skipIf(missing)('an import whose node is killed', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('is shown failed on the other node with the reason; running it again there stores the rest and nothing twice', async () => {
    const db = await freshDatabase();
    cleanup.push(db.drop);
    const dirs = [tempDir(), tempDir()];
    cleanup.push(() => dirs.forEach((d) => d.remove()));
    const env = { DATABASE_URL: db.url, SIMULATOR: 'off', DEMO_MODE: 'on', JOB_LEASE_SECONDS: '3' };
    const a = await startNode(env, dirs[0].dir);
    cleanup.push(() => void a.child.kill('SIGKILL'));
    const b = await startNode(env, dirs[1].dir);
    cleanup.push(() => void b.child.kill('SIGTERM'));
    const [onA, onB] = [await signIn(a.url), await signIn(b.url)];

    // yesterday, local time: in the past wherever the test runs
    const day = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    const lines = ['appeal_id,created_at,channel,nature,category,title,lon,lat'];
    for (let i = 0; i < ROWS; i++)
      lines.push(`KJ-${String(i).padStart(6, '0')},${day} 09:00,wechat,request,5,路灯不亮,${LIULIAN.lon},${LIULIAN.lat}`);
    const file = lines.join('\n');
    const start = (node: Node, who: { cookie: string; csrf: string }) =>
      fetch(`${node.url}/api/v1/appeal-imports?name=big.csv`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', cookie: who.cookie, 'x-csrf-token': who.csrf },
        body: file,
      });
    const view = async (id: string) =>
      (await (await fetch(`${b.url}/api/v1/appeal-imports/${id}`, { headers: { cookie: onB.cookie } })).json()) as ImportView;
    const untilOnB = async (id: string, ok: (j: ImportView) => boolean, ms: number) => {
      const end = Date.now() + ms;
      let j = await view(id);
      while (!ok(j) && Date.now() < end) {
        await pause(100);
        j = await view(id);
      }
      return j;
    };

    const started = await start(a, onA);
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as ImportView;
    // B shows A's progress; once some rows are stored, A dies
    const running = await untilOnB(id, (j) => j.state !== 'running' || j.rows.imported > 0, 60_000);
    expect(running.state, 'the import must still be running when its node is killed: make ROWS bigger').toBe('running');
    a.child.kill('SIGKILL');

    const failed = await untilOnB(id, (j) => j.state !== 'running', 30_000);
    expect(failed).toMatchObject({
      state: 'failed',
      error: 'the node running this import stopped before it finished: run it again to finish (rows already imported stay unchanged)',
    });
    expect(failed.rows.imported).toBeGreaterThanOrEqual(running.rows.imported);
    expect(failed.rows.read).toBeLessThan(ROWS);

    // the same file again, on B: what A stored is unchanged, the rest is imported, nothing twice
    const again = await start(b, onB);
    expect(again.status).toBe(202);
    const rerun = await untilOnB(((await again.json()) as ImportView).id, (j) => j.state !== 'running', 120_000);
    expect(rerun.state).toBe('done');
    expect(rerun.rows).toMatchObject({ read: ROWS, updated: 0, rejected: 0 });
    expect(rerun.rows.unchanged).toBeGreaterThanOrEqual(failed.rows.imported);
    expect(rerun.rows.unchanged).toBeGreaterThan(0);
    expect(rerun.rows.unchanged + rerun.rows.imported).toBe(ROWS);
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    cleanup.push(() => check.end());
    const { rows } = await check.query<{ n: number; ids: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM events WHERE id LIKE 'imp.KJ-%'`,
    );
    expect(rows[0]).toEqual({ n: ROWS, ids: ROWS });
  }, 240_000);
});
