import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { todayIn } from '@/lib/format';
import { ChannelDashboardPage } from './ChannelDashboardPage';
import { lastDays } from './model';
import { api, emptyDashboard, json, manager, member, renderPage } from './testing';

// The charts' options are built and tested as pure functions (dashboardModel.test.ts); jsdom has
// no layout to draw them in.
vi.mock('@/components/EChart', () => ({
  EChart: ({ label, testId }: { label: string; testId?: string }) => (
    <div role="img" aria-label={label} data-testid={testId} />
  ),
}));

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

const dashboardCalls = () => api.of('GET').filter((c) => c.path === '/channel-dashboard');

async function kpi(metric: string) {
  const card = await screen.findByTestId(`kpi-${metric}`);
  return {
    value: within(card).getByTestId('kpi-value').textContent,
    change: within(card).getByTestId('kpi-change'),
  };
}

const rowOf = (table: HTMLElement, name: string) => within(table).getByText(name).closest('tr')!;

describe('ChannelDashboardPage', () => {
  it('asks for the last 30 days of the organisation by default and shows the totals against the days before', async () => {
    renderPage(manager, <ChannelDashboardPage />, '/channels/dashboard');
    const spend = await kpi('spend');
    const expected = lastDays(todayIn('Asia/Shanghai'), 30);
    const asked = dashboardCalls()[0]!;
    expect([asked.query.get('from'), asked.query.get('to')]).toEqual([expected.from, expected.to]);
    expect(asked.query.has('channel_id')).toBe(false);

    expect(spend.value).toBe('¥12,500.00');
    // More spend is neither good nor bad.
    expect(spend.change).toHaveTextContent('↑ 25.0%');
    expect(spend.change).toHaveAttribute('data-tone', 'neutral');
    const ctr = await kpi('ctr');
    expect(ctr.value).toBe('2.00%');
    expect(ctr.change).toHaveTextContent('↓ 20.0%');
    expect(ctr.change).toHaveAttribute('data-tone', 'bad');
    const conversions = await kpi('conversions');
    expect(conversions.value).toBe('550');
    expect(conversions.change).toHaveAttribute('data-tone', 'good');
    expect((await kpi('impressions')).value).toBe('1,200,000');
    expect((await kpi('cvr')).value).toBe('2.29%');
    const cpa = await kpi('cpa');
    expect(cpa.value).toBe('¥22.73');
    expect(cpa.change).toHaveTextContent('0.0%');
    expect(cpa.change).toHaveAttribute('data-tone', 'neutral');
    expect((await kpi('revenue')).value).toBe('¥40,000.00');
    const roas = await kpi('roas');
    expect(roas.value).toBe('3.20');
    expect(roas.change).toHaveTextContent('↑ 6.7%');
    expect(roas.change).toHaveAttribute('data-tone', 'good');
    expect(screen.getByTestId('dashboard-previous')).toHaveTextContent('对比上一周期');
  });

  it('shows "—" and no change where a ratio has no denominator', async () => {
    api.respond = (_method, path) =>
      path === '/channel-dashboard'
        ? json({
            ...emptyDashboard,
            totals: { ...emptyDashboard.totals, impressions: 5000, spend: '300.00' },
            previous: { ...emptyDashboard.totals, spend: '0.00' },
          })
        : undefined;
    renderPage(member, <ChannelDashboardPage />, '/channels/dashboard');
    const roas = await kpi('roas');
    expect(roas.value).toBe('—');
    expect(roas.change).toHaveTextContent('上一周期无数据');
    expect((await kpi('spend')).change).toHaveAttribute('data-tone', 'none');
  });

  it('compares each channel with its industry benchmark, red when worse', async () => {
    renderPage(member, <ChannelDashboardPage />, '/channels/dashboard');
    const table = await screen.findByTestId('comparison-table');
    const douyin = rowOf(table, '抖音');
    expect(douyin).toHaveTextContent('80.0%');
    const douyinCtr = within(douyin).getByTestId('benchmark-ctr');
    expect(within(douyinCtr).getByTestId('benchmark-value')).toHaveTextContent('2.50%');
    expect(within(douyinCtr).getByTestId('benchmark-gap')).toHaveTextContent('vs 基准 +25%');
    expect(within(douyinCtr).getByTestId('benchmark-gap')).toHaveAttribute('data-tone', 'good');
    // A CPA below the benchmark is better.
    const douyinCpa = within(within(douyin).getByTestId('benchmark-cpa')).getByTestId('benchmark-gap');
    expect(douyinCpa).toHaveTextContent('vs 基准 -20%');
    expect(douyinCpa).toHaveClass('ant-tag-success');

    const xhs = rowOf(table, '小红书');
    const xhsCtr = within(within(xhs).getByTestId('benchmark-ctr')).getByTestId('benchmark-gap');
    expect(xhsCtr).toHaveTextContent('vs 基准 -33%');
    expect(xhsCtr).toHaveClass('ant-tag-error');
    const xhsCpa = within(within(xhs).getByTestId('benchmark-cpa')).getByTestId('benchmark-gap');
    expect(xhsCpa).toHaveTextContent('vs 基准 +25%');
    expect(xhsCpa).toHaveAttribute('data-tone', 'bad');

    expect(within(douyin).getByTestId('quadrant-tag')).toHaveTextContent('明星');
    expect(within(xhs).getByTestId('quadrant-tag')).toHaveTextContent('观察');
    const kuaishou = rowOf(table, '快手');
    expect(within(kuaishou).getByTestId('quadrant-tag')).toHaveTextContent('无消耗');
    expect(within(within(kuaishou).getByTestId('benchmark-ctr')).getByTestId('benchmark-value')).toHaveTextContent('—');
    expect(screen.getByText(/美妆行业基准对比/)).toBeInTheDocument();
  });

  it('explains the quadrants and what efficiency measures', async () => {
    renderPage(member, <ChannelDashboardPage />, '/channels/dashboard');
    const legend = await screen.findByTestId('quadrant-legend');
    expect(within(legend).getByTestId('quadrant-star')).toHaveTextContent('明星消耗多、效率高：保持投入');
    expect(within(legend).getByTestId('quadrant-potential')).toHaveTextContent('高潜力消耗少、效率高：可加大投入');
    expect(within(legend).getByTestId('quadrant-inefficient')).toHaveTextContent('低效');
    expect(within(legend).getByTestId('quadrant-watch')).toHaveTextContent('观察');
    expect(within(legend).getByTestId('quadrant-basis')).toHaveTextContent('效率 = 渠道 ROAS ÷ 整体 ROAS');
    expect(within(legend).getByTestId('quadrant-unplaced')).toHaveTextContent('快手');
    expect(screen.getByTestId('quadrant-chart')).toHaveAttribute('aria-label', '渠道象限');
    expect(screen.getByTestId('trend-chart')).toBeInTheDocument();
  });

  it('lists the campaigns by spend, sortable by any figure', async () => {
    renderPage(member, <ChannelDashboardPage />, '/channels/dashboard');
    const table = await screen.findByTestId('top-campaigns');
    const names = () =>
      [...table.querySelectorAll('tbody tr.ant-table-row')].map((tr) => tr.querySelector('td')?.textContent);
    expect(names()).toEqual(['双11 达人种草', '年终美妆笔记']);
    const first = table.querySelector('tbody tr.ant-table-row')!;
    expect(first).toHaveTextContent('¥10,000.00');
    expect(within(first as HTMLElement).getByRole('link')).toHaveTextContent('P2026-005 · 2026Q4-品牌-年终种草计划');
    fireEvent.click(within(table).getAllByText('CPA')[0]!.closest('th')!);
    await waitFor(() => expect(names()).toEqual(['年终美妆笔记', '双11 达人种草']));
  });

  it('asks again for one channel and keeps it in the address', async () => {
    renderPage(member, <ChannelDashboardPage />, '/channels/dashboard?from=2026-11-01&to=2026-11-30');
    await screen.findByTestId('kpi-spend');
    expect(dashboardCalls()[0]!.query.get('from')).toBe('2026-11-01');
    fireEvent.mouseDown(within(screen.getByTestId('dashboard-channel')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('小红书'));
    await waitFor(() => expect(dashboardCalls().at(-1)!.query.get('channel_id')).toBe('ch-xhs'));
    expect(dashboardCalls().at(-1)!.query.get('to')).toBe('2026-11-30');
    expect(screen.getByTestId('where')).toHaveTextContent('channel=ch-xhs');
  });

  it('points to the data sources and the upload when the range has no data', async () => {
    api.respond = (_method, path) => (path === '/channel-dashboard' ? json(emptyDashboard) : undefined);
    renderPage(manager, <ChannelDashboardPage />, '/channels/dashboard');
    const empty = await screen.findByTestId('dashboard-empty');
    expect(empty).toHaveTextContent('所选时间段没有渠道数据');
    expect(screen.queryByTestId('dashboard-kpis')).not.toBeInTheDocument();
    fireEvent.click(within(empty).getByTestId('dashboard-upload'));
    expect(screen.getByTestId('where')).toHaveTextContent('/channels/upload');
  });

  it('offers the upload only to who may send channel data', async () => {
    api.respond = (_method, path) => (path === '/channel-dashboard' ? json(emptyDashboard) : undefined);
    renderPage(member, <ChannelDashboardPage />, '/channels/dashboard');
    const empty = await screen.findByTestId('dashboard-empty');
    expect(within(empty).queryByTestId('dashboard-upload')).not.toBeInTheDocument();
    expect(within(empty).getByTestId('dashboard-sources')).toBeInTheDocument();
  });
});
