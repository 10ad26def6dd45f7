/** The map's small rules: which names go first, their short forms, where a click leads, the
 * camera's padding, and which live points the layers show. */
import { describe, expect, it } from 'vitest';
import { compactForm, fullForm, labelPriority } from '../src/map/label-rules.ts';
import { drillTarget } from '../src/map/drill.ts';
import { cameraPadding } from '../src/map/useMapFocus.ts';
import { visiblePoints } from '../src/map/clusters.ts';
import type { LivePoint } from '../src/stores/points.ts';

const district = { level: 'district', code: '440310' } as const;
const street = { level: 'street', code: '440310001' } as const;
const community = { level: 'community', code: '440310001001' } as const;
const ctx = (focus: { level: 'city' | 'district' | 'street' | 'community'; code: string }, today = 0, communities = true) => ({
  focus,
  today,
  communities,
});

describe('label priority', () => {
  it('on the district, streets first, then the busiest communities', () => {
    expect(labelPriority(street, ctx(district))).toBe(10_000);
    expect(labelPriority(community, ctx(district, 30))).toBeGreaterThan(labelPriority(community, ctx(district, 3)));
    expect(labelPriority(community, ctx(district, 30))).toBeLessThan(10_000);
  });

  it("on a street, its own communities; other streets' names, not its own", () => {
    expect(labelPriority(community, ctx(street, 5))).toBe(10_005);
    expect(labelPriority({ level: 'community', code: '440310004004' }, ctx(street))).toBe(-1);
    expect(labelPriority(street, ctx(street))).toBe(-1);
    expect(labelPriority({ level: 'street', code: '440310004' }, ctx(street))).toBe(5_000);
  });

  it('on a community, itself above its neighbours in the same street; nothing from other streets', () => {
    expect(labelPriority(community, ctx(community))).toBe(20_000);
    expect(labelPriority({ level: 'community', code: '440310001002' }, ctx(community, 7))).toBe(10_007);
    expect(labelPriority({ level: 'community', code: '440310004004' }, ctx(community))).toBe(-1);
    expect(labelPriority(street, ctx(community))).toBe(-1);
  });

  it('in a city: on the city, its districts alone; on a district, its streets first, then its busiest communities, and the other districts', () => {
    const city = { level: 'city', code: '9901' } as const;
    const d = { level: 'district', code: '990103' } as const;
    expect(labelPriority({ level: 'district', code: '990103' }, ctx(city))).toBe(10_000);
    expect(labelPriority({ level: 'street', code: '990103001' }, ctx(city))).toBe(-1);
    expect(labelPriority({ level: 'community', code: '990103001001' }, ctx(city, 50))).toBe(-1);
    expect(labelPriority({ level: 'street', code: '990103001' }, ctx(d))).toBeGreaterThan(
      labelPriority({ level: 'district', code: '990104' }, ctx(d)),
    );
    expect(labelPriority({ level: 'district', code: '990104' }, ctx(d))).toBeGreaterThan(0);
    expect(labelPriority({ level: 'community', code: '990103001001' }, ctx(d, 9))).toBeGreaterThan(
      labelPriority({ level: 'community', code: '990103001002' }, ctx(d, 3)),
    );
    expect(labelPriority({ level: 'district', code: '990103' }, ctx(d))).toBe(-1);
    expect(labelPriority({ level: 'community', code: '990104001001' }, ctx(d, 9))).toBe(-1);
  });

  it("leaves communities' names out when their layer is off, not the streets'", () => {
    expect(labelPriority(community, ctx(district, 30, false))).toBe(-1);
    expect(labelPriority(street, ctx(district, 0, false))).toBe(10_000);
  });
});

describe('label forms', () => {
  it('drops the generic suffix in English, and 社区 from a community in the short Chinese form', () => {
    expect(fullForm('Liulian Community', 'en')).toBe('Liulian');
    expect(fullForm('Pingshan Subdistrict', 'en')).toBe('Pingshan');
    expect(fullForm('六联社区', 'zh-CN')).toBe('六联社区');
    expect(compactForm('六联社区', 'community', 'zh-CN')).toBe('六联');
    expect(compactForm('坪山街道', 'street', 'zh-CN')).toBe('坪山街道');
    expect(compactForm('社区', 'community', 'zh-CN')).toBe('社区');
  });
});

describe('drill target', () => {
  it('goes one level down from the district and a street, and across to other areas', () => {
    expect(drillTarget(district, 'district:440310', '440310001001')).toBe('street:440310001');
    expect(drillTarget(street, 'street:440310001', '440310001001')).toBe('community:440310001001');
    expect(drillTarget(street, 'street:440310001', '440310004004')).toBe('street:440310004');
    expect(drillTarget(community, 'community:440310001001', '440310001002')).toBe('community:440310001002');
    // a click on the community shown stays there
    expect(drillTarget(community, 'community:440310001001', '440310001001')).toBe('community:440310001001');
  });

  it('in a city, goes from the city to a district, and from a district to a street or across to another district', () => {
    const city = { level: 'city', code: '9901' } as const;
    const cityDistrict = { level: 'district', code: '990103' } as const;
    expect(drillTarget(city, 'city:9901', '990103004005')).toBe('district:990103');
    expect(drillTarget(cityDistrict, 'district:990103', '990103004005')).toBe('street:990103004');
    expect(drillTarget(cityDistrict, 'district:990103', '990107001002')).toBe('district:990107');
  });
});

describe('camera padding', () => {
  it('keeps a margin of 5% of the height, at least 16 px', () => {
    expect(cameraPadding(2000, 1000, false)).toEqual({ top: 50, bottom: 50, left: 50, right: 50 });
    expect(cameraPadding(300, 200, false)).toEqual({ top: 16, bottom: 16, left: 16, right: 16 });
  });

  it('makes room for the legend on the left only when the area would run under it', () => {
    // wide: the square-ish area drawn 1000 tall leaves 500 px each side, more than the legend needs
    expect(cameraPadding(2000, 1000, true).left).toBe(50);
    // narrow: the legend's room, at most 30% of the width
    expect(cameraPadding(900, 600, true).left).toBe(236);
    expect(cameraPadding(500, 600, true).left).toBe(150);
  });
});

describe('visible points', () => {
  const p = (id: string, kind: LivePoint['kind']): LivePoint => ({
    id,
    kind,
    lon: 114.3,
    lat: 22.7,
    at: 0,
    seenAt: 0,
    community: '',
    label: '',
  });
  const all = [p('a', 'appeal'), p('b', 'alert'), p('c', 'other')];

  it('shows the appeals or the alerts alone, or both together', () => {
    expect(visiblePoints(all, ['points', 'alerts'])).toBe(all);
    expect(visiblePoints(all, ['alerts']).map((x) => x.id)).toEqual(['b']);
    expect(visiblePoints(all, ['points', 'communities']).map((x) => x.id)).toEqual(['a', 'c']);
    expect(visiblePoints(all, ['cameras'])).toEqual([]);
  });
});
