import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { Activity } from './api';
import { ProjectActivity } from './ProjectActivity';

const me = {
  user: { id: 'u1', email: 'viewer@demo.mems', name: '只读', locale: 'zh-CN' },
  org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
  membership_id: 'm-me',
  role: 'viewer',
  permissions: ['projects:read'],
  via: 'session',
} as unknown as Me;

function activity(n: number, values: Partial<Activity> = {}): Activity {
  return {
    id: `a${n}`,
    created_at: '2026-11-30T02:00:00Z',
    actor_user_id: 'u2',
    actor_name: '张伟',
    action: 'create',
    entity_type: 'tasks',
    entity_id: `t${n}`,
    entity_label: `任务 ${n}`,
    changed: [],
    ...values,
  };
}

let offsets: string[] = [];

function renderFeed(total: number, first: Activity[]) {
  vi.stubGlobal('fetch', (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname !== '/api/v1/projects/p1/activity') return Response.json({}, { status: 404 });
    const offset = url.searchParams.get('offset') ?? '0';
    offsets.push(offset);
    const items = offset === '0' ? first : [activity(99, { entity_label: '第二页的任务' })];
    return Response.json({ items, total, limit: 20, offset: Number(offset) });
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <SessionContext.Provider value={me}>
          <ProjectActivity projectId="p1" />
        </SessionContext.Provider>
      </AntApp>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  offsets = [];
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ProjectActivity', () => {
  it('says who did what to which object, and which fields an update changed', async () => {
    renderFeed(3, [
      activity(1, { action: 'update', changed: ['status', 'progress_unknown'] }),
      activity(2, { entity_type: 'attachments', entity_label: '方案.pdf' }),
      activity(3, { actor_name: null, action: 'delete', entity_type: 'comments', entity_label: null }),
    ]);
    const items = await screen.findAllByTestId('activity-item');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('张伟 更新 任务 “任务 1”');
    const changed = within(items[0]!).getByTestId('activity-changed');
    expect(changed).toHaveTextContent('状态');
    expect(changed).toHaveTextContent('progress_unknown'); // a field without a label shows its name
    expect(items[1]).toHaveTextContent('张伟 创建 附件 “方案.pdf”');
    expect(items[2]).toHaveTextContent('系统 删除 评论');
    expect(items[2]).toHaveTextContent('2026-11-30 10:00');
  });

  it('pages through a long feed', async () => {
    const user = userEvent.setup();
    renderFeed(
      25,
      Array.from({ length: 20 }, (_, i) => activity(i)),
    );
    expect(await screen.findAllByTestId('activity-item')).toHaveLength(20);
    await user.click(screen.getByTitle('2'));
    await waitFor(() => expect(screen.getAllByTestId('activity-item')).toHaveLength(1));
    expect(screen.getByTestId('activity-item')).toHaveTextContent('第二页的任务');
    expect(offsets).toEqual(['0', '20']);
  });

  it('says when nothing happened yet', async () => {
    renderFeed(0, []);
    expect(await screen.findByText('暂无动态')).toBeInTheDocument();
  });
});
