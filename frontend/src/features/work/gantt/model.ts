/**
 * Pure mapping between MEMS's Gantt props and SVAR React Gantt's data model (MIT edition),
 * plus the date arithmetic the chart needs. Nothing here touches the DOM or the API.
 *
 * Dates are calendar days ("YYYY-MM-DD"); `end` is the inclusive due date. SVAR works with
 * Date objects at local midnight and an exclusive end, so a one-day task on 2026-01-05 is
 * start 2026-01-05 00:00, end 2026-01-06 00:00 there.
 */

export type DepType = 'FS' | 'SS' | 'FF' | 'SF';
export type GanttZoom = 'day' | 'week' | 'month';

export interface GanttTask {
  id: string;
  parentId: string | null;
  wbs: string;
  title: string;
  /** YYYY-MM-DD */
  start: string;
  /** YYYY-MM-DD, the inclusive due date */
  end: string;
  /** 0-100 */
  progress: number;
  milestone: boolean;
  critical: boolean;
  assigneeName: string | null;
  baselineStart?: string | null;
  baselineEnd?: string | null;
}

export interface GanttLink {
  id: string;
  predecessorId: string;
  successorId: string;
  type: DepType;
  lagDays: number;
}

/** SVAR's link types: which end of the predecessor ("e"/"s") to which end of the successor. */
export type SvarLinkType = 'e2s' | 's2s' | 'e2e' | 's2e';

const TO_SVAR: Record<DepType, SvarLinkType> = { FS: 'e2s', SS: 's2s', FF: 'e2e', SF: 's2e' };
const FROM_SVAR: Record<SvarLinkType, DepType> = { e2s: 'FS', s2s: 'SS', e2e: 'FF', s2e: 'SF' };

export function toSvarLinkType(type: DepType): SvarLinkType {
  return TO_SVAR[type];
}

export function fromSvarLinkType(type: string): DepType | null {
  return type in FROM_SVAR ? FROM_SVAR[type as SvarLinkType] : null;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-01-05" → local midnight of that day (SVAR positions bars by local dates). */
export function parseDay(day: string): Date {
  const match = ISO_DAY.exec(day);
  if (!match) throw new Error(`Not a calendar day (YYYY-MM-DD): ${day}`);
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** Local date → "YYYY-MM-DD". */
export function formatIsoDay(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Adds whole calendar days (DST-safe: works on the local calendar, not on milliseconds). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

export function addDaysIso(day: string, days: number): string {
  return formatIsoDay(addDays(parseDay(day), days));
}

/** Whole calendar days from a to b (b - a), DST-safe. */
export function daysBetween(a: Date, b: Date): number {
  const ua = Date.UTC(a.getFullYear(), a.getMonth(), a.getDate());
  const ub = Date.UTC(b.getFullYear(), b.getMonth(), b.getDate());
  return Math.round((ub - ua) / DAY_MS);
}

/** The fields SVAR reads, plus ours (kept on the task so templates and columns can use them). */
export interface SvarTask {
  id: string;
  parent: string | 0;
  text: string;
  start: Date;
  /** exclusive */
  end: Date;
  progress: number;
  type: 'task' | 'summary' | 'milestone';
  open?: boolean;
  wbs: string;
  assigneeName: string;
  startDay: string;
  endDay: string;
  critical: boolean;
  baselineStart: string | null;
  baselineEnd: string | null;
}

export interface SvarLink {
  /** see linkKey */
  id: string;
  source: string;
  target: string;
  type: SvarLinkType;
  lag: number;
  critical: boolean;
}

/**
 * MEMS tasks → SVAR tasks. Parents become summary rows (expanded); a parent listed after its
 * children is fine, and a task whose parent is missing is shown at the top level rather than
 * dropped. Milestones are zero-length diamonds on their day (SVAR draws a diamond for
 * type "milestone"); their end is their start.
 */
export function toSvarTasks(tasks: readonly GanttTask[]): SvarTask[] {
  const ids = new Set(tasks.map((task) => task.id));
  const parents = new Set<string>();
  for (const task of tasks) if (task.parentId !== null && ids.has(task.parentId)) parents.add(task.parentId);
  return tasks.map((task) => {
    const start = parseDay(task.start);
    const isParent = parents.has(task.id);
    const milestone = task.milestone && !isParent;
    // An end before the start (bad data) is drawn as a one-day bar rather than breaking the chart.
    const endInclusive = task.end < task.start ? start : parseDay(task.end);
    const mapped: SvarTask = {
      id: task.id,
      parent: task.parentId !== null && ids.has(task.parentId) ? task.parentId : 0,
      text: task.title,
      start,
      end: milestone ? start : addDays(endInclusive, 1),
      progress: Math.max(0, Math.min(100, Math.round(task.progress))),
      type: isParent ? 'summary' : milestone ? 'milestone' : 'task',
      wbs: task.wbs,
      assigneeName: task.assigneeName ?? '',
      startDay: task.start,
      endDay: task.end,
      critical: task.critical,
      baselineStart: task.baselineStart ?? null,
      baselineEnd: task.baselineEnd ?? null,
    };
    if (isParent) mapped.open = true;
    return mapped;
  });
}

/**
 * MEMS links → SVAR links. A link is critical when both of its tasks are critical (it is
 * then drawn in red). Links to tasks that are not in `tasks` are left out: SVAR cannot draw
 * half a link.
 */
export function toSvarLinks(links: readonly GanttLink[], tasks: readonly GanttTask[]): SvarLink[] {
  const critical = new Map(tasks.map((task) => [task.id, task.critical]));
  return links
    .filter((link) => critical.has(link.predecessorId) && critical.has(link.successorId))
    .map((link) => {
      const isCritical = critical.get(link.predecessorId) === true && critical.get(link.successorId) === true;
      return {
        id: linkKey(link.id, isCritical),
        source: link.predecessorId,
        target: link.successorId,
        type: toSvarLinkType(link.type),
        lag: link.lagDays,
        critical: isCritical,
      };
    });
}

/**
 * The id SVAR knows a link by. SVAR's MIT edition cannot mark a link critical, but it writes
 * the id into the link's `data-link-id` attribute, so the id carries the mark and gantt.css
 * colours `[data-link-id*="crit~"]` red.
 */
export function linkKey(id: string, critical: boolean): string {
  return `${critical ? 'crit' : 'link'}~${id}`;
}

/** Our link id back from SVAR's. */
export function parseLinkKey(key: string): string {
  const match = /^(?:crit|link)~(.*)$/s.exec(key);
  return match ? (match[1] ?? key) : key;
}

/**
 * The new dates of a task that was dragged (move) or resized (one edge) by `diff` days.
 * `edges` says which dates moved: both for a move, one for a resize. The end stays
 * inclusive, and a resize never makes the end fall before the start.
 */
export function movedDates(
  task: Pick<GanttTask, 'start' | 'end' | 'milestone'>,
  diff: number,
  edges: { start: boolean; end: boolean },
): { start: string; end: string } {
  if (task.milestone || (edges.start && edges.end)) {
    return { start: addDaysIso(task.start, diff), end: addDaysIso(task.end, diff) };
  }
  if (edges.start) {
    const start = addDaysIso(task.start, diff);
    return { start: start > task.end ? task.end : start, end: task.end };
  }
  if (edges.end) {
    const end = addDaysIso(task.end, diff);
    return { start: task.start, end: end < task.start ? task.start : end };
  }
  return { start: task.start, end: task.end };
}

/**
 * A task's days as SVAR holds them now (Date start, exclusive Date end) → our
 * "YYYY-MM-DD" start and inclusive end. A milestone ends on its start day.
 */
export function svarDays(start: Date, end: Date, milestone: boolean): { start: string; end: string } {
  const startDay = formatIsoDay(start);
  if (milestone) return { start: startDay, end: startDay };
  const endDay = formatIsoDay(addDays(end, -1));
  return { start: startDay, end: endDay < startDay ? startDay : endDay };
}

/** Saturday or Sunday, or a listed holiday: shaded in the chart. */
export function isNonWorkingDay(date: Date, holidays: ReadonlySet<string>): boolean {
  const weekday = date.getDay();
  return weekday === 0 || weekday === 6 || holidays.has(formatIsoDay(date));
}

export interface ZoomScale {
  /** width of one cell of the finest scale row, in px */
  cellWidth: number;
  top: 'year' | 'month';
  bottom: 'month' | 'week' | 'day';
}

export const ZOOM_SCALES: Record<GanttZoom, ZoomScale> = {
  day: { cellWidth: 28, top: 'month', bottom: 'day' },
  week: { cellWidth: 63, top: 'month', bottom: 'week' },
  month: { cellWidth: 120, top: 'year', bottom: 'month' },
};

/**
 * The horizontal position of a day in the chart, in px from the chart's first day, given
 * the width of one day. The chart is laid out in days at every zoom level, so this is linear.
 */
export function dayOffset(chartStart: Date, day: string, dayWidth: number): number {
  return daysBetween(chartStart, parseDay(day)) * dayWidth;
}

/**
 * Where the baseline bar sits relative to its task's bar (both in px), or null when the task
 * has no baseline. A milestone's baseline is a marker on its baseline day.
 */
export function baselineBox(
  task: Pick<SvarTask, 'startDay' | 'baselineStart' | 'baselineEnd'>,
  dayWidth: number,
): { left: number; width: number } | null {
  if (!task.baselineStart || !task.baselineEnd || !ISO_DAY.test(task.baselineStart) || !ISO_DAY.test(task.baselineEnd))
    return null;
  const start = parseDay(task.startDay);
  const left = daysBetween(start, parseDay(task.baselineStart)) * dayWidth;
  const days = Math.max(1, daysBetween(parseDay(task.baselineStart), parseDay(task.baselineEnd)) + 1);
  return { left, width: days * dayWidth };
}
