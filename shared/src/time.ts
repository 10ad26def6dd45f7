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
