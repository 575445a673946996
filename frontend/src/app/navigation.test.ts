import { paths } from '@/lib/paths';
import { ROLES } from '@/lib/roles';
import zh from '@/i18n/zh-CN.json';
import { BUILT_MODULES, COMING_SOON_MODULES, MODULE_KEYS, NAVIGATION, navPaths, navigationFor } from './navigation';

const adminPaths = Object.values(paths.admin);

function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], zh);
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

  it('gives admins the administration pages', () => {
    expect(navPaths('admin')).toEqual(expect.arrayContaining(adminPaths));
  });

  it.each(['director', 'project_manager', 'member', 'finance', 'viewer'] as const)(
    'shows no administration page to %s',
    (role) => {
      for (const path of adminPaths) expect(navPaths(role)).not.toContain(path);
    },
  );

  it('leads each role to the modules it works in first', () => {
    expect(navPaths('member')).toEqual(expect.arrayContaining([paths.modules.tasks, paths.modules.checkIns]));
    expect(navPaths('director')).toEqual(
      expect.arrayContaining([paths.modules.approvals, paths.modules.dashboards, paths.modules.alerts]),
    );
    expect(navPaths('project_manager')).toEqual(expect.arrayContaining([paths.modules.projects, paths.modules.gantt]));
    expect(navPaths('finance')).toEqual(expect.arrayContaining([paths.modules.budgets, paths.modules.costs]));
    expect(navPaths('member')).not.toContain(paths.modules.costs);
    expect(navPaths('viewer')).not.toContain(paths.modules.approvals);
  });

  it('gives different roles different menus', () => {
    const menus = new Set(ROLES.map((role) => navPaths(role).join('|')));
    expect(menus.size).toBe(ROLES.length);
  });

  it('hides items whose permission is missing', () => {
    const withoutAudit = navPaths('admin', ['members:read', 'members:manage', 'org:manage']);
    expect(withoutAudit).not.toContain(paths.admin.auditLogs);
    expect(withoutAudit).toContain(paths.admin.members);
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

  it('marks unbuilt modules as not ready, and every module has a path', () => {
    for (const key of MODULE_KEYS) expect(paths.modules[key]).toMatch(/^\//);
    const builtPaths: string[] = Object.keys(BUILT_MODULES).map(
      (key) => paths.modules[key as keyof typeof paths.modules],
    );
    const items = ROLES.flatMap((r) => navigationFor(r).flatMap((s) => s.items));
    for (const item of items) {
      const isModule = (Object.values(paths.modules) as string[]).includes(item.path);
      expect(item.ready).toBe(!isModule || builtPaths.includes(item.path));
    }
    expect(COMING_SOON_MODULES).not.toContain('strategy');
    expect(COMING_SOON_MODULES.length + Object.keys(BUILT_MODULES).length).toBe(MODULE_KEYS.length);
  });

  it('shows the strategy page to every role that may read strategy, and only then', () => {
    for (const role of ROLES) expect(navPaths(role)).toContain(paths.modules.strategy);
    expect(navPaths('member', ['members:read'])).not.toContain(paths.modules.strategy);
    expect(navPaths('member', ['strategy:read'])).toContain(paths.modules.strategy);
  });

  it('opens projects and approvals to the roles that work with them', () => {
    expect(COMING_SOON_MODULES).not.toContain('projects');
    expect(COMING_SOON_MODULES).not.toContain('approvals');
    for (const role of ['admin', 'director', 'project_manager', 'viewer'] as const) {
      expect(navPaths(role)).toContain(paths.modules.projects);
    }
    // Approvers decide there; project managers follow their own requests.
    for (const role of ['director', 'finance', 'project_manager'] as const) {
      expect(navPaths(role)).toContain(paths.modules.approvals);
    }
    expect(navPaths('project_manager', ['strategy:read'])).not.toContain(paths.modules.projects);
    const pmItems = navigationFor('project_manager').flatMap((s) => s.items);
    expect(pmItems.find((i) => i.path === paths.modules.projects)?.ready).toBe(true);
  });
});
