import { screen, within } from '@testing-library/react';
import { BudgetPanel } from './BudgetPanel';
import { LEVEL_COLORS } from './model';
import { api, pm, project, renderPanel, summary, viewer } from './testing';

function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

describe('the budget tab', () => {
  it('colours each line’s bar by its level: ok blue, warn amber, critical red', async () => {
    renderPanel(pm, <BudgetPanel project={project} mayManage />);
    const venue = await screen.findByTestId('line-bar-l-venue');
    const print = screen.getByTestId('line-bar-l-print');
    const ads = screen.getByTestId('line-bar-l-ads');
    expect(venue).toHaveAttribute('data-level', 'ok');
    expect(print).toHaveAttribute('data-level', 'warn');
    expect(ads).toHaveAttribute('data-level', 'critical');
    expect(screen.getByTestId('line-bar-l-venue-fill')).toHaveStyle({ backgroundColor: rgb(LEVEL_COLORS.ok) });
    expect(screen.getByTestId('line-bar-l-print-fill')).toHaveStyle({ backgroundColor: rgb(LEVEL_COLORS.warn) });
    expect(screen.getByTestId('line-bar-l-ads-fill')).toHaveStyle({ backgroundColor: rgb(LEVEL_COLORS.critical) });
    // Over budget fills the bar and says by how much.
    expect(screen.getByTestId('line-bar-l-ads-fill')).toHaveStyle({ width: '100%' });
    expect(ads).toHaveTextContent('110%');
    expect(screen.getByTestId('line-bar-l-venue-fill')).toHaveStyle({ width: '50%' });
    // Grouped by category, with the line's phase.
    const table = screen.getByTestId('budget-lines');
    expect(within(table).getByText('场地')).toBeInTheDocument();
    expect(within(table).getAllByText('执行').length).toBeGreaterThan(0);
  });

  it('shows the headline figures and the thresholds with where they come from', async () => {
    renderPanel(pm, <BudgetPanel project={project} mayManage />);
    const headline = await screen.findByTestId('budget-headline');
    expect(headline).toHaveTextContent('¥200,000.00');
    expect(headline).toHaveTextContent('¥150,000.00');
    expect(headline).toHaveTextContent('已发生 ¥130,000.00 · 已承诺 ¥20,000.00');
    expect(headline).toHaveTextContent('75%');
    expect(screen.getByTestId('budget-thresholds')).toHaveTextContent('预警线 80% · 超支线 100%（来源：组织）');
    expect(screen.queryByTestId('budget-unbudgeted')).toBeNull();
  });

  it('names the forecast’s basis and shows an overrun in red', async () => {
    renderPanel(pm, <BudgetPanel project={project} mayManage />);
    const byTime = await screen.findByTestId('forecast-elapsed_time');
    expect(byTime).toHaveTextContent('按时间线性');
    expect(byTime).toHaveTextContent('预计超支 ¥68,666.67');
    expect(screen.getByTestId('forecast-elapsed_time-variance')).toHaveAttribute('data-overrun', 'true');
    const byProgress = screen.getByTestId('forecast-progress');
    expect(byProgress).toHaveTextContent('按进度线性');
    expect(byProgress).toHaveTextContent('数据不足，暂无法预测');
  });

  it('shows money on no budget line, in its category and as a warning', async () => {
    const s = summary();
    api.summary = {
      ...s,
      unbudgeted: {
        ...s.unbudgeted,
        actual: '5000.00',
        used: '5000.00',
        remaining: '-5000.00',
        level: 'critical',
        entries: 2,
      },
      by_category: s.by_category.map((c) =>
        c.category === 'venue' ? { ...c, actual: '35000.00', used: '55000.00', entries: 3 } : c,
      ),
    };
    renderPanel(pm, <BudgetPanel project={project} mayManage />);
    expect(await screen.findByTestId('budget-unbudgeted')).toHaveTextContent(
      '有 ¥5,000.00 的成本（2 笔）未列入任何预算科目',
    );
    expect(within(screen.getByTestId('budget-lines')).getByText('未列入预算科目')).toBeInTheDocument();
  });

  it('shows the cost shares by category and by phase', async () => {
    renderPanel(pm, <BudgetPanel project={project} mayManage />);
    const categories = await screen.findByTestId('category-shares');
    expect(within(categories).getAllByTestId('category-shares-item')).toHaveLength(3);
    expect(categories).toHaveTextContent('广告投放');
    expect(categories).toHaveTextContent('36.67%');
    const phases = screen.getAllByTestId('phase-share');
    expect(phases.map((p) => p.textContent)).toEqual([
      expect.stringContaining('筹备'),
      expect.stringContaining('执行'),
    ]);
  });

  it('offers 记一笔成本 to the project’s manager, not to a reader', async () => {
    renderPanel(pm, <BudgetPanel project={project} mayManage />);
    expect(await screen.findByTestId('cost-record')).toBeEnabled();
  });

  it('gives a reader the figures without the button', async () => {
    renderPanel(viewer, <BudgetPanel project={project} mayManage={false} />);
    await screen.findByTestId('budget-headline');
    expect(screen.queryByTestId('cost-record')).toBeNull();
  });
});
