import { paths, type ModuleKey } from '@/lib/paths';
import type { Role } from '@/lib/roles';

/** Icon names resolved to components by the layout, so this map stays plain data. */
export type NavIcon =
  | 'home'
  | 'team'
  | 'key'
  | 'audit'
  | 'setting'
  | 'approval'
  | 'aim'
  | 'project'
  | 'gantt'
  | 'task'
  | 'workOrder'
  | 'checkIn'
  | 'issue'
  | 'resource'
  | 'budget'
  | 'cost'
  | 'channel'
  | 'alert'
  | 'dashboard'
  | 'trophy'
  | 'retro'
  | 'book'
  | 'report';

export interface NavItem {
  path: string;
  /** i18n key of the label. */
  labelKey: string;
  icon: NavIcon;
  /** Shown only when the person holds this permission. */
  permission?: string;
  /** Whether the page is built (false → "coming soon" page). */
  ready: boolean;
}

export interface NavSection {
  key: 'main' | 'work' | 'admin';
  /** i18n key of the section title; the main section has none. */
  titleKey?: string;
  items: NavItem[];
}

const home = (labelKey: string): NavItem => ({ path: paths.home, labelKey, icon: 'home', ready: true });

const moduleIcons: Record<ModuleKey, NavIcon> = {
  approvals: 'approval',
  strategy: 'aim',
  projects: 'project',
  gantt: 'gantt',
  tasks: 'task',
  workOrders: 'workOrder',
  checkIns: 'checkIn',
  issues: 'issue',
  resources: 'resource',
  budgets: 'budget',
  costs: 'cost',
  channels: 'channel',
  alerts: 'alert',
  dashboards: 'dashboard',
  performance: 'trophy',
  retrospectives: 'retro',
  knowledge: 'book',
  reports: 'report',
};

/** Modules that are built, with the permission their page needs; the rest are "coming soon". */
export const BUILT_MODULES: Partial<Record<ModuleKey, string>> = {
  strategy: 'strategy:read',
  projects: 'projects:read',
  approvals: 'approvals:read',
};

const moduleItem = (key: ModuleKey): NavItem => {
  const permission = BUILT_MODULES[key];
  return {
    path: paths.modules[key],
    labelKey: `nav.modules.${key}`,
    icon: moduleIcons[key],
    ready: permission !== undefined,
    ...(permission ? { permission } : {}),
  };
};

const adminSection: NavSection = {
  key: 'admin',
  titleKey: 'nav.sections.admin',
  items: [
    { path: paths.admin.members, labelKey: 'nav.admin.members', icon: 'team', permission: 'members:read', ready: true },
    {
      path: paths.admin.apiTokens,
      labelKey: 'nav.admin.apiTokens',
      icon: 'key',
      permission: 'api_tokens:manage',
      ready: true,
    },
    {
      path: paths.admin.auditLogs,
      labelKey: 'nav.admin.auditLogs',
      icon: 'audit',
      permission: 'audit:read',
      ready: true,
    },
    {
      path: paths.admin.settings,
      labelKey: 'nav.admin.settings',
      icon: 'setting',
      permission: 'org:manage',
      ready: true,
    },
  ],
};

const work = (...keys: ModuleKey[]): NavSection => ({
  key: 'work',
  titleKey: 'nav.sections.work',
  items: keys.map(moduleItem),
});

/**
 * What each role sees in the side menu. Each role starts on its own home page
 * (PRODUCT.md "Who uses it"); the modules are ordered by what that role does most.
 */
export const NAVIGATION: Record<Role, NavSection[]> = {
  admin: [
    { key: 'main', items: [home('nav.home.admin')] },
    adminSection,
    work('projects', 'strategy', 'budgets', 'dashboards', 'knowledge'),
  ],
  director: [
    { key: 'main', items: [home('nav.home.director')] },
    work(
      'approvals',
      'strategy',
      'projects',
      'budgets',
      'dashboards',
      'channels',
      'alerts',
      'performance',
      'knowledge',
      'reports',
    ),
  ],
  project_manager: [
    { key: 'main', items: [home('nav.home.project_manager')] },
    work(
      'projects',
      'approvals',
      'gantt',
      'tasks',
      'workOrders',
      'budgets',
      'resources',
      'issues',
      'strategy',
      'retrospectives',
      'knowledge',
    ),
  ],
  member: [
    { key: 'main', items: [home('nav.home.member')] },
    work('tasks', 'checkIns', 'workOrders', 'issues', 'strategy', 'knowledge'),
  ],
  finance: [
    { key: 'main', items: [home('nav.home.finance')] },
    work('budgets', 'costs', 'approvals', 'reports', 'strategy'),
  ],
  viewer: [{ key: 'main', items: [home('nav.home.viewer')] }, work('dashboards', 'projects', 'strategy', 'knowledge')],
};

/**
 * The menu for one person: their role's sections, without items they lack the
 * permission for, and without sections left empty.
 */
export function navigationFor(role: Role, permissions: readonly string[] | null = null): NavSection[] {
  return NAVIGATION[role]
    .map((section) => ({
      ...section,
      items: section.items.filter(
        (item) => !item.permission || permissions === null || permissions.includes(item.permission),
      ),
    }))
    .filter((section) => section.items.length > 0);
}

/** Flat list of every path a role's menu links to. */
export function navPaths(role: Role, permissions: readonly string[] | null = null): string[] {
  return navigationFor(role, permissions).flatMap((s) => s.items.map((i) => i.path));
}

/** Every planned module page. */
export const MODULE_KEYS = Object.keys(paths.modules) as ModuleKey[];

/** Modules not built yet, for the router's "coming soon" routes. */
export const COMING_SOON_MODULES = MODULE_KEYS.filter((key) => BUILT_MODULES[key] === undefined);
