import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AlertsPage } from './AlertsPage';
import { api, member, renderPage } from './testing';

beforeEach(() => api.reset());

const rowOf = async (name: string) => (await screen.findByText(name)).closest('tr')!;

describe('AlertsPage', () => {
  it('lists the open and acknowledged alerts by default', async () => {
    renderPage(member, <AlertsPage />, '/alerts');
    await rowOf('CTR 低于行业基准');
    const asked = api.of('GET', '/alerts')[0]!;
    expect(asked.query.getAll('state')).toEqual(['open', 'acknowledged']);
    expect(screen.queryByText('ROAS 过低')).not.toBeInTheDocument();
  });

  it('shows ratios as percents and money in yuan, with the threshold and benchmark', async () => {
    renderPage(member, <AlertsPage />, '/alerts');
    const ctr = await rowOf('CTR 低于行业基准');
    expect(within(ctr).getByTestId('alert-value')).toHaveTextContent('0.62% < 阈值 0.8%');
    expect(within(ctr).getByTestId('alert-benchmark')).toHaveTextContent('行业基准 1%');
    expect(ctr).toHaveTextContent('点击率 CTR');
    expect(ctr).toHaveTextContent('抖音');
    expect(within(ctr).getByTestId('severity-tag')).toHaveTextContent('严重');
    expect(within(ctr).getByTestId('severity-tag')).toHaveClass('ant-tag-red');
    expect(within(ctr).getByTestId('state-tag')).toHaveTextContent('待处理');
    // Opened in the organisation's zone (UTC+8): 02:00Z is 10:00 in Shanghai.
    expect(ctr).toHaveTextContent('2026-11-30 10:00');
    const cpa = await rowOf('CPA 过高');
    expect(within(cpa).getByTestId('alert-value')).toHaveTextContent('¥135.50 > 阈值 ¥120.00');
    expect(within(cpa).queryByTestId('alert-benchmark')).not.toBeInTheDocument();
    expect(within(cpa).getByTestId('severity-tag')).toHaveClass('ant-tag-orange');
    expect(within(cpa).getByTestId('state-tag')).toHaveTextContent('已确认');
    expect(cpa).toHaveTextContent('抖音 · 双11 达人种草');
  });

  it('switches to the resolved alerts through the address, and opens one by its row', async () => {
    const user = userEvent.setup();
    renderPage(member, <AlertsPage />, '/alerts');
    await rowOf('CTR 低于行业基准');
    await user.click(screen.getByText('已解决'));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/alerts?view=resolved'));
    const resolved = await screen.findByText('ROAS 过低');
    expect(api.of('GET', '/alerts').at(-1)!.query.getAll('state')).toEqual(['resolved']);
    const row = resolved.closest('tr')!;
    expect(row).toHaveTextContent('全组织');
    expect(within(row).getByTestId('state-tag')).toHaveTextContent('自动恢复');
    expect(within(row).getByTestId('alert-value')).toHaveTextContent('2.40 < 阈值 2.00');
    fireEvent.click(row);
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^\/alerts\/a-done$/));
  });

  it('filters by project', async () => {
    renderPage(member, <AlertsPage />, '/alerts');
    await rowOf('CTR 低于行业基准');
    fireEvent.mouseDown(within(screen.getByTestId('alert-project-filter')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('P2026-005 · 2026Q4-品牌-年终种草计划'));
    await waitFor(() => expect(api.of('GET', '/alerts').at(-1)!.query.get('project_id')).toBe('p1'));
    expect(screen.getByTestId('where')).toHaveTextContent('project=p1');
  });
});
