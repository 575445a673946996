/** Permission names as granted by the backend's role → permission map. */
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
} as const;

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

export function hasPermission(me: { permissions: readonly string[] } | null | undefined, permission: string): boolean {
  return !!me && me.permissions.includes(permission);
}

/** i18n key of a permission's name (":" is i18next's namespace separator, so it is replaced). */
export function permissionLabelKey(permission: string): string {
  return `permissions.${permission.replace(/:/g, '_')}`;
}
