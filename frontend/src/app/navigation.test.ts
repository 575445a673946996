import type { RouteObject } from 'react-router';
import { paths } from '@/lib/paths';
import { ROLES } from '@/lib/roles';
import zh from '@/i18n/zh-CN.json';
import { MODULES, NAVIGATION, navPaths, navigationFor } from './navigation';
import { routes } from './router';

const adminPaths = Object.values(paths.admin);

function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], zh);
}

/** Every concrete path the router renders a page for (the catch-all excluded). */
function routePaths(list: RouteObject[], parent = ''): string[] {
  return list.flatMap((route) => {
    const here = route.index
      ? parent || '/'
      : route.path
        ? route.path.startsWith('/')
          ? route.path
          : `${parent.replace(/\/$/, '')}/${route.path}`
        : parent;
    const own = (route.index || route.path) && route.path !== '*' ? [here] : [];
    return [...own, ...routePaths(route.children ?? [], here)];
  });
}

describe('navigation by role', () => {
  it('defines a menu for every role', () => {
    expect(Object.keys(NAVIGATION).sort()).toEqual([...ROLES].sort());
  });

  it('starts every role on the home page, with a role-specific label', () => {
    const labels = new Set<string>();
    for (const role of ROLES) {
      const first = navigationFor(role)[0]?.items[0];
      expect(first?.path).toBe(paths.home);
      labels.add(first!.labelKey);
    }
    expect(labels.size).toBe(ROLES.length);
  });

  it('links only to pages that exist: no "coming soon" entries', () => {
    const built = new Set(routePaths(routes));
    for (const role of ROLES) {
      for (const path of navPaths(role)) expect(built.has(path), `${role}: ${path}`).toBe(true);
    }
    // Every built module has its page in the router.
    for (const path of Object.values(paths.modules)) expect(built.has(path)).toBe(true);
    expect(Object.keys(MODULES).sort()).toEqual(Object.keys(paths.modules).sort());
  });

  it('gives admins the administration pages and the teams page', () => {
    expect(navPaths('admin')).toEqual(expect.arrayContaining([...adminPaths, paths.teams]));
  });

  it.each(['director', 'project_manager', 'member', 'finance', 'viewer'] as const)(
    'shows no administration page to %s',
    (role) => {
      for (const path of adminPaths) expect(navPaths(role)).not.toContain(path);
    },
  );

  it('shows the teams page to those who may form teams, and only them', () => {
    expect(navPaths('director')).toContain(paths.teams);
    for (const role of ['project_manager', 'member', 'finance', 'viewer'] as const) {
      expect(navPaths(role)).not.toContain(paths.teams);
    }
    expect(navPaths('director', ['strategy:read', 'approvals:read', 'projects:read'])).not.toContain(paths.teams);
  });

  it('leads each role to the modules it works in', () => {
    expect(navPaths('member')).toEqual([
      paths.home,
      paths.modules.checkIns,
      paths.modules.projects,
      paths.modules.workOrders,
      paths.modules.strategy,
      paths.modules.workload,
      paths.modules.resources,
      paths.modules.alerts,
      paths.modules.alertRules,
      paths.modules.channelDashboard,
      paths.modules.channels,
      paths.modules.channelSources,
      paths.modules.channelUpload,
      paths.modules.channelBenchmarks,
    ]);
    expect(navPaths('viewer')).not.toContain(paths.modules.workOrders);
    expect(navPaths('viewer')).not.toContain(paths.modules.checkIns);
    for (const role of ['admin', 'director', 'project_manager', 'finance'] as const) {
      expect(navPaths(role)).toContain(paths.modules.checkIns);
    }
    expect(navPaths('director')[1]).toBe(paths.modules.approvals);
    expect(navPaths('finance')[1]).toBe(paths.modules.approvals);
    expect(navPaths('project_manager')[1]).toBe(paths.modules.projects);
    expect(navPaths('viewer')).not.toContain(paths.modules.approvals);
    expect(navPaths('member')).not.toContain(paths.modules.approvals);
  });

  it('hides items whose permission is missing', () => {
    const withoutAudit = navPaths('admin', ['members:read', 'members:manage', 'org:manage']);
    expect(withoutAudit).not.toContain(paths.admin.auditLogs);
    expect(withoutAudit).toContain(paths.admin.members);
    expect(navPaths('member', ['members:read'])).toEqual([paths.home]);
    expect(navPaths('member', ['strategy:read'])).toContain(paths.modules.strategy);
  });

  it('shows the resources and the workload to whoever may read resources, and only them', () => {
    for (const role of ROLES) {
      expect(navPaths(role)).toEqual(expect.arrayContaining([paths.modules.resources, paths.modules.workload]));
      const without = navPaths(role, ['projects:read', 'strategy:read', 'work:write', 'approvals:read']);
      expect(without).not.toContain(paths.modules.resources);
      expect(without).not.toContain(paths.modules.workload);
    }
    // Project managers plan people: the workload comes right after their projects.
    expect(navPaths('project_manager').slice(1, 3)).toEqual([paths.modules.projects, paths.modules.workload]);
  });

  it('groups the channel pages under 渠道数据 for whoever may read channels, and only them', () => {
    for (const role of ROLES) {
      const section = navigationFor(role).find((s) => s.key === 'channels');
      expect(section?.titleKey).toBe('nav.sections.channels');
      expect(section?.items.map((i) => i.path)).toEqual([
        paths.modules.channelDashboard,
        paths.modules.channels,
        paths.modules.channelSources,
        paths.modules.channelUpload,
        paths.modules.channelBenchmarks,
      ]);
      const without = navigationFor(role, ['projects:read', 'strategy:read', 'resources:read']);
      expect(without.some((s) => s.key === 'channels')).toBe(false);
      // The upload is for who may send channel data; reading it leaves the rest.
      const readers = navigationFor(role, ['channels:read']).find((s) => s.key === 'channels');
      expect(readers?.items.map((i) => i.path)).toEqual([
        paths.modules.channelDashboard,
        paths.modules.channels,
        paths.modules.channelSources,
        paths.modules.channelBenchmarks,
      ]);
    }
    expect(lookup('nav.sections.channels')).toBe('渠道数据');
    expect(lookup('nav.modules.channelDashboard')).toBe('渠道看板');
    expect(lookup('nav.modules.channelUpload')).toBe('上传渠道数据');
    expect(lookup('nav.modules.channelBenchmarks')).toBe('行业基准');
  });

  it('groups the alert pages under 预警 for whoever may read alerts; notification channels only for their keepers', () => {
    for (const role of ROLES) {
      const section = navigationFor(role).find((s) => s.key === 'alerts');
      expect(section?.titleKey).toBe('nav.sections.alerts');
      expect(section?.items.map((i) => i.path).slice(0, 2)).toEqual([paths.modules.alerts, paths.modules.alertRules]);
      const without = navigationFor(role, ['projects:read', 'channels:read']);
      expect(without.some((s) => s.key === 'alerts')).toBe(false);
      // Alerts come before the channel data they are about.
      const keys = navigationFor(role).map((s) => s.key);
      expect(keys.indexOf('alerts')).toBe(keys.indexOf('channels') - 1);
    }
    expect(navPaths('admin')).toContain(paths.modules.notificationChannels);
    expect(navPaths('director')).toContain(paths.modules.notificationChannels);
    for (const role of ['project_manager', 'member', 'finance', 'viewer'] as const) {
      expect(navPaths(role)).not.toContain(paths.modules.notificationChannels);
    }
    expect(navPaths('director', ['alerts:read'])).not.toContain(paths.modules.notificationChannels);
    expect(navPaths('member', ['notification_channels:manage'])).not.toContain(paths.modules.notificationChannels);
    expect(lookup('nav.sections.alerts')).toBe('预警');
    expect(lookup('nav.modules.alerts')).toBe('预警中心');
  });

  it('shows the costs to verify to who may verify costs, and only them', () => {
    expect(navPaths('finance')).toContain(paths.modules.costsToVerify);
    expect(navPaths('admin')).toContain(paths.modules.costsToVerify);
    for (const role of ['director', 'project_manager', 'member', 'viewer'] as const) {
      expect(navPaths(role)).not.toContain(paths.modules.costsToVerify);
    }
    expect(navPaths('finance', ['approvals:read', 'projects:read', 'budget:read'])).not.toContain(
      paths.modules.costsToVerify,
    );
  });

  it('never repeats a path within one menu', () => {
    for (const role of ROLES) {
      const list = navPaths(role);
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('uses labels that exist in the locale files', () => {
    for (const role of ROLES) {
      for (const section of navigationFor(role)) {
        if (section.titleKey) expect(typeof lookup(section.titleKey)).toBe('string');
        for (const item of section.items) expect(typeof lookup(item.labelKey)).toBe('string');
      }
    }
  });

  it('shows strategy and projects to every role', () => {
    for (const role of ROLES) {
      expect(navPaths(role)).toContain(paths.modules.strategy);
      expect(navPaths(role)).toContain(paths.modules.projects);
    }
    for (const role of ['director', 'finance', 'project_manager', 'admin'] as const) {
      expect(navPaths(role)).toContain(paths.modules.approvals);
    }
  });
});
