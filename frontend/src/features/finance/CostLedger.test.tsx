import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CostLedger } from './CostLedger';
import { api, cost, finance, pm, project, renderPanel, viewer } from './testing';

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

describe('the cost ledger', () => {
  it('lists the entries with their line, phase, kind and verification', async () => {
    api.costs = [
      cost({ id: 'c1', kind: 'committed', vendor: '国展中心' }),
      cost({
        id: 'c2',
        line_id: null,
        category: 'travel',
        phase_id: null,
        vendor: 'Hilton',
        amount: '1000.00',
        currency: 'USD',
        rate: '7.1',
        amount_project: '7100.00',
      }),
    ];
    renderPanel(pm, <CostLedger project={project} mayManage />);
    const table = await screen.findByTestId('cost-table');
    const first = (await within(table).findByText('国展中心')).closest('tr')!;
    expect(first).toHaveTextContent('2026年12月5日');
    expect(first).toHaveTextContent('展位费');
    expect(first).toHaveTextContent('执行');
    expect(first).toHaveTextContent('已承诺');
    expect(first).toHaveTextContent('¥30,000.00');
    const foreign = within(table).getByText('Hilton').closest('tr')!;
    expect(foreign).toHaveTextContent('未列入预算科目');
    expect(foreign).toHaveTextContent('US$1,000.00');
    expect(within(foreign).getByTestId('cost-amount-project')).toHaveTextContent('≈ ¥7,100.00');
  });

  it('offers 核验 only to who may verify costs, on entries not yet verified', async () => {
    renderPanel(finance, <CostLedger project={project} mayManage={false} />);
    const table = await screen.findByTestId('cost-table');
    await waitFor(() => expect(within(table).getAllByTestId('cost-verify')).toHaveLength(1));
    expect(within(table).getAllByTestId('cost-verified')).toHaveLength(1);
    fireEvent.click(within(table).getByTestId('cost-verify'));
    const confirm = await waitFor(() =>
      document.querySelector<HTMLElement>('.ant-popconfirm-buttons .ant-btn-primary')!,
    );
    fireEvent.click(confirm);
    await waitFor(() => expect(api.posts()).toHaveLength(1));
    expect(api.posts()[0]!.path).toBe('/costs/c1/verify');
    expect(api.posts()[0]!.headers.get('If-Match')).toBe('"1"');
  });

  it('shows no 核验 button to a project manager or a reader', async () => {
    renderPanel(pm, <CostLedger project={project} mayManage />);
    const table = await screen.findByTestId('cost-table');
    await within(table).findAllByText('未核验');
    expect(within(table).queryByTestId('cost-verify')).toBeNull();
    // The manager records costs; the reader does not.
    expect(screen.getByTestId('cost-record')).toBeInTheDocument();
  });

  it('gives a reader the ledger without buttons', async () => {
    renderPanel(viewer, <CostLedger project={project} mayManage={false} />);
    const table = await screen.findByTestId('cost-table');
    await within(table).findAllByText('未核验');
    expect(within(table).queryByTestId('cost-verify')).toBeNull();
    expect(screen.queryByTestId('cost-record')).toBeNull();
  });

  it('filters by kind, category and line on the server', async () => {
    renderPanel(pm, <CostLedger project={project} mayManage />);
    await screen.findByTestId('cost-table');
    fireEvent.mouseDown(within(screen.getByTestId('cost-filter-kind')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('已承诺'));
    await waitFor(() =>
      expect(api.calls.some((c) => c.method === 'GET' && c.path.includes('kind=committed'))).toBe(true),
    );
    fireEvent.mouseDown(within(screen.getByTestId('cost-filter-line')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('印刷物料'));
    await waitFor(() =>
      expect(api.calls.some((c) => c.path.includes('kind=committed') && c.path.includes('line_id=l-print'))).toBe(true),
    );
  });

  it('does not offer recording on a project that takes no costs', async () => {
    renderPanel(pm, <CostLedger project={{ ...project, status: 'closed' }} mayManage />);
    const button = await screen.findByTestId('cost-record');
    expect(button).toBeDisabled();
  });
});
