import dayjs, { type Dayjs } from 'dayjs';
import { isApiError } from '@/api/errors';
import type { ProjectStatus } from '@/lib/projects';
import type { ProjectDetail, ProjectMemberIn, ProjectRole, ProjectType, ProjectUpdate } from './api';

/** The project roles, most responsible first, as offered in the members editor. */
export const PROJECT_ROLES = [
  'manager',
  'core',
  'contributor',
  'reviewer',
  'observer',
] as const satisfies readonly ProjectRole[];

/** Currencies offered for a project budget (the organisation's own comes first). */
export const CURRENCIES = ['CNY', 'USD', 'HKD', 'EUR', 'JPY'] as const;

/** Closed and cancelled projects are kept as they ended. */
export function isFrozen(status: ProjectStatus): boolean {
  return status === 'closed' || status === 'cancelled';
}

/** Fields the approvers are deciding on: locked while the project waits for approval. */
export const UNDER_APPROVAL_FIELDS = ['total_budget', 'currency', 'owner_member_id'] as const;

/** What the approval decided on an approved project: it changes only by a change request. */
export function isDecided(status: ProjectStatus): boolean {
  return status === 'approved' || status === 'active' || status === 'closing';
}

export function lockedFields(status: ProjectStatus): ReadonlySet<string> {
  return new Set(status === 'submitted' || isDecided(status) ? UNDER_APPROVAL_FIELDS : []);
}

/**
 * Who may change a project, as the server decides it: directors and admins (projects:manage_all)
 * any project, a project manager (projects:write) their own.
 */
export function mayManageProject(
  me: { membership_id: string; permissions: readonly string[] },
  project: Pick<ProjectDetail, 'owner_member_id'>,
): boolean {
  if (me.permissions.includes('projects:manage_all')) return true;
  return me.permissions.includes('projects:write') && project.owner_member_id === me.membership_id;
}

export interface EditValues {
  name: string;
  type: ProjectType;
  description?: string | null;
  dates: [Dayjs, Dayjs];
  total_budget: number | string | null;
  currency: string;
  period_id?: string | null;
  team_id?: string | null;
  owner_member_id: string;
}

export function editValuesFrom(project: ProjectDetail): EditValues {
  return {
    name: project.name,
    type: project.type,
    description: project.description ?? '',
    dates: [dayjs(`${project.starts_on}T00:00:00`), dayjs(`${project.ends_on}T00:00:00`)],
    total_budget: Number(project.total_budget),
    currency: project.currency,
    period_id: project.period_id,
    team_id: project.team_id,
    owner_member_id: project.owner_member_id,
  };
}

function sameMoney(a: string | number | null | undefined, b: string): boolean {
  if (a === null || a === undefined || a === '') return Number(b) === 0;
  return Number(a) === Number(b);
}

/**
 * The PATCH body: only what changed, with the version that was read. Fields under approval
 * are left out while they are locked, and the manager unless the caller may hand projects over.
 */
export function buildUpdateBody(
  project: ProjectDetail,
  values: EditValues,
  options: { canReassign: boolean },
): ProjectUpdate {
  const locked = lockedFields(project.status);
  const body: ProjectUpdate = { version: project.version };
  const name = values.name.trim();
  if (name !== project.name) body.name = name;
  if (values.type !== project.type) body.type = values.type;
  const description = values.description?.trim() || null;
  if (description !== (project.description || null)) body.description = description;
  const startsOn = values.dates[0].format('YYYY-MM-DD');
  const endsOn = values.dates[1].format('YYYY-MM-DD');
  if (startsOn !== project.starts_on) body.starts_on = startsOn;
  if (endsOn !== project.ends_on) body.ends_on = endsOn;
  if ((values.period_id ?? null) !== project.period_id) body.period_id = values.period_id ?? null;
  if ((values.team_id ?? null) !== project.team_id) body.team_id = values.team_id ?? null;
  if (!locked.has('total_budget') && !sameMoney(values.total_budget, project.total_budget)) {
    body.total_budget = values.total_budget === null || values.total_budget === '' ? '0' : String(values.total_budget);
  }
  if (!locked.has('currency') && values.currency !== project.currency) body.currency = values.currency;
  if (options.canReassign && !locked.has('owner_member_id') && values.owner_member_id !== project.owner_member_id) {
    body.owner_member_id = values.owner_member_id;
  }
  return body;
}

/** Whether the body changes anything beyond the version. */
export function changesSomething(body: object): boolean {
  return Object.keys(body).some((k) => k !== 'version');
}

/** How a 409 from saving reads: someone saved first, or the project is under approval / finished. */
export type SaveConflict =
  { kind: 'stale'; detail: string | null } | { kind: 'state'; detail: string | null; status?: string };

export function saveConflict(error: unknown): SaveConflict | null {
  if (!isApiError(error) || (error.status !== 409 && error.status !== 412)) return null;
  if (error.extensions.current_version !== undefined || error.status === 412) {
    return { kind: 'stale', detail: error.detail };
  }
  return { kind: 'state', detail: error.detail, status: error.extensionString('current_status') };
}

/** The members editor's rows → the PUT body; the project manager always stays, as manager. */
export function buildMembersBody(
  rows: readonly { member_id: string; role: ProjectRole }[],
  ownerId: string,
  version: number,
): { members: ProjectMemberIn[]; version: number } {
  const seen = new Set<string>();
  const members: ProjectMemberIn[] = [];
  for (const row of rows) {
    if (!row.member_id || seen.has(row.member_id)) continue;
    seen.add(row.member_id);
    members.push({ member_id: row.member_id, role: row.member_id === ownerId ? 'manager' : row.role });
  }
  if (!seen.has(ownerId)) members.unshift({ member_id: ownerId, role: 'manager' });
  return { members, version };
}
