import type { components } from '@/api/schema';

/** A permission name, as the OpenAPI schema lists them (the backend's role → permission map). */
export type Permission = components['schemas']['Permission'];

/**
 * Every permission, in the schema's order, for code that iterates them (labels, pickers).
 * The type check below and a unit test against `openapi.yaml` keep it complete.
 */
export const ALL_PERMISSIONS = [
  'org:read',
  'org:manage',
  'members:read',
  'members:manage',
  'teams:manage',
  'api_tokens:manage',
  'audit:read',
  'system:diagnose',
  'strategy:read',
  'strategy:manage',
  'kpi:check_in',
  'projects:read',
  'projects:write',
  'projects:manage_all',
  'approvals:read',
  'approvals:decide',
  'approvals:decide_any_step',
  'notifications:read',
  'work:write',
  'checkins:read_all',
  'collab:moderate',
  'budget:read',
  'costs:record',
  'costs:verify',
  'budget:request',
  'resources:read',
  'resources:manage',
  'resources:allocate',
  'channels:read',
  'channels:manage',
  'channel_data:send',
  'alerts:read',
  'alerts:handle',
  'alert_rules:manage',
  'notification_channels:manage',
] as const satisfies readonly Permission[];

/** A permission the schema has and ALL_PERMISSIONS misses fails the type check here. */
export const allPermissionsListed: [Exclude<Permission, (typeof ALL_PERMISSIONS)[number]>] extends [never]
  ? true
  : never = true;

/** The permissions the SPA checks, by name (values checked against the schema). */
export const PERMISSIONS = {
  membersRead: 'members:read',
  membersManage: 'members:manage',
  teamsManage: 'teams:manage',
  auditRead: 'audit:read',
  orgManage: 'org:manage',
  apiTokensManage: 'api_tokens:manage',
  strategyRead: 'strategy:read',
  strategyManage: 'strategy:manage',
  kpiCheckIn: 'kpi:check_in',
  projectsRead: 'projects:read',
  projectsWrite: 'projects:write',
  projectsManageAll: 'projects:manage_all',
  approvalsRead: 'approvals:read',
  approvalsDecide: 'approvals:decide',
  notificationsRead: 'notifications:read',
  workWrite: 'work:write',
  resourcesRead: 'resources:read',
  resourcesManage: 'resources:manage',
  resourcesAllocate: 'resources:allocate',
  budgetRead: 'budget:read',
  costsRecord: 'costs:record',
  costsVerify: 'costs:verify',
  budgetRequest: 'budget:request',
  alertsRead: 'alerts:read',
  alertsHandle: 'alerts:handle',
  alertRulesManage: 'alert_rules:manage',
  notificationChannelsManage: 'notification_channels:manage',
} as const satisfies Record<string, Permission>;

export function hasPermission(
  me: { permissions: readonly string[] } | null | undefined,
  permission: Permission,
): boolean {
  return !!me && me.permissions.includes(permission);
}

/** i18n key of a permission's name (":" is i18next's namespace separator, so it is replaced). */
export function permissionLabelKey(permission: string): string {
  return `permissions.${permission.replace(/:/g, '_')}`;
}
