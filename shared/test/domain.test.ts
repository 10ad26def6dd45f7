import { describe, expect, it } from 'vitest';
import {
  allowedMoves,
  checkTransition,
  checkAlertTransition,
  dayStartMs,
  localDay,
  localHour,
  dayLabel,
  parseScope,
  scopePath,
  scopeOfCode,
  levelBelow,
  levelsFrom,
  APPEAL_STATUSES,
} from '../src/index.ts';

describe('appeal lifecycle', () => {
  it('allows the main path collected → verified → dispatched → handling → resolved → closed', () => {
    const path = ['collected', 'verified', 'dispatched', 'handling', 'resolved', 'closed'] as const;
    for (let i = 0; i < path.length - 1; i++) expect(checkTransition(path[i], path[i + 1])).toBeNull();
  });

  it('refuses an illegal move naming the current state and the allowed moves', () => {
    expect(checkTransition('collected', 'closed')).toBe(
      'cannot move appeal from "collected" to "closed": allowed from "collected" are "verified", "rejected", "resolved"',
    );
    expect(checkTransition('rejected', 'verified')).toMatch(/none \(final state\)/);
  });

  it('every status has a defined set of moves, each to a known status', () => {
    for (const s of APPEAL_STATUSES) for (const to of allowedMoves(s)) expect(APPEAL_STATUSES).toContain(to);
  });

  it('alerts: raised → acknowledged → confirmed, and nothing after dismissal', () => {
    expect(checkAlertTransition('raised', 'acknowledged')).toBeNull();
    expect(checkAlertTransition('acknowledged', 'confirmed')).toBeNull();
    expect(checkAlertTransition('dismissed', 'confirmed')).toMatch(/final state/);
  });
});

describe('local time (Asia/Shanghai, UTC+8)', () => {
  it('puts 23:59 local and 00:00 local the next day on different days', () => {
    const before = Date.parse('2026-11-27T15:59:59Z'); // 23:59:59 local
    const after = Date.parse('2026-11-27T16:00:00Z'); // 00:00 local on the 28th
    expect(localDay(after) - localDay(before)).toBe(1);
    expect(dayLabel(localDay(after))).toBe('2026-11-28');
    expect(localHour(before)).toBe(23);
    expect(localHour(after)).toBe(0);
    expect(dayStartMs(localDay(after))).toBe(after);
  });
});

describe('scopes', () => {
  it('parses well-formed scope ids and refuses others', () => {
    expect(parseScope('district:440310')).toEqual({ level: 'district', code: '440310' });
    expect(parseScope('community:440310001001')).toEqual({ level: 'community', code: '440310001001' });
    for (const bad of ['street:44031000', 'district', 'county:440310', 42, null, 'street:440310001:x', 'street:' + '4'.repeat(50)])
      expect(parseScope(bad)).toBeNull();
  });

  it('gives the path from a community up to the district', () => {
    expect(scopePath('440310005002')).toEqual(['district:440310', 'street:440310005', 'community:440310005002']);
  });

  it('gives the path from the city down in a city deployment', () => {
    expect(parseScope('city:9901')).toEqual({ level: 'city', code: '9901' });
    expect(parseScope('city:99011')).toBeNull();
    expect(parseScope('constructor:1')).toBeNull();
    expect(scopePath('990103004005', 'city')).toEqual(['city:9901', 'district:990103', 'street:990103004', 'community:990103004005']);
  });

  it('takes a grid cell (15 digits) as the level below the community: its path runs through its community', () => {
    expect(parseScope('grid:440310001001007')).toEqual({ level: 'grid', code: '440310001001007' });
    expect(parseScope('grid:4403100010010')).toBeNull();
    expect(scopePath('440310001001007')).toEqual(['district:440310', 'street:440310001', 'community:440310001001', 'grid:440310001001007']);
    expect(scopeOfCode('440310001001007')).toBe('grid:440310001001007');
    expect(scopeOfCode('440310001001')).toBe('community:440310001001');
    expect(scopeOfCode('4403100010010')).toBeNull();
    expect(levelBelow('community')).toBe('grid');
    expect(levelBelow('grid')).toBeNull();
    expect(levelsFrom('district', 'community')).toEqual(['district', 'street', 'community']);
  });
});
