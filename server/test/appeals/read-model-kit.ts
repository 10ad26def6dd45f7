/**
 * What the read model contract test (read-model-contract.test.ts) runs on: the two stores opened
 * fresh for a case (SQLite in a temporary folder, PostgreSQL in a database of its own), events as
 * the log stores them, a quarantine in memory, and the busy log with the grid of queries that both
 * stores must answer alike.
 */
import { expect } from 'vitest';
import type pg from 'pg';
import type { CityEvent } from '@commandhall/shared';
import type { StoredEvent } from '../../src/core/store/event-store.ts';
import type { FoldFailures } from '../../src/core/store/quarantine.ts';
import { openPool } from '../../src/core/store/open-postgres.ts';
import { SqliteAppealReadModel } from '../../src/modules/appeals/sqlite-appeal-read-model.ts';
import { PostgresAppealReadModel } from '../../src/modules/appeals/postgres-appeal-read-model.ts';
import type { AppealQuery, AppealReadModel } from '../../src/modules/appeals/appeal-read-model.ts';
import { tempDir, KENGZI, LIULIAN } from '../helpers.ts';
import { freshDatabase } from '../services.ts';
import { extension, moved, toStatus, SIBLING } from './fixtures.ts';

export const T0 = Date.parse('2026-11-20T02:00:00Z');
export const HOUR = 3_600_000;
export const DISTRICT = 'district:440310';
export const STREET = `street:${LIULIAN.code.slice(0, 9)}`;

/** Events as the log stores them, numbered from `from`. */
export const storedFrom = (from: number, events: CityEvent[], community = LIULIAN.code): StoredEvent[] =>
  events.map((event, i) => ({ seq: from + i, event, community, producer: 'test', receivedAt: T0 }));

/** A quarantine in memory: what it was given, and the seqs it holds. */
export function quarantine(): FoldFailures & { seqs: number[] } {
  const seqs: number[] = [];
  return { seqs, holds: (seq) => seqs.includes(seq), failed: (e) => void seqs.push(e.seq) };
}

export interface Opened {
  model: AppealReadModel;
  /** The same store opened again (a restart): the old model is closed. */
  reopen: () => Promise<AppealReadModel>;
  close: () => Promise<void>;
}
export interface Kind {
  name: string;
  open: () => Promise<Opened>;
}

export const sqlite: Kind = {
  name: 'SQLite',
  open: async () => {
    const tmp = tempDir();
    const o: Opened = {
      model: new SqliteAppealReadModel(tmp.dir),
      reopen: async () => (await o.model.close(), (o.model = new SqliteAppealReadModel(tmp.dir))),
      close: async () => (await o.model.close(), tmp.remove()),
    };
    return o;
  },
};

/** A fresh database, and pools on it (each one a node); `close` ends them and drops it. */
export async function postgresDatabase() {
  const db = await freshDatabase();
  const pools: pg.Pool[] = [];
  return {
    pool: () => {
      const p = openPool(db.url, 4);
      pools.push(p);
      return p;
    },
    close: async () => {
      for (const p of pools) await p.end();
      await db.drop();
    },
  };
}
export const postgres: Kind = {
  name: 'PostgreSQL',
  open: async () => {
    const db = await postgresDatabase();
    const o: Opened = {
      model: await PostgresAppealReadModel.open(db.pool()),
      // another pool: a node started again, nothing kept in memory
      reopen: async () => (await o.model.close(), (o.model = await PostgresAppealReadModel.open(db.pool()))),
      close: async () => (await o.model.close(), await db.close()),
    };
    return o;
  },
};

/** Appeals in three communities and two streets, in every state, with ties, codes and extensions. */
export function busyLog(): CityEvent[] {
  const events: CityEvent[] = [];
  const statuses = ['collected', 'verified', 'dispatched', 'handling', 'resolved', 'closed', 'rejected'];
  const communities = [LIULIAN.code, SIBLING.code, KENGZI.code];
  for (let i = 0; i < 42; i++) {
    const id = `B${String(i).padStart(2, '0')}`;
    const at = T0 + Math.floor(i / 3) * HOUR; // three at each instant
    events.push(
      ...toStatus(at, id, statuses[i % 7], {
        community: communities[i % 3],
        category: ['3', '5', '7'][(i % 4) % 3],
        ...(i % 4 === 0 ? { subcategory: '0501' } : {}),
        channel: i % 5 === 0 ? 'wechat' : 'hotline_12345',
        nature: i % 2 ? 'complaint' : 'request',
        ...(i % 6 === 0 ? { reporterKind: 'enterprise' as const } : {}),
        ...(i % 3 === 0 ? { deadline: T0 + (i % 9) * HOUR } : {}),
      }),
    );
    if (i % 4 === 1) events.push(extension(at + HOUR, id, 'requested', { until: new Date(at + 90 * HOUR).toISOString() }));
    if (i % 8 === 1) events.push(extension(at + 2 * HOUR, id, 'approved'));
    if (statuses[i % 7] === 'resolved' && i % 2) events.push(moved(at + 3 * HOUR, id, 'handling'), moved(at + 4 * HOUR, id, 'resolved'));
    if (statuses[i % 7] === 'closed') events.push(moved(at + 5 * HOUR, id, 'handling'));
  }
  return events;
}

/** Every query of a grid answered alike by both models: each page, cursor, count and record, every timeline. */
export async function expectSameAnswers(a: AppealReadModel, b: AppealReadModel): Promise<void> {
  expect(await b.checkpoint()).toBe(await a.checkpoint());
  const now = T0 + 6 * HOUR;
  const scopes = [DISTRICT, STREET, `street:${KENGZI.code.slice(0, 9)}`, `community:${LIULIAN.code}`, `community:${SIBLING.code}`];
  const filters: Partial<AppealQuery>[] = [
    {},
    { statuses: ['handling'] },
    { statuses: ['collected', 'resolved', 'closed'] },
    { category: '5' },
    { subcategory: '0501' },
    { channel: 'wechat', nature: 'request' },
    { reporterKind: 'enterprise' },
    { reporterKind: 'resident', overdue: true },
    { overdue: false },
    { extensionPending: true },
    { extensionPending: false, createdFrom: T0 + 2 * HOUR, createdTo: T0 + 9 * HOUR },
    { ids: ['B01', 'B02', 'B17', 'B40', 'nope'] },
  ];
  let pages = 0;
  for (const scope of scopes)
    for (const filter of filters)
      for (const sort of ['created', 'deadline', 'status'] as const)
        for (const order of ['asc', 'desc'] as const) {
          let cursor: string | undefined;
          do {
            const q: AppealQuery = { scope, ...filter, sort, order, limit: 4, now, countCap: 6, cursor };
            const [pa, pb] = [await a.list(q), await b.list(q)];
            expect(pb, JSON.stringify(q)).toEqual(pa);
            cursor = pa.nextCursor ?? undefined;
            pages++;
          } while (cursor);
        }
  expect(pages).toBeGreaterThan(scopes.length * filters.length * 6);
  for (let i = 0; i < 42; i++) {
    const id = `B${String(i).padStart(2, '0')}`;
    expect(await b.get(id), id).toEqual(await a.get(id));
    expect(await b.timeline(id), id).toEqual(await a.timeline(id));
  }
}
