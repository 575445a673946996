import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router';
import '@/i18n';
import { CollabPanelsContext, type CollabPanels } from '@/lib/collabContext';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { WorkOrder } from './api';
import { WorkOrdersPage } from './WorkOrdersPage';

const base: WorkOrder = {
  id: 'w1',
  number: 1,
  code: 'WO-1',
  title: '设计双十一主视觉',
  description: '尺寸 1080×1920',
  status: 'requested',
  priority: 'high',
  requester_member_id: 'm-pm',
  requester_name: '张项目',
  assignee_member_id: 'm-member',
  assignee_name: '王执行',
  assignee_team_id: null,
  assignee_team_name: null,
  project_id: 'p1',
  project_code: 'P2026-001',
  project_name: '2026Q4-电商-双十一大促',
  task_id: null,
  due_at: '2099-12-01T10:00:00Z',
  sla_hours: 48,
  sla_due_at: '2099-12-02T10:00:00Z',
  requested_at: '2099-11-30T10:00:00Z',
  accepted_at: null,
  rejected_at: null,
  reject_reason: null,
  started_at: null,
  done_at: null,
  verified_at: null,
  response_seconds: null,
  resolution_seconds: null,
  overdue: false,
  sla_breached: false,
  allowed_actions: ['accept', 'reject'],
  created_at: '2099-11-30T10:00:00Z',
  updated_at: '2099-11-30T10:00:00Z',
  version: 3,
};

const me = {
  user: { id: 'u1', email: 'member@demo.mems', name: '王执行', locale: 'zh-CN' },
  org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
  membership_id: 'm-member',
  role: 'member',
  permissions: ['projects:read', 'work:write', 'members:read'],
  via: 'session',
} as unknown as Me;

let posted: { path: string; body: unknown }[] = [];
let listed: URL[] = [];
let fetchedOne: string[] = [];

// The app's panel slot, stubbed: the order's details ask it for the order's discussion.
const panels: CollabPanels = {
  Discussion: ({ subjectType, subjectId }) => <div data-testid="discussion-slot">{`${subjectType}:${subjectId}`}</div>,
  ProjectActivity: () => null,
  TodayCheckIn: () => null,
};

function renderPage(items: WorkOrder[], url = '/work-orders', readable: WorkOrder[] = []) {
  vi.stubGlobal('fetch', async (request: Request) => {
    const target = new URL(request.url);
    if (request.method === 'POST') {
      posted.push({ path: target.pathname, body: await request.clone().json() });
      return Response.json({ ...items[0], status: 'accepted', allowed_actions: ['start'], version: 4 });
    }
    if (target.pathname === '/api/v1/work-orders') {
      listed.push(target);
      return Response.json({ items, total: items.length, limit: 20, offset: 0 });
    }
    const one = /^\/api\/v1\/work-orders\/([^/]+)$/.exec(target.pathname);
    if (one) {
      fetchedOne.push(one[1]!);
      const order = [...items, ...readable].find((o) => o.id === one[1]);
      if (order) return Response.json(order);
      return Response.json(
        { type: 'urn:mems:problem:not-found', title: 'Not found', status: 404, detail: '工单不存在' },
        { status: 404, headers: { 'Content-Type': 'application/problem+json' } },
      );
    }
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter initialEntries={[url]}>
          <SessionContext.Provider value={me}>
            <CollabPanelsContext.Provider value={panels}>
              <WorkOrdersPage />
            </CollabPanelsContext.Provider>
          </SessionContext.Provider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  posted = [];
  listed = [];
  fetchedOne = [];
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('WorkOrdersPage', () => {
  it('lists the inbox with status, project, SLA countdown and the actions the server allows', async () => {
    renderPage([base]);
    const row = await screen.findByTestId('order-row');
    expect(row).toHaveTextContent('WO-1');
    expect(row).toHaveTextContent('设计双十一主视觉');
    expect(row).toHaveTextContent('张项目');
    expect(row).toHaveTextContent('P2026-001');
    expect(within(row).getByTestId('order-status')).toHaveTextContent('待接单');
    expect(within(row).getByTestId('order-sla-countdown')).toHaveTextContent(/^剩余 \d+ 天/);
    expect(within(row).getByTestId('order-action-accept')).toBeInTheDocument();
    expect(within(row).getByTestId('order-action-reject')).toBeInTheDocument();
    expect(within(row).queryByTestId('order-action-start')).toBeNull();
    expect(within(row).queryByTestId('order-action-verify')).toBeNull();
    expect(listed[0]?.searchParams.get('box')).toBe('inbox');
  });

  it('accepts at the version read', async () => {
    const user = userEvent.setup();
    renderPage([base]);
    await user.click(await screen.findByTestId('order-action-accept'));
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({ path: '/api/v1/work-orders/w1/transitions', body: { action: 'accept', version: 3 } });
  });

  it('rejects only with a reason, which it sends', async () => {
    const user = userEvent.setup();
    renderPage([base]);
    await user.click(await screen.findByTestId('order-action-reject'));
    const submit = await screen.findByTestId('order-reject-submit');
    expect(submit).toBeDisabled();
    await user.type(screen.getByTestId('order-reject-reason'), '本周排期已满');
    await user.click(submit);
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      path: '/api/v1/work-orders/w1/transitions',
      body: { action: 'reject', version: 3, reason: '本周排期已满' },
    });
  });

  it('shows overdue and time over the SLA, and no button when nothing is allowed', async () => {
    renderPage([
      {
        ...base,
        status: 'in_progress',
        due_at: '2020-01-01T00:00:00Z',
        sla_due_at: '2020-01-01T00:00:00Z',
        overdue: true,
        sla_breached: true,
        allowed_actions: [],
      },
    ]);
    const row = await screen.findByTestId('order-row');
    expect(within(row).getByTestId('order-overdue')).toHaveTextContent('已逾期');
    expect(within(row).getByTestId('order-sla-countdown')).toHaveTextContent(/^已超时/);
    expect(within(row).queryAllByRole('button', { name: /接单|开始处理|完成|验收|撤销|退回/ })).toEqual([]);
  });

  it('asks the server for the box and statuses in the address', async () => {
    renderPage([], '/work-orders?box=sent&status=done&status=verified');
    expect(await screen.findByTestId('orders-empty')).toHaveTextContent('你还没有发起工单');
    expect(listed[0]?.searchParams.get('box')).toBe('sent');
    expect(listed[0]?.searchParams.getAll('status')).toEqual(['done', 'verified']);
  });

  it('opens an order from the address (a notification’s link): its details, steps and discussion', async () => {
    const user = userEvent.setup();
    const elsewhere: WorkOrder = { ...base, id: 'w2', code: 'WO-2', title: '不在这一页的工单', version: 7 };
    renderPage([base], '/work-orders?box=sent&open=w2', [elsewhere]);
    const detail = await screen.findByTestId('order-detail');
    // Not on the page of the list shown: read on its own.
    expect(fetchedOne).toContain('w2');
    await within(detail).findByText('WO-2 · 不在这一页的工单');
    const fields = within(detail).getByTestId('order-detail-fields');
    expect(fields).toHaveTextContent('张项目');
    expect(fields).toHaveTextContent('王执行');
    expect(fields).toHaveTextContent('尺寸 1080×1920');
    expect(within(detail).getByTestId('discussion-slot')).toHaveTextContent('work_order:w2');
    // Its steps, at the version read.
    await user.click(within(detail).getByTestId('order-action-accept'));
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({ path: '/api/v1/work-orders/w2/transitions', body: { action: 'accept', version: 7 } });
  });

  it('opens an order’s details from its title', async () => {
    const user = userEvent.setup();
    renderPage([base]);
    expect(screen.queryByTestId('discussion-slot')).toBeNull();
    await user.click(await screen.findByTestId('order-title-link'));
    const detail = await screen.findByTestId('order-detail');
    expect(await within(detail).findByTestId('discussion-slot')).toHaveTextContent('work_order:w1');
    expect(within(detail).getByTestId('order-detail-fields')).toHaveTextContent('待接单');
  });

  it('says so when the order cannot be read (not one of its parties)', async () => {
    renderPage([base], '/work-orders?open=w404');
    const detail = await screen.findByTestId('order-detail');
    expect(await within(detail).findByText('工单不存在')).toBeInTheDocument();
    expect(within(detail).queryByTestId('discussion-slot')).toBeNull();
  });
});
