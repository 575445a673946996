import { render } from '@testing-library/react';
import type * as EChartsCore from 'echarts/core';
import { EChart, type ChartOption } from './EChart';

const { chart, init } = vi.hoisted(() => {
  const chart = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
  return { chart, init: vi.fn<(...args: unknown[]) => typeof chart>(() => chart) };
});

// The real ECharts needs a laid-out DOM (jsdom has none): the wrapper's part is what it asks of it.
vi.mock('echarts/core', async (importOriginal) => ({
  ...(await importOriginal<typeof EChartsCore>()),
  init: (...args: unknown[]) => init(...args),
}));

beforeEach(() => {
  init.mockClear();
  for (const fn of Object.values(chart)) fn.mockClear();
});

describe('EChart', () => {
  it('draws into its container as SVG and replaces the whole option when it changes', () => {
    const first: ChartOption = { series: [{ type: 'bar', name: '抖音', data: [1] }] };
    const view = render(<EChart option={first} label="趋势" testId="chart" height={200} />);
    const container = view.getByTestId('chart');
    expect(container).toHaveAttribute('role', 'img');
    expect(container).toHaveAttribute('aria-label', '趋势');
    expect(container).toHaveStyle({ height: '200px' });
    expect(init).toHaveBeenCalledTimes(1);
    expect(init.mock.calls[0]![0]).toBe(container);
    expect(init.mock.calls[0]![2]).toEqual({ renderer: 'svg' });
    expect(chart.setOption).toHaveBeenLastCalledWith(first, { notMerge: true });

    // A channel filtered out must not linger: the next option replaces, never merges.
    const second: ChartOption = { series: [{ type: 'bar', name: '小红书', data: [2] }] };
    view.rerender(<EChart option={second} label="趋势" testId="chart" height={200} />);
    expect(chart.setOption).toHaveBeenLastCalledWith(second, { notMerge: true });
    expect(init).toHaveBeenCalledTimes(1);
    // The same option again draws nothing new.
    view.rerender(<EChart option={second} label="趋势" testId="chart" height={200} />);
    expect(chart.setOption).toHaveBeenCalledTimes(2);
  });

  it('lets the chart go with the component', () => {
    const view = render(<EChart option={{}} label="象限" />);
    expect(chart.dispose).not.toHaveBeenCalled();
    view.unmount();
    expect(chart.dispose).toHaveBeenCalledTimes(1);
  });
});
