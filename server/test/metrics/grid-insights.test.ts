/**
 * Grid, city-component, smart-code and enterprise-appeal figures (GridInsights) against a
 * hand-worked fixture, fed live and replayed at one instant (a restart): both must agree, today
 * and after midnight.
 */
import { describe, expect, it } from 'vitest';
import { GRID_PROFILE_KEYS, communityProfiles, type CityEvent } from '@commandhall/shared';
import {
  at,
  DISTRICT,
  geo,
  KENGZI,
  LIULIAN,
  live,
  logOf,
  replay,
  stateOf,
  STREET_KENGZI,
  STREET_PINGSHAN,
  type Logged,
} from './engine-harness.ts';
import { CityProjections } from '../../src/modules/city-projections.ts';

// "Now" is day D (2026-11-27) 16:00 local.
const NOW = at(0, 16);
/** 新和社区 (坪山街道): registers no footbridge. */
const XINHE = { code: '440310001005', lon: 114.342217, lat: 22.698541 };
const iso = (ms: number) => new Date(ms).toISOString();

const events: Logged[] = [];
let n = 0;
const add = (where: { code: string }, event: Omit<CityEvent, 'id'> & { id?: string }) =>
  events.push({ event: { id: `E${++n}`, ...event } as CityEvent, community: where.code });

const inspection = (time: number, where: typeof LIULIAN, found: number, handled: number, kind?: string) =>
  add(where, {
    type: 'grid_inspection.reported',
    occurredAt: iso(time),
    data: {
      inspectionId: `GI${n}`,
      inspectorId: 'GRID-1',
      location: { lon: where.lon, lat: where.lat },
      communityCode: where.code,
      issuesFound: found,
      issuesHandledOnSite: handled,
      ...(kind ? { kind } : {}),
    },
  } as CityEvent);

const scan = (time: number, where: typeof LIULIAN, purpose: string) =>
  add(where, {
    type: 'smart_code.scanned',
    occurredAt: iso(time),
    data: {
      scanId: `SC${n}`,
      codeId: 'SZ-1',
      componentType: 'street_light',
      purpose,
      location: { lon: where.lon, lat: where.lat },
      communityCode: where.code,
    },
  } as CityEvent);

const component = (time: number, where: typeof LIULIAN, componentId: string, componentType: string, status: string) =>
  add(where, {
    type: 'component.status_changed',
    occurredAt: iso(time),
    data: { componentId, componentType, status, location: { lon: where.lon, lat: where.lat }, communityCode: where.code },
  } as CityEvent);

const appeal = (time: number, where: typeof LIULIAN, appealId: string, category: string, reporterKind?: string) =>
  add(where, {
    type: 'appeal.created',
    occurredAt: iso(time),
    data: {
      appealId,
      channel: 'enterprise',
      nature: 'request',
      category,
      title: 'fixture',
      location: { lon: where.lon, lat: where.lat },
      deadline: iso(time + 10 * 86_400_000),
      ...(reporterKind ? { reporterKind } : {}),
    },
  } as CityEvent);

const move = (time: number, where: typeof LIULIAN, appealId: string, to: string) =>
  add(where, { type: 'appeal.transitioned', occurredAt: iso(time), data: { appealId, to } } as CityEvent);

// Inspections. Today: I1 Liulian (no kind: grid) 2 found 1 handled; I2 Liulian river 1/1;
// I3 Kengzi enterprise 3/0. Yesterday: I4 Liulian grid 1/1. D-29 (the oldest day of the 30): I5
// Kengzi fire. D-30 (outside): I6 Liulian.
inspection(at(0, 9), LIULIAN, 2, 1);
inspection(at(0, 10), LIULIAN, 1, 1, 'river');
inspection(at(0, 11), KENGZI, 3, 0, 'enterprise');
inspection(at(-1, 15), LIULIAN, 1, 1, 'grid');
inspection(at(-29, 12), KENGZI, 0, 0, 'fire');
inspection(at(-30, 12), LIULIAN, 0, 0);

// Scans. Today: report (Liulian), inspection (Kengzi), query (Liulian). D-2: report (Kengzi).
scan(at(0, 8), LIULIAN, 'report');
scan(at(0, 12), KENGZI, 'inspection');
scan(at(0, 13), LIULIAN, 'query');
scan(at(-2, 10), KENGZI, 'report');

// Components. C1 street light (Liulian): fault, then under repair. C2 manhole cover (Kengzi): fault
// D-3, normal again D-1 (forgotten). P1 smart pole (Liulian): offline. P2 smart pole (Liulian): fault
// (still online). P3 smart pole (Kengzi): offline then online again. F1 footbridge in 新和, which
// registers none: counted on top of the registry while it is not normal.
component(at(0, 8), LIULIAN, 'C1', 'street_light', 'fault');
component(at(0, 12), LIULIAN, 'C1', 'street_light', 'repairing');
component(at(-3, 8), KENGZI, 'C2', 'manhole_cover', 'fault');
component(at(-1, 8), KENGZI, 'C2', 'manhole_cover', 'normal');
component(at(0, 14), LIULIAN, 'P1', 'smart_pole', 'offline');
component(at(0, 9), LIULIAN, 'P2', 'smart_pole', 'fault');
component(at(0, 10), KENGZI, 'P3', 'smart_pole', 'offline');
component(at(0, 11), KENGZI, 'P3', 'smart_pole', 'online');
component(at(0, 15), XINHE, 'F1', 'footbridge', 'fault');

// Appeals. EA1 enterprise Liulian cat 8 today, open. EA2 enterprise Kengzi cat 1 today, resolved and
// closed. EA3 enterprise Liulian cat 8 D-2, open. RA1 resident (said so), RA2 resident (by default).
appeal(at(0, 9), LIULIAN, 'EA1', '8', 'enterprise');
appeal(at(0, 10), KENGZI, 'EA2', '1', 'enterprise');
move(at(0, 11), KENGZI, 'EA2', 'resolved');
move(at(0, 12), KENGZI, 'EA2', 'closed');
appeal(at(-2, 9), LIULIAN, 'EA3', '8', 'enterprise');
appeal(at(0, 10), LIULIAN, 'RA1', '5', 'resident');
appeal(at(0, 11), LIULIAN, 'RA2', '5');

const LOG = logOf({ events });

const profilesOf = (codes: (c: string) => boolean) => {
  const sum = Object.fromEntries(GRID_PROFILE_KEYS.map((k) => [k, 0])) as Record<string, number>;
  const components: Record<string, number> = {};
  for (const c of communityProfiles.communities.filter((p) => codes(p.code))) {
    for (const k of GRID_PROFILE_KEYS) sum[k] += c.profile[k];
    for (const [t, v] of Object.entries(c.components)) if (v > 0) components[t] = (components[t] ?? 0) + v;
  }
  return { sum, components, total: Object.values(components).reduce((a, b) => a + b, 0) };
};
const held = (engine: CityProjections) => [...engine.components].sort(([a], [b]) => (a < b ? -1 : 1));

describe('grid, component, smart-code and enterprise figures', () => {
  const { engine } = live(LOG, NOW);
  const district = engine.snapshot(DISTRICT)!;
  const pingshan = engine.snapshot(STREET_PINGSHAN)!;
  const kengzi = engine.snapshot(STREET_KENGZI)!;

  it('grid.profile sums the registry over the scope’s communities', () => {
    expect(communityProfiles.communities).toHaveLength(24);
    const all = profilesOf(() => true);
    expect(district['grid.profile']).toEqual(all.sum);
    expect(all.sum.population).toBe(679_782);
    expect(pingshan['grid.profile']).toEqual(profilesOf((c) => c.startsWith('440310001')).sum);
    expect(engine.snapshot(`community:${LIULIAN.code}`)!['grid.profile']).toEqual(
      communityProfiles.communities.find((c) => c.code === LIULIAN.code)!.profile,
    );
    expect(Object.keys(district['grid.profile'])).toEqual([...GRID_PROFILE_KEYS]);
  });

  it("today's inspections by kind, their issues and what was handled on site; 30 days of inspections", () => {
    expect(district['inspections.today']).toBe(3);
    expect(district['inspections.issuesToday']).toBe(6);
    expect(district['inspections.handledToday']).toBe(2);
    expect(district['inspections.byKind']).toEqual({ grid: 1, river: 1, enterprise: 1, fire: 0 });
    expect(district['inspections.issuesByKind']).toEqual({ grid: 2, river: 1, enterprise: 3, fire: 0 });
    expect(pingshan['inspections.byKind']).toEqual({ grid: 1, river: 1, enterprise: 0, fire: 0 });
    expect(kengzi['inspections.handledToday']).toBe(0);
    const daily = district['inspections.daily'];
    expect(daily).toHaveLength(30);
    expect(daily[0]).toEqual({ date: '2026-10-29', count: 1 }); // D-29: I5; D-30 (I6) is out
    expect(daily[28]).toEqual({ date: '2026-11-26', count: 1 });
    expect(daily[29]).toEqual({ date: '2026-11-27', count: 3 });
    expect(daily.reduce((s, p) => s + p.count, 0)).toBe(5);
    expect(pingshan['inspections.daily'][29].count).toBe(2);
  });

  it("today's scans by purpose, reports, 30 days of scans", () => {
    expect(district['scans.today']).toBe(3);
    expect(district['scans.byPurpose']).toEqual({ inspection: 1, report: 1, query: 1 });
    expect(district['scans.reportsToday']).toBe(1);
    expect(kengzi['scans.byPurpose']).toEqual({ inspection: 1, report: 0, query: 0 });
    expect(kengzi['scans.reportsToday']).toBe(0);
    expect(district['scans.daily'][29].count).toBe(3);
    expect(district['scans.daily'][27]).toEqual({ date: '2026-11-25', count: 1 });
  });

  it('components by type, status and health from the registry and the components not normal', () => {
    const all = profilesOf(() => true);
    // the footbridge of 新和 is counted on top of the registry while it is not normal
    expect(district['components.byType']).toEqual({ ...all.components, footbridge: all.components.footbridge + 1 });
    expect(district['components.byStatus']).toEqual({ normal: all.total + 1 - 4, fault: 2, repairing: 1, offline: 1 });
    expect(district['components.faultsByType']).toEqual({ street_light: 1, smart_pole: 2, footbridge: 1 });
    expect(district['components.health']).toEqual({
      normal: all.total - 3,
      total: all.total + 1,
      rate: Math.round(((all.total - 3) / (all.total + 1)) * 10_000) / 10_000,
    });
    // P1 offline; P2 has a fault but is online; P3 came back
    expect(district['poles.status']).toEqual({ online: 473, total: 474, faults: 1, rate: Math.round((473 / 474) * 10_000) / 10_000 });
    const k = profilesOf((c) => c.startsWith('440310005'));
    expect(kengzi['components.byStatus']).toEqual({ normal: k.total, fault: 0, repairing: 0, offline: 0 });
    expect(kengzi['components.faultsByType']).toEqual({});
    expect(kengzi['poles.status']).toEqual({ online: k.components.smart_pole, total: k.components.smart_pole, faults: 0, rate: 1 });
    const xinhe = engine.snapshot(`community:${XINHE.code}`)!;
    expect(xinhe['components.byType'].footbridge).toBe(1);
    expect(xinhe['components.health'].total).toBe(profilesOf((c) => c === XINHE.code).total + 1);
    // only the components not normal are held, one by one
    expect(held(engine)).toEqual([
      ['C1', { type: 'street_light', status: 'repairing', community: LIULIAN.code, place: LIULIAN.code }],
      ['F1', { type: 'footbridge', status: 'fault', community: XINHE.code, place: XINHE.code }],
      ['P1', { type: 'smart_pole', status: 'offline', community: LIULIAN.code, place: LIULIAN.code }],
      ['P2', { type: 'smart_pole', status: 'fault', community: LIULIAN.code, place: LIULIAN.code }],
    ]);
  });

  it('without a registry entry a scope counts no components, and a component that breaks there counts while it is not normal', () => {
    const empty = new CityProjections(geo, {
      utcOffsetMinutes: 480,
      now: () => NOW,
      profiles: { version: 1, note: 'none', district: '440310', communities: [] },
    });
    const zero = empty.snapshot(DISTRICT)!;
    expect(zero['grid.profile']).toEqual(Object.fromEntries(GRID_PROFILE_KEYS.map((k) => [k, 0])));
    expect(zero['components.byType']).toEqual({});
    expect(zero['components.health']).toEqual({ normal: 0, total: 0, rate: null });
    expect(zero['poles.status']).toEqual({ online: 0, total: 0, faults: 0, rate: null });
    const pole = (status: string, seq: number) =>
      empty.apply({
        event: {
          id: `pole.${seq}`,
          type: 'component.status_changed',
          occurredAt: iso(at(0, 9 + seq)),
          data: { componentId: 'P9', componentType: 'smart_pole', status, location: { lon: LIULIAN.lon, lat: LIULIAN.lat } },
        } as CityEvent,
        community: LIULIAN.code,
        producer: 'test',
        receivedAt: at(0, 9 + seq),
        seq,
      });
    pole('offline', 1);
    const broken = empty.snapshot(DISTRICT)!;
    expect(broken['components.byType']).toEqual({ smart_pole: 1 });
    expect(broken['components.byStatus']).toEqual({ normal: 0, fault: 0, repairing: 0, offline: 1 });
    expect(broken['components.health']).toEqual({ normal: 0, total: 1, rate: 0 });
    expect(broken['poles.status']).toEqual({ online: 0, total: 1, faults: 0, rate: 0 });
    pole('online', 2);
    // every figure is back where it started; the ticker keeps both changes, newest first
    const { recent, ...back } = empty.snapshot(DISTRICT)!;
    const { recent: none, ...start } = zero;
    expect(back).toEqual(start);
    expect(none).toEqual([]);
    expect(recent.map((r) => [r.id, r.status])).toEqual([
      ['pole.2', 'normal'],
      ['pole.1', 'offline'],
    ]);
    expect(empty.components.size).toBe(0);
  });

  it('enterprise appeals: today, open now, by category', () => {
    expect(district['appeals.today']).toBe(4);
    expect(district['appeals.enterpriseToday']).toBe(2);
    expect(district['appeals.enterpriseOpen']).toBe(2); // EA1 and EA3; EA2 closed
    expect(district['appeals.enterpriseByCategory']).toEqual({ '8': 1, '1': 1 });
    expect(pingshan['appeals.enterpriseToday']).toBe(1);
    expect(pingshan['appeals.enterpriseOpen']).toBe(2);
    expect(kengzi['appeals.enterpriseOpen']).toBe(0);
    expect(kengzi['appeals.enterpriseByCategory']).toEqual({ '1': 1 });
  });

  it('a replay of the same log at the same instant gives the same figures and components', () => {
    const again = replay(LOG, NOW);
    expect(stateOf(again)).toEqual(stateOf(engine));
    expect(held(again)).toEqual(held(engine));
  });

  it("after midnight today's figures start again, the series move on and the registry stays; live and replayed alike", () => {
    const next = at(1, 9);
    const { engine: moved } = live(LOG, next);
    const m = moved.snapshot(DISTRICT)!;
    expect(m['inspections.byKind']).toEqual({ grid: 0, river: 0, enterprise: 0, fire: 0 });
    expect(m['inspections.issuesByKind']).toEqual({ grid: 0, river: 0, enterprise: 0, fire: 0 });
    expect(m['inspections.handledToday']).toBe(0);
    expect(m['inspections.daily'][29]).toEqual({ date: '2026-11-28', count: 0 });
    expect(m['inspections.daily'][28].count).toBe(3);
    expect(m['inspections.daily'][27].count).toBe(1);
    expect(m['inspections.daily'].reduce((s, p) => s + p.count, 0)).toBe(4); // D-29 left the window
    expect(m['scans.byPurpose']).toEqual({ inspection: 0, report: 0, query: 0 });
    expect(m['scans.daily'][28].count).toBe(3);
    expect(m['appeals.enterpriseToday']).toBe(0);
    expect(m['appeals.enterpriseByCategory']).toEqual({});
    expect(m['appeals.enterpriseOpen']).toBe(2);
    for (const k of [
      'components.byType',
      'components.byStatus',
      'components.faultsByType',
      'components.health',
      'poles.status',
      'grid.profile',
    ] as const)
      expect(m[k]).toEqual(district[k]);
    expect(stateOf(replay(LOG, next))).toEqual(stateOf(moved));
  });
});
