import { describe, expect, it } from 'vitest';
import { deadlineRules, defaultDeadlineRules, defaultWorkCalendar, workCalendar, localDay } from '../src/index.ts';

const at = (local: string) => Date.parse(`${local}+08:00`);
const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('work calendar', () => {
  it('skips weekends', () => {
    // Friday 2026-11-27 10:00 + 1 working day = Monday 11-30 10:00
    expect(iso(defaultWorkCalendar.addWorkingDays(at('2026-11-27T10:00'), 1))).toBe('2026-11-30 10:00');
    expect(iso(defaultWorkCalendar.addWorkingDays(at('2026-11-25T10:00'), 5))).toBe('2026-12-02 10:00');
  });

  it('skips public holidays and counts make-up working days (调休)', () => {
    // Tuesday 2026-09-29 + 3 working days: 9-30 (Wed), National Day 10-1..10-7 off, 10-8 (Thu), 10-9 (Fri)
    expect(iso(defaultWorkCalendar.addWorkingDays(at('2026-09-29T09:00'), 3))).toBe('2026-10-09 09:00');
    // Saturday 2026-10-10 is a working day
    expect(iso(defaultWorkCalendar.addWorkingDays(at('2026-10-09T09:00'), 1))).toBe('2026-10-10 09:00');
    expect(defaultWorkCalendar.isWorkingDay(localDay(at('2026-02-14T12:00')))).toBe(true); // Saturday, make-up day
    expect(defaultWorkCalendar.isWorkingDay(localDay(at('2026-02-16T12:00')))).toBe(false); // Monday, Spring Festival
  });

  it('refuses a day that is both holiday and working day', () => {
    expect(() => workCalendar({ version: 1, name: 'x', holidays: ['2026-01-01'], workdays: ['2026-01-01'] })).toThrow(
      /both as holiday and as working day/,
    );
  });
});

describe('deadline rules', () => {
  it('danger to life: 2 hours, whatever the nature', () => {
    const r = defaultDeadlineRules.ruleFor({ category: '1', subcategory: '1-05', nature: 'complaint' });
    expect(r.hours).toBe(2);
    expect(defaultDeadlineRules.deadline(at('2026-11-28T23:00'), { category: '1', subcategory: '1-05', nature: 'request' })).toBe(
      at('2026-11-29T01:00'),
    );
  });

  it('water supply: 24 hours; complaints 13–15 working days; enquiries 2 working days', () => {
    expect(defaultDeadlineRules.ruleFor({ category: '3', subcategory: '3-18', nature: 'request' }).hours).toBe(24);
    expect(defaultDeadlineRules.ruleFor({ category: '5', nature: 'complaint' }).workingDays).toBe(13);
    expect(defaultDeadlineRules.ruleFor({ category: '8', nature: 'complaint' }).workingDays).toBe(15);
    // an enquiry on Friday evening is due on Tuesday evening
    expect(iso(defaultDeadlineRules.deadline(at('2026-11-27T19:00'), { category: '8', nature: 'enquiry' }))).toBe('2026-12-01 19:00');
  });

  it('the more specific rule wins', () => {
    expect(defaultDeadlineRules.ruleFor({ category: '4', nature: 'request' }).id).toBe('request-planning');
    expect(defaultDeadlineRules.ruleFor({ category: '7', nature: 'request' }).id).toBe('request');
  });

  it('refuses rules with unknown codes, both durations, duplicates or a missing fallback', () => {
    const base = {
      version: 1,
      rules: ['request', 'complaint', 'enquiry', 'suggestion', 'thanks', 'other'].map((n) => ({
        id: n,
        nature: n,
        workingDays: 5,
        label: n,
      })),
    };
    expect(() => deadlineRules(base)).not.toThrow();
    const bad = structuredClone(base);
    bad.rules.push({ id: 'x', category: '99', hours: 2, workingDays: 1, label: 'x' } as never, {
      id: 'request',
      nature: 'request',
      workingDays: 5,
      label: 'dup',
    });
    bad.rules = bad.rules.filter((r) => r.id !== 'thanks');
    let msg = '';
    try {
      deadlineRules(bad);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/unknown category "99"/);
    expect(msg).toMatch(/exactly one of hours or workingDays/);
    expect(msg).toMatch(/"request" appears twice/);
    expect(msg).toMatch(/no fallback rule for nature "thanks"/);
  });
});
