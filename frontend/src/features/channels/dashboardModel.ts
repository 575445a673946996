import type { ChartOption } from '@/components/EChart';
import { formatMoney, formatNumber, type DisplayLocale } from '@/lib/format';
import type { ChannelFigures, ChannelTrend, Dashboard, Figures, Quadrant } from './api';
import { lastDays } from './model';

/**
 * The rules of the channel dashboard as plain functions: the days it covers, how each figure is
 * shown and judged (which way is better), a channel against its industry benchmark, and the
 * ECharts options of its charts — built here so they are tested without a canvas.
 *
 * Ratios come as fractions (CTR 0.0123 = 1.23 %), money in the organisation's currency, ROAS
 * plain (2.35); null means the ratio has no denominator and is shown as "—".
 */

// ---- the days ---------------------------------------------------------------------------------

export const RANGE_PRESETS = ['last7', 'last30', 'last90', 'thisMonth'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = 'last30';
/** The server answers at most 366 days. */
export const MAX_RANGE_DAYS = 366;

export interface DayRange {
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayText(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function rangeDays({ from, to }: DayRange): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** A preset's days up to `today` (the organisation's today): 本月 starts on the 1st. */
export function presetRange(preset: RangePreset, today: string): DayRange {
  switch (preset) {
    case 'last7':
      return lastDays(today, 7);
    case 'last30':
      return lastDays(today, 30);
    case 'last90':
      return lastDays(today, 90);
    case 'thisMonth':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

/** The range in the address, when it is one the server takes; else the default (近30天). */
export function rangeFromParams(params: URLSearchParams, today: string): DayRange {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (DAY.test(from) && DAY.test(to) && !Number.isNaN(dayNumber(from)) && !Number.isNaN(dayNumber(to))) {
    const days = rangeDays({ from, to });
    if (days >= 1 && days <= MAX_RANGE_DAYS) return { from, to };
  }
  return presetRange(DEFAULT_PRESET, today);
}

/** The same number of days just before: what `previous` sums. */
export function previousRange(range: DayRange): DayRange {
  const days = rangeDays(range);
  const start = dayNumber(range.from);
  return { from: dayText(start - days), to: dayText(start - 1) };
}

/** Every day of the range, in order (the trend's x axis). */
export function daysOf(range: DayRange): string[] {
  const start = dayNumber(range.from);
  return Array.from({ length: Math.max(0, rangeDays(range)) }, (_, i) => dayText(start + i));
}

// ---- figures ----------------------------------------------------------------------------------

export type Metric = keyof Figures;
type Format = 'money' | 'count' | 'percent' | 'plain';
/** Which way a figure is better: more (CTR, ROAS …), less (costs per result), or neither (spend). */
export type Better = 'up' | 'down' | 'neutral';

const FORMATS: Record<Metric, Format> = {
  impressions: 'count',
  clicks: 'count',
  conversions: 'count',
  leads: 'count',
  followers: 'count',
  spend: 'money',
  revenue: 'money',
  ctr: 'percent',
  cvr: 'percent',
  roi: 'percent',
  cpc: 'money',
  cpm: 'money',
  cpa: 'money',
  roas: 'plain',
};

/**
 * Spend is neither good nor bad in itself; reach, results and returns are better higher; what a
 * click, a thousand impressions or a conversion costs is better lower.
 */
export const BETTER: Record<Metric, Better> = {
  spend: 'neutral',
  impressions: 'up',
  clicks: 'up',
  conversions: 'up',
  leads: 'up',
  followers: 'up',
  revenue: 'up',
  ctr: 'up',
  cvr: 'up',
  roas: 'up',
  roi: 'up',
  cpc: 'down',
  cpm: 'down',
  cpa: 'down',
};

/** The KPI cards, in order. */
export const KPI_METRICS: readonly Metric[] = [
  'spend',
  'impressions',
  'clicks',
  'ctr',
  'conversions',
  'cvr',
  'cpa',
  'revenue',
  'roas',
];

/** A figure as a number; null when it has none (no denominator) or is not a number. */
export function toNumber(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function intlLocale(locale: DisplayLocale): string {
  return locale === 'en' ? 'en-US' : 'zh-CN';
}

/** A fraction as a percentage: 0.0123 → 1.23%. */
export function formatPercent(value: string | number | null | undefined, locale: DisplayLocale, digits = 2): string {
  const n = toNumber(value);
  if (n === null) return '—';
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}

function formatPlain(value: string | number | null | undefined, locale: DisplayLocale, digits = 2): string {
  const n = toNumber(value);
  if (n === null) return '—';
  return new Intl.NumberFormat(intlLocale(locale), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}

/** A figure as people read it: ¥1,234.50, 12,000, 1.23%, 2.35; "—" without a value. */
export function formatMetric(
  metric: Metric,
  value: string | number | null | undefined,
  currency: string,
  locale: DisplayLocale,
): string {
  switch (FORMATS[metric]) {
    case 'money':
      return toNumber(value) === null ? '—' : formatMoney(value, currency, locale);
    case 'count': {
      const n = toNumber(value);
      return n === null ? '—' : formatNumber(n, locale);
    }
    case 'percent':
      return formatPercent(value, locale);
    case 'plain':
      return formatPlain(value, locale);
  }
}

export type Tone = 'good' | 'bad' | 'neutral';

/** How a figure moved: the relative change, its direction, and whether that is good. */
export interface Change {
  /** current ÷ previous − 1 (0.12 = 12 % more). */
  ratio: number;
  arrow: 'up' | 'down' | 'flat';
  tone: Tone;
}

/** Below this a change reads as 0.0 %: no arrow, no colour. */
const FLAT = 0.0005;

function tone(better: Better, direction: 'up' | 'down' | 'flat'): Tone {
  if (better === 'neutral' || direction === 'flat') return 'neutral';
  return direction === better ? 'good' : 'bad';
}

/** The change against the days before; none when either has no value or the days before had 0. */
export function changeOf(
  metric: Metric,
  current: string | number | null | undefined,
  previous: string | number | null | undefined,
): Change | null {
  const now = toNumber(current);
  const before = toNumber(previous);
  if (now === null || before === null || before === 0) return null;
  const ratio = now / before - 1;
  const arrow = Math.abs(ratio) < FLAT ? 'flat' : ratio > 0 ? 'up' : 'down';
  return { ratio, arrow, tone: tone(BETTER[metric], arrow) };
}

/** A change as shown beside a figure: ↑ 12.3%, ↓ 4.0%, 0.0%. */
export function formatChange(change: Change, locale: DisplayLocale): string {
  const size = formatPercent(Math.abs(change.ratio), locale, 1);
  return change.arrow === 'up' ? `↑ ${size}` : change.arrow === 'down' ? `↓ ${size}` : size;
}

// ---- against the industry benchmark -------------------------------------------------------------

/** The ratios a channel is compared on (the benchmarks also hold CPC and CPM). */
export const BENCHMARK_METRICS = ['ctr', 'cvr', 'cpa', 'roas'] as const;
export type BenchmarkMetric = (typeof BENCHMARK_METRICS)[number];

export interface BenchmarkGap {
  value: number | null;
  benchmark: number | null;
  /** value ÷ benchmark − 1 (+0.12: 12 % above it); null when either is missing. */
  gap: number | null;
  /** Better or worse than the benchmark, by the metric's direction (a CPA above it is worse). */
  tone: Tone;
}

export function benchmarkGap(channel: Pick<ChannelFigures, 'figures' | 'benchmarks'>, metric: Metric): BenchmarkGap {
  const value = toNumber(channel.figures[metric]);
  const benchmark = toNumber(channel.benchmarks[metric]);
  if (value === null || benchmark === null || benchmark === 0) return { value, benchmark, gap: null, tone: 'neutral' };
  const gap = value / benchmark - 1;
  const direction = Math.abs(gap) < FLAT ? 'flat' : gap > 0 ? 'up' : 'down';
  return { value, benchmark, gap, tone: tone(BETTER[metric], direction) };
}

/** A gap as a signed percentage: +12%, −8%, 0%. */
export function formatGap(gap: number, locale: DisplayLocale): string {
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'percent',
    maximumFractionDigits: Math.abs(gap) < 0.1 ? 1 : 0,
    signDisplay: 'exceptZero',
  }).format(gap);
}

// ---- quadrants --------------------------------------------------------------------------------

/** The four places a channel with spend takes (no_spend is not drawn). */
export const QUADRANTS = ['star', 'potential', 'inefficient', 'watch'] as const;

export const QUADRANT_COLORS: Record<Quadrant, string> = {
  star: '#52c41a',
  potential: '#1677ff',
  inefficient: '#ff4d4f',
  watch: '#faad14',
  no_spend: '#bfbfbf',
};

/** An even share of the spend: 1 ÷ the channels that spent (the line between big and small). */
export function evenShare(channels: readonly Pick<ChannelFigures, 'quadrant'>[]): number | null {
  const spending = channels.filter((c) => c.quadrant !== 'no_spend').length;
  return spending > 0 ? 1 / spending : null;
}

/** Channels with a place in the chart: they spent and their efficiency could be measured. */
export function placedChannels(channels: readonly ChannelFigures[]): ChannelFigures[] {
  return channels.filter(
    (c) => c.quadrant !== 'no_spend' && toNumber(c.spend_share) !== null && toNumber(c.efficiency) !== null,
  );
}

/** Whether the range has anything to show. */
export function hasData(dashboard: Pick<Dashboard, 'totals' | 'campaigns' | 'channels'>): boolean {
  const { totals } = dashboard;
  return (
    (toNumber(totals.spend) ?? 0) > 0 ||
    totals.impressions > 0 ||
    totals.clicks > 0 ||
    totals.conversions > 0 ||
    (toNumber(totals.revenue) ?? 0) > 0 ||
    dashboard.campaigns.length > 0
  );
}

// ---- chart options ------------------------------------------------------------------------------

export interface ChartText {
  locale: DisplayLocale;
  currency: string;
}

/** Money on an axis, short: ¥12,000 → 1.2万 (zh) or 12K (en). */
function compactNumber(value: number, locale: DisplayLocale): string {
  return new Intl.NumberFormat(intlLocale(locale), { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

const dayLabel = (day: string) => day.slice(5);

export type TrendLine = 'ctr' | 'roas';

/** Spend per day as bars, with CTR or ROAS as a line on a second axis (gaps on days without a value). */
export function trendOption(
  dashboard: Pick<Dashboard, 'trend'>,
  line: TrendLine,
  labels: { spend: string; line: string },
  text: ChartText,
): ChartOption {
  const days = dashboard.trend.map((d) => d.day);
  const lineFormat = (v: unknown) =>
    line === 'ctr' ? formatPercent(v as number, text.locale) : formatPlain(v as number, text.locale);
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [labels.spend, labels.line], top: 0 },
    grid: { left: 56, right: 56, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: days, axisLabel: { formatter: dayLabel } },
    yAxis: [
      { type: 'value', name: labels.spend, axisLabel: { formatter: (v: number) => compactNumber(v, text.locale) } },
      {
        type: 'value',
        name: labels.line,
        splitLine: { show: false },
        axisLabel: { formatter: (v: number) => (line === 'ctr' ? formatPercent(v, text.locale, 1) : String(v)) },
      },
    ],
    series: [
      {
        type: 'bar',
        name: labels.spend,
        data: dashboard.trend.map((d) => toNumber(d.figures.spend) ?? 0),
        itemStyle: { color: '#91caff' },
        tooltip: { valueFormatter: (v) => formatMoney(v as number, text.currency, text.locale) },
      },
      {
        type: 'line',
        name: labels.line,
        yAxisIndex: 1,
        // '-' is ECharts' empty value: a day without clicks has no CTR, not a CTR of 0.
        data: dashboard.trend.map((d) => toNumber(d.figures[line]) ?? '-'),
        connectNulls: false,
        smooth: true,
        itemStyle: { color: '#fa8c16' },
        tooltip: { valueFormatter: lineFormat },
      },
    ],
  };
}

export const CHANNEL_TREND_METRICS = ['spend', 'impressions', 'clicks', 'conversions', 'revenue'] as const;
export type ChannelTrendMetric = (typeof CHANNEL_TREND_METRICS)[number];

/** One metric per channel per day, stacked: every day of the range, 0 where a channel had no data. */
export function channelTrendOption(
  dashboard: Pick<Dashboard, 'trend' | 'channels'> & { channel_trend: ChannelTrend[] },
  metric: ChannelTrendMetric,
  text: ChartText,
): ChartOption {
  const days = dashboard.trend.map((d) => d.day);
  const names = new Map(dashboard.channels.map((c) => [c.channel_id, c.name]));
  const money = metric === 'spend' || metric === 'revenue';
  const format = (v: unknown) =>
    money ? formatMoney(v as number, text.currency, text.locale) : formatNumber(Number(v), text.locale);
  const series = dashboard.channel_trend.map((trend) => {
    const byDay = new Map(trend.points.map((p) => [p.day, toNumber(p[metric]) ?? 0]));
    return {
      type: 'bar' as const,
      name: names.get(trend.channel_id) ?? '—',
      stack: 'channels',
      data: days.map((day) => byDay.get(day) ?? 0),
      tooltip: { valueFormatter: format },
    };
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'plain', top: 0 },
    grid: { left: 56, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: days, axisLabel: { formatter: dayLabel } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compactNumber(v, text.locale) } },
    series,
  };
}

/** Each channel's ratio as a bar (green when better than its benchmark, red when worse) and the benchmark as a mark. */
export function comparisonOption(
  channels: readonly ChannelFigures[],
  metric: BenchmarkMetric,
  labels: { value: string; benchmark: string },
  text: ChartText,
): ChartOption {
  const format = (v: unknown) => formatMetric(metric, v as number, text.currency, text.locale);
  const gaps = channels.map((c) => benchmarkGap(c, metric));
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [labels.value, labels.benchmark], top: 0 },
    grid: { left: 56, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: channels.map((c) => c.name) },
    yAxis: {
      type: 'value',
      axisLabel: {
        formatter: (v: number) =>
          metric === 'ctr' || metric === 'cvr' ? formatPercent(v, text.locale, 1) : compactNumber(v, text.locale),
      },
    },
    series: [
      {
        type: 'bar',
        name: labels.value,
        barMaxWidth: 36,
        data: gaps.map((g) => ({
          value: g.value ?? '-',
          itemStyle: { color: g.tone === 'bad' ? '#ff7875' : g.tone === 'good' ? '#73d13d' : '#91caff' },
        })),
        tooltip: { valueFormatter: format },
      },
      {
        // The benchmark as a short bar-wide line over each channel's bar.
        type: 'scatter',
        name: labels.benchmark,
        symbol: 'rect',
        symbolSize: [36, 3],
        itemStyle: { color: '#262626' },
        data: gaps.map((g) => g.benchmark ?? '-'),
        tooltip: { valueFormatter: format },
        z: 3,
      },
    ],
  };
}

/**
 * The quadrant chart: x the channel's share of the spend, y its efficiency (1 = par); a line at 1
 * and one at an even share cut it in four; points are named and coloured by their quadrant.
 */
export function quadrantOption(
  channels: readonly ChannelFigures[],
  labels: {
    quadrants: Record<(typeof QUADRANTS)[number], string>;
    share: string;
    efficiency: string;
    even: string;
    par: string;
  },
  text: ChartText,
): ChartOption {
  const placed = placedChannels(channels);
  const even = evenShare(channels);
  const shareText = (v: number) => formatPercent(v, text.locale, 0);
  const highest = Math.max(1.5, ...placed.map((c) => toNumber(c.efficiency) ?? 0));
  // Room to the right of the biggest spender (and of the even share), to a tenth, at most 100 %.
  const widest = Math.max(even ?? 0, ...placed.map((c) => toNumber(c.spend_share) ?? 0));
  const shareMax = widest > 0 ? Math.min(1, Math.ceil(widest * 1.25 * 10) / 10) : 1;
  const series: NonNullable<ChartOption['series']> = QUADRANTS.map((quadrant) => ({
    type: 'scatter' as const,
    name: labels.quadrants[quadrant],
    symbolSize: 16,
    itemStyle: { color: QUADRANT_COLORS[quadrant] },
    label: { show: true, position: 'right' as const, formatter: '{b}' },
    data: placed
      .filter((c) => c.quadrant === quadrant)
      .map((c) => ({ name: c.name, value: [toNumber(c.spend_share) ?? 0, toNumber(c.efficiency) ?? 0] })),
    tooltip: {
      formatter: (p: { name: string; value: unknown }) => {
        const [share, efficiency] = p.value as [number, number];
        return `${p.name}<br/>${labels.share}: ${shareText(share)}<br/>${labels.efficiency}: ${formatPlain(efficiency, text.locale)}`;
      },
    },
  }));
  // The dividing lines ride on a series of their own, so they stay when a quadrant is empty.
  series.push({
    type: 'scatter',
    name: 'dividers',
    data: [],
    silent: true,
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: { type: 'dashed', color: '#8c8c8c' },
      label: { formatter: '{b}' },
      data: [{ name: labels.par, yAxis: 1 }, ...(even === null ? [] : [{ name: labels.even, xAxis: even }])],
    },
  });
  return {
    tooltip: { trigger: 'item' },
    legend: { data: QUADRANTS.map((q) => labels.quadrants[q]), top: 0 },
    grid: { left: 56, right: 80, top: 40, bottom: 40 },
    xAxis: {
      type: 'value',
      name: labels.share,
      nameLocation: 'middle',
      nameGap: 28,
      min: 0,
      max: shareMax,
      axisLabel: { formatter: shareText },
    },
    yAxis: {
      type: 'value',
      name: labels.efficiency,
      min: 0,
      max: Math.ceil(highest * 2) / 2,
      axisLabel: { formatter: (v: number) => formatPlain(v, text.locale, 1) },
    },
    series,
  };
}
