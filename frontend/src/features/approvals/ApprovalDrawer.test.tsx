import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router';
import { FinancePanelsProvider } from '@/app/financePanels';
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
  code: 'P2026-005',
  name: '2026Q4-电商-双十一大促',
  starts_on: '2026-10-20',
  ends_on: '2026-11-15',
  currency: 'CNY',
  total_budget: '200000.00',
  description: '双十一全渠道大促，主打新品套装',
  goal_links: [
    { objective_id: 'o1', objective_title: '提升品牌知名度', key_result_id: 'k1', key_result_name: '新增粉丝5万人' },
  ],
  budget_lines: [
    {
      id: 'l1',
      name: '信息流投放',
      category: 'ad_spend',
      amount: '150000.00',
      state: 'plan',
      phase_id: null,
      position: 0,
    },
    { id: 'l2', name: '达人合作', category: 'vendors', amount: '50000.00', state: 'plan', phase_id: null, position: 1 },
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

/** 信息流投放 ¥150,000 → ¥180,000 and a new line 直播场地 ¥30,000; 达人合作 cut by ¥10,000. */
const budgetRequest = {
  id: 'br1',
  project_id: 'p1',
  approval_request_id: 'a1',
  kind: 'change',
  state: 'pending',
  reason: '双十一加投信息流，新增直播场地',
  amount: '60000.00',
  total_before: '200000.00',
  total_after: '250000.00',
  items: [
    {
      line_id: 'l1',
      category: 'ad_spend',
      name: '信息流投放',
      phase_id: null,
      before: '150000.00',
      after: '180000.00',
    },
    { line_id: 'l2', category: 'vendors', name: '达人合作', phase_id: null, before: '50000.00', after: '40000.00' },
    { line_id: null, category: 'venue', name: '直播场地', phase_id: null, before: '0.00', after: '30000.00' },
  ],
  requested_by_member_id: 'm-pm',
  created_at: '2026-11-28T06:00:00Z',
  decided_at: null,
  version: 1,
};

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
    if (url.pathname === '/api/v1/budget-requests/br1') return Response.json(budgetRequest);
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  });
  const onClose = vi.fn();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter>
          <SessionContext.Provider value={me}>
            <FinancePanelsProvider>
              <ApprovalDrawer approvalId="a1" open onClose={onClose} locale="zh-CN" />
            </FinancePanelsProvider>
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
    expect(budget).toHaveTextContent('信息流投放');
    expect(budget).toHaveTextContent('广告投放'); // its category
    expect(budget).toHaveTextContent('第三方服务');
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

  it('shows a budget request as its approvers weigh it: the project, the reason, each line before → after', async () => {
    const user = userEvent.setup();
    const { onClose } = renderDrawer({
      ...approval,
      request_type: 'budget_request',
      subject_id: 'br1',
      amount: '60000.00',
      steps: [
        { role: 'director', min_amount: null },
        { role: 'finance', min_amount: '50000.00' },
      ],
    });
    const facts = await screen.findByTestId('approval-budget-request');
    expect(within(facts).getByText('预算变更')).toBeInTheDocument();
    await vi.waitFor(() =>
      expect(within(facts).getByTestId('approval-budget-project')).toHaveTextContent(
        'P2026-005 2026Q4-电商-双十一大促',
      ),
    );
    expect(within(facts).getByTestId('approval-budget-project')).toHaveAttribute('href', '/projects/p1?tab=budget');
    expect(within(facts).getByTestId('approval-budget-reason')).toHaveTextContent('双十一加投信息流，新增直播场地');
    expect(within(facts).getByTestId('approval-budget-totals')).toHaveTextContent('¥200,000.00→¥250,000.00');
    expect(within(facts).getByTestId('approval-budget-added')).toHaveTextContent('+¥60,000.00');
    const items = within(facts).getByTestId('approval-budget-items');
    expect(within(items).getByText('信息流投放').closest('tr')).toHaveTextContent('¥150,000.00¥180,000.00+¥30,000.00');
    expect(within(items).getByText('达人合作').closest('tr')).toHaveTextContent('¥50,000.00¥40,000.00−¥10,000.00');
    expect(within(items).getByText('直播场地').closest('tr')).toHaveTextContent('新增');
    // Not a project initiation: no project facts, and the approver decides as before.
    expect(screen.queryByTestId('approval-project')).toBeNull();
    await user.click(screen.getByTestId('approval-approve'));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(decisions).toEqual([{ decision: 'approve', comment: '' }]);
  });
});
