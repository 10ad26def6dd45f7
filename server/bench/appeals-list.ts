/**
 * Appeals read model at scale: loads N simulated appeals (default 1,000,000, with their whole
 * lifecycles: about 6 events each, some extensions) into a fresh read model in a temporary folder,
 * then times list queries: every scope level × sort, the console's usual filters, deep keyset
 * pages and capped counts; the reading side of an export (every appeal of a scope, page after page,
 * as the export walks them with `allPages`: the file format's own cost is not in it); and folding
 * a live batch of 1,000 events into the full model.
 *
 *   node --import tsx server/bench/appeals-list.ts [--appeals N] [--days D] [--runs R] [--keep DIR] [--plans]
 *
 * Prints the machine and a table; nothing is asserted. `--keep DIR` keeps (and reuses) the database.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { taxonomy, type CityEvent } from '@commandhall/shared';
import { loadGeography, DEFAULT_GEOGRAPHY_FILE } from '../src/geography/index.ts';
import { SqliteAppealReadModel } from '../src/modules/appeals/sqlite-appeal-read-model.ts';
import { allPages, type AppealQuery } from '../src/modules/appeals/appeal-read-model.ts';
import type { StoredEvent } from '../src/core/store/event-store.ts';
import { appealScript, iso } from '../src/simulator/appeal-script.ts';
import { Random } from '../src/simulator/random.ts';
import { fmt, summarize } from './lib/stats.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function parseArgs(argv: string[]) {
  const o = { appeals: 1_000_000, days: 365, runs: 15, keep: '', plans: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--appeals') o.appeals = Number(next());
    else if (a === '--days') o.days = Number(next());
    else if (a === '--runs') o.runs = Number(next());
    else if (a === '--keep') o.keep = next();
    else if (a === '--plans') o.plans = true;
    else if (a === '--help') {
      console.log('node --import tsx server/bench/appeals-list.ts [--appeals N] [--days D] [--runs R] [--keep DIR] [--plans]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const geo = loadGeography(DEFAULT_GEOGRAPHY_FILE);
const NOW = Date.parse('2026-11-27T02:00:00Z');
const log = (s = '') => console.log(s);

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim()} × ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** N appeals spread over the last `days` days, each with the events that happened before NOW. */
function* seedEvents(n: number, days: number): Generator<StoredEvent[]> {
  const rng = new Random(20261127);
  let seq = 0;
  const span = days * DAY;
  let batch: StoredEvent[] = [];
  for (let i = 0; i < n; i++) {
    const c = geo.communities[i % geo.communities.length];
    // creation times rise with i, like a real log; the last few days hold the open appeals
    const at = NOW - span + Math.floor(((i + rng.next()) / n) * span) - 60_000;
    const script = appealScript(
      rng,
      {
        appealId: `AP-${String(i).padStart(7, '0')}`,
        at,
        community: { code: c.code, name: c.name },
        point: { lon: c.center[0] + rng.between(-0.002, 0.002), lat: c.center[1] + rng.between(-0.002, 0.002) },
      },
      1,
    );
    const events: { at: number; event: CityEvent }[] = script.filter((s) => s.at <= NOW);
    // one in fifty dispatched appeals asks for more time; most requests are approved
    const dispatched = events.find((s) => s.event.type === 'appeal.transitioned' && s.event.data.to === 'dispatched');
    if (dispatched && rng.chance(0.02)) {
      const id = (dispatched.event.data as { appealId: string }).appealId;
      const t = dispatched.at + HOUR;
      if (t <= NOW) {
        events.push({
          at: t,
          event: {
            id: `${id}.ext`,
            type: 'appeal.extension',
            occurredAt: iso(t),
            data: { appealId: id, action: 'requested', until: iso(t + 10 * DAY), reason: '需协调多个部门' },
          },
        });
        if (t + 2 * HOUR <= NOW && rng.chance(0.8))
          events.push({
            at: t + 2 * HOUR,
            event: {
              id: `${id}.ext2`,
              type: 'appeal.extension',
              occurredAt: iso(t + 2 * HOUR),
              data: { appealId: id, action: 'approved' },
            },
          });
      }
    }
    events.sort((a, b) => a.at - b.at);
    for (const s of events) batch.push({ seq: ++seq, event: s.event, community: c.code, producer: 'bench', receivedAt: s.at });
    if (batch.length >= 5000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const dir = opts.keep || mkdtempSync(join(os.tmpdir(), 'commandhall-appeals-bench-'));
const reuse = !!opts.keep && existsSync(join(dir, 'appeals.sqlite'));
let model = new SqliteAppealReadModel(dir);

log(`appeals read model bench — ${new Date().toISOString()}`);
log(`  machine: ${machine()}`);
log(`  database: ${join(dir, 'appeals.sqlite')}${reuse ? ' (reused)' : ''}`);

if (!reuse || (await model.checkpoint()) === 0) {
  const t0 = performance.now();
  let events = 0;
  let lastReport = t0;
  for (const batch of seedEvents(opts.appeals, opts.days)) {
    model.applySync(batch);
    events += batch.length;
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`  … ${fmt(events)} events folded (${fmt(events / ((lastReport - t0) / 1000))}/s)`);
    }
  }
  const loadS = (performance.now() - t0) / 1000;
  log(`  loaded ${fmt(opts.appeals)} appeals (${fmt(events)} events) in ${fmt(loadS, 1)} s: ${fmt(events / loadS)} events/s`);
}
// closed and opened again, as a server restart would: the planner's statistics are the sampled ones it keeps itself
{
  await model.close();
  const t = performance.now();
  model = new SqliteAppealReadModel(dir);
  log(`  reopened in ${fmt(performance.now() - t)} ms`);
}
const size = ['appeals.sqlite', 'appeals.sqlite-wal'].reduce((n, f) => n + (existsSync(join(dir, f)) ? statSync(join(dir, f)).size : 0), 0);
log(`  size on disk: ${fmt(size / 1024 ** 2)} MiB`);

// ---------------------------------------------------------------- queries

const street = `street:${geo.streets[0].code}`;
const community = `community:${geo.communities[0].code}`;
const district = geo.rootScope;
const base = { limit: 50, now: NOW };
type Case = { name: string; q: AppealQuery; pages?: number };
const cases: Case[] = [];
for (const [label, scope] of [
  ['district', district],
  ['street', street],
  ['community', community],
] as const) {
  for (const sort of ['created', 'deadline', 'status'] as const)
    for (const order of ['desc', 'asc'] as const)
      cases.push({ name: `${label} sort=${sort} ${order}`, q: { ...base, scope, sort, order } });
  cases.push({ name: `${label} status=collected`, q: { ...base, scope, statuses: ['collected'] } });
  cases.push({ name: `${label} status=dispatched,handling`, q: { ...base, scope, statuses: ['dispatched', 'handling'] } });
  cases.push({ name: `${label} status=closed`, q: { ...base, scope, statuses: ['closed'] } });
  cases.push({ name: `${label} category=5`, q: { ...base, scope, category: '5' } });
  cases.push({ name: `${label} category=16 (rare)`, q: { ...base, scope, category: '16' } });
  cases.push({ name: `${label} channel+nature`, q: { ...base, scope, channel: 'wechat', nature: 'complaint' } });
  cases.push({ name: `${label} overdue, sort=deadline asc`, q: { ...base, scope, overdue: true, sort: 'deadline', order: 'asc' } });
  cases.push({ name: `${label} overdue, sort=created`, q: { ...base, scope, overdue: true } });
  cases.push({ name: `${label} extension pending`, q: { ...base, scope, extensionPending: true } });
  cases.push({ name: `${label} created last 7 days`, q: { ...base, scope, createdFrom: NOW - 7 * DAY, createdTo: NOW } });
  cases.push({
    name: `${label} created 3 months ago, 1 week`,
    q: { ...base, scope, createdFrom: NOW - 97 * DAY, createdTo: NOW - 90 * DAY },
  });
  cases.push({
    name: `${label} rare combination`,
    q: { ...base, scope, category: '14', channel: 'enterprise', nature: 'suggestion', statuses: ['closed'] },
  });
  cases.push({ name: `${label} 200 per page`, q: { ...base, scope, limit: 200 } });
  cases.push({ name: `${label} page 100 via cursor (per page)`, q: { ...base, scope }, pages: 100 });
}

const rows: [string, string, string, string, string][] = [];
for (const c of cases) {
  // the cursor of the deep page is found once, then that page is timed
  let q = c.q;
  if (c.pages) {
    let cursor: string | undefined;
    for (let i = 1; i < c.pages; i++) cursor = (await model.list({ ...q, cursor, countCap: 0 })).nextCursor ?? undefined;
    q = { ...q, cursor };
  }
  const page = await model.list(q); // warm
  const times: number[] = [];
  const pageOnly: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    let t = performance.now();
    await model.list(q);
    times.push(performance.now() - t);
    t = performance.now();
    await model.list({ ...q, countCap: 0 });
    pageOnly.push(performance.now() - t);
  }
  const s = summarize(times);
  const p = summarize(pageOnly);
  rows.push([c.name, fmt(p.p50, 1), fmt(s.p50, 1), fmt(s.max, 1), `${fmt(page.total)}${page.totalExact ? '' : '+'}`]);
  if (opts.plans) {
    const plan = model.explain(q);
    log(`  ${c.name}\n    page:  ${plan.page.join(' | ')}\n    count: ${plan.count.join(' | ')}`);
  }
}

const widths = [44, 12, 16, 10, 9];
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
log('');
log(`list queries, 50 per page unless said, ${opts.runs} runs each (ms):`);
log(line(['query', 'page p50', 'page+count p50', 'max', 'total']));
for (const r of rows) log(line(r));

// ---------------------------------------------------------------- exports: every appeal of a scope, page after page

log('');
log('export reading (allPages, 1,000 per page, every record of the scope):');
for (const [label, q] of [
  ['community', { scope: community }],
  ['street', { scope: street }],
  ['street, closed last 30 days', { scope: street, statuses: ['closed'], createdFrom: NOW - 30 * DAY }],
  ['district', { scope: district }],
] as [string, Partial<AppealQuery>][]) {
  const t = performance.now();
  let n = 0;
  for await (const page of allPages(model, { limit: 1000, now: NOW, scope: district, ...q })) n += page.length;
  const s = (performance.now() - t) / 1000;
  log(`  ${label.padEnd(30)} ${fmt(n).padStart(10)} appeals in ${fmt(s, 1).padStart(6)} s  (${fmt(n / s)} per s)`);
}

// ---------------------------------------------------------------- live batch into the full model

{
  const cp = await model.checkpoint();
  const times: number[] = [];
  for (let b = 0; b < 10; b++) {
    const batch: StoredEvent[] = [];
    for (let i = 0; i < 200; i++) {
      const n = b * 200 + i;
      const c = geo.communities[n % geo.communities.length];
      const id = `LIVE-${n}`;
      const cat = taxonomy.categories[n % taxonomy.categories.length];
      const mk = (k: number, event: CityEvent) =>
        batch.push({ seq: cp + n * 5 + k, event, community: c.code, producer: 'bench', receivedAt: NOW });
      mk(1, {
        id: `${id}.0`,
        type: 'appeal.created',
        occurredAt: iso(NOW),
        data: {
          appealId: id,
          channel: 'wechat',
          nature: 'request',
          category: cat.code,
          title: '路灯不亮',
          location: { lon: c.center[0], lat: c.center[1], address: '深圳市坪山区' },
          reporter: { name: '张三', phone: '13800000000' },
        },
      });
      for (const [k, to] of [
        [2, 'verified'],
        [3, 'dispatched'],
        [4, 'handling'],
        [5, 'resolved'],
      ] as const)
        mk(k, {
          id: `${id}.${k}`,
          type: 'appeal.transitioned',
          occurredAt: iso(NOW),
          data: { appealId: id, to, ...(to === 'dispatched' ? { unit: '街道办' } : {}) },
        });
    }
    const t = performance.now();
    model.applySync(batch);
    times.push(performance.now() - t);
  }
  const s = summarize(times);
  log('');
  log(
    `folding a live batch of 1,000 appeal events (200 new appeals × 5 steps) into the full model: p50 ${fmt(s.p50, 1)} ms, max ${fmt(s.max, 1)} ms`,
  );
}

await model.close();
if (!opts.keep) rmSync(dir, { recursive: true, force: true });
