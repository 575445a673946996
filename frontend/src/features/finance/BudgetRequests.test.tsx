import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { BudgetPanel } from './BudgetPanel';
import type { BudgetRequest } from './requestModel';
import { api, json, person, pm, project, renderPanel } from './testing';

const requester = person('m-pm', ['projects:read', 'budget:read', 'costs:record', 'budget:request']);
const director = person('m-dir', [
  'projects:read',
  'budget:read',
  'costs:record',
  'budget:request',
  'approvals:decide',
]);

function request(over: Partial<BudgetRequest> & { id: string }): BudgetRequest {
  return {
    project_id: 'p1',
    approval_request_id: `a-${over.id}`,
    kind: 'change',
    state: 'approved',
    reason: '双旦加投',
    amount: '55000.00',
    total_before: '200000.00',
    total_after: '255000.00',
    items: [
      {
        line_id: 'l-ads',
        category: 'ad_spend',
        name: '信息流投放',
        phase_id: 'ph2',
        before: '50000.00',
        after: '80000.00',
      },
      { line_id: null, category: 'travel', name: '差旅', phase_id: 'ph1', before: '0.00', after: '25000.00' },
    ],
    requested_by_member_id: 'm-pm',
    created_at: '2026-12-10T02:00:00Z',
    decided_at: null,
    version: 1,
    ...over,
  };
}

function renderTab(me = requester, p = project, mayManage = true) {
  return renderPanel(
    me,
    <MemoryRouter>
      <BudgetPanel project={p} mayManage={mayManage} />
    </MemoryRouter>,
  );
}

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

describe('budget requests on the budget tab', () => {
  it('offers 申请变更 to who may ask on a registered project with nothing pending', async () => {
    renderTab();
    expect(await screen.findByTestId('budget-request-open')).toHaveTextContent('申请变更');
    // Nothing asked yet: no list.
    expect(screen.queryByTestId('budget-requests')).toBeNull();
    fireEvent.click(screen.getByTestId('budget-request-open'));
    expect(await screen.findByTestId('budget-request-drawer')).toBeInTheDocument();
  });

  it('offers nothing without budget:request', async () => {
    renderTab(pm);
    await screen.findByTestId('budget-headline');
    expect(screen.queryByTestId('budget-request-open')).toBeNull();
  });

  it('offers nothing to who does not manage the project', async () => {
    renderTab(requester, project, false);
    await screen.findByTestId('budget-headline');
    expect(screen.queryByTestId('budget-request-open')).toBeNull();
  });

  it('offers nothing on a draft project', async () => {
    renderTab(requester, { ...project, status: 'draft', registered: false });
    await screen.findByTestId('budget-headline');
    await waitFor(() => expect(api.calls.some((c) => c.path.startsWith('/projects/p1/budget-requests'))).toBe(true));
    expect(screen.queryByTestId('budget-request-open')).toBeNull();
  });

  it('lists the requests with their state, money and lines before → after; the requester withdraws a pending one', async () => {
    api.requests = [request({ id: 'br2', state: 'pending' }), request({ id: 'br1', kind: 'initial' })];
    api.respond = (method, path) =>
      method === 'POST' && path === '/budget-requests/br2/withdraw'
        ? json(request({ id: 'br2', state: 'withdrawn' }))
        : undefined;
    renderTab();
    const list = await screen.findByTestId('budget-requests');
    // A request waits: no new one can be asked, the tab says why.
    expect(screen.queryByTestId('budget-request-open')).toBeNull();
    expect(screen.getByTestId('budget-request-pending')).toHaveTextContent('预算申请审批中');
    const states = within(list).getAllByTestId('budget-request-state');
    expect(states.map((s) => s.textContent)).toEqual(['审批中', '已批准']);
    expect(within(list).getAllByTestId('budget-request-totals')[0]).toHaveTextContent('¥200,000.00 → ¥255,000.00');
    // The pending one is open: its lines before → after.
    const items = within(list).getByTestId('request-items');
    expect(within(items).getByText('信息流投放').closest('tr')).toHaveTextContent('¥50,000.00¥80,000.00+¥30,000.00');
    expect(within(items).getAllByText('差旅')[0]!.closest('tr')).toHaveTextContent('新增');
    expect(within(items).getByTestId('request-items-added')).toHaveTextContent('+¥55,000.00');
    // Links to the approval.
    expect(within(list).getAllByTestId('budget-request-approval')[0]).toHaveAttribute(
      'href',
      '/approvals?box=mine&open=a-br2',
    );

    const withdraw = within(list).getAllByTestId('budget-request-withdraw');
    expect(withdraw).toHaveLength(1);
    fireEvent.click(withdraw[0]!);
    fireEvent.click(await screen.findByRole('button', { name: '撤 回' }));
    await waitFor(() => expect(api.posts().map((c) => c.path)).toEqual(['/budget-requests/br2/withdraw']));
  });

  it('lets nobody but the requester withdraw, and sends an approver to every request', async () => {
    api.requests = [request({ id: 'br2', state: 'pending' })];
    renderTab(director);
    const list = await screen.findByTestId('budget-requests');
    expect(within(list).queryByTestId('budget-request-withdraw')).toBeNull();
    expect(within(list).getByTestId('budget-request-approval')).toHaveAttribute(
      'href',
      '/approvals?box=all&open=a-br2',
    );
  });
});
