import type { BarSeriesOption, LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { MarkLineComponentOption } from 'echarts/components';
import {
  benchmarkGap,
  changeOf,
  channelTrendOption,
  comparisonOption,
  daysOf,
  evenShare,
  formatChange,
  formatGap,
  formatMetric,
  hasData,
  placedChannels,
  presetRange,
  previousRange,
  quadrantOption,
  rangeDays,
  rangeFromParams,
  trendOption,
} from './dashboardModel';
import { dashboard, douyinFigures, emptyDashboard, figures, kuaishouFigures, xhsFigures } from './testing';

const zh = { locale: 'zh-CN' as const, currency: 'CNY' };

describe('the days', () => {
  it('gives each preset its days up to today, 本月 from the 1st', () => {
    expect(presetRange('last7', '2026-12-03')).toEqual({ from: '2026-11-27', to: '2026-12-03' });
    expect(presetRange('last30', '2026-12-03')).toEqual({ from: '2026-11-04', to: '2026-12-03' });
    expect(presetRange('last90', '2026-03-01')).toEqual({ from: '2025-12-02', to: '2026-03-01' });
    expect(presetRange('thisMonth', '2026-12-03')).toEqual({ from: '2026-12-01', to: '2026-12-03' });
    expect(rangeDays(presetRange('last90', '2026-03-01'))).toBe(90);
  });

  it('takes the range from the address only when the server would take it', () => {
    const today = '2026-12-03';
    const of = (q: string) => rangeFromParams(new URLSearchParams(q), today);
    expect(of('from=2026-01-01&to=2026-12-31')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(of('from=2025-12-31&to=2026-12-31')).toEqual({ from: '2025-12-31', to: '2026-12-31' }); // 366 days
    const fallback = { from: '2026-11-04', to: '2026-12-03' };
    expect(of('from=2025-12-30&to=2026-12-31')).toEqual(fallback); // 367 days
    expect(of('from=2026-12-05&to=2026-12-01')).toEqual(fallback);
    expect(of('from=yesterday&to=2026-12-01')).toEqual(fallback);
    expect(of('')).toEqual(fallback);
  });

  it('compares with the same number of days just before', () => {
    expect(previousRange({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ from: '2026-10-02', to: '2026-10-31' });
    expect(previousRange({ from: '2026-03-01', to: '2026-03-01' })).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(daysOf({ from: '2026-02-27', to: '2026-03-02' })).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });
});

describe('figures', () => {
  it('shows money in the currency, counts grouped, ratios as percentages and ROAS plain; "—" without a value', () => {
    expect(formatMetric('spend', '12500.00', 'CNY', 'zh-CN')).toBe('¥12,500.00');
    expect(formatMetric('cpa', '22.7', 'USD', 'en')).toBe('$22.70');
    expect(formatMetric('impressions', 1200000, 'CNY', 'zh-CN')).toBe('1,200,000');
    expect(formatMetric('ctr', '0.0123', 'CNY', 'zh-CN')).toBe('1.23%');
    expect(formatMetric('roi', '2.5', 'CNY', 'en')).toBe('250.00%');
    expect(formatMetric('roas', '2.35', 'CNY', 'zh-CN')).toBe('2.35');
    expect(formatMetric('roas', '3.200000', 'CNY', 'zh-CN')).toBe('3.20');
    for (const metric of ['ctr', 'cpa', 'roas', 'spend'] as const) {
      expect(formatMetric(metric, null, 'CNY', 'zh-CN')).toBe('—');
    }
  });

  it('judges a change by the figure’s direction: spend neutral, rates and results up, costs per result down', () => {
    expect(changeOf('spend', '12500', '10000')).toEqual({ ratio: 0.25, arrow: 'up', tone: 'neutral' });
    expect(changeOf('ctr', '0.02', '0.025')).toMatchObject({ arrow: 'down', tone: 'bad' });
    expect(changeOf('roas', '3.2', '3')).toMatchObject({ arrow: 'up', tone: 'good' });
    expect(changeOf('conversions', 550, 440)).toMatchObject({ arrow: 'up', tone: 'good' });
    expect(changeOf('revenue', '30000', '40000')).toMatchObject({ arrow: 'down', tone: 'bad' });
    expect(changeOf('cpa', '20', '25')).toMatchObject({ arrow: 'down', tone: 'good' });
    expect(changeOf('cpm', '45', '40')).toMatchObject({ arrow: 'up', tone: 'bad' });
    expect(changeOf('cpa', '22.73', '22.73')).toMatchObject({ arrow: 'flat', tone: 'neutral' });
  });

  it('has no change without a value on either side or from zero', () => {
    expect(changeOf('roas', '3.2', null)).toBeNull();
    expect(changeOf('roas', null, '3')).toBeNull();
    expect(changeOf('spend', '100', '0.00')).toBeNull();
  });

  it('writes a change with its arrow', () => {
    expect(formatChange(changeOf('spend', '12500', '10000')!, 'zh-CN')).toBe('↑ 25.0%');
    expect(formatChange(changeOf('ctr', '0.02', '0.025')!, 'zh-CN')).toBe('↓ 20.0%');
    expect(formatChange(changeOf('cpa', '10', '10')!, 'en')).toBe('0.0%');
  });

  it('knows a range without data', () => {
    expect(hasData(dashboard)).toBe(true);
    expect(hasData(emptyDashboard)).toBe(false);
    expect(hasData({ ...emptyDashboard, totals: figures({ impressions: 10 }) })).toBe(true);
  });
});

describe('against the benchmark', () => {
  it('is better above it for rates and ROAS and below it for CPA', () => {
    const gap = (channel: typeof douyinFigures, metric: 'ctr' | 'cpa' | 'roas') => {
      const found = benchmarkGap(channel, metric);
      return { gap: Number(found.gap?.toFixed(4)), tone: found.tone };
    };
    expect(benchmarkGap(douyinFigures, 'ctr')).toMatchObject({ value: 0.025, benchmark: 0.02, tone: 'good' });
    expect(gap(douyinFigures, 'ctr')).toEqual({ gap: 0.25, tone: 'good' });
    expect(gap(douyinFigures, 'cpa')).toEqual({ gap: -0.2, tone: 'good' });
    expect(gap(xhsFigures, 'ctr')).toEqual({ gap: -0.3333, tone: 'bad' });
    expect(gap(xhsFigures, 'cpa')).toEqual({ gap: 0.25, tone: 'bad' });
    expect(gap(xhsFigures, 'roas')).toEqual({ gap: -0.2, tone: 'bad' });
  });

  it('has no gap without a value or a benchmark', () => {
    expect(benchmarkGap(kuaishouFigures, 'ctr')).toEqual({ value: null, benchmark: 0.02, gap: null, tone: 'neutral' });
    expect(benchmarkGap({ ...douyinFigures, benchmarks: {} }, 'ctr')).toMatchObject({ gap: null, tone: 'neutral' });
  });

  it('writes a gap signed', () => {
    expect(formatGap(0.25, 'zh-CN')).toBe('+25%');
    expect(formatGap(-1 / 3, 'zh-CN')).toBe('-33%');
    expect(formatGap(0.052, 'en')).toBe('+5.2%');
    expect(formatGap(0, 'en')).toBe('0%');
  });
});

describe('chart options', () => {
  it('draws spend as bars and CTR as a line on its own axis, with gaps where there is no CTR', () => {
    const trend = [
      { day: '2026-11-29', figures: figures({ spend: '6000.00', ctr: '0.020000' }) },
      { day: '2026-11-30', figures: figures({ spend: '0.00', ctr: null }) },
    ];
    const option = trendOption({ trend }, 'ctr', { spend: '消耗', line: 'CTR' }, zh);
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['2026-11-29', '2026-11-30'] });
    const [bars, line] = option.series as [BarSeriesOption, LineSeriesOption];
    expect(bars).toMatchObject({ type: 'bar', name: '消耗', data: [6000, 0] });
    expect(line).toMatchObject({ type: 'line', name: 'CTR', yAxisIndex: 1, data: [0.02, '-'] });
    const format = line.tooltip!.valueFormatter as (v: unknown) => string;
    expect(format(0.02)).toBe('2.00%');
    expect((bars.tooltip!.valueFormatter as (v: unknown) => string)(6000)).toBe('¥6,000.00');
    const roas = trendOption(dashboard, 'roas', { spend: '消耗', line: 'ROAS' }, zh);
    expect((roas.series as LineSeriesOption[])[1]!.data).toEqual(['-', '-']);
  });

  it('stacks one metric per channel over every day, 0 where a channel sent nothing', () => {
    const option = channelTrendOption(
      {
        ...dashboard,
        channel_trend: [
          {
            channel_id: 'ch-douyin',
            points: [{ day: '2026-11-30', impressions: 9, clicks: 3, conversions: 1, spend: '80.50', revenue: '0' }],
          },
          {
            channel_id: 'ch-xhs',
            points: [{ day: '2026-11-29', impressions: 5, clicks: 2, conversions: 0, spend: '20', revenue: '0' }],
          },
        ],
      },
      'spend',
      zh,
    );
    expect(option.series).toMatchObject([
      { type: 'bar', name: '抖音', stack: 'channels', data: [0, 80.5] },
      { type: 'bar', name: '小红书', stack: 'channels', data: [20, 0] },
    ]);
  });

  it('compares each channel with its benchmark, red when worse', () => {
    const option = comparisonOption([douyinFigures, xhsFigures], 'cpa', { value: 'CPA', benchmark: '行业基准' }, zh);
    expect(option.xAxis).toMatchObject({ data: ['抖音', '小红书'] });
    const [bars, marks] = option.series as [BarSeriesOption, ScatterSeriesOption];
    expect(bars.data).toEqual([
      { value: 20, itemStyle: { color: '#73d13d' } },
      { value: 50, itemStyle: { color: '#ff7875' } },
    ]);
    expect(marks).toMatchObject({ type: 'scatter', name: '行业基准', data: [25, 40] });
  });

  it('places the channels that spent by share and efficiency, cut at par and at an even share', () => {
    const channels = [douyinFigures, xhsFigures, kuaishouFigures];
    expect(evenShare(channels)).toBe(0.5);
    expect(placedChannels(channels).map((c) => c.name)).toEqual(['抖音', '小红书']);
    const option = quadrantOption(
      channels,
      {
        quadrants: { star: '明星', potential: '高潜力', inefficient: '低效', watch: '观察' },
        share: '消耗占比',
        efficiency: '效率',
        even: '平均占比',
        par: '持平',
      },
      zh,
    );
    const series = option.series as ScatterSeriesOption[];
    expect(series.map((s) => s.name)).toEqual(['明星', '高潜力', '低效', '观察', 'dividers']);
    expect(series[0]).toMatchObject({
      itemStyle: { color: '#52c41a' },
      label: { show: true, formatter: '{b}' },
      data: [{ name: '抖音', value: [0.8, 1.125] }],
    });
    expect(series[3]!.data).toEqual([{ name: '小红书', value: [0.2, 0.5] }]);
    expect(series[1]!.data).toEqual([]);
    const lines = series[4]!.markLine as MarkLineComponentOption;
    expect(lines.data).toEqual([
      { name: '持平', yAxis: 1 },
      { name: '平均占比', xAxis: 0.5 },
    ]);
    expect(option.legend).toMatchObject({ data: ['明星', '高潜力', '低效', '观察'] });
    expect(option.xAxis).toMatchObject({ min: 0, max: 1 });
    // Small shares are not squeezed into the left edge: the axis ends past the even share.
    const small = quadrantOption(
      [{ ...douyinFigures, spend_share: '0.3000' }, xhsFigures],
      {
        quadrants: { star: '', potential: '', inefficient: '', watch: '' },
        share: '',
        efficiency: '',
        even: '',
        par: '',
      },
      zh,
    );
    expect(small.xAxis).toMatchObject({ max: 0.7 });
  });
});
