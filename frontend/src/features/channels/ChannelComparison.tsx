import { Card, Flex, Segmented, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '@/components/EChart';
import type { DisplayLocale } from '@/lib/format';
import type { ChannelFigures, Dashboard } from './api';
import {
  BENCHMARK_METRICS,
  benchmarkGap,
  comparisonOption,
  formatGap,
  formatMetric,
  formatPercent,
  type BenchmarkMetric,
} from './dashboardModel';
import { ChannelKindTag, QuadrantTag } from './tags';

/** A channel's ratio with how far it is from its industry benchmark: green when better, red when worse. */
function BenchmarkCell({
  channel,
  metric,
  currency,
}: {
  channel: ChannelFigures;
  metric: BenchmarkMetric;
  currency: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const gap = benchmarkGap(channel, metric);
  const benchmark = formatMetric(metric, gap.benchmark, currency, locale);
  return (
    <Flex vertical align="end" gap={2} data-testid={`benchmark-${metric}`}>
      <span data-testid="benchmark-value">{formatMetric(metric, gap.value, currency, locale)}</span>
      {gap.gap !== null ? (
        <Tooltip title={t('channels.dashboard.comparison.benchmarkValue', { value: benchmark })}>
          <Tag
            bordered={false}
            color={gap.tone === 'bad' ? 'error' : gap.tone === 'good' ? 'success' : 'default'}
            style={{ marginInlineEnd: 0 }}
            data-testid="benchmark-gap"
            data-tone={gap.tone}
          >
            {t('channels.dashboard.comparison.vsBenchmark', { gap: formatGap(gap.gap, locale) })}
          </Tag>
        </Tooltip>
      ) : gap.benchmark === null ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('channels.dashboard.comparison.noBenchmark')}
        </Typography.Text>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('channels.dashboard.comparison.benchmarkValue', { value: benchmark })}
        </Typography.Text>
      )}
    </Flex>
  );
}

/** Each channel's spend, share and ratios against its industry benchmark, as a chart and a table. */
export function ChannelComparison({ dashboard }: { dashboard: Dashboard }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const [metric, setMetric] = useState<BenchmarkMetric>(dashboard.basis === 'roas' ? 'roas' : 'ctr');
  const { channels, currency } = dashboard;
  const metricName = (m: string) => t(`channels.dashboard.metrics.${m}`);

  const option = useMemo(
    () =>
      comparisonOption(
        channels,
        metric,
        {
          value: t(`channels.dashboard.metrics.${metric}`),
          benchmark: t('channels.dashboard.comparison.benchmark'),
        },
        { locale, currency },
      ),
    [channels, metric, locale, currency, t],
  );

  const columns: ColumnsType<ChannelFigures> = [
    {
      title: t('channels.dashboard.comparison.channel'),
      key: 'channel',
      fixed: 'left',
      render: (_, c) => (
        <Flex gap={6} align="center" wrap>
          <span>{c.name}</span>
          <ChannelKindTag kind={c.kind} />
        </Flex>
      ),
    },
    {
      title: metricName('spend'),
      key: 'spend',
      align: 'right',
      render: (_, c) => formatMetric('spend', c.figures.spend, currency, locale),
    },
    {
      title: t('channels.dashboard.comparison.share'),
      key: 'share',
      align: 'right',
      render: (_, c) => formatPercent(c.spend_share, locale, 1),
    },
    ...BENCHMARK_METRICS.map((m) => ({
      title: metricName(m),
      key: m,
      align: 'right' as const,
      render: (_: unknown, c: ChannelFigures) => <BenchmarkCell channel={c} metric={m} currency={currency} />,
    })),
    {
      title: t('channels.dashboard.comparison.quadrant'),
      key: 'quadrant',
      render: (_, c) => <QuadrantTag quadrant={c.quadrant} />,
    },
  ];

  return (
    <Card
      title={t('channels.dashboard.comparison.title')}
      extra={
        <Segmented<BenchmarkMetric>
          value={metric}
          onChange={setMetric}
          options={BENCHMARK_METRICS.map((m) => ({ value: m, label: metricName(m) }))}
          data-testid="comparison-metric"
        />
      }
    >
      <Typography.Paragraph type="secondary">
        {t('channels.dashboard.comparison.hint', {
          industry: t(`channels.dashboard.industries.${dashboard.industry}`, { defaultValue: dashboard.industry }),
        })}
      </Typography.Paragraph>
      <EChart option={option} height={260} label={t('channels.dashboard.comparison.title')} testId="comparison-chart" />
      <Table<ChannelFigures>
        rowKey="channel_id"
        size="small"
        columns={columns}
        dataSource={channels}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('channels.dashboard.comparison.empty') }}
        data-testid="comparison-table"
      />
    </Card>
  );
}
