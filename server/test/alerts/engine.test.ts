/**
 * Video alerts in the projection engine, driven with a hand-moved clock: repeated detections
 * merging (window, aliases acting on the alert, absorbed steps), escalation community → street →
 * district by timers and by event times, the alert figures, and replay reaching the live state.
 */
import { describe, expect, it } from 'vitest';
import type { CityEvent } from '@commandhall/shared';
import type { CityProjections } from '../../src/modules/city-projections.ts';
import type { AlertChange } from '../../src/modules/alerts/alert-state.ts';
import type { StoredEvent } from '../../src/core/store/event-store.ts';
import {
  DISTRICT,
  KENGZI,
  LIULIAN,
  MIN,
  HOUR,
  DAY,
  STREET_KENGZI,
  STREET_PINGSHAN,
  at,
  clockAt,
  geo,
  newEngine,
  stateOf,
} from '../metrics/engine-harness.ts';
import { CityProjections as Engine } from '../../src/modules/city-projections.ts';

const COMMUNITY = `community:${LIULIAN.code}`;
const iso = (ms: number) => new Date(ms).toISOString();

function raised(
  id: string,
  t: number,
  o: Partial<{ camera: string; algorithm: string; where: typeof LIULIAN; snapshot: string; confidence: number }> = {},
): CityEvent {
  const where = o.where ?? LIULIAN;
  return {
    id: `${id}.raised`,
    type: 'video_alert.raised',
    occurredAt: iso(t),
    data: {
      alertId: id,
      cameraId: o.camera ?? 'CAM-A',
      algorithm: o.algorithm ?? 'shop_outside',
      confidence: o.confidence ?? 0.8,
      location: { lon: where.lon, lat: where.lat },
      communityCode: where.code,
      ...(o.snapshot ? { snapshotUrl: o.snapshot } : {}),
    },
  };
}

let n = 0;
function step(alertId: string, to: 'acknowledged' | 'confirmed' | 'dismissed', t: number, extra: Record<string, string> = {}): CityEvent {
  return {
    id: `${alertId}.${to}.${++n}`,
    type: `video_alert.${to}`,
    occurredAt: iso(t),
    data: { alertId, ...(to === 'dismissed' ? { reason: '误报' } : {}), ...extra },
  } as CityEvent;
}

function appealEvents(appealId: string, t: number, tos: [string, number][]): CityEvent[] {
  return [
    {
      id: `${appealId}.created`,
      type: 'appeal.created',
      occurredAt: iso(t),
      data: {
        appealId,
        channel: 'video_ai',
        nature: 'request',
        category: '5',
        subcategory: '5-08',
        title: '店外经营',
        location: { lon: LIULIAN.lon, lat: LIULIAN.lat },
      },
    },
    ...tos.map(
      ([to, when], i) =>
        ({ id: `${appealId}.${i}.${to}`, type: 'appeal.transitioned', occurredAt: iso(when), data: { appealId, to } }) as CityEvent,
    ),
  ];
}

/** Events as the log holds them: each stored when it happened, placed in its community. */
function logOf(events: CityEvent[]): StoredEvent[] {
  return events.map((event, k) => {
    const d = event.data as { communityCode?: string; location?: unknown };
    return {
      event,
      community: d.communityCode ?? (d.location ? LIULIAN.code : null),
      producer: 'test',
      receivedAt: Date.parse(event.occurredAt),
      seq: k + 1,
    };
  });
}

/** An engine fed live: the clock at each event's time, advanced before each; changes recorded. */
function feed(events: CityEvent[], end: number, engineOpts: ConstructorParameters<typeof Engine>[1]['alerts'] = {}) {
  const log = logOf(events);
  const clock = clockAt(log.length ? log[0].receivedAt : end);
  const engine = new Engine(geo, { utcOffsetMinutes: 480, now: clock.now, alerts: engineOpts });
  const changes: AlertChange[] = [];
  engine.onAlertChange((c) => changes.push(c));
  for (const s of log) {
    clock.set(s.receivedAt);
    engine.advance();
    engine.apply(s);
  }
  clock.set(end);
  engine.advance();
  return { engine, clock, changes, log };
}

function replayAt(log: StoredEvent[], now: number, engineOpts: ConstructorParameters<typeof Engine>[1]['alerts'] = {}): CityProjections {
  const engine = new Engine(geo, { utcOffsetMinutes: 480, now: () => now, alerts: engineOpts });
  for (const s of log) engine.apply(s);
  engine.advance();
  return engine;
}

const alertsOf = (e: CityProjections) => [...e.alerts.values()].sort((a, b) => a.id.localeCompare(b.id));
const fullState = (e: CityProjections) => ({ ...stateOf(e), alerts: alertsOf(e) });

describe('merging repeated detections', () => {
  const t0 = at(0, 10);

  it('merges detections of the same camera and algorithm within the window of the last one; others raise new alerts', () => {
    const events = [
      raised('A', t0, { snapshot: '/s/1', confidence: 0.7 }),
      raised('B', t0 + 4 * MIN, { snapshot: '/s/2', confidence: 0.9 }), // 4 min after A: merges
      raised('C', t0 + 13 * MIN, { confidence: 0.6 }), // 9 min after B, 13 after A: the window slides from the last detection
      raised('D', t0 + 24 * MIN), // 11 min after C: a new alert
      raised('E', t0 + 25 * MIN, { algorithm: 'street_hanging' }), // another algorithm
      raised('F', t0 + 25 * MIN, { camera: 'CAM-B' }), // another camera
    ];
    const { engine, changes } = feed(events, t0 + 26 * MIN);
    expect([...engine.alerts.keys()].sort()).toEqual(['A', 'D', 'E', 'F']);
    const a = engine.alerts.get('A')!;
    expect(a).toMatchObject({ count: 3, aliases: ['B', 'C'], lastDetectedAt: t0 + 13 * MIN, raisedAt: t0, confidence: 0.9 });
    expect(a.snapshotUrl).toBe('/s/2'); // the latest detection that had a picture
    expect(engine.alerts.get('D')!.count).toBe(1);
    expect(engine.alertOf('B')!.id).toBe('A');
    expect(engine.alertOf('C')!.id).toBe('A');
    expect(engine.detectionsOf(a)).toEqual([
      { id: 'A', status: 'raised' },
      { id: 'B', status: 'raised' },
      { id: 'C', status: 'raised' },
    ]);
    const notEscalations = changes.filter((c) => c.kind !== 'escalated');
    expect(notEscalations.map((c) => [c.kind, c.alert.id, c.detectionId ?? null])).toEqual([
      ['raised', 'A', null],
      ['merged', 'A', 'B'],
      ['merged', 'A', 'C'],
      ['raised', 'D', null],
      ['raised', 'E', null],
      ['raised', 'F', null],
    ]);
    expect(notEscalations[2].alert.count).toBe(3);
    expect(changes.filter((c) => c.kind === 'escalated').map((c) => [c.alert.id, c.alert.level])).toEqual([
      ['A', 'street'],
      ['A', 'district'],
    ]);

    const d = engine.snapshot(DISTRICT)!;
    expect(d['alerts.today']).toBe(4);
    expect(d['alerts.detectionsToday']).toBe(6);
    expect(d['alerts.pending']).toBe(4);
    expect(d['alerts.open']).toBe(4);
    expect(d['alerts.byAlgorithm']).toEqual({ shop_outside: 3, street_hanging: 1 });
    expect(d['alerts.byCommunity']).toEqual({ [LIULIAN.code]: 4 });
  });

  it('uses a configured window', () => {
    const events = [raised('A', t0), raised('B', t0 + 4 * MIN)];
    expect(feed(events, t0 + 5 * MIN, { mergeWindowMs: 3 * MIN }).engine.alerts.size).toBe(2);
    expect(feed(events, t0 + 5 * MIN, { mergeWindowMs: 5 * MIN }).engine.alerts.size).toBe(1);
  });

  it('never merges into a decided alert: a detection after the decision raises a new one', () => {
    const events = [raised('A', t0), step('A', 'dismissed', t0 + MIN), raised('B', t0 + 2 * MIN)];
    const { engine } = feed(events, t0 + 3 * MIN);
    expect(engine.alerts.get('A')!.status).toBe('dismissed');
    expect(engine.alerts.get('B')!).toMatchObject({ status: 'raised', count: 1 });
  });

  it('merges into an acknowledged alert (still open), which stays acknowledged', () => {
    const events = [raised('A', t0), step('A', 'acknowledged', t0 + MIN), raised('B', t0 + 2 * MIN)];
    const { engine } = feed(events, t0 + 3 * MIN);
    expect(engine.alerts.get('A')!).toMatchObject({ status: 'acknowledged', count: 2 });
    expect(engine.snapshot(DISTRICT)!['alerts.pending']).toBe(0);
    expect(engine.snapshot(DISTRICT)!['alerts.open']).toBe(1);
  });

  it('an alias acts on the alert; a step the alert has taken already is absorbed; replay gives the same state', () => {
    const events = [
      raised('A', t0),
      raised('B', t0 + 2 * MIN),
      step('B', 'acknowledged', t0 + 3 * MIN), // acts: A acknowledged
      step('A', 'acknowledged', t0 + 4 * MIN), // absorbed: A's own detection catches up
      step('A', 'dismissed', t0 + 5 * MIN), // acts: A dismissed
      step('B', 'confirmed', t0 + 6 * MIN, { appealId: 'AP-X' }), // absorbed: the alert is decided
      step('B', 'dismissed', t0 + 7 * MIN), // refused for B's own lifecycle (confirmed is final): ignored
    ];
    const end = t0 + 8 * MIN;
    const { engine, changes, log } = feed(events, end);
    const a = engine.alerts.get('A')!;
    expect(a).toMatchObject({
      status: 'dismissed',
      ownStatus: 'dismissed',
      acknowledgedAt: t0 + 3 * MIN,
      decidedAt: t0 + 5 * MIN,
      appealId: null,
      reason: '误报',
    });
    expect(engine.detectionsOf(a)).toEqual([
      { id: 'A', status: 'dismissed' },
      { id: 'B', status: 'confirmed' },
    ]);
    expect(changes.map((c) => c.kind)).toEqual(['raised', 'merged', 'acknowledged', 'dismissed']);
    expect(fullState(replayAt(log, end))).toEqual(fullState(engine));
  });
});

describe('escalation', () => {
  const t0 = at(0, 10);

  it('escalates an unacknowledged alert to the street after 5 minutes and the district 10 minutes later, by the clock', () => {
    const clock = clockAt(t0);
    const engine = newEngine(clock);
    const changes: AlertChange[] = [];
    engine.onAlertChange((c) => changes.push(c));
    engine.apply(logOf([raised('A', t0)])[0]);
    const levels = () => ({
      community: engine.snapshot(COMMUNITY)!['alerts.pendingByLevel'],
      escalated: [COMMUNITY, STREET_PINGSHAN, DISTRICT, STREET_KENGZI].map((s) => engine.snapshot(s)!['alerts.escalated']),
    });
    expect(engine.alerts.get('A')!.level).toBe('community');

    clock.set(t0 + 5 * MIN - 1);
    engine.advance();
    expect(engine.alerts.get('A')!.level).toBe('community');
    expect(changes.map((c) => c.kind)).toEqual(['raised']);

    clock.set(t0 + 5 * MIN);
    engine.index.takeDirty();
    engine.advance();
    expect(engine.alerts.get('A')!).toMatchObject({ level: 'street', escalatedAt: t0 + 5 * MIN });
    expect(changes.map((c) => [c.kind, c.alert.level, c.alert.escalated])).toEqual([
      ['raised', 'community', false],
      ['escalated', 'street', true],
    ]);
    expect(changes[1].alert.escalatedAt).toBe(iso(t0 + 5 * MIN));
    expect(engine.tick()).toEqual(new Set([COMMUNITY, STREET_PINGSHAN, DISTRICT]));
    expect(levels()).toEqual({ community: { community: 0, street: 1, district: 0 }, escalated: [1, 1, 1, 0] });

    clock.set(t0 + 15 * MIN - 1);
    engine.advance();
    expect(engine.alerts.get('A')!.level).toBe('street');
    clock.set(t0 + 15 * MIN);
    engine.advance();
    expect(engine.alerts.get('A')!).toMatchObject({ level: 'district', escalatedAt: t0 + 15 * MIN });
    expect(changes.map((c) => c.kind)).toEqual(['raised', 'escalated', 'escalated']);
    expect(levels()).toEqual({ community: { community: 0, street: 0, district: 1 }, escalated: [1, 1, 1, 0] });

    // acknowledged at last: no longer pending, its level stays what it reached
    clock.set(t0 + 20 * MIN);
    engine.advance();
    engine.apply({ ...logOf([step('A', 'acknowledged', t0 + 20 * MIN)])[0], seq: 2 });
    expect(engine.alerts.get('A')!).toMatchObject({ status: 'acknowledged', level: 'district' });
    expect(levels()).toEqual({ community: { community: 0, street: 0, district: 0 }, escalated: [0, 0, 0, 0] });
    clock.set(t0 + 2 * HOUR);
    engine.advance();
    expect(changes.map((c) => c.kind)).toEqual(['raised', 'escalated', 'escalated', 'acknowledged']);
  });

  it('follows configured delays', () => {
    const { engine } = feed([raised('A', t0)], t0 + 3 * MIN, { escalateToStreetMs: 2 * MIN, escalateToDistrictMs: MIN });
    expect(engine.alerts.get('A')!.level).toBe('district');
  });

  it('judges the level by event times: an acknowledgement that happened in time keeps the alert at community level, however late it arrives', () => {
    const clock = clockAt(t0);
    const engine = newEngine(clock);
    engine.apply(logOf([raised('A', t0)])[0]);
    clock.set(t0 + 30 * MIN);
    engine.advance();
    expect(engine.alerts.get('A')!.level).toBe('district');
    engine.apply({ ...logOf([step('A', 'acknowledged', t0 + 3 * MIN)])[0], seq: 2, receivedAt: t0 + 30 * MIN });
    expect(engine.alerts.get('A')!).toMatchObject({ level: 'community', escalatedAt: null });
    expect(engine.snapshot(DISTRICT)!['alerts.escalated']).toBe(0);
  });

  it('a replay reaches the levels the live run reached, pending and answered alike', () => {
    const events = [
      raised('A', t0), // acknowledged after 7 min: street
      raised('B', t0 + MIN, { camera: 'CAM-B' }), // never answered: district by the end
      raised('C', t0 + 2 * MIN, { camera: 'CAM-C' }), // dismissed after 2 min: community
      raised('K', t0 + 3 * MIN, { camera: 'CAM-K', where: KENGZI }), // 坑梓: pending, district by the end
      step('C', 'dismissed', t0 + 4 * MIN),
      step('A', 'acknowledged', t0 + 7 * MIN),
      raised('Z', t0 + 8 * MIN, { camera: 'CAM-Z' }), // 12 min old at the end: street
    ];
    const end = t0 + 20 * MIN;
    const { engine, log } = feed(events, end);
    expect(Object.fromEntries(alertsOf(engine).map((a) => [a.id, a.level]))).toEqual({
      A: 'street',
      B: 'district',
      C: 'community',
      K: 'district',
      Z: 'street',
    });
    expect(fullState(replayAt(log, end))).toEqual(fullState(engine));
    const d = engine.snapshot(DISTRICT)!;
    expect(d['alerts.pendingByLevel']).toEqual({ community: 0, street: 1, district: 2 });
    expect(d['alerts.escalated']).toBe(3);
    expect(engine.snapshot(STREET_KENGZI)!['alerts.escalated']).toBe(1);
    expect(engine.snapshot(STREET_PINGSHAN)!['alerts.escalated']).toBe(2);
  });
});

describe('alert figures', () => {
  it('queue: open alerts of the scope, newest raised first, capped at 50, with the total beside it', () => {
    const t0 = at(0, 8);
    const events = Array.from({ length: 60 }, (_, i) => raised(`Q${String(i).padStart(2, '0')}`, t0 + i * MIN, { camera: `CAM-${i}` }));
    events.push(step('Q59', 'acknowledged', t0 + 60 * MIN), step('Q58', 'confirmed', t0 + 60 * MIN));
    const { engine } = feed(events, t0 + 61 * MIN);
    const d = engine.snapshot(DISTRICT)!;
    expect(d['alerts.open']).toBe(59);
    expect(d['alerts.queue']).toHaveLength(50);
    expect(d['alerts.queue'].slice(0, 3).map((a) => [a.id, a.status])).toEqual([
      ['Q59', 'acknowledged'],
      ['Q57', 'raised'],
      ['Q56', 'raised'],
    ]);
    expect(d['alerts.queue'][2]).toMatchObject({
      algorithm: 'shop_outside',
      community: LIULIAN.code,
      cameraId: 'CAM-56',
      count: 1,
      level: 'street',
    });
    expect(engine.snapshot(STREET_KENGZI)!['alerts.queue']).toEqual([]);
    expect(engine.snapshot(COMMUNITY)!['map.alerts'][LIULIAN.code]).toMatchObject({ open: 59, pending: 58, escalated: 57 });
  });

  it('mean time to first response today, false positives per algorithm over 7 days, confirmed alerts whose appeal is closed', () => {
    const day0 = at(0, 9);
    const events = [
      // two days ago: decided then, inside the 7-day window
      raised('OLD1', day0 - 2 * DAY, { camera: 'C1', algorithm: 'road_vending' }),
      step('OLD1', 'dismissed', day0 - 2 * DAY + 10 * MIN),
      // eight days ago: outside the window
      raised('OLD2', day0 - 8 * DAY, { camera: 'C2', algorithm: 'road_vending' }),
      step('OLD2', 'dismissed', day0 - 8 * DAY + 10 * MIN),
      // today
      raised('T1', day0, { camera: 'C3' }),
      raised('T2', day0, { camera: 'C4' }),
      raised('T3', day0, { camera: 'C5', algorithm: 'road_vending' }),
      step('T1', 'acknowledged', day0 + 4 * MIN), // 4 min
      step('T2', 'confirmed', day0 + 10 * MIN, { appealId: 'AP-T2' }), // straight away: 10 min
      step('T1', 'confirmed', day0 + 20 * MIN, { appealId: 'AP-T1' }),
      step('T3', 'dismissed', day0 + 30 * MIN), // 30 min
      ...appealEvents('AP-T2', day0 + 10 * MIN + 1, [
        ['verified', day0 + HOUR],
        ['resolved', day0 + 2 * HOUR],
        ['closed', day0 + 3 * HOUR],
      ]),
      ...appealEvents('AP-T1', day0 + 20 * MIN + 1, []),
    ];
    const sorted = [...events].sort((x, y) => Date.parse(x.occurredAt) - Date.parse(y.occurredAt));
    const { engine, clock, log } = feed(sorted, day0 + 4 * HOUR);
    const d = engine.snapshot(DISTRICT)!;
    expect(d['alerts.ackTime']).toEqual({ count: 3, meanMinutes: Math.round(((4 + 10 + 30) / 3) * 10) / 10 });
    expect(d['alerts.falsePositives']).toEqual({
      dismissed: 2,
      decided: 4,
      rate: 0.5,
      byAlgorithm: {
        road_vending: { dismissed: 2, decided: 2, rate: 1 },
        shop_outside: { dismissed: 0, decided: 2, rate: 0 },
      },
    });
    expect(d['alerts.confirmedClosed']).toEqual({ confirmed: 2, closed: 1, rate: 0.5 });
    expect(engine.snapshot(STREET_KENGZI)!['alerts.confirmedClosed']).toEqual({ confirmed: 0, closed: 0, rate: null });
    expect(fullState(replayAt(log, clock.now()))).toEqual(fullState(engine));

    // reopened: no longer closed; closed again: counted again
    const more = logOf([
      { id: 'AP-T2.reopen', type: 'appeal.transitioned', occurredAt: iso(day0 + 5 * HOUR), data: { appealId: 'AP-T2', to: 'handling' } },
    ]).map((s) => ({ ...s, seq: log.length + 1 }));
    clock.set(day0 + 5 * HOUR);
    engine.advance();
    engine.apply(more[0]);
    expect(engine.snapshot(DISTRICT)!['alerts.confirmedClosed']).toEqual({ confirmed: 2, closed: 0, rate: 0 });

    // a week later the decisions have left the window
    clock.set(day0 + 7 * DAY);
    engine.advance();
    expect(engine.snapshot(DISTRICT)!['alerts.falsePositives']).toMatchObject({ dismissed: 0, decided: 0, rate: null, byAlgorithm: {} });
    expect(engine.snapshot(DISTRICT)!['alerts.ackTime']).toEqual({ count: 0, meanMinutes: null });
  });
});
