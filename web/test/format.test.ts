import { describe, expect, it } from 'vitest';
import { formatCompact, formatCount, formatRate, formatValue, MISSING } from '../src/format/number.ts';
import { formatClock, formatDate, formatDayShort, formatHM } from '../src/format/time.ts';

describe('number formatting', () => {
  it('groups thousands in both languages', () => {
    expect(formatCount(12345, 'zh-CN')).toBe('12,345');
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatCount(0, 'zh-CN')).toBe('0');
  });

  it('shows rates with one decimal, clamped to 0–100 %', () => {
    expect(formatRate(0.8823, 'zh-CN')).toBe('88.2%');
    expect(formatRate(1, 'en')).toBe('100.0%');
    expect(formatRate(1.2, 'en')).toBe('100.0%');
    expect(formatRate(-0.1, 'en')).toBe('0.0%');
  });

  it('never shows NaN or 0 for a missing figure', () => {
    expect(formatRate(null, 'zh-CN')).toBe(MISSING);
    expect(formatCount(undefined, 'zh-CN')).toBe(MISSING);
    expect(formatCount(Number.NaN, 'en')).toBe(MISSING);
    expect(formatValue(null, 'rate', 'en')).toBe(MISSING);
  });

  it('compacts axis labels the Chinese way in Chinese', () => {
    expect(formatCompact(12000, 'zh-CN')).toBe('1.2万');
    expect(formatCompact(12000, 'en')).toBe('12K');
    expect(formatCompact(900, 'zh-CN')).toBe('900');
  });
});

describe('time formatting', () => {
  // 2026-11-27 03:04:05 UTC is 11:04:05 in Shenzhen, whatever the zone of the machine.
  const t = Date.UTC(2026, 10, 27, 3, 4, 5);
  it('uses the district time zone', () => {
    expect(formatClock(t, 'zh-CN')).toBe('11:04:05');
    expect(formatHM(t, 'en')).toBe('11:04');
    expect(formatDate(t, 'zh-CN')).toBe('2026/11/27');
    expect(formatDate(Date.UTC(2026, 10, 27, 17, 0), 'zh-CN')).toBe('2026/11/28'); // past local midnight
  });
  it('shortens day labels for axes', () => {
    expect(formatDayShort('2026-11-07')).toBe('11/7');
    expect(formatDayShort('garbage')).toBe('garbage');
  });
});

describe('durations', () => {
  it('reads minutes as minutes, hours or days, one decimal when small', async () => {
    const { formatDuration } = await import('../src/format/duration.ts');
    expect(formatDuration(33.4, 'zh-CN')).toBe('33分钟');
    expect(formatDuration(5.25, 'en')).toBe('5.3 min');
    expect(formatDuration(66.8, 'zh-CN')).toBe('1.1小时');
    expect(formatDuration(3596.8, 'zh-CN')).toBe('2.5天');
    expect(formatDuration(3596.8, 'en')).toBe('2.5 d');
    expect(formatDuration(null, 'en')).toBe('—');
  });
});
