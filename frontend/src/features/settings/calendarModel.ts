import dayjs from 'dayjs';
import type { components } from '@/api/schema';

export type WorkCalendar = components['schemas']['CalendarRead'];
export type CalendarDay = components['schemas']['CalendarDayRead'];

/** Monday = 0 … Sunday = 6, as the API numbers weekdays. */
export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

/** The API's weekday of a calendar day (Monday = 0), from dayjs's (Sunday = 0). */
export function weekdayOf(day: string): number {
  return (dayjs(day).day() + 6) % 7;
}

export interface CalendarRow extends CalendarDay {
  weekday: number;
  /** Only the organisation's own days can be removed (China's come from the public calendar). */
  removable: boolean;
}

/** The year's exceptions by date, each with its weekday. */
export function calendarRows(days: readonly CalendarDay[]): CalendarRow[] {
  return [...days]
    .sort((a, b) => a.day.localeCompare(b.day))
    .map((d) => ({ ...d, weekday: weekdayOf(d.day), removable: d.source === 'org' }));
}

/** Whether China's public holidays of `year` are known (only matters when they are used). */
export function holidaysMissing(calendar: Pick<WorkCalendar, 'year' | 'china_holidays' | 'china_years'>): boolean {
  return calendar.china_holidays && !calendar.china_years.includes(calendar.year);
}

/** The settings body when the form differs from what was read; null when nothing changed. */
export function settingsChange(
  calendar: Pick<WorkCalendar, 'weekend' | 'china_holidays' | 'revision'>,
  weekend: readonly number[],
  chinaHolidays: boolean,
): { weekend: number[]; china_holidays: boolean; revision: number } | null {
  const next = [...new Set(weekend)].sort((a, b) => a - b);
  const same =
    next.length === calendar.weekend.length &&
    next.every((d, i) => d === [...calendar.weekend].sort((a, b) => a - b)[i]) &&
    chinaHolidays === calendar.china_holidays;
  return same ? null : { weekend: next, china_holidays: chinaHolidays, revision: calendar.revision };
}

/** China's public holidays as the calendar data names them (English), → their i18n keys. */
const CHINA_HOLIDAYS: Record<string, string> = {
  "New Year's Day": 'newYear',
  'Spring Festival': 'springFestival',
  'Tomb-sweeping Day': 'qingming',
  'Labour Day': 'labourDay',
  'Dragon Boat Festival': 'dragonBoat',
  'National Day': 'nationalDay',
  'Mid-autumn Festival': 'midAutumn',
  'Anti-Fascist 70th Day': 'victoryDay',
};

/** The i18n key of a public holiday's name, or null for a name we do not know (shown as sent). */
export function holidayKey(day: Pick<CalendarDay, 'name' | 'source'>): string | null {
  const key = day.source === 'china' ? CHINA_HOLIDAYS[day.name] : undefined;
  return key ? `settings.calendar.holidays.${key}` : null;
}

/** Years as ranges: [2004, 2005, 2006, 2010] → "2004–2006, 2010". */
export function yearRanges(years: readonly number[]): string {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const ranges: string[] = [];
  let start: number | undefined;
  let prev: number | undefined;
  for (const y of [...sorted, Number.NaN]) {
    if (prev !== undefined && y === prev + 1) {
      prev = y;
      continue;
    }
    if (start !== undefined && prev !== undefined) ranges.push(start === prev ? `${start}` : `${start}–${prev}`);
    start = y;
    prev = y;
  }
  return ranges.join(', ');
}
