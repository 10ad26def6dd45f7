/**
 * What every appeals read model promises (modules/appeals/appeal-read-model.ts), checked on the
 * embedded SQLite model and on PostgreSQL alike: the fold of a lifecycle with its extensions, the
 * checkpoint (nothing doubled when a batch comes again, across a reopening too), the quarantine of
 * what cannot be folded, filters, every sort with keyset paging, capped counts, timelines and
 * reset. On PostgreSQL also what several nodes need: appliers of the same batch at the same time
 * fold it once, and every query answers exactly as SQLite does on the same log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CityEvent } from '@commandhall/shared';
import { SqliteAppealReadModel } from '../../src/modules/appeals/sqlite-appeal-read-model.ts';
import { PostgresAppealReadModel } from '../../src/modules/appeals/postgres-appeal-read-model.ts';
import { allPages, decodeCursor, CursorError, type AppealQuery } from '../../src/modules/appeals/appeal-read-model.ts';
import { appealCreated, appealMoved, tempDir, KENGZI, LIULIAN } from '../helpers.ts';
import { postgresMissing, saySkipped } from '../services.ts';
import { created, extension, moved, toStatus } from './fixtures.ts';
import {
  busyLog,
  expectSameAnswers,
  postgres,
  postgresDatabase,
  quarantine,
  sqlite,
  storedFrom,
  DISTRICT,
  HOUR,
  STREET,
  T0,
  type Opened,
} from './read-model-kit.ts';

const missing = await postgresMissing();
if (missing) saySkipped('the appeals read model contract on PostgreSQL', missing);

for (const kind of missing ? [sqlite] : [sqlite, postgres]) {
  describe(`the appeals read model on ${kind.name}`, () => {
    let o: Opened;
    let seq = 0;
    const stored = (events: CityEvent[], community = LIULIAN.code) => {
      const s = storedFrom(seq + 1, events, community);
      seq += events.length;
      return s;
    };
    const model = () => o.model;
    beforeEach(async () => {
      o = await kind.open();
      seq = 0;
    });
    afterEach(() => o.close());

    it('folds a lifecycle with reworks, a reopening and extensions into one record, the timeline as log seqs', async () => {
      const first = T0 + 7 * 24 * HOUR; // an explicit deadline, moved by the approved extension
      await model().apply(
        stored([
          created(T0, 'A', { deadline: first }),
          moved(T0 + HOUR, 'A', 'verified'),
          moved(T0 + 2 * HOUR, 'A', 'dispatched', { unit: '六联社区工作站' }),
          extension(T0 + 2 * HOUR + 1, 'A', 'requested', {
            until: new Date(first + 48 * HOUR).toISOString(),
            reason: '等待配件',
            by: 'bo',
          }),
          moved(T0 + 3 * HOUR, 'A', 'handling', { unit: '坪山街道办' }),
          extension(T0 + 3 * HOUR + 1, 'A', 'approved'),
          moved(T0 + 4 * HOUR, 'A', 'resolved'),
          moved(T0 + 5 * HOUR, 'A', 'handling'),
          moved(T0 + 6 * HOUR, 'A', 'resolved'),
          moved(T0 + 7 * HOUR, 'A', 'closed', { satisfaction: 'dissatisfied' }),
          moved(T0 + 8 * HOUR, 'A', 'handling'),
          // late arrival: an earlier occurredAt moves nothing back
          extension(T0 + HOUR, 'A', 'requested', { until: new Date(first + 96 * HOUR).toISOString() }),
          moved(T0 + 9 * HOUR, 'A', 'resolved'),
          moved(T0 + 10 * HOUR, 'A', 'closed', { satisfaction: 'satisfied' }),
        ]),
      );
      const a = await model().get('A');
      expect(a).toMatchObject({
        id: 'A',
        community: LIULIAN.code,
        street: LIULIAN.code.slice(0, 9),
        status: 'closed',
        unit: '坪山街道办',
        createdAt: T0,
        deadline: first + 48 * HOUR,
        verifiedAt: T0 + HOUR,
        dispatchedAt: T0 + 2 * HOUR,
        resolvedAt: T0 + 9 * HOUR,
        closedAt: T0 + 10 * HOUR,
        updatedAt: T0 + 10 * HOUR,
        satisfaction: 'satisfied',
        // the late request was pending when the appeal was closed: it lapsed with the closing
        extension: null,
        extensions: 1,
        reworks: 1,
        reopens: 1,
        reporterKind: 'resident',
        reporter: { name: '张三丰', phone: '13812341234' },
        location: { address: '深圳市坪山区坪山街道六联社区深坪路12号3栋501' },
        title: '路灯不亮',
        lastSeq: 14,
      });
      expect(await model().timeline('A')).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
      expect(await model().timeline('nope')).toEqual([]);
      expect(await model().get('nope')).toBeUndefined();
      expect(await model().checkpoint()).toBe(14);
    });

    it('moves the deadline on an approved extension and clears a denied one', async () => {
      await model().apply(stored([appealCreated(T0, { appealId: 'A' }), appealCreated(T0, { appealId: 'B' })]));
      const first = (await model().get('A'))!.deadline;
      const until = new Date(first + 48 * HOUR).toISOString();
      await model().apply(stored([extension(T0 + HOUR, 'A', 'requested', { until, reason: '等待配件', by: 'alice' })]));
      expect((await model().get('A'))!.extension).toEqual({
        until: first + 48 * HOUR,
        requestedAt: T0 + HOUR,
        requestedBy: 'alice',
        reason: '等待配件',
      });
      const pending = await model().list({ scope: DISTRICT, extensionPending: true, limit: 10, now: T0 });
      expect(pending.items.map((a) => a.id)).toEqual(['A']);
      await model().apply(stored([extension(T0 + HOUR, 'A', 'approved')]));
      expect(await model().get('A')).toMatchObject({ deadline: first + 48 * HOUR, extension: null, extensions: 1 });
      await model().apply(stored([extension(T0 + HOUR, 'B', 'requested', { until, reason: 'x' }), extension(T0 + HOUR, 'B', 'denied')]));
      expect(await model().get('B')).toMatchObject({ deadline: first, extension: null, extensions: 0 });
    });

    it('changes nothing for events at or below the checkpoint: again, overlapping, after a reopening', async () => {
      const batch = stored([
        appealCreated(T0, { appealId: 'A' }),
        appealMoved(T0 + HOUR, 'A', 'resolved'),
        appealMoved(T0 + 2 * HOUR, 'A', 'handling'),
      ]);
      await model().apply(batch);
      await model().apply(batch);
      const next = stored([appealMoved(T0 + 3 * HOUR, 'A', 'resolved'), appealMoved(T0 + 4 * HOUR, 'A', 'handling')]);
      await model().apply([...batch.slice(1), next[0]]); // overlaps the checkpoint: only seq 4 is new
      await o.reopen();
      expect(await model().checkpoint()).toBe(4);
      await model().apply([...batch, ...next]);
      expect(await model().get('A')).toMatchObject({ status: 'handling', reworks: 2, lastSeq: 5 });
      expect(await model().timeline('A')).toEqual([1, 2, 3, 4, 5]);
      // a batch without appeals moves the checkpoint too, and a repeated creation changes nothing
      await model().apply(stored([{ ...appealCreated(T0, { appealId: 'X' }), type: 'video_alert.cleared' } as unknown as CityEvent]));
      await model().apply(stored([{ ...appealCreated(T0 + HOUR, { appealId: 'A' }), id: 'again' }]));
      expect(await model().checkpoint()).toBe(7);
      expect(await model().get('A')).toMatchObject({ createdAt: T0, lastSeq: 5 });
      expect(await model().get('X')).toBeUndefined();
    });

    it('folds a batch atomically, or quarantines what it cannot fold and lands the rest', async () => {
      await model().apply(stored([appealCreated(T0, { appealId: 'A' })]));
      const bad = stored([
        appealMoved(T0 + HOUR, 'A', 'verified'),
        appealMoved(T0 + 2 * HOUR, 'A', 'nonsense'),
        appealCreated(T0, { appealId: 'B' }),
      ]);
      await expect(model().apply(bad)).rejects.toThrow();
      expect(await model().checkpoint()).toBe(1);
      expect(await model().get('A')).toMatchObject({ status: 'collected' });
      expect(await model().get('B')).toBeUndefined();

      const q = quarantine();
      await model().apply(bad, q);
      expect(q.seqs).toEqual([3]);
      expect(await model().checkpoint()).toBe(4);
      expect(await model().get('A')).toMatchObject({ status: 'verified', lastSeq: 2 });
      expect(await model().timeline('A')).toEqual([1, 2]);
      expect(await model().get('B')).toMatchObject({ status: 'collected', lastSeq: 4 });
      // a held event is skipped from then on
      await model().reset();
      await model().apply([...storedFrom(1, [appealCreated(T0, { appealId: 'A' })]), ...bad], q);
      expect(q.seqs).toEqual([3]);
      expect(await model().timeline('A')).toEqual([1, 2]);
    });

    it('filters by scope, status, codes, overdue and creation time, and pages every sort by cursor without gaps or repeats', async () => {
      const events: CityEvent[] = [];
      for (let i = 0; i < 30; i++) {
        const id = `P${String(i).padStart(2, '0')}`;
        // pairs created at the same instant: ties break by arrival on every page
        events.push(
          appealCreated(T0 + Math.floor(i / 2) * HOUR, {
            appealId: id,
            category: i % 3 === 0 ? '3' : '5',
            nature: i % 2 ? 'complaint' : 'request',
          }),
        );
        if (i % 5 === 0) events.push(appealMoved(T0 + i * HOUR + 1000, id, 'verified'));
      }
      await model().apply(stored(events));
      await model().apply(stored([appealCreated(T0, { appealId: 'K1', where: KENGZI })], KENGZI.code));
      const now = T0 + 40 * HOUR;
      const ids = async (q: Partial<AppealQuery>) =>
        (await model().list({ scope: DISTRICT, limit: 100, now, ...q })).items.map((a) => a.id);

      expect(await ids({})).toHaveLength(31);
      expect((await ids({})).slice(0, 4)).toEqual(['P29', 'P28', 'P27', 'P26']);
      expect(await ids({ scope: `community:${KENGZI.code}` })).toEqual(['K1']);
      expect(await ids({ scope: STREET })).toHaveLength(30);
      expect(await ids({ statuses: ['verified'] })).toEqual(['P25', 'P20', 'P15', 'P10', 'P05', 'P00']);
      expect(await ids({ category: '3', nature: 'request' })).toEqual(['P24', 'P18', 'P12', 'P06', 'P00']);
      expect(await ids({ createdFrom: T0 + 5 * HOUR, createdTo: T0 + 7 * HOUR })).toEqual(['P13', 'P12', 'P11', 'P10']);
      expect(await ids({ ids: ['P03', 'K1', 'nope'], order: 'asc' })).toEqual(['K1', 'P03']);
      // the default request deadline is days away: nothing is overdue 40 h in, everything is a month later
      expect(await ids({ overdue: true })).toEqual([]);
      expect(await ids({ overdue: true, now: T0 + 60 * 24 * HOUR })).toHaveLength(31);
      expect(await ids({ overdue: false, now: T0 + 60 * 24 * HOUR })).toEqual([]);

      for (const sort of ['created', 'deadline', 'status'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const all = await ids({ sort, order });
          expect(new Set(all).size, `${sort} ${order}`).toBe(31);
          const pages: string[][] = [];
          for await (const page of allPages(model(), { scope: DISTRICT, limit: 7, now, sort, order })) pages.push(page.map((a) => a.id));
          expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 3]);
          expect(pages.flat(), `${sort} ${order}`).toEqual(all);
        }
      }
      expect((await ids({ sort: 'status', order: 'asc' })).slice(-6)).toEqual(['P00', 'P05', 'P10', 'P15', 'P20', 'P25']);
      expect((await ids({ sort: 'created', order: 'asc' })).slice(0, 3)).toEqual(['P00', 'P01', 'K1']);
    });

    it('keeps who raised an appeal (resident unless the event says enterprise) and filters by it', async () => {
      await model().apply(
        stored([
          created(T0, 'R1'),
          created(T0 + HOUR, 'E1', { reporterKind: 'enterprise' }),
          created(T0 + 2 * HOUR, 'R2', { reporterKind: 'resident' }),
          created(T0 + 3 * HOUR, 'E2', { reporterKind: 'enterprise' }),
          moved(T0 + 4 * HOUR, 'E2', 'verified'),
        ]),
      );
      await model().apply(stored([created(T0, 'K1', { community: KENGZI.code, reporterKind: 'enterprise' })], KENGZI.code));
      expect((await model().get('R1'))!.reporterKind).toBe('resident');
      expect(await model().get('E2')).toMatchObject({ reporterKind: 'enterprise', status: 'verified' });
      const page = (q: Partial<AppealQuery>) => model().list({ scope: DISTRICT, limit: 100, now: T0 + 5 * HOUR, ...q });
      const ids = async (q: Partial<AppealQuery>) => (await page(q)).items.map((a) => a.id);
      expect(await ids({ reporterKind: 'enterprise' })).toEqual(['E2', 'E1', 'K1']);
      expect(await ids({ reporterKind: 'resident' })).toEqual(['R2', 'R1']);
      expect(await ids({ reporterKind: 'enterprise', scope: `community:${LIULIAN.code}` })).toEqual(['E2', 'E1']);
      expect(await ids({ reporterKind: 'enterprise', scope: `street:${KENGZI.code.slice(0, 9)}` })).toEqual(['K1']);
      expect(await ids({ reporterKind: 'enterprise', statuses: ['collected'], sort: 'deadline', order: 'asc' })).toEqual(['K1', 'E1']);
      expect(await page({ reporterKind: 'enterprise', limit: 1 })).toMatchObject({ total: 3, totalExact: true });
      expect(await page({ reporterKind: 'resident', limit: 1, scope: STREET })).toMatchObject({ total: 2 });
    });

    it('keeps a cursor stable while new appeals arrive, counts up to a cap, and refuses a foreign cursor', async () => {
      await model().apply(stored(Array.from({ length: 20 }, (_, i) => appealCreated(T0 + i * 1000, { appealId: `C${i}` }))));
      const first = await model().list({ scope: DISTRICT, limit: 5, now: T0, countCap: 12 });
      expect(first).toMatchObject({ total: 12, totalExact: false });
      expect(first.items.map((a) => a.id)).toEqual(['C19', 'C18', 'C17', 'C16', 'C15']);
      expect(await model().list({ scope: DISTRICT, limit: 5, now: T0, countCap: 20 })).toMatchObject({ total: 20, totalExact: true });
      expect(await model().list({ scope: DISTRICT, limit: 5, now: T0, countCap: 0 })).toMatchObject({ total: 0 });
      expect(await model().list({ scope: STREET, statuses: ['collected'], limit: 1, now: T0, countCap: 3 })).toMatchObject({
        total: 3,
        totalExact: false,
      });
      // newer appeals land before the cursor: the next page is unaffected
      await model().apply(stored([appealCreated(T0 + 60_000, { appealId: 'NEW' })]));
      const second = await model().list({ scope: DISTRICT, limit: 5, now: T0, cursor: first.nextCursor! });
      expect(second.items.map((a) => a.id)).toEqual(['C14', 'C13', 'C12', 'C11', 'C10']);
      expect(second).toMatchObject({ total: 21, totalExact: true });
      const last = await model().list({ scope: DISTRICT, limit: 100, now: T0, cursor: second.nextCursor! });
      expect(last.items).toHaveLength(10);
      expect(last.nextCursor).toBeNull();

      expect(() => decodeCursor(first.nextCursor!, 'deadline', 'desc')).toThrow(CursorError);
      await expect(model().list({ scope: DISTRICT, limit: 5, now: T0, cursor: 'garbage' })).rejects.toThrow(CursorError);
      await expect(model().list({ scope: DISTRICT, limit: 5, now: T0, sort: 'status', cursor: first.nextCursor! })).rejects.toThrow(
        CursorError,
      );
    });

    it('forgets everything on a reset and rebuilds the same records from the log', async () => {
      const log = stored([...toStatus(T0, 'A', 'closed'), ...toStatus(T0 + HOUR, 'B', 'handling')]);
      await model().apply(log);
      const before = [await model().get('A'), await model().get('B')];
      await model().reset();
      expect(await model().checkpoint()).toBe(0);
      expect(await model().get('A')).toBeUndefined();
      expect(await model().timeline('A')).toEqual([]);
      expect((await model().list({ scope: DISTRICT, limit: 10, now: T0 })).total).toBe(0);
      await model().apply(log);
      expect([await model().get('A'), await model().get('B')]).toEqual(before);
      expect(await model().checkpoint()).toBe(log.length);
    });
  });
}

describe.skipIf(missing)('the appeals read model shared by several nodes (PostgreSQL)', () => {
  it('folds a batch once when two nodes apply it at the same time', async () => {
    const db = await postgresDatabase();
    try {
      const [a, b] = [await PostgresAppealReadModel.open(db.pool()), await PostgresAppealReadModel.open(db.pool())];
      await a.apply(storedFrom(1, [appealCreated(T0, { appealId: 'A' })]));
      expect(await b.checkpoint()).toBe(1);
      // both start while a third session holds the checkpoint row: they meet head-on when it lets go
      const batch = storedFrom(2, [
        appealMoved(T0 + HOUR, 'A', 'resolved'),
        appealMoved(T0 + 2 * HOUR, 'A', 'handling'),
        appealMoved(T0 + 3 * HOUR, 'A', 'nonsense'), // quarantined by whichever node folds the batch
        appealCreated(T0, { appealId: 'B' }),
      ]);
      const holder = db.pool();
      const held = await holder.connect();
      await held.query('BEGIN');
      await held.query('SELECT seq FROM appeal_checkpoint FOR UPDATE');
      const [qa, qb] = [quarantine(), quarantine()];
      const both = Promise.all([a.apply(batch, qa), b.apply(batch, qb)]);
      const waiting = async () =>
        Number(
          (await holder.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))
            .rows[0].n,
        );
      for (let i = 0; i < 100 && (await waiting()) < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(2);
      await held.query('COMMIT');
      held.release();
      await both;
      expect([...qa.seqs, ...qb.seqs]).toEqual([4]);
      expect(await a.get('A')).toMatchObject({ status: 'handling', reworks: 1, lastSeq: 3 });
      expect(await b.timeline('A')).toEqual([1, 2, 3]);
      expect((await b.list({ scope: DISTRICT, limit: 10, now: T0 })).items.map((x) => x.id)).toEqual(['B', 'A']); // same instant: the later arrival first;
      expect([await a.checkpoint(), await b.checkpoint()]).toEqual([5, 5]);
    } finally {
      await db.close();
    }
  });

  it('three nodes folding one log in batches of their own sizes, at once, end as one SQLite model does', async () => {
    const log = storedFrom(1, busyLog());
    const db = await postgresDatabase();
    const tmp = tempDir();
    const reference = new SqliteAppealReadModel(tmp.dir);
    try {
      await reference.apply(log);
      const nodes = [
        await PostgresAppealReadModel.open(db.pool()),
        await PostgresAppealReadModel.open(db.pool()),
        await PostgresAppealReadModel.open(db.pool()),
      ];
      await Promise.all(
        nodes.map(async (node, n) => {
          const size = [3, 5, 7][n];
          for (let i = 0; i < log.length; i += size) await node.apply(log.slice(i, i + size));
        }),
      );
      await expectSameAnswers(reference, nodes[1]);
      expect(await nodes[2].checkpoint()).toBe(log.length);
    } finally {
      await reference.close();
      tmp.remove();
      await db.close();
    }
  });
});
