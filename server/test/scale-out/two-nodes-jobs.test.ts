/**
 * Import and export jobs on two nodes of one PostgreSQL database (the scale-out mode), as a person
 * meets them behind a balancer that sends each request where it likes: an export started on A is
 * polled and downloaded on B, byte for byte what A serves; an import started on A shows its
 * outcome and bad rows on B; the sweep of finished jobs and their files runs on the leader only,
 * and moves with the lead. Accounts are still per node: each node signs in its own administrator,
 * who is `user:admin`, the jobs' owner, on both. Needs PostgreSQL; skipped, saying why, without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { KENGZI, LIULIAN, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { adminOf, as, person, untilFinished, type Person } from '../appeal-io/helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

const missing = await postgresMissing();
if (missing) saySkipped('import and export jobs on two nodes', missing);

const HOUR = 3_600_000;
const MANY = 2500; // a CSV of two chunks, and more than two read-model pages
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function created(appealId: string, at: number, where = KENGZI): CityEvent {
  return {
    id: `${appealId}.created`,
    type: 'appeal.created',
    occurredAt: new Date(at).toISOString(),
    data: {
      appealId,
      channel: 'hotline_12345',
      nature: 'request',
      category: '5',
      title: `路灯不亮 ${appealId}`,
      description: '请回电13812341234',
      location: { lon: where.lon, lat: where.lat, address: '深圳市坪山区坑梓街道' },
      reporter: { name: '张三丰', phone: '13812341234' },
    },
  } as CityEvent;
}

/** The figure of a metric (with its labels, e.g. `{outcome="removed"}`) in a node's /metrics; 0 when absent. */
async function metric(app: FastifyInstance, name: string): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await pause(50);
  }
}

describe.skipIf(missing)('import and export jobs on two nodes', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  let onA: Person;
  let onB: Person;
  let db: pg.Client;
  let drop: () => Promise<void>;
  const dirs = [tempDir(), tempDir()];
  const clock = testClock();
  const t0 = clock.now() - 48 * HOUR;
  const jobIds: string[] = [];
  let aClosed = false;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    // a short lease: the sweep runs every second
    const env = { DATABASE_URL: fresh.url, JOB_LEASE_SECONDS: '2' };
    a = await makeApp({ dataDir: dirs[0].dir, now: clock.now, env });
    await a.ready();
    await until(
      async () => a.leader.leading,
      (l) => l,
    );
    b = await makeApp({ dataDir: dirs[1].dir, now: clock.now, env });
    await b.ready();
    onA = adminOf(a);
    onB = adminOf(b);
    db = new pg.Client({ connectionString: fresh.url });
    await db.connect();
    const events = Array.from({ length: MANY }, (_, i) =>
      created(`J-${String(i).padStart(4, '0')}`, t0 + i * 1000, i % 2 ? KENGZI : LIULIAN),
    );
    for (let i = 0; i < events.length; i += 1000) expect((await post(a, events.slice(i, i + 1000))).json().rejected).toBe(0);
  });
  afterAll(async () => {
    await db?.end();
    if (!aClosed) await a?.close();
    await b?.close();
    await drop?.();
    for (const d of dirs) d.remove();
  });

  it('an export started on A is polled and downloaded on B, byte for byte what A serves', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const res = await as(a, onA, { method: 'POST', url: '/api/v1/appeal-exports', payload: { format } });
      expect(res.statusCode, res.body).toBe(202);
      const url = res.headers.location as string;
      jobIds.push(res.json().id);
      const job = await untilFinished(b, onB, url);
      expect(job).toMatchObject({ state: 'done', total: MANY, done: MANY, progress: 1, error: null });

      const fromB = await as(b, onB, { method: 'GET', url: `${url}/file` });
      const fromA = await as(a, onA, { method: 'GET', url: `${url}/file` });
      expect(fromB.statusCode).toBe(200);
      expect(fromB.headers['content-disposition']).toBe(fromA.headers['content-disposition']);
      expect(Number(fromB.headers['content-length'])).toBe(fromB.rawPayload.length);
      expect(fromB.rawPayload.equals(fromA.rawPayload)).toBe(true);
      if (format === 'csv') {
        const rows = parse(fromB.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
        expect(rows).toHaveLength(MANY);
        expect(new Set(rows.map((r) => r['诉求编号(appeal_id)'])).size).toBe(MANY);
        expect(fromB.rawPayload.length).toBeGreaterThan(512 * 1024); // more than one chunk
      } else {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(fromB.rawPayload as unknown as ArrayBuffer);
        expect(wb.getWorksheet('诉求')!.rowCount).toBe(MANY + 1);
      }
      // someone else's job is missing, on B as on A
      const bob = await person(b, `bob-${format}`, 'district_director', 'district:440310', true);
      expect((await as(b, bob, { method: 'GET', url })).statusCode).toBe(404);
      expect((await as(b, bob, { method: 'GET', url: `${url}/file` })).statusCode).toBe(404);
    }
  });

  it('an import started on A shows its outcome and rejected rows, by line, on B', async () => {
    const header = 'appeal_id,created_at,channel,nature,category,title,lon,lat';
    const ok = (id: string) => `${id},2026-11-01 09:00,wechat,request,5,路灯不亮,${LIULIAN.lon},${LIULIAN.lat}`;
    const text = [
      header,
      ok('IMP-1'),
      'IMP-2,2026-11-01 09:00,fax,request,5,路灯不亮,114.3,22.7',
      ok('IMP-3'),
      `${ok('IMP-4')},surplus`,
    ].join('\n');
    const res = await as(a, onA, {
      method: 'POST',
      url: '/api/v1/appeal-imports?name=history.csv',
      headers: { 'content-type': 'text/csv' },
      payload: text,
    });
    expect(res.statusCode, res.body).toBe(202);
    jobIds.push(res.json().id);
    const job = await untilFinished(b, onB, res.headers.location as string);
    expect(job).toMatchObject({
      state: 'done',
      fileName: 'history.csv',
      progress: 1,
      rows: { read: 4, imported: 2, updated: 0, unchanged: 0, rejected: 2 },
      errorsTruncated: false,
    });
    expect(job.errors).toEqual([
      { line: 3, appealId: 'IMP-2', reason: expect.stringMatching(/channel "fax" is not a channel/) },
      { line: 5, appealId: 'IMP-4', reason: 'has 9 cells but the header has 8' },
    ]);
    // and A, which ran it, says the same
    expect((await as(a, onA, { method: 'GET', url: res.headers.location as string })).json()).toEqual(job);
  });

  it('the sweep forgets finished jobs and their bytes on the leader only, and moves with the lead', async () => {
    expect([a.leader.leading, b.leader.leading]).toEqual([true, false]);
    const stored = async () =>
      (
        await db.query<{ jobs: number; chunks: number }>(
          'SELECT (SELECT count(*)::int FROM appeal_jobs) AS jobs, (SELECT count(*)::int FROM appeal_job_chunks) AS chunks',
        )
      ).rows[0];
    expect((await stored()).jobs).toBe(3);
    expect((await stored()).chunks).toBeGreaterThan(2);
    expect(
      await until(
        () => metric(a, 'commandhall_appeal_job_sweeps_total'),
        (n) => n > 0,
      ),
    ).toBeGreaterThan(0);

    clock.advance(HOUR + 1000);
    // hidden at once, on both nodes
    for (const [app, who] of [
      [a, onA],
      [b, onB],
    ] as const)
      expect((await as(app, who, { method: 'GET', url: `/api/v1/appeal-exports/${jobIds[0]}` })).statusCode).toBe(404);
    expect(await until(stored, (s) => s.jobs === 0 && s.chunks === 0)).toEqual({ jobs: 0, chunks: 0 });
    expect(await metric(a, 'commandhall_appeal_jobs_swept_total{outcome="removed"}')).toBe(3);
    // A sweeps on, B, which does not lead, never has
    const now = await metric(a, 'commandhall_appeal_job_sweeps_total');
    await until(
      () => metric(a, 'commandhall_appeal_job_sweeps_total'),
      (n) => n >= now + 2,
    );
    expect(await metric(b, 'commandhall_appeal_job_sweeps_total')).toBe(0);
    expect(await metric(b, 'commandhall_appeal_jobs_swept_total{outcome="removed"}')).toBe(0);

    // A goes: B takes the lead, and the sweep with it
    await a.close();
    aClosed = true;
    expect(
      await until(
        () => metric(b, 'commandhall_appeal_job_sweeps_total'),
        (n) => n > 0,
      ),
    ).toBeGreaterThan(0);
    expect(b.leader.leading).toBe(true);
  });
});
