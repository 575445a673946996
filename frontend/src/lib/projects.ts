import type { components } from '@/api/schema';

/**
 * Rules about projects and approvals that more than one page needs (the project pages, the
 * approval inbox, the homes and the strategy tree): status colours and labels, and which
 * lifecycle buttons to show for the actions the server allows.
 */

export type ProjectStatus = components['schemas']['ProjectStatus'];
export type ProjectType = components['schemas']['ProjectType'];
export type TransitionAction = components['schemas']['TransitionAction'];
export type RequestState = components['schemas']['RequestState'];

/** In lifecycle order, as offered in the status filter. */
export const PROJECT_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'rejected',
  'active',
  'closing',
  'closed',
  'cancelled',
] as const satisfies readonly ProjectStatus[];

export const PROJECT_TYPES = [
  'promotion',
  'product_launch',
  'event',
  'brand',
  'content',
  'other',
] as const satisfies readonly ProjectType[];

/** Ant Design tag colours: waiting is blue-ish, good is green, bad is red, done is calm. */
export const PROJECT_STATUS_COLORS: Record<ProjectStatus, string> = {
  draft: 'gold',
  submitted: 'processing',
  approved: 'green',
  rejected: 'red',
  active: 'blue',
  closing: 'orange',
  closed: 'purple',
  cancelled: 'default',
};

export function isProjectStatus(value: string): value is ProjectStatus {
  return (PROJECT_STATUSES as readonly string[]).includes(value);
}

/** i18n key of a status name, e.g. projects.status.approved → 已批准. */
export function projectStatusLabelKey(status: string): string {
  return isProjectStatus(status) ? `projects.status.${status}` : 'projects.status.unknown';
}

export function projectStatusColor(status: string): string {
  return isProjectStatus(status) ? PROJECT_STATUS_COLORS[status] : 'default';
}

export const APPROVAL_STATE_COLORS: Record<RequestState, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
};

export interface ActionButton {
  action: TransitionAction;
  /** The main way forward is a primary button; cancelling is a danger one. */
  primary: boolean;
  danger: boolean;
  /** Asks "are you sure?" first: it notifies approvers or cannot be undone easily. */
  confirm: boolean;
}

/** Forward moves first, then the ways back, cancelling last. */
const ACTION_ORDER: readonly TransitionAction[] = [
  'submit',
  'start',
  'close',
  'finish',
  'reopen',
  'revise',
  'withdraw',
  'cancel',
];

const PRIMARY = new Set<TransitionAction>(['submit', 'start', 'finish']);
const CONFIRM = new Set<TransitionAction>(['submit', 'withdraw', 'close', 'finish', 'cancel']);

/** The lifecycle buttons for the actions the server says the caller may take, in order. */
export function actionButtons(allowed: readonly string[]): ActionButton[] {
  return ACTION_ORDER.filter((action) => allowed.includes(action)).map((action) => ({
    action,
    primary: PRIMARY.has(action),
    danger: action === 'cancel',
    confirm: CONFIRM.has(action),
  }));
}

/** The retrospective (复盘) is written once work has started and read afterwards. */
export function showsRetrospective(status: string): boolean {
  return status === 'active' || status === 'closing' || status === 'closed';
}

/** It may be (re)written while the project is active or closing, by whoever manages it. */
export function canWriteRetrospective(status: string, mayManage: boolean): boolean {
  return mayManage && (status === 'active' || status === 'closing');
}
