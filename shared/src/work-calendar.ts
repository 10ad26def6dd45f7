/**
 * Working days for deadlines: weekends and public holidays are off, and some weekend days are
 * working days (调休). The calendar is data (`shared/data/work-calendar.json`), replaceable per
 * deployment and to be updated each year from the official notice.
 */
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import data from '../data/work-calendar.json' with { type: 'json' };
import { DEFAULT_UTC_OFFSET_MINUTES, dayLabel, localDay } from './time.ts';

const DAY_MS = 86_400_000;
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const WorkCalendarSchema = Type.Object({
  version: Type.Literal(1),
  name: Type.String(),
  note: Type.Optional(Type.String()),
  holidays: Type.Array(DateString),
  workdays: Type.Array(DateString),
});

export interface WorkCalendar {
  isWorkingDay(day: number): boolean;
  /** `start` plus `days` working days, at the same local time of day. */
  addWorkingDays(start: number, days: number): number;
}

/** Builds a calendar from its JSON form; throws listing every problem. */
export function workCalendar(json: unknown, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): WorkCalendar {
  const check = Compile(WorkCalendarSchema);
  if (!check.Check(json)) {
    throw new Error(
      `invalid work calendar:\n  - ${[...check.Errors(json)].map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('\n  - ')}`,
    );
  }
  const cal = json as { holidays: string[]; workdays: string[] };
  const both = cal.holidays.filter((d) => cal.workdays.includes(d));
  if (both.length) throw new Error(`invalid work calendar: ${both.join(', ')} listed both as holiday and as working day`);
  const holidays = new Set(cal.holidays);
  const workdays = new Set(cal.workdays);

  // deadlines step over up to ~20 days per appeal on the ingest path: remember each day's answer
  const known = new Map<number, boolean>();
  const isWorkingDay = (day: number): boolean => {
    let working = known.get(day);
    if (working === undefined) {
      const label = dayLabel(day);
      const weekday = new Date(day * DAY_MS).getUTCDay(); // day numbers are local midnights on the UTC axis
      working = workdays.has(label) || (!holidays.has(label) && weekday !== 0 && weekday !== 6);
      known.set(day, working);
    }
    return working;
  };

  return {
    isWorkingDay,
    addWorkingDays(start: number, days: number): number {
      let day = localDay(start, utcOffsetMinutes);
      let left = days;
      while (left > 0) {
        day++;
        if (isWorkingDay(day)) left--;
      }
      return start + (day - localDay(start, utcOffsetMinutes)) * DAY_MS;
    },
  };
}

/** The default deployment's calendar (mainland China public holidays). */
export const defaultWorkCalendar: WorkCalendar = workCalendar(data);
