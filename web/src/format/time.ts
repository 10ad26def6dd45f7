/**
 * Clock and time labels in the district's local time (the deployment's UTC offset), whatever the
 * zone of the machine driving the wall. The offset has no daylight saving, so a time is shown by
 * formatting the instant moved by the offset as if it were UTC: any offset works, named or not.
 */
import type { Lang } from './number.ts';
import { deployment } from '../deployment.ts';

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(lang: Lang, kind: 'date' | 'time' | 'hm' | 'weekday' | 'md'): Intl.DateTimeFormat {
  const k = `${lang}|${kind}`;
  let f = cache.get(k);
  if (!f) {
    const base = { timeZone: 'UTC' } as const;
    const opts: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { ...base, year: 'numeric', month: '2-digit', day: '2-digit' }
        : kind === 'time'
          ? { ...base, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
          : kind === 'hm'
            ? { ...base, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
            : kind === 'md'
              ? { ...base, month: 'numeric', day: 'numeric' }
              : { ...base, weekday: 'long' };
    f = new Intl.DateTimeFormat(lang, opts);
    cache.set(k, f);
  }
  return f;
}

/** The instant as the district's wall clock reads it, as a UTC instant (for the UTC formatters). */
const local = (d: Date | number) => (typeof d === 'number' ? d : d.getTime()) + deployment().utcOffsetMinutes * 60_000;

/** "2025/11/27" (zh-CN) or "11/27/2025" (en). */
export const formatDate = (d: Date | number, lang: Lang) => dtf(lang, 'date').format(local(d));
/** "14:05:09". */
export const formatClock = (d: Date | number, lang: Lang) => dtf(lang, 'time').format(local(d));
/** "14:05". */
export const formatHM = (d: Date | number, lang: Lang) => dtf(lang, 'hm').format(local(d));
/** "星期四" / "Thursday". */
export const formatWeekday = (d: Date | number, lang: Lang) => dtf(lang, 'weekday').format(local(d));

/** A `YYYY-MM-DD` day label → "11/27" or "11/27" (short axis label, either language). */
export function formatDayShort(day: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${Number(m[1])}/${Number(m[2])}` : day;
}

/** "2025/11/27 14:05" for tables and messages. */
export const formatDateTime = (d: Date | number, lang: Lang) => `${formatDate(d, lang)} ${formatHM(d, lang)}`;
