/**
 * The simulator's grid, component and enterprise traffic: river patrols along the river, enterprise
 * checks and appeals in the industrial park, component faults that are repaired (some reported by a
 * scan of their smart code), smart poles that go offline and come back, and repairs resumed after
 * a restart of the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { communitiesTagged, type CityEvent, type EventOf, type IngestResponse } from '@commandhall/shared';
import { DistrictSimulator } from '../src/simulator/district-simulator.ts';
import { makeApp, post, tempDir, testClock } from './helpers.ts';

const HOUR = 3_600_000;
const DAYS = 3;
const [INDUSTRIAL] = communitiesTagged('industrial');
const [RIVER] = communitiesTagged('river');

describe('district simulator: grid, components, enterprises', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock(Date.parse('2026-11-27T08:00:00Z'));
  const sent: CityEvent[] = [];
  let rejected = 0;
  const send = async (events: CityEvent[]) => {
    sent.push(...events);
    const res = (await post(app, events)).json() as IngestResponse;
    rejected += res.rejected + res.duplicate;
    return res;
  };
  const of = <K extends CityEvent['type']>(type: K) => sent.filter((e): e is EventOf<K> => e.type === type);
  let sim: DistrictSimulator;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    sim = new DistrictSimulator(app.geo, { appealsPerDay: 800, speed: 1, seed: 42, utcOffsetMinutes: 480, now: clock.now }, send);
    await sim.backfill(DAYS);
  });
  afterAll(async () => {
    await sim.stop();
    await app.close();
    tmp.remove();
  });

  it('tags one industrial and one river community, and every event it sends is accepted', () => {
    expect(INDUSTRIAL).toBe('440310006004');
    expect(RIVER).toBe('440310002004');
    expect(rejected).toBe(0);
  });

  it('river patrols keep to the river community and its street; enterprise checks mostly in the park', () => {
    const inspections = of('grid_inspection.reported');
    const kinds = new Set(inspections.map((e) => e.data.kind));
    expect([...kinds].sort()).toEqual(['enterprise', 'fire', 'grid', 'river']);
    const river = inspections.filter((e) => e.data.kind === 'river');
    const share = (list: typeof inspections, pred: (c: string) => boolean) =>
      list.filter((e) => pred(e.data.communityCode!)).length / list.length;
    expect(share(river, (c) => c === RIVER)).toBeGreaterThan(0.45);
    expect(share(river, (c) => c.startsWith(RIVER.slice(0, 9)))).toBeGreaterThan(0.8);
    const enterprise = inspections.filter((e) => e.data.kind === 'enterprise');
    expect(share(enterprise, (c) => c === INDUSTRIAL)).toBeGreaterThan(0.4);
    const grid = inspections.filter((e) => e.data.kind === 'grid');
    expect(grid.length / inspections.length).toBeGreaterThan(0.6);
  });

  it('enterprise appeals come mostly from the park, a few percent elsewhere', () => {
    const appeals = of('appeal.created');
    const enterprise = appeals.filter((e) => e.data.reporterKind === 'enterprise');
    expect(enterprise.filter((e) => e.data.communityCode === INDUSTRIAL).length / enterprise.length).toBeGreaterThan(0.5);
    const elsewhere = appeals.filter((e) => e.data.communityCode !== INDUSTRIAL);
    const shareElsewhere = elsewhere.filter((e) => e.data.reporterKind === 'enterprise').length / elsewhere.length;
    expect(shareElsewhere).toBeGreaterThan(0.01);
    expect(shareElsewhere).toBeLessThan(0.05);
    // residents never use the enterprise platform
    expect(appeals.filter((e) => e.data.channel === 'enterprise' && e.data.reporterKind !== 'enterprise')).toEqual([]);
    const m = app.engine.snapshot(`community:${INDUSTRIAL}`)!;
    expect(m['appeals.enterpriseToday']).toBeGreaterThan(0);
    expect(m['appeals.enterpriseOpen']).toBeGreaterThan(0);
  });

  it('components break, go into repair and come back; poles go offline and come back; faults are scanned', () => {
    const changes = of('component.status_changed');
    const faults = changes.filter((e) => e.data.status === 'fault');
    expect(faults.length / DAYS).toBeGreaterThan(60);
    expect(faults.length / DAYS).toBeLessThan(150);
    const lives = new Map<string, string[]>();
    for (const e of changes) lives.set(e.data.componentId, [...(lives.get(e.data.componentId) ?? []), e.data.status]);
    const done = [...lives.values()].filter((l) => l.length >= 3 && l[0] === 'fault');
    expect(done.length).toBeGreaterThan(faults.length / 2);
    for (const l of done.slice(0, 50)) expect(l.slice(0, 3)).toEqual(['fault', 'repairing', 'normal']);
    const offline = changes.filter((e) => e.data.status === 'offline');
    expect(offline.length).toBeGreaterThan(5);
    expect(offline.every((e) => e.data.componentType === 'smart_pole')).toBe(true);
    expect(changes.filter((e) => e.data.status === 'online').length).toBeGreaterThan(offline.length / 2);
    // every event about a component says the same type and community, at the same place
    for (const e of changes)
      expect(e.data.componentId).toBe(`CP-${e.data.communityCode}-${e.data.componentType}-${e.data.componentId.split('-').pop()}`);
    const faulty = new Set(faults.map((e) => e.data.componentId));
    const reports = of('smart_code.scanned').filter((e) => e.data.purpose === 'report' && faulty.has(e.data.codeId));
    expect(reports.length / faults.length).toBeGreaterThan(0.25);
    const d = app.engine.snapshot('district:440310')!;
    expect(d['components.health'].rate).toBeGreaterThan(0.99);
    expect(d['components.health'].rate).toBeLessThan(1);
    expect(d['scans.reportsToday']).toBeGreaterThan(0);
    expect(app.engine.components.size).toBeGreaterThan(10);
  });

  it('a simulator started again finishes the repairs the last one left under way', async () => {
    await sim.stop();
    const held = [...app.engine.components].map(([id, c]) => ({ id, ...c }));
    expect(held.length).toBeGreaterThan(10);
    sim = new DistrictSimulator(app.geo, { appealsPerDay: 100, speed: 1, seed: 43, utcOffsetMinutes: 480, now: clock.now }, send);
    sim.resumeComponents(held);
    for (let i = 0; i < 24; i++) {
      clock.advance(HOUR);
      await sim.tick();
    }
    expect(rejected).toBe(0);
    const still = held.filter((c) => app.engine.components.has(c.id));
    // a few may have broken again since; all the others are back to normal
    expect(still.length).toBeLessThan(held.length * 0.1);
  });
});
