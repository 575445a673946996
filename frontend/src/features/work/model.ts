/**
 * The pure rules of the work pages: WBS numbering and rows, filters, board columns, who may
 * change what, the task form's bodies, and what a reschedule moved. No React, no API calls.
 */
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import type { MovedTask, Phase, Priority, ProjectDetail, Task, TaskCreate, TaskStatus, TaskUpdate } from './api';
import { PERMISSIONS } from '@/lib/permissions';

export const TASK_STATUSES = [
  'todo',
  'in_progress',
  'blocked',
  'done',
  'cancelled',
] as const satisfies readonly TaskStatus[];

/** The board's columns, in the order work flows (cancelled tasks are not on the board). */
export const BOARD_COLUMNS = ['todo', 'in_progress', 'blocked', 'done'] as const satisfies readonly TaskStatus[];
export type BoardColumn = (typeof BOARD_COLUMNS)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const satisfies readonly Priority[];

export const STATUS_COLORS: Record<TaskStatus, string> = {
  todo: 'default',
  in_progress: 'processing',
  blocked: 'error',
  done: 'success',
  cancelled: 'default',
};

export const PRIORITY_COLORS: Record<Priority, string> = {
  low: 'default',
  medium: 'blue',
  high: 'orange',
  urgent: 'red',
};

// ---- WBS ------------------------------------------------------------------------------------

export interface WbsTask extends Task {
  /** 1.2.1: phase 1, its second task, that task's first subtask; tasks outside a phase follow. */
  wbs: string;
  /** 0 for a phase's own tasks, 1 for their subtasks … */
  depth: number;
  /** Has subtasks: its dates and progress are theirs. */
  summary: boolean;
}

/**
 * The tasks in WBS order with their numbers, as the server numbers them (work/views.wbs_order):
 * phase n's tasks are n.1, n.2 …, their subtasks n.1.1 …; tasks outside any phase are numbered
 * after the phases. The input order (position) is kept among siblings.
 */
export function wbsOrder(tasks: readonly Task[], phases: readonly Pick<Phase, 'id'>[]): WbsTask[] {
  const children = new Map<string, Task[]>();
  const keyOf = (t: Task) => (t.parent_id !== null ? `task:${t.parent_id}` : `phase:${t.phase_id ?? ''}`);
  for (const t of tasks) {
    const key = keyOf(t);
    children.set(key, [...(children.get(key) ?? []), t]);
  }
  const ordered: WbsTask[] = [];
  const walk = (key: string, prefix: string, depth: number) => {
    (children.get(key) ?? []).forEach((t, i) => {
      const wbs = `${prefix}${i + 1}`;
      ordered.push({ ...t, wbs, depth, summary: children.has(`task:${t.id}`) });
      walk(`task:${t.id}`, `${wbs}.`, depth + 1);
    });
  };
  phases.forEach((phase, n) => walk(`phase:${phase.id}`, `${n + 1}.`, 0));
  const phaseIds = new Set(phases.map((p) => p.id));
  const loose = [
    ...(children.get('phase:') ?? []),
    ...[...children.entries()]
      .filter(([key]) => key.startsWith('phase:') && key !== 'phase:' && !phaseIds.has(key.slice(6)))
      .flatMap(([, list]) => list),
  ];
  loose.forEach((t, i) => {
    const wbs = String(phases.length + i + 1);
    ordered.push({ ...t, wbs, depth: 0, summary: children.has(`task:${t.id}`) });
    walk(`task:${t.id}`, `${wbs}.`, 1);
  });
  return ordered;
}

export interface TaskFilter {
  assignee?: string | null;
  statuses?: readonly TaskStatus[];
  /** A phase id, or "none" for the tasks outside any phase. */
  phase?: string | null;
}

export function matchesFilter(task: Task, filter: TaskFilter): boolean {
  if (filter.assignee && task.assignee_member_id !== filter.assignee) return false;
  if (filter.statuses && filter.statuses.length > 0 && !filter.statuses.includes(task.status)) return false;
  if (filter.phase === 'none' && task.phase_id !== null) return false;
  if (filter.phase && filter.phase !== 'none' && task.phase_id !== filter.phase) return false;
  return true;
}

export type ListRow =
  | { kind: 'phase'; key: string; phase: Phase | null; total: number; done: number }
  | { kind: 'task'; key: string; task: WbsTask };

/**
 * The list's rows: each phase as a group row followed by its matching tasks, then the tasks
 * outside any phase under their own group. A phase with no matching task is shown (empty) only
 * when nothing filters the list.
 */
export function listRows(tasks: readonly WbsTask[], phases: readonly Phase[], filter: TaskFilter): ListRow[] {
  const filtering = !!filter.assignee || (filter.statuses?.length ?? 0) > 0 || !!filter.phase;
  const phaseIds = new Set(phases.map((p) => p.id));
  const groups: { key: string; phase: Phase | null; tasks: WbsTask[] }[] = [
    ...phases.map((phase) => ({ key: phase.id, phase, tasks: tasks.filter((t) => t.phase_id === phase.id) })),
    {
      key: 'none',
      phase: null,
      tasks: tasks.filter((t) => t.phase_id === null || !phaseIds.has(t.phase_id)),
    },
  ];
  const rows: ListRow[] = [];
  for (const group of groups) {
    const matching = group.tasks.filter((t) => matchesFilter(t, filter));
    if (matching.length === 0 && (filtering || group.phase === null)) continue;
    const leaves = group.tasks.filter((t) => !t.summary);
    rows.push({
      kind: 'phase',
      key: `phase-${group.key}`,
      phase: group.phase,
      total: leaves.length,
      done: leaves.filter((t) => t.status === 'done').length,
    });
    for (const task of matching) rows.push({ kind: 'task', key: task.id, task });
  }
  return rows;
}

/** The board's cards by column, in WBS order; cancelled tasks stay off the board. */
export function boardColumns<T extends Pick<Task, 'status'>>(tasks: readonly T[]): Record<BoardColumn, T[]> {
  const columns: Record<BoardColumn, T[]> = { todo: [], in_progress: [], blocked: [], done: [] };
  for (const task of tasks) {
    if (task.status !== 'cancelled') columns[task.status].push(task);
  }
  return columns;
}

// ---- who may do what ------------------------------------------------------------------------

interface Caller {
  membership_id: string;
  permissions: readonly string[];
}

/**
 * Whether the caller may change the project's plan (tasks, dates, links, baselines), as the
 * server decides it: directors and admins on every project, a project manager on their own,
 * while the project is neither closed nor cancelled.
 */
export function mayEditPlan(me: Caller, project: Pick<ProjectDetail, 'owner_member_id' | 'status'>): boolean {
  if (project.status === 'closed' || project.status === 'cancelled') return false;
  if (me.permissions.includes(PERMISSIONS.projectsManageAll)) return true;
  return me.permissions.includes(PERMISSIONS.projectsWrite) && project.owner_member_id === me.membership_id;
}

/** A task's assignee reports on it (progress, status, actual hours, description). */
export function mayReport(me: Caller, task: Pick<Task, 'assignee_member_id'>): boolean {
  return task.assignee_member_id === me.membership_id && me.permissions.includes(PERMISSIONS.workWrite);
}

/** The project's team that may be given tasks: its manager and the working roles. */
export function assigneeOptions(project: Pick<ProjectDetail, 'members' | 'owner_member_id' | 'owner_name'>) {
  const working = new Set(['manager', 'core', 'contributor']);
  const options = new Map<string, string>([[project.owner_member_id, project.owner_name]]);
  for (const m of project.members) if (working.has(m.role)) options.set(m.member_id, m.name);
  return [...options].map(([value, label]) => ({ value, label }));
}

// ---- the task form --------------------------------------------------------------------------

export type LengthMode = 'due' | 'duration';

export interface TaskFormValues {
  title: string;
  phase_id?: string | null;
  parent_id?: string | null;
  assignee_member_id?: string | null;
  starts_on?: Dayjs | null;
  length_mode: LengthMode;
  due_on?: Dayjs | null;
  duration_days?: number | null;
  milestone: boolean;
  priority: Priority;
  estimate_hours?: number | string | null;
  actual_hours?: number | string | null;
  key_result_id?: string | null;
  description?: string | null;
  progress?: number;
  status?: TaskStatus;
}

const ISO = 'YYYY-MM-DD';

export function formValuesFrom(task: Task | null, defaults: { phase_id?: string | null } = {}): TaskFormValues {
  if (!task) {
    return {
      title: '',
      phase_id: defaults.phase_id ?? null,
      parent_id: null,
      assignee_member_id: null,
      starts_on: null,
      length_mode: 'duration',
      due_on: null,
      duration_days: 1,
      milestone: false,
      priority: 'medium',
      estimate_hours: null,
      key_result_id: null,
      description: '',
    };
  }
  return {
    title: task.title,
    phase_id: task.phase_id,
    parent_id: task.parent_id,
    assignee_member_id: task.assignee_member_id,
    starts_on: dayjs(task.starts_on),
    length_mode: 'due',
    due_on: dayjs(task.due_on),
    duration_days: task.duration_days,
    milestone: task.milestone,
    priority: task.priority,
    estimate_hours: task.estimate_hours,
    actual_hours: task.actual_hours,
    key_result_id: task.key_result_id,
    description: task.description ?? '',
    progress: task.progress,
    status: task.status,
  };
}

const day = (d: Dayjs | null | undefined) => (d ? d.format(ISO) : null);
const hours = (h: number | string | null | undefined) => (h === null || h === undefined || h === '' ? null : String(h));
const text = (s: string | null | undefined) => (s && s.trim() ? s : null);

/** The create body: a start and either a due date or a duration (a milestone needs neither). */
export function createBody(values: TaskFormValues): TaskCreate {
  const body: TaskCreate = {
    title: values.title.trim(),
    description: text(values.description),
    phase_id: values.parent_id ? null : (values.phase_id ?? null),
    parent_id: values.parent_id ?? null,
    assignee_member_id: values.assignee_member_id ?? null,
    starts_on: day(values.starts_on),
    priority: values.priority,
    milestone: values.milestone,
    estimate_hours: hours(values.estimate_hours),
    key_result_id: values.key_result_id ?? null,
  };
  if (!values.milestone) {
    if (values.length_mode === 'due') body.due_on = day(values.due_on);
    else body.duration_days = values.duration_days ?? 1;
  }
  return body;
}

/**
 * The update body: only what changed (the server checks who may change which field, so an
 * assignee's save must not carry plan fields), with the version read.
 */
export function updateBody(task: Task, values: TaskFormValues, planEditable: boolean): TaskUpdate {
  const body: TaskUpdate = { version: task.version };
  const desc = text(values.description);
  if (desc !== (task.description ?? null)) body.description = desc;
  const actual = hours(values.actual_hours);
  if (actual !== null && Number(actual) !== Number(task.actual_hours ?? NaN)) body.actual_hours = actual;
  if (actual === null && task.actual_hours !== null) body.actual_hours = null;
  if (values.progress !== undefined && values.progress !== task.progress) body.progress = values.progress;
  if (values.status !== undefined && values.status !== task.status) body.status = values.status;
  if (!planEditable) return body;
  if (values.title.trim() !== task.title) body.title = values.title.trim();
  if ((values.phase_id ?? null) !== task.phase_id && !task.parent_id) body.phase_id = values.phase_id ?? null;
  if ((values.assignee_member_id ?? null) !== task.assignee_member_id)
    body.assignee_member_id = values.assignee_member_id ?? null;
  if (values.priority !== task.priority) body.priority = values.priority;
  if (values.milestone !== task.milestone) body.milestone = values.milestone;
  const estimate = hours(values.estimate_hours);
  if (estimate === null ? task.estimate_hours !== null : Number(estimate) !== Number(task.estimate_hours ?? NaN))
    body.estimate_hours = estimate;
  if ((values.key_result_id ?? null) !== task.key_result_id) body.key_result_id = values.key_result_id ?? null;
  const start = day(values.starts_on);
  if (start && start !== task.starts_on) body.starts_on = start;
  if (!values.milestone) {
    // A new start with the same due date keeps that date (the server would keep the length).
    const reshaped = body.starts_on !== undefined || body.milestone === false;
    if (values.length_mode === 'due') {
      const due = day(values.due_on);
      if (due && (due !== task.due_on || reshaped)) body.due_on = due;
    } else if (values.duration_days !== null && values.duration_days !== undefined) {
      if (values.duration_days !== task.duration_days || reshaped) body.duration_days = values.duration_days;
    }
  }
  return body;
}

/** Possible parents of a task: any other task of the project that is not one of its own subtasks. */
export function parentOptions(tasks: readonly WbsTask[], taskId: string | null) {
  const excluded = new Set<string>(taskId ? [taskId] : []);
  if (taskId) {
    const self = tasks.find((t) => t.id === taskId);
    if (self) for (const t of tasks) if (t.wbs.startsWith(`${self.wbs}.`)) excluded.add(t.id);
  }
  return tasks
    .filter((t) => !excluded.has(t.id) && !t.milestone)
    .map((t) => ({ value: t.id, label: `${t.wbs} ${t.title}` }));
}

// ---- what a change moved --------------------------------------------------------------------

/** Milestones first (they are what people promised), then by the new start. */
export function sortMoved(moved: readonly MovedTask[]): MovedTask[] {
  return [...moved].sort((a, b) => Number(b.milestone) - Number(a.milestone) || a.starts_on.localeCompare(b.starts_on));
}

/** The calendar days a move shifted a task's due date by (positive: later). */
export function shiftDays(moved: Pick<MovedTask, 'due_on' | 'due_on_before'>): number {
  return dayjs(moved.due_on).diff(dayjs(moved.due_on_before), 'day');
}
