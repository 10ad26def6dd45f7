/**
 * A log written before the core was restructured replays to the same figures: every scope's
 * snapshot and the district's alert and appeal lists, at the log's end, hours later (deadlines
 * and escalations fired by the clock alone) and the next day (the day rolled over).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { tempDir, testClock } from '../helpers.ts';
import { FIGURES_FILE, READ_AT, figuresOf, openReplayed, readLog, type Figures } from './fixture.ts';

const expected = JSON.parse(gunzipSync(readFileSync(FIGURES_FILE)).toString('utf8')) as Record<string, Figures>;

/** A community's map figures summed over its cells, keyed by the community (its form before grid cells). */
function asBefore(key: string, figures: unknown): unknown {
  if (!key.startsWith('metrics community:')) return figures;
  const community = key.slice('metrics community:'.length);
  const m = { ...(figures as Record<string, Record<string, Record<string, number | null>>>) };
  for (const map of ['map.communities', 'map.alerts']) {
    const sum: Record<string, number | null> = {};
    for (const cell of Object.values(m[map] ?? {})) for (const [k, v] of Object.entries(cell)) sum[k] = (sum[k] ?? 0)! + (v ?? 0);
    m[map] = { [community]: sum };
  }
  return m;
}

describe('a log from before the restructuring', () => {
  const tmp = tempDir();
  const clock = testClock(READ_AT.end);
  let app: FastifyInstance;
  const log = readLog();

  beforeAll(async () => {
    app = await openReplayed(tmp.dir, log, clock.now);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('is a whole district: appeals, alerts, inspections, scans and components', () => {
    const types = new Set(log.map((e) => e.event.type));
    for (const t of [
      'appeal.created',
      'appeal.transitioned',
      'appeal.extension',
      'video_alert.raised',
      'video_alert.dismissed',
      'video_alert.confirmed',
      'grid_inspection.reported',
      'smart_code.scanned',
      'component.status_changed',
    ])
      expect(types, t).toContain(t);
    expect(log.length).toBeGreaterThan(2000);
  });

  for (const [name, at] of Object.entries(READ_AT)) {
    it(`replays to the same figures (${name})`, async () => {
      clock.set(at);
      const figures = await figuresOf(app);
      // the log was written before grid cells: the areas it knew replay to what they were; the
      // cells below them are new, and a community's map (now of its cells) adds up to what it was
      const cells = Object.keys(figures).filter((k) => k.startsWith('metrics grid:'));
      expect(cells).toHaveLength(app.geo.cells.length);
      expect(
        Object.keys(figures)
          .filter((k) => !k.startsWith('metrics grid:'))
          .sort(),
      ).toEqual(Object.keys(expected[name]).sort());
      for (const key of Object.keys(expected[name])) expect(asBefore(key, figures[key]), key).toEqual(expected[name][key]);
    });
  }
});
