import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { api, looker, renderPage } from './testing';
import { WorkloadPage } from './WorkloadPage';

beforeEach(() => api.reset());

describe('WorkloadPage', () => {
  it('shows people × weeks coloured by load, red where someone is over capacity', async () => {
    renderPage(looker, <WorkloadPage />, '/workload?from=2026-12-02');
    const over = await screen.findByTestId('cell-r-chen-2026-11-30');
    expect(over).toHaveAttribute('data-level', 'over');
    expect(over).toHaveTextContent('125%');
    expect(over).toHaveTextContent('50/40h');
    expect(screen.getByTestId('cell-r-sun-2026-11-30')).toHaveAttribute('data-level', 'ok');
    expect(screen.getByTestId('cell-r-sun-2026-12-07')).toHaveAttribute('data-level', 'busy');
    expect(screen.getByTestId('cell-r-chen-2026-12-07')).toHaveAttribute('data-level', 'none');
    expect(screen.getByTestId('workload-over')).toHaveTextContent('1 人在所选时间内超负荷：陈晨');
    expect(screen.getAllByText('第 49 周').length).toBeGreaterThan(0);
    // The week asked for starts on its Monday; the conflicts cover the same two weeks.
    const load = api.calls.find((c) => c.path === '/workload')!;
    expect(load.query.get('from')).toBe('2026-11-30');
    expect(load.query.get('weeks')).toBe('8');
    await waitFor(() => expect(api.calls.some((c) => c.path === '/resource-conflicts')).toBe(true));
    const conflicts = api.calls.find((c) => c.path === '/resource-conflicts')!;
    expect([conflicts.query.get('from'), conflicts.query.get('to')]).toEqual(['2026-11-30', '2026-12-13']);
    expect(await screen.findByTestId('conflict-text')).toHaveTextContent(
      '陈晨 在 2026年11月30日 这一周排了 50 小时，超出可用的 40 小时',
    );
  });

  it('opens a cell on the projects that book the person that week', async () => {
    const user = userEvent.setup();
    renderPage(looker, <WorkloadPage />, '/workload?from=2026-11-30');
    await user.click(await screen.findByTestId('cell-r-chen-2026-11-30'));
    const projects = await screen.findByTestId('workload-cell-projects');
    const items = within(projects).getAllByRole('link');
    expect(items.map((a) => a.textContent)).toEqual([
      'P2026-005 · 2026Q4-品牌-年终种草计划',
      'P2026-003 · 2026Q4-品牌-年终美妆展会',
    ]);
    expect(items[0]).toHaveAttribute('href', '/projects/p1');
    expect(projects).toHaveTextContent('30 小时');
    expect(screen.getByText('本周 5 个工作日')).toBeInTheDocument();
  });

  it('orders by load and moves through the weeks by the address', async () => {
    const user = userEvent.setup();
    renderPage(looker, <WorkloadPage />, '/workload?from=2026-11-30&weeks=4');
    await screen.findByTestId('cell-r-chen-2026-11-30');
    const names = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.textContent ?? '');
    expect(names()[0]).toContain('孙悦');
    await user.click(within(screen.getByTestId('workload-order')).getByText('按负荷'));
    await waitFor(() => expect(names()[0]).toContain('陈晨'));
    await user.click(screen.getByRole('button', { name: '更晚' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('from=2026-12-28'));
    expect(screen.getByTestId('where')).toHaveTextContent('order=peak');
    await waitFor(() =>
      expect(
        api.calls
          .filter((c) => c.path === '/workload')
          .at(-1)
          ?.query.get('from'),
      ).toBe('2026-12-28'),
    );
    expect(api.calls.filter((c) => c.path === '/workload').every((c) => c.query.get('weeks') === '4')).toBe(true);
  });
});
