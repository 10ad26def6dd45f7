/**
 * Dates as the console writes them, `2026-11-28` and `2026-11-28 14:30`, read back leniently
 * (`2026/11/28`, `2026.11.28`, `2026-11-28T14:30`, one-digit months and days) into the native
 * inputs' values (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm`). Pure, for tests.
 */
const DATE = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:[T\s]\s*(\d{1,2})\s*[:：时]\s*(\d{2})\s*分?)?\s*$/;
const two = (n: number) => String(n).padStart(2, '0');

/** The native value of a typed date, or null when it is not a real date (or lacks the time `withTime` needs). */
export function parseDateText(text: string, withTime: boolean): string | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // a real calendar day: 2026-02-30 is not one
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  const date = `${y}-${two(mo)}-${two(d)}`;
  if (!withTime) return m[4] === undefined ? date : null;
  if (m[4] === undefined) return null;
  const [h, mi] = [Number(m[4]), Number(m[5])];
  if (h > 23 || mi > 59) return null;
  return `${date}T${two(h)}:${two(mi)}`;
}

/** How a native value is shown: `2026-11-28`, `2026-11-28 14:30`; '' for ''. */
export const showDateText = (value: string): string => value.replace('T', ' ');
