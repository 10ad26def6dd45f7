/**
 * Clock and time labels in the district's time zone (Asia/Shanghai), whatever the zone of the
 * machine driving the wall.
 */
import type { Lang } from './number.ts';

export const TIME_ZONE = 'Asia/Shanghai';

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(lang: Lang, kind: 'date' | 'time' | 'hm' | 'weekday' | 'md'): Intl.DateTimeFormat {
  const k = `${lang}|${kind}`;
  let f = cache.get(k);
  if (!f) {
    const base = { timeZone: TIME_ZONE } as const;
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

/** "2025/11/27" (zh-CN) or "11/27/2025" (en). */
export const formatDate = (d: Date | number, lang: Lang) => dtf(lang, 'date').format(d);
/** "14:05:09". */
export const formatClock = (d: Date | number, lang: Lang) => dtf(lang, 'time').format(d);
/** "14:05". */
export const formatHM = (d: Date | number, lang: Lang) => dtf(lang, 'hm').format(d);
/** "星期四" / "Thursday". */
export const formatWeekday = (d: Date | number, lang: Lang) => dtf(lang, 'weekday').format(d);

/** A `YYYY-MM-DD` day label → "11/27" or "11/27" (short axis label, either language). */
export function formatDayShort(day: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${Number(m[1])}/${Number(m[2])}` : day;
}

/** "2025/11/27 14:05" for tables and messages. */
export const formatDateTime = (d: Date | number, lang: Lang) => `${formatDate(d, lang)} ${formatHM(d, lang)}`;
