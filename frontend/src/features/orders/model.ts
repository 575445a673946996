import type { Dayjs } from 'dayjs';
import type { OrderAction, Priority, WorkOrder, WorkOrderStatus } from './api';

export const STATUSES: WorkOrderStatus[] = [
  'requested',
  'accepted',
  'in_progress',
  'done',
  'verified',
  'rejected',
  'cancelled',
];

export const STATUS_COLORS: Record<WorkOrderStatus, string> = {
  requested: 'gold',
  accepted: 'blue',
  in_progress: 'processing',
  done: 'cyan',
  verified: 'green',
  rejected: 'red',
  cancelled: 'default',
};

export const PRIORITIES: Priority[] = ['low', 'medium', 'high', 'urgent'];

export const PRIORITY_COLORS: Record<Priority, string> = {
  low: 'default',
  medium: 'blue',
  high: 'orange',
  urgent: 'red',
};

/** The buttons of a row, in the order a person meets them: the way forward first. */
export const ACTION_ORDER: OrderAction[] = ['accept', 'start', 'complete', 'verify', 'reject', 'cancel'];

export function orderedActions(allowed: readonly OrderAction[]): OrderAction[] {
  return ACTION_ORDER.filter((a) => allowed.includes(a));
}

/** Actions that undo or refuse something: the button is a danger one and asks first. */
export const DESTRUCTIVE: ReadonlySet<OrderAction> = new Set(['reject', 'cancel']);

const OPEN: ReadonlySet<WorkOrderStatus> = new Set(['requested', 'accepted', 'in_progress']);

export type SlaState =
  | { kind: 'none' }
  /** Resolved (or closed) before it ran out. */
  | { kind: 'met' }
  | { kind: 'breached' }
  /** Still running: this many minutes left. */
  | { kind: 'left'; minutes: number }
  /** Still open past the SLA by this many minutes. */
  | { kind: 'over'; minutes: number };

/** Where the SLA stands for an order at `now`: the countdown of the inbox. */
export function slaState(
  order: Pick<WorkOrder, 'sla_due_at' | 'status' | 'sla_breached'>,
  now: Date = new Date(),
): SlaState {
  if (!order.sla_due_at) return { kind: 'none' };
  if (!OPEN.has(order.status)) return order.sla_breached ? { kind: 'breached' } : { kind: 'met' };
  const minutes = Math.floor((new Date(order.sla_due_at).getTime() - now.getTime()) / 60_000);
  return minutes >= 0 ? { kind: 'left', minutes } : { kind: 'over', minutes: -minutes };
}

/** A duration in minutes as days, hours and minutes: "2d 3h", "5h 10m", "12m". */
export function durationParts(minutes: number): { days: number; hours: number; minutes: number } {
  const whole = Math.max(0, Math.floor(minutes));
  return { days: Math.floor(whole / 1440), hours: Math.floor((whole % 1440) / 60), minutes: whole % 60 };
}

export interface RaiseValues {
  title: string;
  description?: string;
  target: 'member' | 'team';
  assignee_member_id?: string;
  assignee_team_id?: string;
  project_id?: string;
  due_at?: Dayjs | null;
  sla_hours?: number | null;
  priority: Priority;
}

/** The request body of a new work order from the form's values: one assignee, blanks dropped. */
export function raiseBody(values: RaiseValues) {
  const description = values.description?.trim();
  return {
    title: values.title.trim(),
    description: description ? description : null,
    assignee_member_id: values.target === 'member' ? (values.assignee_member_id ?? null) : null,
    assignee_team_id: values.target === 'team' ? (values.assignee_team_id ?? null) : null,
    project_id: values.project_id ?? null,
    // An instant: sent in UTC, so the server needs no guess about the time zone.
    due_at: values.due_at ? values.due_at.toISOString() : null,
    sla_hours: values.sla_hours ?? null,
    priority: values.priority,
  };
}
