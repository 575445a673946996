import { isValidElement, type ReactNode } from 'react';
import { matchRoutes } from 'react-router';
import {
  alertPath,
  costPath,
  issuePath,
  newProjectPath,
  paths,
  projectBoardPath,
  projectGanttPath,
  projectIssuesPath,
  projectPath,
  projectTasksPath,
  taskPath,
} from '@/lib/paths';
import type { LazyPage } from './lazyPage';
import { routes } from './router';

/** Every page path of the app (lib/paths is the one list links and the router read). */
const pagePaths = [
  paths.login,
  paths.home,
  ...Object.values(paths.admin),
  ...Object.values(paths.account),
  paths.teams,
  ...Object.values(paths.modules),
  newProjectPath,
  projectPath('00000000-0000-0000-0000-000000000001'),
  '/projects/00000000-0000-0000-0000-000000000001/battle-map',
  projectTasksPath('00000000-0000-0000-0000-000000000001'),
  projectBoardPath('00000000-0000-0000-0000-000000000001'),
  projectGanttPath('00000000-0000-0000-0000-000000000001'),
  projectIssuesPath('00000000-0000-0000-0000-000000000001'),
  taskPath('00000000-0000-0000-0000-000000000002'),
  issuePath('00000000-0000-0000-0000-000000000003'),
  costPath('00000000-0000-0000-0000-000000000004'),
  alertPath('00000000-0000-0000-0000-000000000005'),
];

function isLazyPage(type: unknown): type is LazyPage {
  return typeof type === 'object' && type !== null && 'load' in type && typeof type.load === 'function';
}

/** The lazy pages an element renders, looking through wrappers such as the permission guard. */
function lazyPagesIn(node: ReactNode): LazyPage[] {
  if (!isValidElement<{ children?: ReactNode }>(node)) return [];
  const own = isLazyPage(node.type) ? [node.type] : [];
  const children = node.props.children;
  const nested = Array.isArray(children) ? children.flatMap((c: ReactNode) => lazyPagesIn(c)) : lazyPagesIn(children);
  return [...own, ...nested];
}

function leafOf(path: string) {
  const matches = matchRoutes(routes, path);
  expect(matches, path).not.toBeNull();
  return matches!.at(-1)!.route;
}

describe('router', () => {
  it.each(pagePaths)('resolves %s to a lazily loaded page component', async (path) => {
    const leaf = leafOf(path);
    expect(leaf.path, `${path} must not fall through to the not-found route`).not.toBe('*');
    const pages = lazyPagesIn(leaf.element);
    expect(pages, path).toHaveLength(1);
    const Component = await pages[0]!.load();
    expect(typeof Component).toBe('function');
  });

  it('lists every page path above (no route without a test)', () => {
    const leafPaths = new Set<string>();
    const walk = (list: typeof routes, prefix: string) => {
      for (const route of list) {
        const here =
          route.path === undefined ? prefix : `${prefix.replace(/\/$/, '')}/${route.path.replace(/^\//, '')}`;
        if (route.children) walk(route.children, here);
        else if (route.path !== '*') leafPaths.add(route.index ? prefix || '/' : here);
      }
    };
    walk(routes, '');
    const tested = new Set(pagePaths.map((p) => leafOf(p)));
    expect(tested.size).toBe(leafPaths.size);
  });

  it('keeps the channel dashboard behind channels:read and the upload behind channel_data:send', () => {
    const guard = (path: string) => {
      const element = leafOf(path).element;
      return isValidElement<{ permission?: string }>(element) ? element.props.permission : undefined;
    };
    expect(guard(paths.modules.channelDashboard)).toBe('channels:read');
    expect(guard(paths.modules.channelUpload)).toBe('channel_data:send');
    expect(guard(paths.modules.channelBenchmarks)).toBe('channels:read');
    // Neither is taken for a page of the channels list.
    expect(leafOf(paths.modules.channelDashboard).path).toBe('channels/dashboard');
    expect(leafOf(paths.modules.channelUpload).path).toBe('channels/upload');
    expect(leafOf(paths.modules.channelBenchmarks).path).toBe('channels/benchmarks');
  });

  it('keeps finance’s costs to verify behind costs:verify, a cost’s discussion behind budget:read', () => {
    const guard = (path: string) => {
      const element = leafOf(path).element;
      return isValidElement<{ permission?: string }>(element) ? element.props.permission : undefined;
    };
    expect(guard(paths.modules.costsToVerify)).toBe('costs:verify');
    expect(guard(costPath('00000000-0000-0000-0000-000000000004'))).toBe('budget:read');
  });

  it('keeps the alert pages behind alerts:read (rules included), notification channels behind their permission', () => {
    const guard = (path: string) => {
      const element = leafOf(path).element;
      return isValidElement<{ permission?: string }>(element) ? element.props.permission : undefined;
    };
    expect(guard(paths.modules.alerts)).toBe('alerts:read');
    expect(guard(paths.modules.alertRules)).toBe('alerts:read');
    expect(guard(alertPath('00000000-0000-0000-0000-000000000005'))).toBe('alerts:read');
    expect(guard(paths.modules.notificationChannels)).toBe('notification_channels:manage');
    // "rules" is the rules page, not an alert called "rules".
    expect(leafOf(paths.modules.alertRules).path).toBe('alerts/rules');
  });

  it('answers an unknown path inside the layout with the not-found page', () => {
    expect(leafOf('/no-such-page').path).toBe('*');
  });
});
