import type { components } from '@/api/schema';
import { goalPath, paths, projectPath } from '@/lib/paths';

export type AuditLog = components['schemas']['AuditLogRead'];

/** Bookkeeping columns every row has; they say nothing a reader needs. */
export const HIDDEN_FIELDS: ReadonlySet<string> = new Set(['id', 'org_id', 'version', 'updated_at', 'created_at']);

/** Fields holding a member id (shown as the person's name). */
export function isMemberField(key: string): boolean {
  return key === 'member_id' || key === 'membership_id' || key.endsWith('_member_id');
}

/** Fields holding a team id (shown as the team's name). */
export function isTeamField(key: string): boolean {
  return key === 'team_id' || key === 'owner_team_id';
}

/** The page that shows one object of a type, when there is one. */
export function pageOf(type: string | null | undefined, id: string | null | undefined, label?: string | null) {
  if (!type || !id) return null;
  switch (type) {
    case 'projects':
      return projectPath(id);
    case 'objectives':
      return goalPath(id);
    case 'strategy_periods':
      return `${paths.modules.strategy}?period=${encodeURIComponent(id)}`;
    case 'approval_requests':
      return `${paths.modules.approvals}?box=all&open=${encodeURIComponent(id)}`;
    case 'teams':
      return paths.teams;
    case 'memberships':
    case 'users':
      return label ? `${paths.admin.members}?q=${encodeURIComponent(label)}` : paths.admin.members;
    case 'api_tokens':
      return paths.admin.apiTokens;
    case 'organizations':
    case 'org_settings':
    case 'approval_steps':
      return paths.admin.settings;
    default:
      return null;
  }
}

function snapshotValue(entry: AuditLog, key: string): unknown {
  return entry.after?.[key] ?? entry.before?.[key];
}

/**
 * Where a row's object is shown: its own page, else the page of the object it belongs to
 * (a KPI → its goal, a team membership → the teams page), else the project its snapshot names
 * (a retrospective).
 */
export function linkOf(entry: AuditLog): string | null {
  const own = pageOf(entry.entity_type, entry.entity_id, entry.entity_label);
  if (own) return own;
  const parent = pageOf(entry.parent_type, entry.parent_id);
  if (parent) return parent;
  const project = snapshotValue(entry, 'project_id');
  return typeof project === 'string' ? projectPath(project) : null;
}

/** A short form of an id for rows that carry no name. */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

export interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields of a change, one row each: what an update changed; what a create set (empty fields
 * left out); what a delete removed. Bookkeeping columns are left out.
 */
export function diffRows(entry: Pick<AuditLog, 'action' | 'before' | 'after'>): DiffRow[] {
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !HIDDEN_FIELDS.has(k));
  return keys
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }))
    .filter((row) => {
      if (entry.action === 'update') return !same(row.before, row.after);
      const value = entry.action === 'create' ? row.after : row.before;
      return value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
    });
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DECIMAL = /^-?\d+\.\d+$/;

export type ValueKind = 'empty' | 'boolean' | 'day' | 'moment' | 'decimal' | 'member' | 'team' | 'json' | 'text';

/** How a value is shown: names for ids, the org's time for moments, grouped decimals. */
export function valueKind(field: string, value: unknown): ValueKind {
  if (value === null || value === undefined || value === '') return 'empty';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'object') return 'json';
  if (typeof value === 'string') {
    if (isMemberField(field)) return 'member';
    if (isTeamField(field)) return 'team';
    if (ISO_DAY.test(value)) return 'day';
    if (ISO_MOMENT.test(value)) return 'moment';
    if (DECIMAL.test(value)) return 'decimal';
  }
  return 'text';
}

/** i18n key of an enumerated value's name, for the fields that hold one. */
export function enumKey(entityType: string, field: string, value: string): string | null {
  switch (field) {
    case 'role':
    case 'waiting_for_role':
      return `roles.${value}`;
    case 'status':
      return entityType === 'projects' ? `projects.status.${value}` : null;
    case 'state':
      return `approvals.state.${value}`;
    case 'request_type':
      return `approvals.types.${value}`;
    case 'decision':
      return `approvals.decision.${value}`;
    case 'level':
      return `strategy.levels.${value}`;
    case 'kind':
      return `strategy.period.kinds.${value}`;
    case 'type':
    case 'project_type':
      return `projects.types.${value}`;
    case 'direction':
      return value === 'increase' ? 'strategy.kpi.increase' : value === 'decrease' ? 'strategy.kpi.decrease' : null;
    case 'locale':
      return `lang.${value}`;
    default:
      return null;
  }
}
