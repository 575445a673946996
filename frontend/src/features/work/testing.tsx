/* For tests only (imported by *.test.tsx, never by the app): the work pages' fixtures: a project with phases and tasks, two people, and a stubbed API. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter, Routes } from 'react-router';
import { vi } from 'vitest';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { Gantt, Phase, ProjectDetail, Task } from './api';

export const stamp = { created_at: '2026-11-27T06:00:00Z', updated_at: '2026-11-27T06:00:00Z' };

export const project: ProjectDetail = {
  id: 'p1',
  code: 'P2026-004',
  name: '2026Q4-渠道-年货节预热',
  type: 'promotion',
  status: 'active',
  registered: true,
  owner_member_id: 'm-pm',
  owner_name: '张项目',
  team_id: null,
  period_id: null,
  starts_on: '2026-12-01',
  ends_on: '2026-12-31',
  currency: 'CNY',
  total_budget: '200000.00',
  approved_budget: '0.00',
  template_key: null,
  goal_ids: [],
  ...stamp,
  version: 3,
  description: null,
  allowed_actions: ['finish'],
  goal_links: [],
  members: [
    { member_id: 'm-pm', name: '张项目', role: 'manager' },
    { member_id: 'm-1', name: '陈执行', role: 'contributor' },
  ],
  phases: [],
  budget_lines: [],
  approval: null,
  retrospective: null,
};

export const phases: Phase[] = [
  { id: 'ph1', project_id: 'p1', position: 0, name: '策划', starts_on: '2026-12-01', ends_on: '2026-12-07' },
  { id: 'ph2', project_id: 'p1', position: 1, name: '执行', starts_on: '2026-12-08', ends_on: '2026-12-31' },
];

export function task(over: Partial<Task> & { id: string; title: string }): Task {
  return {
    project_id: 'p1',
    phase_id: 'ph1',
    parent_id: null,
    position: 0,
    description: null,
    assignee_member_id: null,
    assignee_name: null,
    not_before: null,
    starts_on: '2026-12-01',
    due_on: '2026-12-03',
    duration_days: 3,
    progress: 0,
    status: 'todo',
    priority: 'medium',
    milestone: false,
    estimate_hours: null,
    actual_hours: null,
    key_result_id: null,
    slack_days: 0,
    critical: false,
    completed_at: null,
    version: 1,
    ...over,
  };
}

export const tasks: Task[] = [
  task({ id: 't-a', title: '促销机制', assignee_member_id: 'm-1', assignee_name: '陈执行', version: 5 }),
  task({ id: 't-b', title: '素材', phase_id: 'ph2', status: 'in_progress', progress: 40 }),
  task({ id: 't-b1', title: '主图设计', phase_id: 'ph2', parent_id: 't-b', critical: true }),
  task({ id: 't-c', title: '大促开场', phase_id: 'ph2', milestone: true, status: 'blocked' }),
];

export function person(membership: string, permissions: string[]): Me {
  return {
    user: { id: 'u', email: 'x@demo.mems', name: 'x', locale: 'zh-CN' },
    org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
    membership_id: membership,
    role: 'member',
    permissions,
    via: 'session',
  } as unknown as Me;
}
export const pm = person('m-pm', ['projects:read', 'projects:write', 'work:write']);
export const assignee = person('m-1', ['projects:read', 'work:write']);

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

export const moved = {
  task_id: 't-c',
  title: '大促开场',
  milestone: true,
  starts_on_before: '2026-12-10',
  starts_on: '2026-12-14',
  due_on_before: '2026-12-10',
  due_on: '2026-12-14',
};

export function gantt(): Gantt {
  return {
    project: { ...project, finish: '2026-12-20' },
    today: '2026-12-02',
    phases,
    tasks: tasks.map((t, i) => ({
      ...t,
      wbs: String(i + 1),
      summary: t.id === 't-b',
      baseline_starts_on: null,
      baseline_due_on: null,
    })),
    dependencies: [],
    critical_path: ['t-b1'],
    non_working_days: [],
    baselines: [{ id: 'bl1', name: '初始计划', created_at: '2026-11-28T02:00:00Z', created_by_name: '张项目' }],
    baseline_id: 'bl1',
    slipped_milestones: [
      { task_id: 't-c', title: '大促开场', planned: '2026-12-10', now: '2026-12-14', working_days: 2 },
    ],
  };
}

/** Every call the page made, and an optional answer that overrides the stub's. */
export const api = {
  calls: [] as { method: string; path: string; body: unknown }[],
  respond: (() => undefined) as (method: string, path: string) => Response | undefined,
  reset() {
    this.calls = [];
    this.respond = () => undefined;
  },
  patches() {
    return this.calls.filter((c) => c.method === 'PATCH');
  },
};

function stubFetch() {
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace('/api/v1', '');
    const body: unknown =
      request.method === 'GET'
        ? undefined
        : await request
            .clone()
            .json()
            .catch(() => undefined);
    api.calls.push({ method: request.method, path, body });
    const custom = api.respond(request.method, path);
    if (custom) return custom;
    if (path === '/projects/p1') return json(project);
    if (path === '/projects/p1/tasks') return json(tasks);
    if (path === '/projects/p1/phases') return json(phases);
    if (path === '/projects/p1/gantt') return json(gantt());
    const patched = request.method === 'PATCH' ? tasks.find((t) => path === `/tasks/${t.id}`) : undefined;
    if (patched) return json({ task: { ...patched, ...(body as object) }, moved: [moved] });
    return json({ title: 'Not found', status: 404 }, 404);
  });
}

export function renderAt(path: string, me: Me, routes: ReactNode) {
  stubFetch();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <SessionContext.Provider value={me}>
          <MemoryRouter initialEntries={[path]}>
            <Routes>{routes}</Routes>
          </MemoryRouter>
        </SessionContext.Provider>
      </AntApp>
    </QueryClientProvider>,
  );
}
