/** The Gantt page's pure rules: the endpoint's answer as GanttChart's props, and a drag as a PATCH. */
import dayjs from 'dayjs';
import type { Gantt, GanttTaskRead, TaskUpdate } from './api';
import type { GanttLink as ChartLink, GanttTask as ChartTask } from './gantt/model';

/** Phase rows are ours, not tasks: their chart ids carry this prefix. */
export const PHASE_ROW = 'phase:';

export const isPhaseRow = (id: string) => id.startsWith(PHASE_ROW);

/**
 * What the Gantt endpoint answers → GanttChart's tasks and links. Each phase (策划, 筹备 …) is
 * a summary row above its tasks, numbered as the tasks' WBS numbers say (phase n holds n.1,
 * n.2 …), spanning its dates, with its leaf tasks' mean progress; tasks outside a phase follow.
 * Without the critical-path view no bar is marked critical.
 */
export function toChart(
  gantt: Pick<Gantt, 'tasks' | 'dependencies'> & { phases?: Gantt['phases'] },
  options: { showCritical: boolean },
): { tasks: ChartTask[]; links: ChartLink[] } {
  const toTask = (t: GanttTaskRead, parentId: string | null): ChartTask => ({
    id: t.id,
    parentId,
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
  });
  const phases = [...(gantt.phases ?? [])].sort((a, b) => a.position - b.position);
  const known = new Set(phases.map((p) => p.id));
  // Each task's group: its top-level ancestor's phase (the server sends parents first).
  const groupOf = new Map<string, string | null>();
  const groups = new Map<string | null, GanttTaskRead[]>();
  for (const t of gantt.tasks) {
    const group =
      t.parent_id !== null
        ? (groupOf.get(t.parent_id) ?? null)
        : t.phase_id && known.has(t.phase_id)
          ? t.phase_id
          : null;
    groupOf.set(t.id, group);
    const members = groups.get(group);
    if (members) members.push(t);
    else groups.set(group, [t]);
  }
  const tasks: ChartTask[] = [];
  phases.forEach((phase, index) => {
    const members = groups.get(phase.id) ?? [];
    const leaves = members.filter((t) => !t.summary);
    const rowId = PHASE_ROW + phase.id;
    tasks.push({
      id: rowId,
      parentId: null,
      wbs: String(index + 1),
      title: phase.name,
      start: phase.starts_on,
      end: phase.ends_on,
      progress: leaves.length ? Math.round(leaves.reduce((sum, t) => sum + t.progress, 0) / leaves.length) : 0,
      milestone: false,
      critical: false,
      assigneeName: null,
    });
    for (const t of members) tasks.push(toTask(t, t.parent_id ?? rowId));
  });
  for (const t of groups.get(null) ?? []) tasks.push(toTask(t, t.parent_id));
  return {
    tasks,
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
