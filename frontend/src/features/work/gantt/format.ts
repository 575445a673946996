/** Date labels of the Gantt's time scale and grid, for the UI language (zh-CN by default). */
export interface GanttDateFormatters {
  /** top row at month zoom: 2026年 / 2026 */
  year: (date: Date) => string;
  /** top row at day and week zoom: 2026年1月 / January 2026 */
  month: (date: Date) => string;
  /** bottom row at month zoom: 1月 / Jan */
  monthShort: (date: Date) => string;
  /** bottom row at week zoom: the week's first day, 1/5 */
  weekStart: (date: Date) => string;
  /** bottom row at day zoom: 5 */
  dayOfMonth: (date: Date) => string;
  /** grid cells: "2026-01-05" → 2026/01/05 / 01/05/2026 */
  gridDay: (day: string) => string;
}

const cache = new Map<string, GanttDateFormatters>();

export function dateFormatters(locale: 'zh-CN' | 'en'): GanttDateFormatters {
  const cached = cache.get(locale);
  if (cached) return cached;
  const tag = locale === 'en' ? 'en-US' : 'zh-CN';
  const year = new Intl.DateTimeFormat(tag, { year: 'numeric' });
  const month = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'long' });
  const monthShort = new Intl.DateTimeFormat(tag, { month: 'short' });
  const weekStart = new Intl.DateTimeFormat(tag, { month: 'numeric', day: 'numeric' });
  const gridDay = new Intl.DateTimeFormat(tag, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const formatters: GanttDateFormatters = {
    year: (date) => year.format(date),
    month: (date) => month.format(date),
    monthShort: (date) => monthShort.format(date),
    weekStart: (date) => weekStart.format(date),
    dayOfMonth: (date) => String(date.getDate()),
    gridDay: (day) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
      if (!match) return day || '—';
      return gridDay.format(new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    },
  };
  cache.set(locale, formatters);
  return formatters;
}
