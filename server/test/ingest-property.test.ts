/**
 * Every accepted event folds. fast-check generates batches of events of every type (mostly
 * plausible, with edge values mixed in: leap seconds, RFC 9557 suffixes, year 0000, deadlines
 * before creation, control characters, lone surrogates, points outside the district, codes of
 * another street, unknown codes, states out of order, duplicates, arbitrary JSON) and sends them
 * through the real ingest route. Each event must come back accepted, duplicate, or rejected with a
 * reason; no batch may fail as a whole; and nothing may land in the quarantine: whatever ingest
 * accepted, the in-memory projections and the appeals read model folded. Afterwards every
 * accepted appeal reads back, every scope's figures can be taken, and a restart replays the log to
 * the same figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import {
  APPEAL_STATUSES,
  COMPONENT_EVENT_STATUSES,
  EXTENSION_ACTIONS,
  INSPECTION_KINDS,
  REPORTER_KINDS,
  SATISFACTION_LEVELS,
  SCAN_PURPOSES,
  taxonomy,
  type IngestResponse,
} from '@commandhall/shared';
import { get, makeApp, pointOf, post, tempDir, testClock } from './helpers.ts';
import { DEFAULT_GEOGRAPHY_FILE, loadGeography } from '../src/geography/index.ts';

const clock = testClock();
const NOW = clock.now();
const DAY = 86_400_000;
const geo = loadGeography(DEFAULT_GEOGRAPHY_FILE);
const COMMUNITIES = geo.communities.map((c) => c.code);

let app: FastifyInstance;
const tmp = tempDir();
/** Appeal ids whose creation was accepted: each must read back. */
const created = new Set<string>();

beforeAll(async () => {
  app = await makeApp({ dataDir: tmp.dir, now: clock.now });
});
afterAll(async () => {
  await app?.close();
  tmp.remove();
});

// ---- generators ----

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A valid RFC 3339 text of an instant in the last 35 days (or a little ahead), written in one of many ways. */
const goodTime = fc
  .tuple(
    fc.integer({ min: NOW - 35 * DAY, max: NOW + 4 * 60_000 }),
    fc.constantFrom(0, 480, -210, 345, 840),
    fc.constantFrom('', '.5', '.123', '.123456789'),
    fc.boolean(),
  )
  .map(([ms, offset, frac, lower]) => {
    const d = new Date(ms + offset * 60_000);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}`;
    const zone =
      offset === 0
        ? lower
          ? 'z'
          : 'Z'
        : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    return `${date}${lower ? 't' : 'T'}${time}${zone}`;
  });

const badTime = fc.constantFrom(
  '2026-12-31T23:59:60Z',
  '2026-11-26T23:59:60Z',
  '2026-11-26T10:00:00+08:00[Asia/Shanghai]',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30T10:00:00Z',
  '2026-11-26 10:00:00+08:00',
  '2026-11-26T10:00:00',
  '2026-11-26T24:00:00Z',
  '',
);

const time = fc.oneof({ weight: 8, arbitrary: goodTime }, { weight: 2, arbitrary: badTime }, { weight: 1, arbitrary: fc.string() });

/** Free text: plain Chinese, any grapheme, any UTF-16 unit (controls, lone surrogates), or blank. */
const text = (max: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('路灯不亮', '井盖缺失，联系电话 138 8932 5712', '占道经营\n已劝离', '垃圾满溢') },
    { weight: 1, arbitrary: fc.constantFrom('  ', '') },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: Math.min(max, 40) }) },
  );

const code = (known: readonly string[]) =>
  fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
const CHANNELS = taxonomy.channels.map((c) => c.code);
const NATURES = taxonomy.natures.map((c) => c.code);
const CATEGORIES = taxonomy.categories.map((c) => c.code);
const SUBCATEGORIES = taxonomy.categories.flatMap((c) => c.subcategories.map((s) => s.code));
const ALGORITHMS = taxonomy.algorithms.map((c) => c.code);
const COMPONENT_TYPES = taxonomy.componentTypes.map((c) => c.code);

/** A point with (mostly) its own community code, or a code of another street, or a point anywhere. */
const place = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...COMMUNITIES).map((c) => ({ location: pointOf(c), communityCode: c as string | undefined })) },
  { weight: 2, arbitrary: fc.constantFrom(...COMMUNITIES).map((c) => ({ location: pointOf(c), communityCode: undefined })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...COMMUNITIES), fc.constantFrom(...COMMUNITIES))
      .map(([a, b]) => ({ location: pointOf(a), communityCode: b })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ lon: fc.double({ min: 113, max: 115, noNaN: true }), lat: fc.double({ min: 22, max: 23.5, noNaN: true }) })
      .map((location) => ({ location, communityCode: undefined })),
  },
);
const withPlace = (p: { location: { lon: number; lat: number }; communityCode?: string }, address?: string) => ({
  location: address === undefined ? p.location : { ...p.location, address },
  ...(p.communityCode === undefined ? {} : { communityCode: p.communityCode }),
});

/** Ids from a pool, so that later events find the appeals and alerts earlier ones created. */
const appealId = fc.integer({ min: 1, max: 150 }).map((n) => `P-${n}`);
const alertId = fc.integer({ min: 1, max: 40 }).map((n) => `V-${n}`);
const componentId = fc.constantFrom('C-1', 'C-2', 'C-3');
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const dataOf: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  'appeal.created': fc
    .record({
      appealId,
      channel: code(CHANNELS),
      nature: code(NATURES),
      // mostly a subcategory of its own category, sometimes another's
      categoryAndSub: fc.oneof(
        {
          weight: 8,
          arbitrary: fc
            .constantFrom(...taxonomy.categories)
            .chain((c) => fc.tuple(fc.constant(c.code), opt(fc.constantFrom(...c.subcategories.map((x) => x.code))))),
        },
        { weight: 1, arbitrary: fc.tuple(code(CATEGORIES), opt(code(SUBCATEGORIES))) },
      ),
      title: text(200),
      description: opt(text(400)),
      place,
      address: opt(text(60)),
      reporter: opt(
        fc.record({ name: opt(text(10)), phone: opt(fc.constantFrom('13812341234', '138-8932-5713', '+86 138 0000 1111', '12')) }),
      ),
      reporterKind: opt(fc.constantFrom(...REPORTER_KINDS)),
      // a deadline hours to weeks after the event (set below), or any time at all
      deadline: opt(
        fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 * 24 }) },
          { weight: 1, arbitrary: time },
          { weight: 1, arbitrary: badTime },
        ),
      ),
    })
    .map(({ place: p, address, reporter, categoryAndSub: [category, subcategory], ...d }) =>
      defined({ ...d, category, subcategory, ...withPlace(p, address), reporter: reporter && defined(reporter) }),
    ),
  'appeal.transitioned': fc
    .record({
      appealId,
      to: fc.constantFrom(...APPEAL_STATUSES),
      unit: opt(text(20)),
      note: opt(text(100)),
      satisfaction: opt(fc.constantFrom(...SATISFACTION_LEVELS)),
    })
    .map(defined),
  'appeal.extension': fc
    .record({
      appealId,
      action: fc.constantFrom(...EXTENSION_ACTIONS),
      until: opt(fc.oneof(time, badTime)),
      reason: opt(text(50)),
      by: opt(text(20)),
    })
    .map(defined),
  'video_alert.raised': fc
    .record({
      alertId,
      cameraId: fc.constantFrom('CAM-1', 'CAM-2'),
      algorithm: code(ALGORITHMS),
      confidence: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
      place,
      address: opt(text(40)),
      snapshotUrl: opt(fc.constantFrom('/api/v1/snapshots/a.jpg', 'data:image/png;base64,AAAA')),
    })
    .map(({ place: p, address, ...d }) => defined({ ...d, ...withPlace(p, address) })),
  'video_alert.acknowledged': fc.record({ alertId, by: opt(text(20)), note: opt(text(60)) }).map(defined),
  'video_alert.confirmed': fc.record({ alertId, by: opt(text(20)), appealId: opt(appealId), note: opt(text(60)) }).map(defined),
  'video_alert.dismissed': fc.record({ alertId, by: opt(text(20)), reason: text(60), note: opt(text(60)) }).map(defined),
  'grid_inspection.reported': fc
    .record({
      inspectionId: fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', '1', '-') }),
      inspectorId: fc.constantFrom('W-1', 'W-2'),
      gridId: opt(fc.constantFrom('G-1', 'G-2')),
      place,
      issuesFound: fc.integer({ min: -1, max: 20 }),
      issuesHandledOnSite: fc.integer({ min: 0, max: 20 }),
      kind: opt(fc.constantFrom(...INSPECTION_KINDS)),
    })
    .map(({ place: p, ...d }) => defined({ ...d, ...withPlace(p) })),
  'smart_code.scanned': fc
    .record({
      scanId: fc.constantFrom('S-1', 'S-2', 'S-3'),
      codeId: componentId,
      componentType: code(COMPONENT_TYPES),
      purpose: fc.constantFrom(...SCAN_PURPOSES),
      place,
    })
    .map(({ place: p, ...d }) => defined({ ...d, ...withPlace(p) })),
  'component.status_changed': fc
    .record({ componentId, componentType: code(COMPONENT_TYPES), status: fc.constantFrom(...COMPONENT_EVENT_STATUSES), place })
    .map(({ place: p, ...d }) => defined({ ...d, ...withPlace(p) })),
};

let serial = 0;
const typedEvent = fc.constantFrom(...Object.keys(dataOf)).chain((type) =>
  fc
    .record({ type: fc.constant(type), occurredAt: time, data: dataOf[type], reuseId: fc.integer({ min: 0, max: 9 }) })
    .map(({ reuseId, ...e }) => {
      // a deadline given in hours: that many hours after the event (when the event's time is one)
      const at = Date.parse(e.occurredAt);
      if (typeof e.data.deadline === 'number')
        e.data = { ...e.data, deadline: new Date((Number.isNaN(at) ? NOW : at) + e.data.deadline * 3_600_000).toISOString() };
      // one id in ten repeats: re-sent events must come back as duplicates
      return { id: reuseId === 0 && serial > 0 ? `EV-${serial % 7}` : `EV-${++serial}`, ...e };
    }),
);

const event = fc.oneof({ weight: 12, arbitrary: typedEvent }, { weight: 1, arbitrary: fc.jsonValue() });

// ---- the property ----

describe('every accepted event folds', () => {
  it('each event is accepted, duplicate or rejected with a reason; none is left unfolded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 25, size: 'max' }), async (batch) => {
        const res = await post(app, batch);
        expect([200, 207, 422], res.body).toContain(res.statusCode);
        const body = res.json() as IngestResponse;
        expect(body.results).toHaveLength(batch.length);
        for (const r of body.results) {
          expect(['accepted', 'duplicate', 'rejected']).toContain(r.status);
          if (r.status === 'rejected') expect(r.reason, JSON.stringify(batch[r.index])).toMatch(/\S/);
          const e = batch[r.index] as { type?: string; data?: { appealId?: string } };
          if (r.status === 'accepted' && e.type === 'appeal.created') created.add(e.data!.appealId!);
        }
        expect(app.quarantine.list(), 'an accepted event could not be folded').toEqual([]);
      }),
      { numRuns: 120, seed: 20261202 },
    );
    // the generators reach the interesting cases: some of everything is accepted, some refused
    expect(created.size).toBeGreaterThan(15);
  });

  it('every accepted appeal reads back, with its timeline, and every scope has its figures', async () => {
    for (const id of created) {
      const res = await get(app, `/api/v1/appeals/${id}`);
      expect(res.statusCode, `${id}: ${res.body}`).toBe(200);
      expect(res.json().timeline.length).toBeGreaterThan(0);
    }
    const list = await get(app, '/api/v1/appeals?scope=district:440310&limit=100');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(created.size);
    for (const scope of app.engine.scopes()) expect(app.engine.snapshot(scope), scope).toBeDefined();
  });

  it('a restart replays the log to the same figures, quarantining nothing', async () => {
    app.engine.advance();
    const before = Object.fromEntries(app.engine.scopes().map((s) => [s, app.engine.snapshot(s)]));
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    expect(app.quarantine.count()).toBe(0);
    expect(Object.fromEntries(app.engine.scopes().map((s) => [s, app.engine.snapshot(s)]))).toEqual(before);
  });
});
