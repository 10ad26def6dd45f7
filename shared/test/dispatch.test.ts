import { describe, expect, it } from 'vitest';
import { defaultDispatchRules, dispatchRules, taxonomy } from '../src/index.ts';

const place = { street: '坑梓街道', community: '秀新社区' };

describe('dispatch rules', () => {
  it('suggests a unit for every category, the most specific rule first', () => {
    for (const c of taxonomy.categories)
      expect(defaultDispatchRules.suggest({ category: c.code, nature: 'request' }, place).unit).not.toBe('');
    expect(defaultDispatchRules.suggest({ category: '5', subcategory: '5-09', nature: 'complaint' }, place)).toMatchObject({
      ruleId: 'parking',
      level: 'district',
      unit: '坪山交警大队',
    });
    expect(defaultDispatchRules.suggest({ category: '5', subcategory: '5-02', nature: 'complaint' }, place)).toMatchObject({
      level: 'street',
      unit: '坑梓街道城市管理和综合执法办公室',
    });
    expect(defaultDispatchRules.suggest({ category: '17', nature: 'request' }, place).unit).toBe('秀新社区社区工作站');
  });

  it('refuses rules that name unknown codes or leave a category without a unit', () => {
    const bad = {
      version: 1,
      rules: [
        { id: 'a', category: '5', subcategory: '3-01', level: 'street', unit: 'x', unitEn: 'x' },
        { id: 'a', category: '42', level: 'district', unit: 'y', unitEn: 'y' },
      ],
    };
    expect(() => dispatchRules(bad)).toThrow(
      /"3-01" is not in category "5"[\s\S]*appears twice[\s\S]*unknown category "42"[\s\S]*no rule for category "1"/,
    );
    expect(() => dispatchRules({ version: 1, rules: [{ id: 'z', level: 'province', unit: 'u', unitEn: 'u' }] })).toThrow(
      /invalid dispatch rules/,
    );
  });
});
