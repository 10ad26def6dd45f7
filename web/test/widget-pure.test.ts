/** The widgets' pure helpers: ages, alert order, key names, reading values. */
import { describe, expect, it } from 'vitest';
import { byUrgency, formatAge } from '../src/widgets/alert-queue.ts';
import { keyLabel } from '../src/widgets/labels.ts';
import { numberIn } from '../src/widgets/values.ts';
import { createAppI18n } from '../src/i18n/index.ts';
import { alert } from './widget-helpers.ts';
import { kpiValueSize } from '../src/widgets/kpi-fit.ts';

describe('alert ages', () => {
  it('reads in seconds, minutes, hours and days in both languages', () => {
    expect(formatAge(-5_000, 'zh-CN')).toBe('0秒');
    expect(formatAge(59_999, 'zh-CN')).toBe('59秒');
    expect(formatAge(65_000, 'en')).toBe('1m 05s');
    expect(formatAge(3 * 3600_000 + 7 * 60_000, 'zh-CN')).toBe('3小时07分');
    expect(formatAge(50 * 3600_000, 'en')).toBe('2d 2h');
  });
});

describe('alert order', () => {
  it('escalated furthest first, then the oldest', () => {
    const list = [
      alert('c-new', { raisedAt: '2026-11-27T03:20:00Z' }),
      alert('c-old', { raisedAt: '2026-11-27T03:00:00Z' }),
      alert('s', { raisedAt: '2026-11-27T03:25:00Z', escalated: true, level: 'street' }),
      alert('d', { raisedAt: '2026-11-27T03:29:00Z', escalated: true, level: 'district' }),
    ];
    expect(byUrgency(list).map((a) => a.id)).toEqual(['d', 's', 'c-old', 'c-new']);
    expect(list[0].id).toBe('c-new'); // the metric's own list is left as it is
  });
});

describe('key names', () => {
  const i18n = (lang: 'zh-CN' | 'en') => {
    const g = createAppI18n(lang).global;
    return { t: (k: string) => g.t(k), te: (k: string) => g.te(k) };
  };
  it('names by taxonomy, status or field, and shows unknown keys as they are', () => {
    const zh = i18n('zh-CN');
    expect(keyLabel('category', '5', 'zh-CN', zh)).toBe('市容环卫');
    expect(keyLabel('status', 'closed', 'zh-CN', zh)).toBe('已办结');
    expect(keyLabel('alertStatus', 'dismissed', 'zh-CN', zh)).toBe('已排除');
    expect(keyLabel('field', 'gridInspectors', 'zh-CN', zh)).toBe('网格员');
    expect(keyLabel('field', 'street_light', 'zh-CN', zh)).toBe('路灯');
    expect(keyLabel('field', 'whatever', 'zh-CN', zh)).toBe('whatever');
    expect(keyLabel('status', 'whatever', 'zh-CN', zh)).toBe('whatever');
    expect(keyLabel('field', 'housingUnits', 'en', i18n('en'))).toBe('Housing units');
  });
});

describe('values', () => {
  it('reads a number or a named number inside an object, nothing else', () => {
    expect(numberIn(3)).toBe(3);
    expect(numberIn({ rate: 0.5 }, 'rate')).toBe(0.5);
    expect(numberIn({ rate: null }, 'rate')).toBeNull();
    expect(numberIn({ rate: 0.5 })).toBeNull();
    expect(numberIn(Number.NaN)).toBeNull();
    expect(numberIn(undefined, 'rate')).toBeNull();
    // a count record has no key for what did not happen today
    expect(numberIn({ grid: 3 }, 'fire')).toBe(0);
    expect(numberIn({}, 'fire')).toBe(0);
    expect(numberIn({ rate: 0.5 }, 'other')).toBeNull();
  });
});

describe('a KPI figure in its tile', () => {
  it('keeps the design size where it fits and shrinks a long figure in a narrow tile, never below 20 px', () => {
    expect(kpiValueSize('84', 130)).toBe(36);
    expect(kpiValueSize('100.0%', 130)).toBe(31);
    expect(kpiValueSize('1,234,567', 120)).toBe(20);
    expect(kpiValueSize('12', 0)).toBeUndefined();
    // 6 characters at 0.6 em and the padding fit the tile
    for (const w of [90, 130, 200]) expect(kpiValueSize('100.0%', w)! * 0.6 * 6 + 16 <= w || kpiValueSize('100.0%', w) === 20).toBe(true);
  });
});
