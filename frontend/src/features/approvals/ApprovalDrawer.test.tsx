import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { ApprovalDetail, SubjectProject } from './api';
import { ApprovalDrawer } from './ApprovalDrawer';

const approval: ApprovalDetail = {
  id: 'a1',
  request_type: 'project_initiation',
  subject_id: 'p1',
  title: 'P2026-005 2026Q4-电商-双十一大促',
  amount: '200000.00',
  currency: 'CNY',
  requested_by_member_id: 'm-pm',
  requested_by_name: '张项目',
  state: 'pending',
  steps: [{ role: 'director', min_amount: null }],
  current_step: 0,
  waiting_for_role: 'director',
  can_decide: true,
  created_at: '2026-11-27T06:00:00Z',
  decided_at: null,
  version: 1,
  submission: { submitted_by_member_id: 'm-pm', submitted_by_name: '张伟', submitted_at: '2026-11-27T06:00:00Z' },
  history: [],
};

const project = {
  id: 'p1',
  starts_on: '2026-10-20',
  ends_on: '2026-11-15',
  currency: 'CNY',
  total_budget: '200000.00',
  description: '双十一全渠道大促，主打新品套装',
  goal_links: [
    { objective_id: 'o1', objective_title: '提升品牌知名度', key_result_id: 'k1', key_result_name: '新增粉丝5万人' },
  ],
  budget_lines: [
    { category: '广告投放', planned_amount: '150000.00' },
    { category: '达人合作', planned_amount: '50000.00' },
  ],
} as unknown as SubjectProject;

const me = {
  user: { id: 'u1', email: 'director@demo.mems', name: '李总监', locale: 'zh-CN' },
  org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
  membership_id: 'm-director',
  role: 'director',
  permissions: ['approvals:read', 'approvals:decide'],
  via: 'session',
} as unknown as Me;

let decisions: unknown[] = [];

function renderDrawer(detail: ApprovalDetail) {
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/approvals/a1/decisions') {
      decisions.push(await request.clone().json());
      return Response.json({ ...detail, state: 'approved', can_decide: false }, { status: 201 });
    }
    if (url.pathname === '/api/v1/approvals/a1') return Response.json(detail);
    if (url.pathname === '/api/v1/projects/p1') return Response.json(project);
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  });
  const onClose = vi.fn();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter>
          <SessionContext.Provider value={me}>
            <ApprovalDrawer approvalId="a1" open onClose={onClose} locale="zh-CN" />
          </SessionContext.Provider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
  return { onClose };
}

beforeEach(() => {
  decisions = [];
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ApprovalDrawer', () => {
  it('shows what is asked: type, amount in yuan, requester and whose turn it is', async () => {
    renderDrawer(approval);
    const drawer = await screen.findByTestId('approval-decide');
    expect(drawer).toBeInTheDocument();
    expect(screen.getByTestId('approval-amount')).toHaveTextContent('¥200,000.00');
    expect(screen.getByText('立项审批')).toBeInTheDocument();
    expect(screen.getByText('等待营销总监审批')).toBeInTheDocument();
    expect(screen.getByTestId('approval-subject-link')).toHaveAttribute('href', '/projects/p1');
  });

  it('shows the project decided on: dates, goals, description and budget lines', async () => {
    renderDrawer(approval);
    expect(await screen.findByTestId('approval-project-dates')).toHaveTextContent('2026年10月20日 – 2026年11月15日');
    expect(screen.getByTestId('approval-project-goals')).toHaveTextContent('提升品牌知名度 · 新增粉丝5万人');
    expect(screen.getByTestId('approval-project-description')).toHaveTextContent('双十一全渠道大促');
    const budget = screen.getByTestId('approval-project-budget');
    expect(budget).toHaveTextContent('广告投放');
    expect(budget).toHaveTextContent('¥150,000.00');
    expect(budget).toHaveTextContent('达人合作');
    expect(budget).toHaveTextContent('项目总预算');
    expect(budget).toHaveTextContent('¥200,000.00');
  });

  it('begins the history with the submission: who and when', async () => {
    renderDrawer(approval);
    const history = await screen.findByTestId('approval-history');
    const first = within(history).getAllByRole('listitem')[0];
    expect(first).toHaveTextContent('张伟 提交了申请');
    expect(first).toHaveTextContent('2026-11-27 14:00');
  });

  it('refuses to reject without a comment, then sends the rejection with it', async () => {
    const user = userEvent.setup();
    const { onClose } = renderDrawer(approval);
    const decide = await screen.findByTestId('approval-decide');
    await user.click(within(decide).getByTestId('approval-reject'));
    expect(await within(decide).findByText('驳回时请填写意见')).toBeInTheDocument();
    expect(decisions).toEqual([]);

    await user.type(within(decide).getByTestId('approval-comment'), '预算过高');
    await user.click(within(decide).getByTestId('approval-reject'));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(decisions).toEqual([{ decision: 'reject', comment: '预算过高' }]);
  });

  it('approves without a comment', async () => {
    const user = userEvent.setup();
    const { onClose } = renderDrawer(approval);
    await user.click(await screen.findByTestId('approval-approve'));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(decisions).toEqual([{ decision: 'approve', comment: '' }]);
  });

  it('offers no decision when it is not the reader’s turn, but shows the history', async () => {
    renderDrawer({
      ...approval,
      state: 'approved',
      can_decide: false,
      waiting_for_role: null,
      history: [
        {
          id: 'r1',
          step: 0,
          decided_by_member_id: 'm-director',
          decided_by_name: '李总监',
          decision: 'approve',
          comment: '同意',
          created_at: '2026-11-27T07:00:00Z',
        },
      ],
    });
    const history = await screen.findByTestId('approval-history');
    expect(history).toHaveTextContent('李总监');
    expect(history).toHaveTextContent('同意');
    expect(screen.queryByTestId('approval-decide')).toBeNull();
  });
});
