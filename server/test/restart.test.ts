import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { makeApp, post, tempDir, testClock, appealCreated } from './helpers.ts';
import { DistrictSimulator } from '../src/simulator/district-simulator.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Everything the projections hold, in a comparable form. */
function projectionState(app: FastifyInstance) {
  const scopes = Object.fromEntries(app.engine.scopes().map((s) => [s, app.engine.snapshot(s)]));
  const appeals = [...app.engine.appeals.values()].sort((a, b) => a.id.localeCompare(b.id));
  const alerts = [...app.engine.alerts.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { scopes, appeals, alerts, lastSeq: app.engine.lastSeq };
}

/** The server as `npm start` runs it, on `dataDir`, in its own process. */
function start(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url };
}

describe('restart', () => {
  const tmp = tempDir();
  afterEach(() => undefined);

  it('rebuilds projections from the log equal to what they were before the restart', async () => {
    const clock = testClock(Date.parse('2026-11-27T06:00:00Z'));
    let app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    const send = async (events: unknown[]) => (await post(app, events)).json();
    const sim = new DistrictSimulator(app.geo, { appealsPerDay: 400, speed: 1, seed: 7, utcOffsetMinutes: 480, now: clock.now }, send);
    const n = await sim.backfill(3);
    expect(n).toBeGreaterThan(1000);
    // live minutes, with time moving on so that deadlines fire between events
    for (let i = 0; i < 30; i++) {
      clock.advance(60_000);
      await sim.tick();
    }
    app.engine.advance();
    const before = projectionState(app);
    expect(before.scopes['district:440310']!['appeals.today']).toBeGreaterThan(0);
    expect(before.scopes['district:440310']!['appeals.overdue']).toBeGreaterThan(0);
    await sim.stop();
    await app.close();

    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    expect(projectionState(app)).toEqual(before);
    await app.close();
    tmp.remove();
  });

  it('an accepted batch survives the process being killed right after the response', async () => {
    const dir = tempDir();
    const first = start(dir.dir);
    const url = await first.url;
    const event = appealCreated(Date.now() - 1000, { appealId: 'AP-crash' });
    const res = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'demo-producer-key' },
      body: JSON.stringify({ events: [event] }),
    });
    expect(res.status).toBe(200);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = start(dir.dir);
    const url2 = await second.url;
    const m = await (await fetch(`${url2}/api/v1/metrics/district:440310`)).json();
    expect(m.metrics['appeals.today']).toBe(1);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    dir.remove();
  });

  it('batches in flight when the process is killed: nothing acknowledged is lost, nothing is counted twice', async () => {
    const dir = tempDir();
    const first = start(dir.dir);
    const url = await first.url;
    // four producers keep batches coming, as the bench does: some are being written when the kill comes
    const acked: string[] = [];
    let n = 0;
    let killed = false;
    const producer = async (p: number) => {
      while (!killed) {
        const events = Array.from({ length: 100 }, () => appealCreated(Date.now() - 1000, { appealId: `AP-K${p}-${++n}` }));
        try {
          const res = await fetch(`${url}/api/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': 'demo-producer-key' },
            body: JSON.stringify({ events }),
          });
          if (res.status === 200 && (await res.json()).accepted === events.length) acked.push(...events.map((e) => e.id));
        } catch {
          return; // the server is gone: not acknowledged
        }
      }
    };
    const producers = [0, 1, 2, 3].map(producer);
    while (acked.length < 1000) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    killed = true;
    await new Promise((r) => first.child.once('exit', r));
    await Promise.all(producers);

    const second = start(dir.dir);
    const url2 = await second.url;
    const m = await (await fetch(`${url2}/api/v1/metrics/district:440310`)).json();
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    const log = new Database(join(dir.dir, 'events.sqlite'), { readonly: true });
    const stored = new Set(log.prepare('SELECT id FROM events').pluck().all() as string[]);
    log.close();
    const readModel = new Database(join(dir.dir, 'appeals.sqlite'), { readonly: true });
    const rows = readModel.prepare('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM appeals').get() as { n: number; ids: number };
    readModel.close();
    dir.remove();
    expect(acked.filter((id) => !stored.has(id))).toEqual([]); // nothing acknowledged lost
    expect(stored.size).toBeGreaterThanOrEqual(acked.length);
    // every stored appeal counted once: in the figures and in the read model
    expect(m.metrics['appeals.today']).toBe(stored.size);
    expect(rows).toEqual({ n: stored.size, ids: stored.size });
    // two server processes started one after the other: on a busy machine more than the default 30 s
  }, 120_000);
});
