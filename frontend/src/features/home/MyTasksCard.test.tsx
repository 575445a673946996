import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router';
import '@/i18n';
import { MyTasksCard } from './MyTasksCard';
import { taskGroups, type MyTask } from './myTasks';

configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

const base: Omit<MyTask, 'id' | 'title'> = {
  project_id: 'p1',
  project_code: 'P2026-004',
  project_name: '年货节预热',
  starts_on: '2026-12-01',
  due_on: '2026-12-03',
  progress: 0,
  status: 'in_progress',
  priority: 'medium',
  milestone: false,
  critical: false,
  overdue: false,
  due_today: false,
  version: 2,
};

const mine = {
  today: '2026-12-03',
  overdue: [{ ...base, id: 't-late', title: '主图设计', due_on: '2026-12-01', overdue: true, progress: 30 }],
  due_today: [],
  upcoming: [{ ...base, id: 't-next', title: '短视频拍摄', due_on: '2026-12-09', milestone: true }],
};

describe('taskGroups', () => {
  it('orders overdue, due today, upcoming and leaves out empty groups', () => {
    expect(taskGroups(mine).map((g) => [g.key, g.color, g.tasks.length])).toEqual([
      ['overdue', 'red', 1],
      ['upcoming', 'blue', 1],
    ]);
  });
});

describe('MyTasksCard', () => {
  it('shows my tasks by urgency, links each to its project, and reports progress', async () => {
    const patches: unknown[] = [];
    vi.stubGlobal('fetch', async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/v1/me/tasks') return Response.json(mine);
      if (request.method === 'PATCH' && url.pathname === '/api/v1/tasks/t-late') {
        patches.push(await request.clone().json());
        return Response.json({ task: { ...mine.overdue[0], progress: 50 }, moved: [] });
      }
      return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
    });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AntApp>
          <MemoryRouter>
            <MyTasksCard />
          </MemoryRouter>
        </AntApp>
      </QueryClientProvider>,
    );
    const overdue = await screen.findByTestId('my-tasks-overdue');
    expect(overdue).toHaveTextContent('已逾期');
    expect(within(overdue).getByRole('link', { name: '主图设计' })).toHaveAttribute(
      'href',
      '/projects/p1/tasks?task=t-late',
    );
    expect(screen.getByTestId('my-tasks-upcoming')).toHaveTextContent('短视频拍摄');
    expect(screen.queryByTestId('my-tasks-due_today')).toBeNull();
    fireEvent.click(within(overdue).getByTestId('my-task-progress'));
    fireEvent.click(await screen.findByTestId('progress-step-50'));
    await waitFor(() => expect(patches).toEqual([{ progress: 50, version: 2 }]));
  });
});
