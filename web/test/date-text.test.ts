import { describe, expect, it } from 'vitest';
import { parseDateText, showDateText } from '../src/components/date-text.ts';

describe('dates typed in the console', () => {
  it('reads the ways a date is written in Chinese offices, into the native value', () => {
    for (const text of ['2026-11-28', '2026/11/28', '2026.11.28', '2026年11月28日', ' 2026-11-28 '])
      expect(parseDateText(text, false), text).toBe('2026-11-28');
    expect(parseDateText('2026-1-5', false)).toBe('2026-01-05');
    expect(parseDateText('2026-11-28 14:30', true)).toBe('2026-11-28T14:30');
    expect(parseDateText('2026-11-28T09:05', true)).toBe('2026-11-28T09:05');
  });

  it('refuses what is not a real date, and a date without the time a deadline needs', () => {
    for (const text of ['11/28/2026', '2026-02-30', '2026-13-01', 'tomorrow', '2026-11', ''])
      expect(parseDateText(text, false), text).toBeNull();
    expect(parseDateText('2026-11-28', true)).toBeNull();
    expect(parseDateText('2026-11-28 24:00', true)).toBeNull();
    expect(parseDateText('2026-11-28 14:30', false)).toBeNull();
  });

  it('shows the native value the way the district writes it, never mm/dd/yyyy', () => {
    expect(showDateText('2026-11-28')).toBe('2026-11-28');
    expect(showDateText('2026-11-28T14:30')).toBe('2026-11-28 14:30');
    expect(showDateText('')).toBe('');
  });
});
