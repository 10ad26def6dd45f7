import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseInstant, parseInstantByPattern } from '../src/time.ts';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Date-times near and around the valid ones: every field a little out of range now and then. */
const nearlyRfc3339 = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.option(fc.stringMatching(/^\d{0,7}$/), { nil: undefined }),
    t: fc.constantFrom('T', 't', ' '),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', '', 'UTC'),
      fc
        .record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 25 }), m: fc.integer({ min: 0, max: 61 }) })
        .map((o) => `${o.sign}${pad(o.h, 2)}:${pad(o.m, 2)}`),
    ),
  })
  .map(
    (r) =>
      `${pad(r.year, 4)}-${pad(r.month, 2)}-${pad(r.day, 2)}${r.t}${pad(r.hour, 2)}:${pad(r.minute, 2)}:${pad(r.second, 2)}${r.fraction === undefined ? '' : `.${r.fraction}`}${r.zone}`,
  );

describe('parseInstant', () => {
  it('agrees with the pattern on date-times valid and nearly valid', () => {
    fc.assert(
      fc.property(nearlyRfc3339, (text) => {
        expect(parseInstant(text)).toEqual(parseInstantByPattern(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the pattern on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        expect(parseInstant(text)).toEqual(parseInstantByPattern(text));
      }),
    );
  });

  it('reads the usual shapes to the millisecond', () => {
    expect(parseInstant('2026-12-01T10:00:00+08:00')).toBe(Date.parse('2026-12-01T02:00:00Z'));
    expect(parseInstant('2026-12-01T10:00:00.1234Z')).toBe(Date.parse('2026-12-01T10:00:00.123Z'));
    expect(parseInstant('2024-02-29t23:59:59.9z')).toBe(Date.parse('2024-02-29T23:59:59.900Z'));
    const early = new Date(0);
    early.setUTCFullYear(1, 0, 1);
    early.setUTCHours(0, 30);
    expect(parseInstant('0001-01-01T00:00:00-00:30')).toBe(early.getTime());
    expect(parseInstant('2023-02-29T00:00:00Z')).toEqual({ reason: 'has day 29, which 2023-02 does not have' });
  });
});
