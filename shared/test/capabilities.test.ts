import { describe, expect, it } from 'vitest';
import {
  ALERT_ACTIONS,
  ALERT_ACTIONS_OF,
  APPEAL_ACTIONS,
  APPEAL_ACTIONS_OF,
  ROLES,
  can,
  scopeWithin,
  type Actor,
  type Capability,
} from '../src/index.ts';

const ACTORS: Actor[] = [...ROLES, 'device'];
const who = (cap: Capability) => ACTORS.filter((a) => can(a, cap));

describe('the capability table', () => {
  it('administrators manage and import, but act on no case; walls only read', () => {
    expect(who('admin.manage')).toEqual(['admin']);
    expect(who('appeals.import')).toEqual(['admin', 'city_director', 'district_director', 'street_director', 'community_director']);
    expect(who('appeals.act')).toEqual([
      'city_director',
      'district_director',
      'street_director',
      'community_director',
      'operator',
      'grid_worker',
    ]);
    // a grid worker takes its cell's appeals in hand; video alerts are the centres' to judge
    expect(who('alerts.act')).toEqual(who('appeals.act').filter((a) => a !== 'grid_worker'));
    expect(who('records.import')).toEqual(who('appeals.import'));
    expect(who('components.labels')).toEqual([
      'admin',
      'city_director',
      'district_director',
      'street_director',
      'community_director',
      'operator',
    ]);
    for (const cap of ['admin.manage', 'appeals.import', 'appeals.act', 'alerts.act', 'records.import', 'components.labels'] as const)
      expect(can('device', cap)).toBe(false);
  });

  it('names only real actions, and gives actions exactly to those who may act', () => {
    for (const a of ACTORS) {
      for (const x of APPEAL_ACTIONS_OF[a]) expect(APPEAL_ACTIONS).toContain(x);
      for (const x of ALERT_ACTIONS_OF[a]) expect(ALERT_ACTIONS).toContain(x);
      expect(APPEAL_ACTIONS_OF[a].size > 0).toBe(can(a, 'appeals.act'));
      expect(ALERT_ACTIONS_OF[a].size > 0).toBe(can(a, 'alerts.act'));
    }
  });

  it('directors decide extension requests; operators only ask for them', () => {
    expect(APPEAL_ACTIONS_OF.operator.has('extend_request')).toBe(true);
    expect(APPEAL_ACTIONS_OF.operator.has('extend_approve')).toBe(false);
    for (const d of ['city_director', 'district_director', 'street_director', 'community_director'] as const) {
      expect([...APPEAL_ACTIONS_OF[d]].sort()).toEqual([...APPEAL_ACTIONS].sort());
      expect([...ALERT_ACTIONS_OF[d]].sort()).toEqual([...ALERT_ACTIONS].sort());
    }
  });
});

describe('reading scopes', () => {
  it('reads its own area and everything below it, at every level from the city down', () => {
    expect(scopeWithin('city:9901', 'district:990103')).toBe(true);
    expect(scopeWithin('city:9901', 'community:990103004005')).toBe(true);
    expect(scopeWithin('district:990103', 'street:990103004')).toBe(true);
    expect(scopeWithin('district:990103', 'city:9901')).toBe(false);
    expect(scopeWithin('district:990103', 'district:990104')).toBe(false);
    expect(scopeWithin('city:9901', 'district:990203')).toBe(false);
    expect(scopeWithin('street:440310001', 'community:440310001001')).toBe(true);
    expect(scopeWithin('street:440310001', 'community:44031000100')).toBe(false);
  });

  it('a grid cell lies in its community by its 15-digit code, and sees nothing above or beside it', () => {
    expect(scopeWithin('community:440310001001', 'grid:440310001001007')).toBe(true);
    expect(scopeWithin('district:440310', 'grid:440310001001007')).toBe(true);
    expect(scopeWithin('grid:440310001001007', 'grid:440310001001007')).toBe(true);
    expect(scopeWithin('grid:440310001001007', 'community:440310001001')).toBe(false);
    expect(scopeWithin('grid:440310001001007', 'grid:440310001001008')).toBe(false);
    expect(scopeWithin('community:440310001002', 'grid:440310001001007')).toBe(false);
    expect(scopeWithin('community:440310001001', 'grid:44031000100100')).toBe(false);
  });
});
