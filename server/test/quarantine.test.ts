/**
 * A projection never freezes silently and a start never hangs. A data folder whose log holds
 * events no projection can fold (written straight into the log, as an older version or a hand
 * edit would have left them) starts, quarantines them, serves everything else, reports them in
 * /readyz, /metrics and to the administrator, and folds them again once released. A start the
 * server cannot get past exits non-zero, naming why.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { SqliteEventStore } from '../src/core/store/sqlite-event-store.ts';
import { runAdmin } from '../src/cli/admin.ts';
import { LIULIAN, appealCreated, appealMoved, get, makeApp, post, tempDir, testClock } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const clock = testClock();
const t0 = clock.now() - 3_600_000;
const tmp = tempDir();
const apps: FastifyInstance[] = [];

afterAll(async () => {
  for (const a of apps) await a.close();
  tmp.remove();
});

async function start(): Promise<FastifyInstance> {
  const app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  apps.push(app);
  return app;
}

/** The event an earlier version accepted and could not fold: its deadline is a leap second. */
const leapSecond = { ...appealCreated(t0 + 2000, { appealId: 'Q-LEAP' }) } as CityEvent & { data: Record<string, unknown> };
leapSecond.data = { ...leapSecond.data, deadline: '2026-12-31T23:59:60Z' };

const later = appealCreated(t0 + 4000, { appealId: 'Q-LATER' });

async function writeLogDirectly() {
  const store = new SqliteEventStore(tmp.dir);
  const stored = (e: CityEvent, i: number) => ({ event: e, community: LIULIAN.code, producer: 'old-version', receivedAt: t0 + i });
  await store.append([stored(appealCreated(t0, { appealId: 'Q-BEFORE' }), 0), stored(leapSecond, 1)]);
  await store.close();
  // a row whose body is not an event at all (a damaged or hand-edited log)
  const db = new Database(join(tmp.dir, 'events.sqlite'));
  db.prepare(
    `INSERT INTO events (id, type, occurred_at, received_at, community, producer, body) VALUES ('Q-BROKEN', 'appeal.created', ?, ?, ?, 'old-version', '{"id": "Q-BROKEN", ')`,
  ).run(t0 + 3000, t0 + 3000, LIULIAN.code);
  db.close();
  const again = new SqliteEventStore(tmp.dir);
  await again.append([stored(later, 4), stored(appealMoved(t0 + 5000, 'Q-BEFORE', 'verified'), 5)]);
  await again.close();
}

const readyz = async (app: FastifyInstance) => (await app.inject({ method: 'GET', url: '/readyz' })).json();
const statusOf = async (app: FastifyInstance, id: string) => {
  const res = await get(app, `/api/v1/appeals/${id}`);
  return res.statusCode === 200 ? res.json().appeal.status : res.statusCode;
};
const quarantined = async (app: FastifyInstance) => (await get(app, '/api/v1/admin/quarantine')).json();

describe('quarantine', () => {
  it('starts on a log holding events no projection can fold, and serves everything else', async () => {
    await writeLogDirectly();
    const app = await start();
    expect(await readyz(app)).toMatchObject({ status: 'ready', quarantined: 3 });
    expect(await statusOf(app, 'Q-BEFORE')).toBe('verified');
    expect(await statusOf(app, 'Q-LATER')).toBe('collected');
    expect(await statusOf(app, 'Q-LEAP')).toBe(404);
    expect(app.engine.snapshot('district:440310')!['appeals.open']).toBe(2);

    const q = await quarantined(app);
    expect(q.held).toBe(3);
    expect(q.entries.map((e: { eventId: string | null; projection: string }) => [e.eventId, e.projection])).toEqual([
      ['Q-LEAP.created', 'appeals read model'],
      ['Q-LEAP.created', 'projections'],
      [null, 'event log'],
    ]);
    expect(q.entries[0].error).toMatch(/leap second/);
    expect(q.entries[2].error).toMatch(/JSON|not an event/);

    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^commandhall_quarantined_events 3$/m);

    // what arrives now folds as usual
    const res = await post(app, [appealCreated(clock.now() - 1000, { appealId: 'Q-NEW' })]);
    expect(res.json()).toMatchObject({ accepted: 1 });
    expect(await statusOf(app, 'Q-NEW')).toBe('collected');
  });

  it('restarts on the same folder to the same figures, quarantining nothing twice', async () => {
    const before = apps[apps.length - 1];
    const figures = before.engine.snapshot('district:440310');
    await before.close();
    apps.pop();
    const app = await start();
    expect(await readyz(app)).toMatchObject({ quarantined: 3 });
    expect(app.engine.snapshot('district:440310')).toEqual(figures);
    expect((await quarantined(app)).entries).toHaveLength(3);
  });

  it('an event released after the data folder was mended folds at the next start, in its place', async () => {
    const app = apps.pop()!;
    await app.close();
    const mended = appealCreated(t0 + 3000, { appealId: 'Q-MENDED', id: 'Q-BROKEN' });
    const db = new Database(join(tmp.dir, 'events.sqlite'));
    db.prepare("UPDATE events SET body = ? WHERE id = 'Q-BROKEN'").run(JSON.stringify(mended));
    db.close();
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const env = { DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' };
    expect(await runAdmin(['quarantine', 'list'], env, io)).toBe(0);
    expect(out.join('\n')).toMatch(/#3 \(unreadable\)/);
    expect(await runAdmin(['quarantine', 'release', '--all'], env, io)).toBe(0);
    expect(out.at(-1)).toMatch(/3 quarantined entries released/);

    const next = await start();
    expect(await statusOf(next, 'Q-MENDED')).toBe('collected');
    // the leap second is still no time: back in quarantine, with its error
    expect(await readyz(next)).toMatchObject({ quarantined: 2 });
    expect(await statusOf(next, 'Q-LATER')).toBe('collected');
    expect(next.engine.snapshot('district:440310')!['appeals.open']).toBe(4);
  });

  it('an event the projections fail on while live is quarantined; the batch is still answered and later events fold', async () => {
    const app = apps[apps.length - 1];
    const apply = app.engine.apply.bind(app.engine);
    app.engine.apply = (s) => {
      if (s.event.id === 'Q-BOOM.created') throw new Error('a bug in a projection');
      apply(s);
    };
    const res = await post(app, [
      appealCreated(clock.now() - 900, { appealId: 'Q-BOOM' }),
      appealCreated(clock.now() - 800, { appealId: 'Q-AFTER' }),
    ]);
    app.engine.apply = apply;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 2 });
    expect(await readyz(app)).toMatchObject({ quarantined: 3 });
    expect((await quarantined(app)).entries.find((e: { eventId: string }) => e.eventId === 'Q-BOOM.created')).toMatchObject({
      projection: 'projections',
      error: 'Error: a bug in a projection',
    });
    expect(app.engine.appeals.has('Q-AFTER')).toBe(true);
  });
});

describe('a start the server cannot get past', () => {
  it('exits non-zero with the reason, instead of staying alive without listening', async () => {
    const dir = tempDir();
    writeFileSync(join(dir.dir, 'events.sqlite'), 'this is not a database, it is a text file '.repeat(200));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DATA_DIR: dir.dir, SIMULATOR: 'off', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    // a process that never exits fails this test by its timeout, which is what it must catch
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    dir.remove();
    expect(code).toBe(1);
    expect(out).toMatch(/Command Hall cannot start: .*(not a database|file is not a database)/i);
    expect(out).not.toMatch(/listening on/);
  });
});
