/**
 * The appeals read model on its own: folding events, the checkpoint (nothing doubled when a batch
 * is applied again), filters, keyset paging and capped counts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CityEvent } from '@commandhall/shared';
import { SqliteAppealReadModel } from '../../src/modules/appeals/sqlite-appeal-read-model.ts';
import { allPages, decodeCursor, CursorError } from '../../src/modules/appeals/appeal-read-model.ts';
import type { StoredEvent } from '../../src/core/store/event-store.ts';
import { appealCreated, appealMoved, tempDir, KENGZI, LIULIAN } from '../helpers.ts';

const T0 = Date.parse('2026-11-20T02:00:00Z');
const HOUR = 3_600_000;
const DISTRICT = 'district:440310';

describe('appeals read model', () => {
  let tmp: ReturnType<typeof tempDir>;
  let model: SqliteAppealReadModel;
  let seq = 0;
  const stored = (events: CityEvent[], community = LIULIAN.code): StoredEvent[] =>
    events.map((event) => ({ seq: ++seq, event, community, producer: 'test', receivedAt: T0 }));

  beforeEach(() => {
    tmp = tempDir();
    model = new SqliteAppealReadModel(tmp.dir);
    seq = 0;
  });
  afterEach(async () => {
    await model.close();
    tmp.remove();
  });

  it('folds the lifecycle into one record and keeps the timeline as log seqs', async () => {
    await model.apply(
      stored([
        appealCreated(T0, { appealId: 'A' }),
        appealMoved(T0 + HOUR, 'A', 'verified'),
        appealMoved(T0 + 2 * HOUR, 'A', 'dispatched', { unit: '六联社区工作站' }),
        appealMoved(T0 + 3 * HOUR, 'A', 'handling'),
        appealMoved(T0 + 4 * HOUR, 'A', 'resolved'),
        appealMoved(T0 + 5 * HOUR, 'A', 'handling'),
        appealMoved(T0 + 6 * HOUR, 'A', 'resolved'),
        appealMoved(T0 + 7 * HOUR, 'A', 'closed', { satisfaction: 'satisfied' }),
      ]),
    );
    const a = await model.get('A');
    expect(a).toMatchObject({
      id: 'A',
      community: LIULIAN.code,
      street: LIULIAN.code.slice(0, 9),
      status: 'closed',
      unit: '六联社区工作站',
      createdAt: T0,
      verifiedAt: T0 + HOUR,
      dispatchedAt: T0 + 2 * HOUR,
      resolvedAt: T0 + 6 * HOUR,
      closedAt: T0 + 7 * HOUR,
      updatedAt: T0 + 7 * HOUR,
      satisfaction: 'satisfied',
      reworks: 1,
      reopens: 0,
      reporter: { name: '张三', phone: '13812341234' },
      title: '路灯不亮',
      lastSeq: 8,
    });
    expect(await model.timeline('A')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await model.checkpoint()).toBe(8);
  });

  it('skips what it has already folded: a batch applied twice changes nothing', async () => {
    const batch = stored([
      appealCreated(T0, { appealId: 'A' }),
      appealMoved(T0 + HOUR, 'A', 'resolved'),
      appealMoved(T0 + 2 * HOUR, 'A', 'handling'),
    ]);
    await model.apply(batch);
    await model.apply(batch);
    await model.close();
    model = new SqliteAppealReadModel(tmp.dir);
    await model.apply(batch);
    expect(await model.checkpoint()).toBe(3);
    expect(await model.get('A')).toMatchObject({ status: 'handling', reworks: 1 });
    expect(await model.timeline('A')).toEqual([1, 2, 3]);
  });

  it('moves the deadline on an approved extension and clears a denied one', async () => {
    await model.apply(stored([appealCreated(T0, { appealId: 'A' }), appealCreated(T0, { appealId: 'B' })]));
    const first = (await model.get('A'))!.deadline;
    const until = new Date(first + 48 * HOUR).toISOString();
    const ext = (id: string, appealId: string, action: string, extra: Record<string, unknown> = {}) =>
      ({ id, type: 'appeal.extension', occurredAt: new Date(T0 + HOUR).toISOString(), data: { appealId, action, ...extra } }) as CityEvent;
    await model.apply(stored([ext('e1', 'A', 'requested', { until, reason: '等待配件', by: 'alice' })]));
    expect((await model.get('A'))!.extension).toEqual({
      until: first + 48 * HOUR,
      requestedAt: T0 + HOUR,
      requestedBy: 'alice',
      reason: '等待配件',
    });
    expect((await model.list({ scope: DISTRICT, extensionPending: true, limit: 10, now: T0 })).items.map((a) => a.id)).toEqual(['A']);
    await model.apply(stored([ext('e2', 'A', 'approved')]));
    expect(await model.get('A')).toMatchObject({ deadline: first + 48 * HOUR, extension: null, extensions: 1 });
    await model.apply(stored([ext('e3', 'B', 'requested', { until, reason: 'x' }), ext('e4', 'B', 'denied', { reason: 'no' })]));
    expect(await model.get('B')).toMatchObject({ deadline: first, extension: null, extensions: 0 });
  });

  it('filters by scope, status, codes, overdue and creation time, and pages by cursor without gaps or repeats', async () => {
    const events: CityEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const id = `P${String(i).padStart(2, '0')}`;
      events.push(
        appealCreated(T0 + i * HOUR, { appealId: id, category: i % 3 === 0 ? '3' : '5', nature: i % 2 ? 'complaint' : 'request' }),
      );
      if (i % 5 === 0) events.push(appealMoved(T0 + i * HOUR + 1000, id, 'verified'));
    }
    await model.apply(stored(events));
    await model.apply(stored([appealCreated(T0, { appealId: 'K1', where: KENGZI })], KENGZI.code));
    const now = T0 + 40 * HOUR;
    const ids = async (q: Partial<Parameters<SqliteAppealReadModel['list']>[0]>) =>
      (await model.list({ scope: DISTRICT, limit: 100, now, ...q })).items.map((a) => a.id);

    expect(await ids({})).toHaveLength(31);
    expect(await ids({ scope: `community:${KENGZI.code}` })).toEqual(['K1']);
    expect(await ids({ scope: `street:${LIULIAN.code.slice(0, 9)}` })).toHaveLength(30);
    expect(await ids({ statuses: ['verified'] })).toEqual(['P25', 'P20', 'P15', 'P10', 'P05', 'P00']);
    expect(await ids({ category: '3', nature: 'request' })).toEqual(['P24', 'P18', 'P12', 'P06', 'P00']);
    expect(await ids({ createdFrom: T0 + 10 * HOUR, createdTo: T0 + 13 * HOUR })).toEqual(['P12', 'P11', 'P10']);
    expect(await ids({ ids: ['P03', 'K1', 'nope'], order: 'asc' })).toEqual(['K1', 'P03']);

    // the default request deadline is days away: nothing is overdue 40 h in, everything is a month later
    expect(await ids({ overdue: true })).toEqual([]);
    expect(await ids({ overdue: true, now: T0 + 60 * 24 * HOUR })).toHaveLength(31);
    expect(await ids({ overdue: false, now: T0 + 60 * 24 * HOUR })).toEqual([]);

    for (const sort of ['created', 'deadline', 'status'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const all = await ids({ sort, order });
        const paged: string[] = [];
        for await (const page of allPages(model, { scope: DISTRICT, limit: 7, now, sort, order })) paged.push(...page.map((a) => a.id));
        expect(paged, `${sort} ${order}`).toEqual(all);
      }
    }
    const byStatus = await ids({ sort: 'status', order: 'asc' });
    expect(byStatus.slice(-6)).toEqual(['P00', 'P05', 'P10', 'P15', 'P20', 'P25']);
  });

  it('keeps who raised an appeal (resident unless the event says enterprise) and filters by it', async () => {
    const enterprise = (at: number, appealId: string, where = LIULIAN) => {
      const e = appealCreated(at, { appealId, where });
      return { ...e, data: { ...e.data, reporterKind: 'enterprise' } } as CityEvent;
    };
    await model.apply(
      stored([
        appealCreated(T0, { appealId: 'R1' }),
        enterprise(T0 + HOUR, 'E1'),
        appealCreated(T0 + 2 * HOUR, { appealId: 'R2' }),
        enterprise(T0 + 3 * HOUR, 'E2'),
        appealMoved(T0 + 4 * HOUR, 'E2', 'verified'),
      ]),
    );
    await model.apply(stored([enterprise(T0, 'K1', KENGZI)], KENGZI.code));
    expect((await model.get('R1'))!.reporterKind).toBe('resident');
    expect(await model.get('E2')).toMatchObject({ reporterKind: 'enterprise', status: 'verified' });
    const now = T0 + 5 * HOUR;
    const page = (q: Partial<Parameters<SqliteAppealReadModel['list']>[0]>) => model.list({ scope: DISTRICT, limit: 100, now, ...q });
    const ids = async (q: Partial<Parameters<SqliteAppealReadModel['list']>[0]>) => (await page(q)).items.map((a) => a.id);
    expect(await ids({ reporterKind: 'enterprise' })).toEqual(['E2', 'E1', 'K1']);
    expect(await ids({ reporterKind: 'resident' })).toEqual(['R2', 'R1']);
    expect(await ids({ reporterKind: 'enterprise', scope: `community:${LIULIAN.code}` })).toEqual(['E2', 'E1']);
    expect(await ids({ reporterKind: 'enterprise', scope: `street:${KENGZI.code.slice(0, 9)}` })).toEqual(['K1']);
    expect(await ids({ reporterKind: 'enterprise', statuses: ['collected'], sort: 'deadline', order: 'asc' })).toEqual(['K1', 'E1']);
    expect(await page({ reporterKind: 'enterprise', limit: 1 })).toMatchObject({ total: 3, totalExact: true });
    expect(await page({ reporterKind: 'resident', limit: 1, scope: `street:${LIULIAN.code.slice(0, 9)}` })).toMatchObject({ total: 2 });

    // pages walk the sort's index like any code filter; a count of enterprise appeals reads their partial index alone
    for (const scope of [DISTRICT, `street:${LIULIAN.code.slice(0, 9)}`, `community:${LIULIAN.code}`]) {
      const plan = model.explain({ scope, reporterKind: 'enterprise', limit: 50, now });
      expect(plan.count.join(' | '), scope).toMatch(/USING COVERING INDEX appeals_community_enterprise/);
      expect(plan.page.join(' | '), scope).not.toMatch(/appeals_community_enterprise/);
    }
  });

  it('keeps a cursor stable while new appeals arrive, and counts up to a cap', async () => {
    await model.apply(stored(Array.from({ length: 20 }, (_, i) => appealCreated(T0 + i * 1000, { appealId: `C${i}` }))));
    const first = await model.list({ scope: DISTRICT, limit: 5, now: T0, countCap: 12 });
    expect(first).toMatchObject({ total: 12, totalExact: false });
    expect(first.items.map((a) => a.id)).toEqual(['C19', 'C18', 'C17', 'C16', 'C15']);
    // newer appeals land before the cursor: the next page is unaffected
    await model.apply(stored([appealCreated(T0 + 60_000, { appealId: 'NEW' })]));
    const second = await model.list({ scope: DISTRICT, limit: 5, now: T0, cursor: first.nextCursor! });
    expect(second.items.map((a) => a.id)).toEqual(['C14', 'C13', 'C12', 'C11', 'C10']);
    expect(second).toMatchObject({ total: 21, totalExact: true });

    expect(() => decodeCursor(first.nextCursor!, 'deadline', 'desc')).toThrow(CursorError);
    await expect(model.list({ scope: DISTRICT, limit: 5, now: T0, cursor: 'garbage' })).rejects.toThrow(CursorError);
  });

  it('rebuilds from nothing after a reset', async () => {
    await model.apply(stored([appealCreated(T0, { appealId: 'A' })]));
    await model.reset();
    expect(await model.checkpoint()).toBe(0);
    expect(await model.get('A')).toBeUndefined();
  });
});
