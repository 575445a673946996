import { paths, type ModuleKey } from '@/lib/paths';
import type { Permission } from '@/lib/permissions';
import type { Role } from '@/lib/roles';

/** Icon names resolved to components by the layout, so this map stays plain data. */
export type NavIcon =
  | 'home'
  | 'team'
  | 'group'
  | 'key'
  | 'audit'
  | 'setting'
  | 'approval'
  | 'aim'
  | 'project'
  | 'order'
  | 'checkin'
  | 'resource'
  | 'workload'
  | 'cost'
  | 'channel'
  | 'source'
  | 'dashboard'
  | 'upload'
  | 'benchmark'
  | 'alert'
  | 'alertRule'
  | 'notice';

export interface NavItem {
  path: string;
  /** i18n key of the label. */
  labelKey: string;
  icon: NavIcon;
  /** Shown only when the person holds this permission. */
  permission?: Permission;
}

export interface NavSection {
  key: 'main' | 'work' | 'alerts' | 'channels' | 'admin';
  /** i18n key of the section title; the main section has none. */
  titleKey?: string;
  items: NavItem[];
}

const home = (labelKey: string): NavItem => ({ path: paths.home, labelKey, icon: 'home' });

/**
 * The modules whose pages are built, with their icon and the permission the page needs. Only
 * working pages are in the menu: a module joins it (and the router) when its page exists.
 */
export const MODULES: Record<ModuleKey, { icon: NavIcon; permission: Permission }> = {
  // Everyone who works checks in daily (viewers only look on).
  checkIns: { icon: 'checkin', permission: 'work:write' },
  approvals: { icon: 'approval', permission: 'approvals:read' },
  strategy: { icon: 'aim', permission: 'strategy:read' },
  projects: { icon: 'project', permission: 'projects:read' },
  // Those who do the work raise and handle work orders (viewers only look on).
  workOrders: { icon: 'order', permission: 'work:write' },
  // Everyone looks up the resources and who is booked when; keepers and planners change them.
  resources: { icon: 'resource', permission: 'resources:read' },
  workload: { icon: 'workload', permission: 'resources:read' },
  // Finance checks the recorded costs against their receipts.
  costsToVerify: { icon: 'cost', permission: 'costs:verify' },
  // Everyone reads the channel data; admins, directors and project managers keep channels and sources.
  channelDashboard: { icon: 'dashboard', permission: 'channels:read' },
  channels: { icon: 'channel', permission: 'channels:read' },
  channelSources: { icon: 'source', permission: 'channels:read' },
  // Planners bring files of channel data in (REST batches need the same permission).
  channelUpload: { icon: 'upload', permission: 'channel_data:send' },
  // Everyone reads the benchmarks the data is compared with; those who manage channels set them.
  channelBenchmarks: { icon: 'benchmark', permission: 'channels:read' },
  // Everyone reads the alerts and the rules behind them; planners handle alerts and keep rules.
  alerts: { icon: 'alert', permission: 'alerts:read' },
  alertRules: { icon: 'alertRule', permission: 'alerts:read' },
  // Admins and directors keep where alerts are sent (bots' URLs and secrets).
  notificationChannels: { icon: 'notice', permission: 'notification_channels:manage' },
};

const moduleItem = (key: ModuleKey): NavItem => ({
  path: paths.modules[key],
  labelKey: `nav.modules.${key}`,
  icon: MODULES[key].icon,
  permission: MODULES[key].permission,
});

const teamsItem: NavItem = { path: paths.teams, labelKey: 'nav.teams', icon: 'group', permission: 'teams:manage' };

const adminSection: NavSection = {
  key: 'admin',
  titleKey: 'nav.sections.admin',
  items: [
    { path: paths.admin.members, labelKey: 'nav.admin.members', icon: 'team', permission: 'members:read' },
    teamsItem,
    {
      path: paths.admin.apiTokens,
      labelKey: 'nav.admin.apiTokens',
      icon: 'key',
      permission: 'api_tokens:manage',
    },
    {
      path: paths.admin.auditLogs,
      labelKey: 'nav.admin.auditLogs',
      icon: 'audit',
      permission: 'audit:read',
    },
    {
      path: paths.admin.settings,
      labelKey: 'nav.admin.settings',
      icon: 'setting',
      permission: 'org:manage',
    },
  ],
};

const work = (...items: NavItem[]): NavSection => ({
  key: 'work',
  titleKey: 'nav.sections.work',
  items,
});

/**
 * 渠道数据: the dashboard first, the channels and their campaigns, then where their data comes from,
 * and the benchmarks it is compared with.
 */
const channelsSection: NavSection = {
  key: 'channels',
  titleKey: 'nav.sections.channels',
  items: [
    moduleItem('channelDashboard'),
    moduleItem('channels'),
    moduleItem('channelSources'),
    moduleItem('channelUpload'),
    moduleItem('channelBenchmarks'),
  ],
};

/** 预警: the alerts to act on and the rules that raise them. */
const alertsSection: NavSection = {
  key: 'alerts',
  titleKey: 'nav.sections.alerts',
  items: [moduleItem('alerts'), moduleItem('alertRules')],
};

/** 预警 for those who keep where alerts are sent (admins, directors): the notification channels too. */
const alertsKeeperSection: NavSection = {
  ...alertsSection,
  items: [...alertsSection.items, moduleItem('notificationChannels')],
};

/**
 * What each role sees in the side menu: only pages that work. Each role starts on its own home
 * page (PRODUCT.md "Who uses it"); the modules are ordered by what that role does most.
 */
export const NAVIGATION: Record<Role, NavSection[]> = {
  admin: [
    { key: 'main', items: [home('nav.home.admin')] },
    adminSection,
    work(
      moduleItem('projects'),
      moduleItem('strategy'),
      moduleItem('approvals'),
      moduleItem('costsToVerify'),
      moduleItem('workOrders'),
      moduleItem('checkIns'),
      moduleItem('workload'),
      moduleItem('resources'),
    ),
    alertsKeeperSection,
    channelsSection,
  ],
  director: [
    { key: 'main', items: [home('nav.home.director')] },
    work(
      moduleItem('approvals'),
      moduleItem('strategy'),
      moduleItem('projects'),
      moduleItem('workOrders'),
      moduleItem('checkIns'),
      moduleItem('workload'),
      moduleItem('resources'),
      teamsItem,
    ),
    alertsKeeperSection,
    channelsSection,
  ],
  project_manager: [
    { key: 'main', items: [home('nav.home.project_manager')] },
    work(
      moduleItem('projects'),
      moduleItem('workload'),
      moduleItem('resources'),
      moduleItem('workOrders'),
      moduleItem('checkIns'),
      moduleItem('approvals'),
      moduleItem('strategy'),
    ),
    alertsSection,
    channelsSection,
  ],
  member: [
    { key: 'main', items: [home('nav.home.member')] },
    work(
      moduleItem('checkIns'),
      moduleItem('projects'),
      moduleItem('workOrders'),
      moduleItem('strategy'),
      moduleItem('workload'),
      moduleItem('resources'),
    ),
    alertsSection,
    channelsSection,
  ],
  finance: [
    { key: 'main', items: [home('nav.home.finance')] },
    work(
      moduleItem('approvals'),
      moduleItem('costsToVerify'),
      moduleItem('projects'),
      moduleItem('resources'),
      moduleItem('workload'),
      moduleItem('workOrders'),
      moduleItem('checkIns'),
      moduleItem('strategy'),
    ),
    alertsSection,
    channelsSection,
  ],
  viewer: [
    { key: 'main', items: [home('nav.home.viewer')] },
    work(moduleItem('projects'), moduleItem('strategy'), moduleItem('workload'), moduleItem('resources')),
    alertsSection,
    channelsSection,
  ],
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
