/**
 * The SQLite appeals read model's own promises: what every read model does (the fold, the
 * checkpoint, filters, paging, counts) is checked on SQLite and PostgreSQL alike in
 * read-model-contract.test.ts; here, the query plans SQLite is tuned for.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/core/store/event-store.ts';
import { SqliteAppealReadModel } from '../../src/modules/appeals/sqlite-appeal-read-model.ts';
import { tempDir, KENGZI, LIULIAN } from '../helpers.ts';
import { created } from './fixtures.ts';

const T0 = Date.parse('2026-11-20T02:00:00Z');
const HOUR = 3_600_000;
const DISTRICT = 'district:440310';

describe('appeals read model on SQLite', () => {
  let tmp: ReturnType<typeof tempDir>;
  let model: SqliteAppealReadModel;
  beforeEach(() => {
    tmp = tempDir();
    model = new SqliteAppealReadModel(tmp.dir);
  });
  afterEach(async () => {
    await model.close();
    tmp.remove();
  });

  it('pages enterprise appeals along the sort’s index, and counts them from their partial index alone', async () => {
    const events = [
      created(T0, 'R1'),
      created(T0 + HOUR, 'E1', { reporterKind: 'enterprise' }),
      created(T0 + 2 * HOUR, 'E2', { reporterKind: 'enterprise', community: KENGZI.code }),
    ];
    await model.apply(
      events.map((event, i): StoredEvent => ({
        seq: i + 1,
        event,
        community: i === 2 ? KENGZI.code : LIULIAN.code,
        producer: 'test',
        receivedAt: T0,
      })),
    );
    const now = T0 + 5 * HOUR;
    expect((await model.list({ scope: DISTRICT, reporterKind: 'enterprise', limit: 50, now })).items.map((a) => a.id)).toEqual([
      'E2',
      'E1',
    ]);
    for (const scope of [DISTRICT, `street:${LIULIAN.code.slice(0, 9)}`, `community:${LIULIAN.code}`]) {
      const plan = model.explain({ scope, reporterKind: 'enterprise', limit: 50, now });
      expect(plan.count.join(' | '), scope).toMatch(/USING COVERING INDEX appeals_community_enterprise/);
      expect(plan.page.join(' | '), scope).not.toMatch(/appeals_community_enterprise/);
    }
  });
});
