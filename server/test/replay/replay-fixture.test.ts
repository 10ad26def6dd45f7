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
      expect(Object.keys(figures).sort()).toEqual(Object.keys(expected[name]).sort());
      for (const key of Object.keys(expected[name])) expect(figures[key], key).toEqual(expected[name][key]);
    });
  }
});
