/**
 * The one definition of a valid event: strict times, the history window, deadlines after the
 * event, clean text, sane cross-field values. Examples from the field, and properties: a time
 * written any valid way reads back as its instant; nothing makes validateEvent throw.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_HISTORY_DAYS, instantOf, parseInstant, validateEvent, type CityEvent } from '../src/index.ts';

const NOW = Date.parse('2026-12-02T04:00:00Z');
const window = { now: NOW };

const appeal = (over: Record<string, unknown> = {}, at = '2026-12-02T10:00:00+08:00'): CityEvent =>
  ({
    id: 'E-1',
    type: 'appeal.created',
    occurredAt: at,
    data: {
      appealId: 'A-1',
      channel: 'hotline_12345',
      nature: 'request',
      category: '5',
      title: '路灯不亮',
      location: { lon: 114.3253, lat: 22.6952 },
      ...over,
    },
  }) as CityEvent;

const reasonOf = (raw: unknown) => {
  const r = validateEvent(raw, window);
  return r.ok ? null : r.reason;
};

describe('parseInstant', () => {
  it.each([
    ['2026-12-01T10:00:00+08:00', Date.UTC(2026, 11, 1, 2)],
    ['2026-12-01T02:00:00Z', Date.UTC(2026, 11, 1, 2)],
    ['2026-12-01t02:00:00z', Date.UTC(2026, 11, 1, 2)],
    ['2026-12-01T02:00:00.5Z', Date.UTC(2026, 11, 1, 2, 0, 0, 500)],
    ['2026-12-01T02:00:00.123456789Z', Date.UTC(2026, 11, 1, 2, 0, 0, 123)],
    ['2026-12-01T02:00:00.99999999999Z', Date.UTC(2026, 11, 1, 2, 0, 0, 999)],
    ['2028-02-29T00:00:00-05:30', Date.UTC(2028, 1, 29, 5, 30)],
    ['0099-01-01T00:00:00Z', -59042995200000],
  ])('%s', (text, ms) => {
    expect(parseInstant(text)).toBe(ms);
  });

  it.each([
    ['2026-12-31T23:59:60Z', /leap second/],
    ['2026-12-01T10:00:00+08:00[Asia/Shanghai]', /RFC 3339/],
    ['2026-12-01 10:00:00+08:00', /RFC 3339/],
    ['2026-12-01T10:00:00', /RFC 3339/],
    ['2026-02-29T10:00:00Z', /day 29/],
    ['2026-04-31T10:00:00Z', /day 31/],
    ['2026-13-01T10:00:00Z', /month 13/],
    ['2026-12-01T24:00:00Z', /hours are 00–23/],
    ['2026-12-01T10:60:00Z', /minutes 00–59/],
    ['2026-12-01T10:00:00+24:00', /offset/],
    ['+02026-12-01T10:00:00Z', /RFC 3339/],
    ['', /RFC 3339/],
  ])('refuses %j', (text, reason) => {
    const r = parseInstant(text);
    expect(typeof r).toBe('object');
    expect((r as { reason: string }).reason).toMatch(reason);
    expect(() => instantOf(text)).toThrow(/time/);
  });

  it('reads any instant back from its text, in any offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (d, offset) => {
          const local = new Date(d.getTime() + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseInstant(text)).toBe(d.getTime());
          expect(parseInstant(d.toISOString())).toBe(d.getTime());
        },
      ),
    );
  });

  it('never throws, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const r = parseInstant(s);
        expect(typeof r === 'number' ? Number.isFinite(r) : typeof r.reason === 'string').toBe(true);
      }),
    );
  });
});

describe('validateEvent', () => {
  it('accepts a plain appeal', () => {
    expect(reasonOf(appeal())).toBeNull();
  });

  it.each([
    ['a leap-second deadline', appeal({ deadline: '2026-12-31T23:59:60Z' }), /deadline .*leap second/],
    ['a leap-second occurredAt', appeal({}, '2026-12-31T23:59:60Z'), /occurredAt .*leap second/],
    ['year 0000', appeal({}, '0000-01-01T00:00:00Z'), /before the history/],
    ['1970', appeal({}, '1970-01-01T00:00:00Z'), /before the history/],
    ['the future', appeal({}, '2027-01-01T00:00:00Z'), /in the future/],
    ['a deadline before creation', appeal({ deadline: '2026-12-01T00:00:00Z' }), /not after the event/],
    ['a deadline equal to creation', appeal({ deadline: '2026-12-02T10:00:00+08:00' }), /not after the event/],
    ['a deadline years away', appeal({ deadline: '2030-01-01T00:00:00Z' }), /two years/],
    ['a NUL in the title', appeal({ title: '路灯\u0000不亮' }), /\/data\/title contains a control character \(U\+0000\)/],
    ['a NUL in the reporter name', appeal({ reporter: { name: '张\u0000三' } }), /\/data\/reporter\/name/],
    ['a right-to-left override', appeal({ title: 'abc\u202Edef' }), /U\+202E/],
    ['a lone surrogate', appeal({ description: 'x\uD800y' }), /lone surrogate/],
    ['a blank title', appeal({ title: '   ' }), /title is blank/],
    ['a title of zero-width spaces', appeal({ title: '\u200b\u3000\u00a0' }), /title is blank/],
    ['an unknown category', appeal({ category: 'zz' }), /not a known category/],
    ['a subcategory of another category', appeal({ subcategory: '3-02' }), /not a subcategory/],
    ['an unknown field', appeal({ colour: 'red' }), /unknown field "colour"/],
    ['an array', [], /JSON object/],
    ['no type', { id: 'x' }, /unknown event type null/],
  ])('refuses %s with a reason', (_, raw, reason) => {
    expect(reasonOf(raw)).toMatch(reason);
  });

  it('keeps tabs and line breaks in text', () => {
    expect(reasonOf(appeal({ description: '第一行\r\n第二行\t完' }))).toBeNull();
  });

  it('accepts a surrogate pair (an emoji, a rare character)', () => {
    expect(reasonOf(appeal({ title: '路灯不亮 💡 𠀀' }))).toBeNull();
  });

  it('an extension asks for a deadline after its request', () => {
    const ext = (until: string) => ({
      id: 'X-1',
      type: 'appeal.extension',
      occurredAt: '2026-12-02T10:00:00+08:00',
      data: { appealId: 'A-1', action: 'requested', until, reason: '材料未齐' },
    });
    expect(reasonOf(ext('2026-12-20T10:00:00+08:00'))).toBeNull();
    expect(reasonOf(ext('2026-11-20T10:00:00+08:00'))).toMatch(/until .*not after/);
    expect(reasonOf(ext('2026-12-20T23:59:60Z'))).toMatch(/until .*leap second/);
    expect(reasonOf(ext('2026-12-20 10:00:00+08:00'))).toMatch(/until/);
  });

  it('an inspection cannot handle more issues on site than it found', () => {
    const inspection = {
      id: 'I-1',
      type: 'grid_inspection.reported',
      occurredAt: '2026-12-02T10:00:00+08:00',
      data: { inspectionId: 'I-1', inspectorId: 'W-1', location: { lon: 114.3, lat: 22.7 }, issuesFound: 2, issuesHandledOnSite: 3 },
    };
    expect(reasonOf(inspection)).toMatch(/exceeds/);
  });

  it('the history window follows the deployment', () => {
    const old = appeal({}, '2020-01-01T00:00:00Z');
    expect(validateEvent(old, window).ok).toBe(true); // within the default decade
    expect(validateEvent(old, { now: NOW, earliest: NOW - 365 * 86_400_000 }).ok).toBe(false);
    expect(DEFAULT_HISTORY_DAYS).toBeGreaterThan(3650);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.jsonValue(), fc.record({ type: fc.constant('appeal.created'), data: fc.anything() })),
        (raw) => {
          const r = validateEvent(raw, window);
          expect(r.ok || (typeof r.reason === 'string' && r.reason.length > 0)).toBe(true);
        },
      ),
    );
  });
});
