/**
 * Once-only jobs run on one node at a time and move when that node dies (core/leader.ts). The
 * embedded mode always leads; in scale-out mode two nodes race for a PostgreSQL advisory lock.
 * A node's death is played by terminating its database session, which is what PostgreSQL sees
 * of a killed process. Needs PostgreSQL for the second part; skipped, saying why, without it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresLeadership, SoloLeadership, type Job } from '../../src/core/leader.ts';
import { openPool } from '../../src/core/store/open-postgres.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

const missing = await postgresMissing();
if (missing) saySkipped('leadership through PostgreSQL', missing);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errors: unknown[] = [];

function counted(name: string) {
  const seen: string[] = [];
  const job: Job = { name, start: () => void seen.push('start'), stop: () => void seen.push('stop') };
  return { job, seen };
}

describe('one node (embedded)', () => {
  it('leads from the start of the app to its close, and runs every job once', async () => {
    const lead = new SoloLeadership((_, err) => errors.push(err));
    const early = counted('early');
    lead.run(early.job);
    expect(early.seen).toEqual([]); // not before the app is ready
    lead.begin();
    const late = counted('late');
    lead.run(late.job);
    await pause(10);
    expect(lead.leading).toBe(true);
    await lead.close();
    expect(early.seen).toEqual(['start', 'stop']);
    expect(late.seen).toEqual(['start', 'stop']);
  });
});

describe.skipIf(missing)('two nodes racing for the lead (PostgreSQL)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('one leads; when its session dies the other takes over within seconds, and the dead one stops its jobs', async () => {
    const db = await freshDatabase();
    cleanup.push(db.drop);
    const pools = [openPool(db.url, 3), openPool(db.url, 3)];
    cleanup.push(async () => void (await Promise.all(pools.map((p) => p.end()))));
    const nodes = pools.map((p) => new PostgresLeadership(p, { pollMs: 200, onError: (_, err) => errors.push(err) }));
    cleanup.push(async () => void (await Promise.all(nodes.map((n) => n.close()))));
    const jobs = [counted('sim-a'), counted('sim-b')];
    nodes.forEach((n, i) => n.run(jobs[i].job));

    nodes[0].begin();
    for (let i = 0; i < 50 && !nodes[0].leading; i++) await pause(50);
    nodes[1].begin();
    await pause(1000);
    expect(nodes.map((n) => n.leading)).toEqual([true, false]);
    expect(jobs.map((j) => j.seen)).toEqual([['start'], []]);

    // A's process "dies": PostgreSQL drops its session, and the lock with it
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()");
    await admin.end();
    for (let i = 0; i < 100 && !nodes[1].leading; i++) await pause(50);
    expect(nodes[1].leading).toBe(true);
    for (let i = 0; i < 100 && nodes[0].leading; i++) await pause(50);
    expect(nodes[0].leading).toBe(false);
    expect(jobs.map((j) => j.seen)).toEqual([['start', 'stop'], ['start']]);

    // and A, back, waits its turn
    await pause(1000);
    expect(nodes.map((n) => n.leading)).toEqual([false, true]);
    expect(errors).toEqual([]);
  });
});
