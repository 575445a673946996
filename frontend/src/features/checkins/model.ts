import type { CheckIn, CheckInPut, OwnTask, OwnTaskStatus } from './api';

/** The statuses a person gives their own task in a check-in (cancelling is the planner's). */
export const OWN_STATUSES: OwnTaskStatus[] = ['todo', 'in_progress', 'blocked', 'done'];

export interface TaskDraft {
  progress: number;
  status: OwnTaskStatus;
}

export interface CheckInValues {
  done: string;
  next?: string;
  blockers?: string;
  /** Keyed by task id: what the form shows for each open task. */
  tasks: Record<string, TaskDraft>;
}

function ownStatus(status: string): OwnTaskStatus {
  return (OWN_STATUSES as string[]).includes(status) ? (status as OwnTaskStatus) : 'todo';
}

/** The form's starting values: the check-in already made (if any) and each task as it stands. */
export function initialValues(checkin: CheckIn | null | undefined, tasks: OwnTask[]): CheckInValues {
  return {
    done: checkin?.done ?? '',
    next: checkin?.next ?? '',
    blockers: checkin?.blockers ?? '',
    tasks: Object.fromEntries(tasks.map((t) => [t.id, { progress: t.progress, status: ownStatus(t.status) }])),
  };
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed ? trimmed : null;
}

/**
 * The PUT body: the texts, and an update for each task whose progress or status the person
 * changed (untouched tasks are left alone). A status left as it was is not sent, so progress
 * alone can move the task along (above 0 starts it, 100 finishes it).
 */
export function checkInBody(values: CheckInValues, tasks: OwnTask[], version?: number): CheckInPut {
  const updates: CheckInPut['task_updates'] = [];
  for (const task of tasks) {
    const draft = values.tasks[task.id];
    if (!draft) continue;
    const statusChanged = draft.status !== ownStatus(task.status);
    if (draft.progress === task.progress && !statusChanged) continue;
    updates.push({
      task_id: task.id,
      progress: draft.progress,
      ...(statusChanged ? { status: draft.status } : {}),
    });
  }
  return {
    done: values.done.trim(),
    next: blankToNull(values.next),
    blockers: blankToNull(values.blockers),
    task_updates: updates,
    ...(version ? { version } : {}),
  };
}

/** The day before `day` (YYYY-MM-DD), for moving through the roll-call. */
export function shiftDay(day: string, by: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d + by));
  return date.toISOString().slice(0, 10);
}

/** How many of a team have checked in, as a share (0–100). */
export function turnout(checkedIn: number, missing: number): number {
  const all = checkedIn + missing;
  return all === 0 ? 0 : Math.round((checkedIn / all) * 100);
}
