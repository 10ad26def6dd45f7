import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { IMMEDIATE_ELIGIBLE_NATURES, type IngestResponse } from '@commandhall/shared';
import { DistrictSimulator } from '../src/simulator/district-simulator.ts';
import { makeApp, post, tempDir, testClock } from './helpers.ts';

describe('district simulator', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock(Date.parse('2026-11-27T08:00:00Z')); // 16:00 local
  let sim: DistrictSimulator;
  const responses: IngestResponse[] = [];

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    // through the ingest route, as every producer
    sim = new DistrictSimulator(
      app.geo,
      { appealsPerDay: 800, speed: 1, seed: 42, utcOffsetMinutes: 480, now: clock.now },
      async (events) => {
        const res = (await post(app, events)).json() as IngestResponse;
        responses.push(res);
        return res;
      },
    );
    await sim.backfill(7);
  });
  afterAll(async () => {
    await sim.stop();
    await app.close();
    tmp.remove();
  });

  it('sends only events the ingest API accepts', () => {
    expect(responses.length).toBeGreaterThan(10);
    expect(responses.reduce((s, r) => s + r.rejected + r.duplicate, 0)).toBe(0);
  });

  it('produces a believable week: volume, mixes, mostly on time, about 88 % immediate', () => {
    const appeals = [...app.engine.appeals.values()];
    const perDay = appeals.length / 7;
    expect(perDay).toBeGreaterThan(800); // plus appeals from confirmed video alerts
    expect(perDay).toBeLessThan(1300);
    const share = (pred: (a: (typeof appeals)[number]) => boolean, of = appeals) => of.filter(pred).length / of.length;
    expect(share((a) => a.channel === 'hotline_12345')).toBeGreaterThan(0.25);
    expect(share((a) => a.category === '5')).toBeGreaterThan(0.12);
    expect(new Set(appeals.map((a) => a.community)).size).toBe(24);
    expect(new Set(appeals.map((a) => a.category)).size).toBeGreaterThanOrEqual(15);
    const closed = appeals.filter((a) => a.status === 'closed' && a.resolvedAt !== null);
    expect(share((a) => a.resolvedAt! <= a.deadline, closed)).toBeGreaterThan(0.9);
    const eligible = appeals.filter((a) => IMMEDIATE_ELIGIBLE_NATURES.has(a.nature) && a.resolvedAt !== null);
    const immediate = share((a) => a.resolvedAt! - a.createdAt <= 3_600_000, eligible);
    expect(immediate).toBeGreaterThan(0.8);
    expect(immediate).toBeLessThan(0.96);
    const today = app.engine.snapshot('district:440310')!;
    expect(today['appeals.hourlyToday'][3]).toBeLessThan(today['appeals.hourlyToday'][10]); // night is quieter than mid-morning
    expect(today['alerts.today']).toBeGreaterThan(50);
    expect(today['inspections.today']).toBeGreaterThan(100);
    expect(today['scans.today']).toBeGreaterThan(50);
    expect(today['appeals.overdue']).toBeGreaterThan(0);
  });

  it('keeps the district alive in real time, faster with the speed-up', async () => {
    const before = app.engine.lastSeq;
    for (let i = 0; i < 10; i++) {
      clock.advance(60_000);
      await sim.tick();
    }
    expect(app.engine.lastSeq).toBeGreaterThan(before);
  });
});
