import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { api, json, member, planner, renderAlert } from './testing';

beforeEach(() => api.reset());

describe('AlertDetailPage', () => {
  it('puts the suggestion first, with the figures behind the alert', async () => {
    renderAlert(member, 'a-ctr');
    const suggestion = await screen.findByTestId('alert-suggestion');
    expect(suggestion).toHaveTextContent('建议');
    expect(suggestion).toHaveTextContent('更换素材：重做前几秒的钩子');
    expect(screen.getByTestId('alert-title')).toHaveTextContent('抖音 · 点击率 CTR');
    const headline = screen.getByTestId('alert-headline');
    expect(headline).toHaveTextContent('近 7 天的点击率 CTR');
    expect(within(headline).getByTestId('alert-value')).toHaveTextContent('0.62% < 阈值 0.8%');
    expect(within(headline).getByTestId('alert-benchmark')).toHaveTextContent('行业基准 1%');
    const figures = screen.getByTestId('alert-figures');
    expect(within(figures).getByText('展示数').closest('tr')).toHaveTextContent('120,000');
    expect(within(figures).getByText('消耗').closest('tr')).toHaveTextContent('¥15,230.50');
    expect(within(figures).getByText('当前值').closest('tr')).toHaveTextContent('0.62%');
    // The figures start with the alert's own value, threshold and benchmark.
    const labels = within(figures)
      .getAllByRole('row')
      .map((row) => row.firstElementChild?.textContent);
    expect(labels.slice(0, 3)).toEqual(['当前值', '阈值', '行业基准']);
  });

  it('lets a planner acknowledge an open alert at the version read, with a note', async () => {
    const user = userEvent.setup();
    renderAlert(planner, 'a-ctr');
    await user.click(await screen.findByTestId('alert-acknowledge'));
    await user.type(await screen.findByTestId('alert-note-input'), '已安排换素材');
    await user.click(screen.getByTestId('alert-action-submit'));
    await waitFor(() => expect(api.of('POST')).toHaveLength(1));
    expect(api.of('POST')[0]).toMatchObject({
      path: '/alerts/a-ctr/acknowledge',
      body: { version: 3, note: '已安排换素材' },
    });
    // Read again: acknowledged now, so only 标记已解决 is left.
    await waitFor(() => expect(screen.queryByTestId('alert-acknowledge')).not.toBeInTheDocument());
    expect(screen.getByTestId('alert-resolve')).toBeInTheDocument();
    expect(await screen.findByText('张敏 确认了预警', { exact: false })).toBeInTheDocument();
  });

  it('shows a member the alert but no buttons to handle it', async () => {
    renderAlert(member, 'a-ctr');
    await screen.findByTestId('alert-suggestion');
    expect(screen.queryByTestId('alert-acknowledge')).not.toBeInTheDocument();
    expect(screen.queryByTestId('alert-resolve')).not.toBeInTheDocument();
  });

  it('offers only 标记已解决 once acknowledged, and nothing once resolved', async () => {
    renderAlert(planner, 'a-cpa');
    expect(await screen.findByTestId('alert-resolve')).toBeInTheDocument();
    expect(screen.queryByTestId('alert-acknowledge')).not.toBeInTheDocument();
    expect(screen.getByTestId('alert-note')).toHaveTextContent('已降低出价');
    expect(await screen.findByText(/张敏\s*确认了预警/)).toBeInTheDocument();
    expect(screen.getByTestId('alert-value')).toHaveTextContent('¥135.50 > 阈值 ¥120.00');
  });

  it('says so when the condition cleared by itself', async () => {
    renderAlert(planner, 'a-done');
    expect(await screen.findByTestId('alert-resolved-by')).toHaveTextContent('自动恢复');
    expect(screen.getByTestId('alert-title')).toHaveTextContent('全组织');
    expect(screen.getByTestId('state-tag')).toHaveTextContent('自动恢复');
    expect(screen.queryByTestId('alert-acknowledge')).not.toBeInTheDocument();
    expect(screen.queryByTestId('alert-resolve')).not.toBeInTheDocument();
  });

  it('reads the alert again and says someone else acted when the server answers 409', async () => {
    const user = userEvent.setup();
    renderAlert(planner, 'a-ctr');
    await user.click(await screen.findByTestId('alert-resolve'));
    api.respond = (method) => {
      if (method !== 'POST') return undefined;
      // Someone resolved it meanwhile.
      api.alerts = api.alerts.map((a) =>
        a.id === 'a-ctr' ? { ...a, state: 'resolved', resolved_at: '2026-11-30T08:30:00Z', version: 4 } : a,
      );
      return json(
        {
          title: 'Conflict',
          status: 409,
          detail: 'This alert is resolved already.',
          reason: 'resolved',
          current_status: 'resolved',
        },
        409,
      );
    };
    const gets = api.of('GET', '/alerts/a-ctr').length;
    await user.click(await screen.findByTestId('alert-action-submit'));
    expect(await screen.findByText('此预警已被他人处理（当前：已解决），已刷新为最新状态。')).toBeInTheDocument();
    await waitFor(() => expect(api.of('GET', '/alerts/a-ctr').length).toBeGreaterThan(gets));
    await waitFor(() => expect(screen.queryByTestId('alert-resolve')).not.toBeInTheDocument());
  });

  it('answers an unknown alert with the not-found page', async () => {
    renderAlert(planner, 'nope');
    expect(await screen.findByText('页面不存在')).toBeInTheDocument();
    expect(screen.queryByTestId('alert-suggestion')).not.toBeInTheDocument();
  });
});
