import { describe, expect, it } from 'vitest';
import {
  ALERT_MASKING,
  APPEAL_MASKING,
  CLASSIFICATION,
  ROLES,
  TICKER_MASKING,
  TIMELINE_MASKING,
  classify,
  clearanceOf,
  hiddenFields,
  maskedFields,
  sees,
  type ClassTable,
} from '../src/index.ts';

const personalOf = (t: ClassTable) =>
  Object.entries(t)
    .filter(([, c]) => c.level === 'personal')
    .map(([f]) => f);

describe('the classification table (数据分级分类)', () => {
  it('is what the masking policy masks: a field is masked exactly when it is personal', () => {
    expect(maskedFields(APPEAL_MASKING)).toEqual(personalOf(CLASSIFICATION.appeal));
    expect(maskedFields(TIMELINE_MASKING)).toEqual(personalOf(CLASSIFICATION.timeline));
    expect(maskedFields(ALERT_MASKING)).toEqual(personalOf(CLASSIFICATION.alert));
    expect(maskedFields(TICKER_MASKING)).toEqual(personalOf(CLASSIFICATION.ticker));
    expect(APPEAL_MASKING['reporter.phone']).toBe('phone');
    expect(APPEAL_MASKING.title).toBe('text');
    expect(APPEAL_MASKING.status).toBe('shown');
  });

  it('gives each role its clearance: walls public, operators and grid workers internal, directors sensitive, PII personal', () => {
    expect(clearanceOf(null)).toBe('public');
    expect(clearanceOf({ role: 'device', pii: true })).toBe('public');
    expect(clearanceOf({ role: 'operator', pii: false })).toBe('internal');
    expect(clearanceOf({ role: 'grid_worker', pii: false })).toBe('internal');
    for (const r of ['community_director', 'street_director', 'district_director', 'city_director', 'admin'])
      expect(clearanceOf({ role: r, pii: false })).toBe('sensitive');
    for (const r of ROLES) expect(clearanceOf({ role: r, pii: true })).toBe('personal');
  });

  it('classify leaves out what is above the reader, masks what is personal, and changes nothing it was given', () => {
    const b = {
      id: 'B-1',
      cell: '440310001001001',
      name: '六联花园3栋',
      use: 'residential',
      floors: 18,
      housingUnits: 120,
      address: '六联社区深坪路12号',
      residents: 310,
      manager: { name: '王建国', phone: '13812345678' },
      risk: 'medium',
    };
    const wall = classify('building', b, { role: 'device', pii: false });
    expect(wall).toEqual({
      id: 'B-1',
      cell: '440310001001001',
      name: '六联花园3栋',
      use: 'residential',
      floors: 18,
      housingUnits: 120,
      address: '六联社区',
      manager: { name: '王**', phone: '138****5678' },
    });
    const operator = classify('building', b, { role: 'operator', pii: false });
    expect(operator).toMatchObject({ residents: 310, manager: { name: '王**' } });
    expect(operator).not.toHaveProperty('risk');
    expect(classify('building', b, { role: 'community_director', pii: false })).toMatchObject({
      risk: 'medium',
      manager: { phone: '138****5678' },
    });
    expect(classify('building', b, { role: 'community_director', pii: true })).toEqual(b);
    expect(b.manager.name).toBe('王建国');
  });

  it('the fields of appeals and alerts above public are not above those who read them (the masking policy alone applies to them)', () => {
    // appeals are read by operators and grid workers at the least; alerts by walls
    expect(
      hiddenFields('appeal', 'internal').every((f) => CLASSIFICATION.appeal[f as keyof typeof CLASSIFICATION.appeal].level === 'personal'),
    ).toBe(true);
    expect(
      hiddenFields('timeline', 'internal').every(
        (f) => CLASSIFICATION.timeline[f as keyof typeof CLASSIFICATION.timeline].level === 'personal',
      ),
    ).toBe(true);
    expect(
      hiddenFields('alert', 'public').every((f) => CLASSIFICATION.alert[f as keyof typeof CLASSIFICATION.alert].level === 'personal'),
    ).toBe(true);
    expect(sees('sensitive', 'internal')).toBe(true);
    expect(sees('internal', 'sensitive')).toBe(false);
  });
});
