/* The battle map's layout maths (pure): where days, phases, milestones and today sit on the
 * timeline strip, which lane a milestone's label takes, bar lengths and relative times. */

import type { DisplayLocale } from '@/lib/format';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days since 1970-01-01 of a calendar day sent as YYYY-MM-DD (no time zone applies). */
export function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Math.round(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

/** The YYYY-MM-DD of a day number. */
export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The days the strip shows, first and last inclusive. */
export interface Span {
  first: number;
  last: number;
}

/** The strip spans the project's dates, widened to any phase or milestone outside them. */
export function timelineSpan(days: readonly string[]): Span {
  const numbers = days.map(dayNumber);
  const first = Math.min(...numbers);
  const last = Math.max(...numbers);
  return { first, last: Math.max(first, last) };
}

function spanDays(span: Span): number {
  return span.last - span.first + 1;
}

const clampPercent = (value: number) => Math.min(100, Math.max(0, value));

/** A bar from a day's start to another day's end (inclusive), as left/width percentages. */
export function segment(starts: string, ends: string, span: Span): { left: number; width: number } {
  const total = spanDays(span);
  const from = Math.max(dayNumber(starts), span.first);
  const to = Math.min(dayNumber(ends), span.last);
  if (to < from) return { left: clampPercent(((from - span.first) / total) * 100), width: 0 };
  return { left: ((from - span.first) / total) * 100, width: ((to - from + 1) / total) * 100 };
}

/** The middle of a day (a milestone, today), as a left percentage; null outside the strip. */
export function dayCentre(day: string, span: Span): number | null {
  const n = dayNumber(day);
  if (n < span.first || n > span.last) return null;
  return ((n - span.first + 0.5) / spanDays(span)) * 100;
}

/** The first day of each month inside the strip (the axis' ticks), with its position; a tick
 * within `keepOff` percent of `busy` (today's label) is left out so the labels do not collide. */
export function monthTicks(span: Span, busy: number | null = null, keepOff = 5): { day: string; left: number }[] {
  const ticks: { day: string; left: number }[] = [];
  const start = new Date(span.first * DAY_MS);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  // The strip's first day is always labelled, then each 1st after it.
  ticks.push({ day: dayString(span.first), left: 0 });
  for (;;) {
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
    const n = Math.round(Date.UTC(year, month, 1) / DAY_MS);
    if (n > span.last) break;
    ticks.push({ day: dayString(n), left: ((n - span.first) / spanDays(span)) * 100 });
  }
  // A first-of-month right after the strip's start would print over it.
  return ticks
    .filter((tick, i) => i === 0 || tick.left >= 6)
    .filter((tick) => busy === null || Math.abs(tick.left - busy) >= keepOff);
}

export type MilestoneState = 'done' | 'late' | 'open';

/**
 * A milestone is late (red) when it is not done and its due day has passed, or when it is due
 * after the project's planned end; done ones are green.
 */
export function milestoneState(
  milestone: { due_on: string; status: string },
  today: string,
  plannedEnd: string,
): MilestoneState {
  if (milestone.status === 'done') return 'done';
  if (dayNumber(milestone.due_on) < dayNumber(today)) return 'late';
  if (dayNumber(milestone.due_on) > dayNumber(plannedEnd)) return 'late';
  return 'open';
}

/**
 * Labels under the strip: each goes to the first lane where it keeps `minGap` percent from the
 * previous label in that lane, so close milestones stack instead of printing over each other.
 * Positions are taken in order (left to right); a label that fits nowhere goes to the lane whose
 * last label is farthest away.
 */
export function labelLanes(positions: readonly number[], minGap: number, lanes: number): number[] {
  const lastIn: number[] = Array.from({ length: lanes }, () => Number.NEGATIVE_INFINITY);
  return positions.map((left) => {
    let lane = lastIn.findIndex((last) => left - last >= minGap);
    if (lane < 0) lane = lastIn.indexOf(Math.min(...lastIn));
    lastIn[lane] = left;
    return lane;
  });
}

/** Days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** A bar's length in percent of the largest value (0 when nothing is measured). */
export function barPercent(value: number, max: number): number {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.min(100, (value / max) * 100);
}

/** The colours phases take in turn. */
export const PHASE_COLORS = ['#1677ff', '#13c2c2', '#722ed1', '#fa8c16', '#52c41a', '#eb2f96'] as const;

export function phaseColor(index: number): string {
  return PHASE_COLORS[index % PHASE_COLORS.length] ?? PHASE_COLORS[0];
}

const relativeFormatters = new Map<DisplayLocale, Intl.RelativeTimeFormat>();

/** "3 分钟前", "2 hours ago": how long ago a moment was, in the largest unit that fits. */
export function relativeTime(moment: string, now: Date, locale: DisplayLocale = 'zh-CN'): string {
  let formatter = relativeFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.RelativeTimeFormat(locale === 'en' ? 'en-US' : 'zh-CN', { numeric: 'auto' });
    relativeFormatters.set(locale, formatter);
  }
  const seconds = Math.round((new Date(moment).getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return formatter.format(0, 'second');
  if (abs < 3600) return formatter.format(Math.trunc(seconds / 60), 'minute');
  if (abs < 86400) return formatter.format(Math.trunc(seconds / 3600), 'hour');
  if (abs < 30 * 86400) return formatter.format(Math.trunc(seconds / 86400), 'day');
  if (abs < 365 * 86400) return formatter.format(Math.trunc(seconds / (30 * 86400)), 'month');
  return formatter.format(Math.trunc(seconds / (365 * 86400)), 'year');
}
