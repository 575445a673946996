import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { CollabPanelsContext, type CollabPanels, type DiscussionProps } from '@/lib/collabContext';
import { CostDiscussionPage } from './CostDiscussionPage';
import { CostLedger } from './CostLedger';
import { CostsToVerifyPage } from './CostsToVerifyPage';
import { api, cost, finance, orgCost, pm, project, renderPanel, viewer } from './testing';

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

/** The discussion slot, standing in for the collaboration panel: it says what it was given. */
function FakeDiscussion({ subjectType, subjectId, canWrite }: DiscussionProps) {
  return (
    <div data-testid="fake-discussion">
      {subjectType}:{subjectId}:{canWrite ? 'write' : 'read'}
    </div>
  );
}
const panels = { Discussion: FakeDiscussion } as unknown as CollabPanels;

function withShell(node: ReactNode, path = '/') {
  return (
    <MemoryRouter initialEntries={[path]}>
      <CollabPanelsContext.Provider value={panels}>{node}</CollabPanelsContext.Provider>
    </MemoryRouter>
  );
}

const listCalls = () => api.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/costs?'));

describe('finance’s costs to verify', () => {
  beforeEach(() => {
    api.orgCosts = [
      orgCost({ id: 'o1', vendor: '国展中心', receipt_count: 2 }),
      orgCost({
        id: 'o2',
        vendor: 'Hilton',
        amount: '1000.00',
        currency: 'USD',
        rate: '7.1',
        amount_project: '7100.00',
      }),
    ];
  });

  it('lists the entries not yet verified by default, each linking to its project’s ledger', async () => {
    renderPanel(finance, withShell(<CostsToVerifyPage />));
    const table = await screen.findByTestId('org-costs-table');
    const row = (await within(table).findByText('国展中心')).closest('tr')!;
    expect(listCalls()[0]!.path).toContain('verified=false');
    const link = within(row).getByTestId('org-cost-project');
    expect(link).toHaveAttribute('href', '/projects/p1?tab=costs');
    expect(link).toHaveTextContent('P2026-004');
    expect(within(row).getByTestId('cost-receipts')).toHaveTextContent('2');
    const foreign = within(table).getByText('Hilton').closest('tr')!;
    expect(foreign).toHaveTextContent('US$1,000.00');
    expect(within(foreign).getByTestId('cost-amount-project')).toHaveTextContent('折合项目币种 7,100');
  });

  it('filters on the server: verified or all, kind, category and project', async () => {
    renderPanel(finance, withShell(<CostsToVerifyPage />));
    await screen.findByTestId('org-costs-table');
    fireEvent.click(screen.getByTestId('org-costs-verified-all'));
    await waitFor(() => expect(listCalls().some((c) => !c.path.includes('verified='))).toBe(true));
    fireEvent.click(screen.getByTestId('org-costs-verified-verified'));
    await waitFor(() => expect(listCalls().at(-1)!.path).toContain('verified=true'));
    fireEvent.mouseDown(within(screen.getByTestId('org-costs-filter-kind')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('已承诺'));
    await waitFor(() => expect(listCalls().at(-1)!.path).toContain('kind=committed'));
    fireEvent.mouseDown(within(screen.getByTestId('org-costs-filter-category')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('差旅'));
    await waitFor(() => expect(listCalls().at(-1)!.path).toContain('category=travel'));
    fireEvent.mouseDown(within(screen.getByTestId('org-costs-filter-project')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('P2026-004 2026Q4-渠道-年货节预热'));
    await waitFor(() => expect(listCalls().at(-1)!.path).toContain('project_id=p1'));
    expect(listCalls().at(-1)!.path).toContain('verified=true');
    expect(listCalls().at(-1)!.path).toContain('offset=0');
  });

  it('verifies an entry from the list with the version read', async () => {
    renderPanel(finance, withShell(<CostsToVerifyPage />));
    const table = await screen.findByTestId('org-costs-table');
    const row = (await within(table).findByText('国展中心')).closest('tr')!;
    fireEvent.click(within(row).getByTestId('cost-verify'));
    fireEvent.click(
      await waitFor(() => document.querySelector<HTMLElement>('.ant-popconfirm-buttons .ant-btn-primary')!),
    );
    await waitFor(() => expect(api.posts()).toHaveLength(1));
    expect(api.posts()[0]!.path).toBe('/costs/o1/verify');
    expect(api.posts()[0]!.headers.get('If-Match')).toBe('"1"');
    // The list is read again.
    await waitFor(() => expect(listCalls().length).toBeGreaterThan(1));
  });

  it('opens an entry’s receipts and discussion, with 核验, in its drawer', async () => {
    renderPanel(finance, withShell(<CostsToVerifyPage />));
    const table = await screen.findByTestId('org-costs-table');
    const row = (await within(table).findByText('国展中心')).closest('tr')!;
    fireEvent.click(within(row).getByTestId('cost-receipts'));
    const details = await screen.findByTestId('cost-drawer-details');
    expect(details).toHaveTextContent('P2026-004');
    expect(details).toHaveTextContent('¥30,000.00');
    expect(within(details).getByTestId('cost-verify')).toBeInTheDocument();
    expect(await screen.findByTestId('fake-discussion')).toHaveTextContent('cost:o1:write');
  });
});

describe('the receipts in a project’s ledger', () => {
  it('opens a cost’s drawer from its paperclip: finance verifies there', async () => {
    api.costs = [cost({ id: 'c1', receipt_count: 3 })];
    renderPanel(finance, withShell(<CostLedger project={project} mayManage={false} />));
    const table = await screen.findByTestId('cost-table');
    const clip = await within(table).findByTestId('cost-receipts');
    expect(clip).toHaveTextContent('3');
    fireEvent.click(clip);
    const details = await screen.findByTestId('cost-drawer-details');
    expect(details).toHaveTextContent('展位费');
    expect(details).toHaveTextContent('执行');
    expect(await screen.findByTestId('fake-discussion')).toHaveTextContent('cost:c1:write');
    fireEvent.click(within(details).getByTestId('cost-verify'));
    fireEvent.click(
      await waitFor(() => document.querySelector<HTMLElement>('.ant-popconfirm-buttons .ant-btn-primary')!),
    );
    await waitFor(() => expect(api.posts().map((c) => c.path)).toEqual(['/costs/c1/verify']));
  });

  it('lets the project manager attach receipts, and a reader only read them, without 核验', async () => {
    renderPanel(viewer, withShell(<CostLedger project={project} mayManage={false} />));
    fireEvent.click((await screen.findAllByTestId('cost-receipts'))[0]!);
    const details = await screen.findByTestId('cost-drawer-details');
    expect(within(details).queryByTestId('cost-verify')).toBeNull();
    expect(await screen.findByTestId('fake-discussion')).toHaveTextContent('cost:c1:read');
  });

  it('lets the manager of the project write', async () => {
    renderPanel(pm, withShell(<CostLedger project={project} mayManage />));
    fireEvent.click((await screen.findAllByTestId('cost-receipts'))[0]!);
    expect(await screen.findByTestId('fake-discussion')).toHaveTextContent('cost:c1:write');
  });
});

describe('a cost known by its id (a mention)', () => {
  it('shows its discussion, and finance the way to the list', async () => {
    api.orgCosts = [orgCost({ id: 'c9', vendor: '光影棚拍' })];
    renderPanel(
      finance,
      withShell(
        <Routes>
          <Route path="/costs/:costId" element={<CostDiscussionPage />} />
        </Routes>,
        '/costs/c9',
      ),
    );
    expect(await screen.findByTestId('fake-discussion')).toHaveTextContent('cost:c9:write');
    expect(screen.getByTestId('cost-discussion-to-list').closest('a')).toHaveAttribute('href', '/finance/costs');
    // What the cost is and whose: its project's ledger one click away.
    const facts = await screen.findByTestId('cost-facts');
    expect(facts).toHaveTextContent('光影棚拍');
    expect(within(facts).getByTestId('cost-project-link').getAttribute('href')).toMatch(/^\/projects\/.+tab=costs/);
  });

  it('shows a reader the discussion without the list', async () => {
    renderPanel(
      viewer,
      withShell(
        <Routes>
          <Route path="/costs/:costId" element={<CostDiscussionPage />} />
        </Routes>,
        '/costs/c9',
      ),
    );
    expect(await screen.findByTestId('fake-discussion')).toHaveTextContent('cost:c9:read');
    expect(screen.queryByTestId('cost-discussion-to-list')).toBeNull();
  });
});
