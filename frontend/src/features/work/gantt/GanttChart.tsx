import { Locale } from '@svar-ui/react-core';
import { Gantt, Willow } from '@svar-ui/react-gantt';
import type { IApi, IColumnConfig, IScaleConfig, ITask } from '@svar-ui/react-gantt';
import '@svar-ui/react-gantt/all.css';
import { createContext, startTransition, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import './gantt.css';
import {
  baselineBox,
  dayOffset,
  fromSvarLinkType,
  isNonWorkingDay,
  movedDates,
  parseLinkKey,
  svarDays,
  toSvarLinks,
  toSvarTasks,
  ZOOM_SCALES,
} from './model';
import type { DepType, GanttLink, GanttTask, GanttZoom, SvarTask } from './model';
import { dateFormatters } from './format';

export type { DepType, GanttLink, GanttTask, GanttZoom } from './model';

// Creating Intl date formatters loads locale data (tens of ms on a slow machine): do it for the
// default language when this chunk loads, not inside the chart's first render.
dateFormatters('zh-CN');

export interface GanttChartProps {
  /** Pass the same arrays until they change (memoise them): a new array re-lays out the chart. */
  tasks: GanttTask[];
  links: GanttLink[];
  /** YYYY-MM-DD: where the "today" line is drawn */
  today: string;
  /** holidays (YYYY-MM-DD), shaded like weekends */
  nonWorkingDays?: string[];
  zoom: GanttZoom;
  showBaseline: boolean;
  readOnly?: boolean;
  /** px; the chart scrolls inside it */
  height?: number;
  /** A bar was dragged (body: move) or resized (an edge). `end` is the inclusive due date. */
  onTaskMove?: (id: string, start: string, end: string) => void;
  /** A dependency was drawn from one bar's end point to another's. */
  onLinkCreate?: (predecessorId: string, successorId: string, type: DepType) => void;
  onLinkDelete?: (id: string) => void;
  /** A task was double-clicked (in the grid or on its bar). */
  onTaskOpen?: (id: string) => void;
}

const COLUMN_WIDTHS = { wbs: 72, title: 200, assignee: 84, day: 92 };
const GRID_WIDTH = COLUMN_WIDTHS.wbs + COLUMN_WIDTHS.title + COLUMN_WIDTHS.assignee + 2 * COLUMN_WIDTHS.day;

interface BarDisplay {
  showBaseline: boolean;
  dayWidth: number;
}

// Weeks start on Monday, as in China (and ISO 8601): the week zoom's columns begin on Mondays.
const SVAR_WORDS = { calendar: { weekStart: 1 } };

const BarDisplayContext = createContext<BarDisplay>({ showBaseline: false, dayWidth: 0 });

/** What SVAR hands a bar template: the task as we gave it (see toSvarTasks), plus its layout. */
interface BarTemplateProps {
  data: ITask;
}

/**
 * The bar's label, drawn by us so the bar can carry our marks: a critical task's bar (and
 * milestone diamond) turns red through `.mems-gantt-critical` (see gantt.css), and the
 * baseline is a thin grey bar under it, placed relative to the task's own start.
 */
function BarContent({ data: task }: BarTemplateProps) {
  const data = task as Partial<SvarTask>;
  const { showBaseline, dayWidth } = useContext(BarDisplayContext);
  const baseline =
    showBaseline && data.startDay && dayWidth > 0
      ? baselineBox(
          { startDay: data.startDay, baselineStart: data.baselineStart ?? null, baselineEnd: data.baselineEnd ?? null },
          dayWidth,
        )
      : null;
  const milestone = data.type === 'milestone';
  return (
    <>
      <div
        className={
          (milestone ? 'wx-text-out mems-gantt-label' : 'wx-content mems-gantt-label') +
          (data.critical ? ' mems-gantt-critical' : '')
        }
      >
        {data.text ?? ''}
      </div>
      {baseline ? (
        <div
          className={'mems-gantt-baseline' + (milestone ? ' mems-gantt-baseline-milestone' : '')}
          style={{ left: baseline.left, width: milestone ? undefined : baseline.width }}
          data-testid="gantt-baseline"
        />
      ) : null}
    </>
  );
}

interface ScaleInfo {
  start: Date;
  dayWidth: number;
}

/**
 * MEMS's interactive Gantt chart over SVAR React Gantt (MIT): a WBS grid on the left, bars on
 * a day/week/month time line, dependencies, critical path in red, baselines, today line and
 * shaded non-working days. It only shows what it is given and reports what the person did
 * through the callbacks; it fetches nothing. Moves show at once (the page then saves them and
 * passes the new tasks); new and deleted links show once the page passes the new links.
 */
export function GanttChart({
  tasks,
  links,
  today,
  nonWorkingDays,
  zoom,
  showBaseline,
  readOnly = false,
  height = 600,
  onTaskMove,
  onLinkCreate,
  onLinkDelete,
  onTaskOpen,
}: GanttChartProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const format = useMemo(() => dateFormatters(locale), [locale]);

  const svarTasks = useMemo(() => toSvarTasks(tasks), [tasks]);
  const svarLinks = useMemo(() => toSvarLinks(links, tasks), [links, tasks]);

  // The handlers registered once in `init` read the latest props through this ref.
  const latest = useRef({ onTaskMove, onLinkCreate, onLinkDelete, onTaskOpen });
  useEffect(() => {
    latest.current = { onTaskMove, onLinkCreate, onLinkDelete, onTaskOpen };
  });

  // Every change of a prop SVAR reads re-initialises the whole chart, so the holiday list is
  // keyed by its content, not by the array's identity (pages often pass a new array).
  const holidayKey = (nonWorkingDays ?? []).join(',');
  const holidays = useMemo(() => new Set(holidayKey ? holidayKey.split(',') : []), [holidayKey]);
  const highlightTime = useCallback(
    (date: Date, unit: 'day' | 'hour') => (unit === 'day' && isNonWorkingDay(date, holidays) ? 'wx-weekend' : ''),
    [holidays],
  );

  const scale = ZOOM_SCALES[zoom];
  const scales = useMemo<IScaleConfig[]>(
    () => [
      { unit: scale.top, step: 1, format: scale.top === 'year' ? format.year : format.month },
      {
        unit: scale.bottom,
        step: 1,
        format:
          scale.bottom === 'day' ? format.dayOfMonth : scale.bottom === 'week' ? format.weekStart : format.monthShort,
      },
    ],
    [scale, format],
  );

  const columns = useMemo<IColumnConfig[]>(
    () => [
      { id: 'wbs', header: t('work.gantt.columns.wbs'), width: COLUMN_WIDTHS.wbs },
      { id: 'text', header: t('work.gantt.columns.title'), width: COLUMN_WIDTHS.title },
      { id: 'assigneeName', header: t('work.gantt.columns.assignee'), width: COLUMN_WIDTHS.assignee },
      {
        id: 'startDay',
        header: t('work.gantt.columns.start'),
        width: COLUMN_WIDTHS.day,
        template: (value: string) => format.gridDay(value),
      },
      {
        id: 'endDay',
        header: t('work.gantt.columns.end'),
        width: COLUMN_WIDTHS.day,
        template: (value: string) => format.gridDay(value),
      },
    ],
    [t, format],
  );

  // SVAR lays out every task while it first renders. Mounting it in a transition lets React
  // render it in slices (the layout, then the rows) instead of one long task.
  const [mounted, setMounted] = useState(false);
  useEffect(() => startTransition(() => setMounted(true)), []);

  const wrapperRef = useRef<HTMLDivElement>(null);
  const [scaleInfo, setScaleInfo] = useState<ScaleInfo | null>(null);
  const [chartArea, setChartArea] = useState<HTMLElement | null>(null);
  const unsubscribe = useRef<(() => void) | null>(null);
  useEffect(() => () => unsubscribe.current?.(), []);

  const init = useCallback((api: IApi) => {
    const blocked = [
      'add-task',
      'delete-task',
      'copy-task',
      'cut-task',
      'paste-task',
      'move-task',
      'indent-task',
      'convert-task',
      'split-task',
      'update-link',
    ];
    for (const action of blocked) api.intercept(action, () => false);

    // A summary row's dates follow its children: it is not dragged itself.
    api.intercept('drag-task', (ev) => api.getTask(ev.id).type !== 'summary');
    api.intercept('update-task', (ev) => {
      if (typeof ev.diff !== 'number') return false; // progress drags and inline edits: not ours
      const current = api.getTask(ev.id);
      if (current.type === 'summary' || !current.start) return false;
      // The dates SVAR holds now (they already include earlier moves the page has not passed
      // back yet), shifted by the whole days the bar or its edge was dragged.
      const before = svarDays(current.start, current.end ?? current.start, current.type === 'milestone');
      const after = movedDates({ ...before, milestone: current.type === 'milestone' }, ev.diff, {
        start: 'start' in ev.task,
        end: 'end' in ev.task,
      });
      if (after.start !== before.start || after.end !== before.end)
        latest.current.onTaskMove?.(String(ev.id), after.start, after.end);
      return true;
    });
    api.intercept('add-link', (ev) => {
      const { source, target, type } = ev.link;
      const depType = fromSvarLinkType(String(type));
      if (depType && source !== undefined && target !== undefined)
        latest.current.onLinkCreate?.(String(source), String(target), depType);
      return false;
    });
    api.intercept('delete-link', (ev) => {
      latest.current.onLinkDelete?.(parseLinkKey(String(ev.id)));
      return false;
    });
    api.intercept('show-editor', (ev: { id?: unknown }) => {
      if (typeof ev.id === 'string' || typeof ev.id === 'number') latest.current.onTaskOpen?.(String(ev.id));
      return false;
    });

    const state = api.getReactiveState() as unknown as {
      _scales: { subscribe(fn: (value: { start: Date; lengthUnitWidth: number }) => void): () => void };
    };
    unsubscribe.current?.();
    unsubscribe.current = state._scales.subscribe((value) => {
      if (value) setScaleInfo({ start: value.start, dayWidth: value.lengthUnitWidth });
    });
  }, []);

  // The today line lives inside SVAR's scrolling chart area, so it scrolls with the bars.
  useEffect(() => {
    const area = wrapperRef.current?.querySelector<HTMLElement>('.wx-chart .wx-area') ?? null;
    setChartArea(area);
  }, [scaleInfo]);

  const todayLeft = scaleInfo ? dayOffset(scaleInfo.start, today, scaleInfo.dayWidth) : null;
  const barDisplay = useMemo(
    () => ({ showBaseline, dayWidth: scaleInfo?.dayWidth ?? 0 }),
    [showBaseline, scaleInfo?.dayWidth],
  );

  return (
    <div
      ref={wrapperRef}
      className={'mems-gantt' + (showBaseline ? ' mems-gantt-with-baseline' : '')}
      style={{ height }}
      data-zoom={zoom}
    >
      <BarDisplayContext.Provider value={barDisplay}>
        <Locale words={SVAR_WORDS}>
          <Willow fonts={false}>
            {mounted ? (
              <Gantt
                init={init}
                tasks={svarTasks}
                links={svarLinks}
                scales={scales}
                columns={columns}
                gridWidth={GRID_WIDTH}
                lengthUnit="day"
                cellWidth={scale.cellWidth}
                cellHeight={showBaseline ? 40 : 34}
                readonly={readOnly}
                highlightTime={highlightTime}
                taskTemplate={BarContent}
              />
            ) : null}
          </Willow>
        </Locale>
      </BarDisplayContext.Provider>
      {chartArea && todayLeft !== null && todayLeft >= 0
        ? createPortal(
            <div
              className="mems-gantt-today"
              style={{ left: todayLeft + (scaleInfo?.dayWidth ?? 0) / 2 }}
              title={t('work.gantt.today')}
              data-testid="gantt-today"
            />,
            chartArea,
          )
        : null}
    </div>
  );
}

export default GanttChart;
