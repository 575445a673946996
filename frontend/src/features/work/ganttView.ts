/** The Gantt page's pure rules: the endpoint's answer as GanttChart's props, and a drag as a PATCH. */
import dayjs from 'dayjs';
import type { Gantt, GanttTaskRead, TaskUpdate } from './api';
import type { GanttLink as ChartLink, GanttTask as ChartTask } from './gantt/model';

/**
 * What the Gantt endpoint answers → GanttChart's tasks and links. Without the critical-path
 * view no bar is marked critical.
 */
export function toChart(
  gantt: Pick<Gantt, 'tasks' | 'dependencies'>,
  options: { showCritical: boolean },
): { tasks: ChartTask[]; links: ChartLink[] } {
  return {
    tasks: gantt.tasks.map((t) => ({
      id: t.id,
      parentId: t.parent_id,
      wbs: t.wbs,
      title: t.title,
      start: t.starts_on,
      end: t.due_on,
      progress: t.progress,
      milestone: t.milestone,
      critical: options.showCritical && t.critical,
      assigneeName: t.assignee_name || null,
      baselineStart: t.baseline_starts_on,
      baselineEnd: t.baseline_due_on,
    })),
    links: gantt.dependencies.map((d) => ({
      id: d.id,
      predecessorId: d.predecessor_id,
      successorId: d.successor_id,
      type: d.type,
      lagDays: d.lag_days,
    })),
  };
}

/**
 * The PATCH of a bar dragged or resized in the Gantt. A bar moved whole (both dates shifted
 * alike) sends its new start only, so it keeps its length in working days (dropped over a
 * weekend it is not cut short); a milestone likewise. A resized bar sends the dates that moved:
 * a new due date alone, or a new start with the due date it keeps.
 */
export function moveBody(
  task: Pick<GanttTaskRead, 'milestone' | 'version' | 'starts_on' | 'due_on'>,
  start: string,
  end: string,
): TaskUpdate {
  const shift = (a: string, b: string) => dayjs(b).diff(dayjs(a), 'day');
  const moved = shift(task.starts_on, start) === shift(task.due_on, end);
  if (task.milestone || moved) return { starts_on: start, version: task.version };
  if (start === task.starts_on) return { due_on: end, version: task.version };
  return { starts_on: start, due_on: end, version: task.version };
}
