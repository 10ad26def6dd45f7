/**
 * A node killed with SIGKILL in the middle of ingest through two nodes (real processes on one
 * PostgreSQL log and one Redis): no acknowledged event is lost or doubled, the other node keeps
 * taking writes, the once-only jobs (the simulator) move to it, and a live client of the dead
 * node, behind a load balancer, reconnects to the survivor and resyncs without a reload. Needs
 * PostgreSQL and Redis; skipped, saying why, where they are absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPatchTo, EditMismatch, type Ack, type ScopeSnapshot } from '@commandhall/shared';
import { appealCreated, tempDir, KENGZI } from '../helpers.ts';
import { REDIS_URL, freshDatabase, postgresMissing, redisMissing, saySkipped } from '../services.ts';
import { failoverProxy } from './failover-proxy.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const missing = (await postgresMissing()) ?? (await redisMissing());
if (missing) saySkipped('killing a node of two', missing);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KEY = 'demo-producer-key';
const SCOPE = `community:${KENGZI.code}`;

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

const readyz = async (url: string) => (await (await fetch(`${url}/readyz`)).json()) as { leader: boolean; events: number };
async function send(url: string, events: unknown[]): Promise<{ accepted: number } | null> {
  try {
    const res = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({ events }),
    });
    return res.status === 200 ? ((await res.json()) as { accepted: number }) : null;
  } catch {
    return null; // the node is gone: not acknowledged
  }
}

describe.skipIf(missing)('a node of two killed with SIGKILL', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('loses and doubles nothing acknowledged; the survivor takes writes, the lead and the live client', async () => {
    const db = await freshDatabase();
    cleanup.push(db.drop);
    const dirs = [tempDir(), tempDir()];
    cleanup.push(() => dirs.forEach((d) => d.remove()));
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: `t${randomBytes(4).toString('hex')}:`,
      // the simulator is the once-only job to watch: no history, a few appeals a second
      SIMULATOR: 'on',
      SIM_BACKFILL_DAYS: '0',
      SIM_APPEALS_PER_DAY: '100000',
    };
    const a = await startNode(env, dirs[0].dir);
    cleanup.push(() => void a.child.kill('SIGKILL'));
    for (let i = 0; i < 100 && !(await readyz(a.url)).leader; i++) await pause(100);
    const b = await startNode(env, dirs[1].dir);
    cleanup.push(() => void b.child.kill('SIGTERM'));
    expect([(await readyz(a.url)).leader, (await readyz(b.url)).leader]).toEqual([true, false]);

    // a wall's live client, behind a balancer that sends it to A while A is up
    const lb = await failoverProxy([a.url, b.url]);
    cleanup.push(lb.close);
    const client = io(`${lb.url}/live`, { transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 500 });
    cleanup.push(() => void client.close());
    // what the wall shows: its last snapshot with the patches that follow it in sequence
    const snapshots: ScopeSnapshot[] = [];
    let shown: { seq: number; metrics: Record<string, unknown> } | null = null;
    const watch = () =>
      void client
        .timeout(5000)
        .emitWithAck('scope:watch', { scope: SCOPE })
        .then((ack: Ack<ScopeSnapshot>) => {
          if (!('data' in ack)) return;
          snapshots.push(ack.data);
          shown = { seq: ack.data.seq, metrics: { ...ack.data.metrics } };
        });
    client.on('connect', watch);
    client.on('metrics:patch', (p) => {
      if (p.scope !== SCOPE || !shown) return;
      if (p.seq !== shown.seq + 1) return watch(); // a gap: resync, as the web client does
      try {
        shown = { seq: p.seq, metrics: applyPatchTo(shown.metrics, p) };
      } catch (e) {
        if (!(e instanceof EditMismatch)) throw e;
        watch(); // edits that do not fit: resync too
      }
    });
    for (let i = 0; i < 100 && !snapshots.length; i++) await pause(50);
    expect(snapshots).toHaveLength(1);

    // ingest through both nodes; A is killed in the middle of it
    const acked: string[] = [];
    const sent: string[] = [];
    let killed = false;
    const t0 = Date.now() - 60_000;
    for (let round = 0; round < 60; round++) {
      if (round === 20) {
        a.child.kill('SIGKILL');
        killed = true;
      }
      const batches = [a, b].map((node, k) => {
        const events = Array.from({ length: 5 }, (_, j) =>
          appealCreated(t0 + round * 100 + k * 10 + j, { appealId: `AP-K-${round}-${k}-${j}`, where: KENGZI }),
        );
        sent.push(...events.map((e) => e.id));
        return send(node.url, events).then((r) => r?.accepted === 5 && acked.push(...events.map((e) => e.id)));
      });
      await Promise.all(batches);
    }
    expect(killed).toBe(true);
    // after the kill, B took every batch it was sent
    expect(acked.filter((id) => /^AP-K-(2\d|[3-5]\d)-1-/.test(id))).toHaveLength(40 * 5);

    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    cleanup.push(() => check.end());
    const { rows } = await check.query<{ id: string; n: string }>(
      'SELECT id, count(*) AS n FROM events WHERE id = ANY($1::text[]) GROUP BY id',
      [sent],
    );
    const stored = new Map(rows.map((r) => [r.id, Number(r.n)]));
    expect(acked.filter((id) => !stored.has(id))).toEqual([]); // nothing acknowledged lost
    expect([...stored.values()].every((n) => n === 1)).toBe(true); // nothing doubled
    const seqs = (await check.query<{ seq: number }>('SELECT seq FROM events ORDER BY seq')).rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // no gap, no repeat in the log

    // the lead, and with it the simulator, moved to B
    for (let i = 0; i < 100 && !(await readyz(b.url)).leader; i++) await pause(100);
    expect((await readyz(b.url)).leader).toBe(true);
    const before = (await readyz(b.url)).events;
    for (let i = 0; i < 100 && (await readyz(b.url)).events <= before; i++) await pause(100);
    expect((await readyz(b.url)).events).toBeGreaterThan(before);

    // the live client came back through the balancer to B, and its new snapshot is B's figures
    for (let i = 0; i < 100 && snapshots.length < 2; i++) await pause(100);
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    // and what it shows now is what B counts, everything acknowledged included
    const bToday = async () =>
      ((await (await fetch(`${b.url}/api/v1/metrics/${SCOPE}`)).json()) as { metrics: Record<string, number> }).metrics['appeals.today'];
    let same = false;
    for (let i = 0; i < 100 && !same; i++) {
      same = shown!.metrics['appeals.today'] === (await bToday());
      if (!same) await pause(100);
    }
    expect(shown!.metrics['appeals.today']).toBe(await bToday());
    const localDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    // (a run across the district's midnight starts a new day's count: nothing to compare then)
    if (localDay(t0) === localDay(Date.now()))
      expect(shown!.metrics['appeals.today']).toBeGreaterThanOrEqual((snapshots[0].metrics['appeals.today'] as number) + acked.length);
  }, 120_000);
});
