/** Every route path in one place; links and the router both read from here. */
export const paths = {
  login: '/login',
  home: '/',
  admin: {
    members: '/admin/members',
    apiTokens: '/admin/api-tokens',
    auditLogs: '/admin/audit-logs',
    settings: '/admin/settings',
  },
  // Modules that are planned but not built yet show a "coming soon" page.
  modules: {
    approvals: '/approvals',
    strategy: '/strategy',
    projects: '/projects',
    gantt: '/gantt',
    tasks: '/tasks',
    workOrders: '/work-orders',
    checkIns: '/check-ins',
    issues: '/issues',
    resources: '/resources',
    budgets: '/budgets',
    costs: '/costs',
    channels: '/channels',
    alerts: '/alerts',
    dashboards: '/dashboards',
    performance: '/performance',
    retrospectives: '/retrospectives',
    knowledge: '/knowledge',
    reports: '/reports',
  },
} as const;

export type ModuleKey = keyof typeof paths.modules;

/** The new-project wizard. */
export const newProjectPath = '/projects/new';

/** One project's page. */
export function projectPath(id: string): string {
  return `/projects/${encodeURIComponent(id)}`;
}
