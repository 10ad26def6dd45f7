/**
 * Local calendar arithmetic for the district's time zone. China has observed no daylight saving
 * since 1991, so a fixed offset is exact for Asia/Shanghai; another deployment sets its own offset.
 */
export const DEFAULT_UTC_OFFSET_MINUTES = 480; // Asia/Shanghai

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Days since 1970-01-01 in local time. */
export function localDay(ms: number, offsetMin = DEFAULT_UTC_OFFSET_MINUTES): number {
  return Math.floor((ms + offsetMin * 60_000) / DAY_MS);
}

/** Hour of the local day, 0–23. */
export function localHour(ms: number, offsetMin = DEFAULT_UTC_OFFSET_MINUTES): number {
  return Math.floor(((((ms + offsetMin * 60_000) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** UTC milliseconds at which local day `day` starts. */
export function dayStartMs(day: number, offsetMin = DEFAULT_UTC_OFFSET_MINUTES): number {
  return day * DAY_MS - offsetMin * 60_000;
}

/** `YYYY-MM-DD` of a local day number. */
export function dayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

// ---- strict RFC 3339 (the one parser of event times: see event-validity.ts) ----

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch milliseconds of a strict RFC 3339 date-time, or the reason it is not one. Fractions
 * beyond milliseconds are truncated (the stored text keeps them).
 */
export function parseInstant(text: string): number | { reason: string } {
  // every event time is parsed several times on its way in: the usual shape goes the short way
  return quickInstant(text) ?? parseInstantByPattern(text);
}

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};
const two = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1);

/**
 * A valid date-time in the usual shape (`2026-12-01T10:00:00.123Z`, `…+08:00`) read without a
 * regular expression or a Date; null for anything else, which `parseInstantByPattern` then
 * accepts or explains. The two agree on every input (shared/test/time.test.ts).
 */
function quickInstant(t: string): number | null {
  if (t.length < 20 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return null;
  const sep = t.charCodeAt(10);
  if (sep !== 84 && sep !== 116) return null; // T t
  const year = two(t, 0) * 100 + two(t, 2);
  const month = two(t, 5);
  const day = two(t, 8);
  const h = two(t, 11);
  const mi = two(t, 14);
  const s = two(t, 17);
  // NaN fails every comparison: a non-digit anywhere above lands here
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && h <= 23 && mi <= 59 && s <= 59)) return null;
  if (day > daysInMonth(year, month)) return null;
  let i = 19;
  let ms = 0;
  if (t.charCodeAt(i) === 46) {
    // a fraction: its first three digits count, any further ones are truncated
    const from = ++i;
    for (; i < t.length; i++) {
      const d = digit(t, i);
      if (Number.isNaN(d)) break;
      if (i - from < 3) ms += d * (i - from === 0 ? 100 : i - from === 1 ? 10 : 1);
    }
    if (i === from) return null;
  }
  let offset = 0;
  const z = t.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== t.length) return null; // Z z
  } else if (z === 43 || z === 45) {
    if (i + 6 !== t.length || t.charCodeAt(i + 3) !== 58) return null;
    const oh = two(t, i + 1);
    const om = two(t, i + 4);
    if (!(oh <= 23 && om <= 59)) return null;
    offset = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return null;
  return daysFromCivil(year, month, day) * DAY_MS + h * HOUR_MS + mi * 60_000 + s * 1000 + ms - offset * 60_000;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `parseInstant` by the pattern of RFC 3339, saying what is wrong: the reference the short way agrees with. */
export function parseInstantByPattern(text: string): number | { reason: string } {
  const m = RFC3339.exec(text);
  const example = 'such as 2026-12-01T10:00:00+08:00';
  if (!m) return { reason: `is not an RFC 3339 date-time with an offset, ${example}` };
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return { reason: `has month ${mo}: months are 01–12` };
  if (day < 1 || day > daysInMonth(year, month)) return { reason: `has day ${d}, which ${y}-${mo} does not have` };
  if (Number(h) > 23 || Number(mi) > 59) return { reason: `has time ${h}:${mi}: hours are 00–23, minutes 00–59` };
  if (Number(s) === 60) return { reason: 'is a leap second (:60), which is not accepted: send :59.999 or the next second' };
  if (Number(s) > 59) return { reason: `has second ${s}: seconds are 00–59` };
  if (sign && (Number(oh) > 23 || Number(om) > 59)) return { reason: `has offset ${sign}${oh}:${om}, which is not a UTC offset` };
  const t = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(Number(h), Number(mi), Number(s), frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0);
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  return t.getTime() - offset * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Thrown by `instantOf` on a time that ingest would have refused (a log from an older version). */
export class InvalidEventTimeError extends Error {
  constructor(text: string, reason: string) {
    super(`time ${JSON.stringify(text)} ${reason}`);
    this.name = 'InvalidEventTimeError';
  }
}

/** Epoch ms of an event's time, for projections: the parser ingest used, so accepted events never throw. */
export function instantOf(text: string): number {
  const t = parseInstant(text);
  if (typeof t !== 'number') throw new InvalidEventTimeError(text, t.reason);
  return t;
}
