import { Card, Flex, Segmented, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '@/components/EChart';
import type { DisplayLocale } from '@/lib/format';
import type { Dashboard } from './api';
import {
  CHANNEL_TREND_METRICS,
  channelTrendOption,
  trendOption,
  type ChannelTrendMetric,
  type TrendLine,
} from './dashboardModel';

type View = 'overall' | 'byChannel';

/**
 * The days of the range: spend as bars with CTR or ROAS as a line (ROAS when revenue is
 * reported), or one figure per channel stacked.
 */
export function DashboardTrend({ dashboard }: { dashboard: Dashboard }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const [view, setView] = useState<View>('overall');
  const [line, setLine] = useState<TrendLine>(dashboard.basis);
  const [metric, setMetric] = useState<ChannelTrendMetric>('spend');
  const metricName = (m: string) => t(`channels.dashboard.metrics.${m}`);

  const option = useMemo(() => {
    const text = { locale, currency: dashboard.currency };
    const labels = { spend: t('channels.dashboard.metrics.spend'), line: t(`channels.dashboard.metrics.${line}`) };
    return view === 'overall'
      ? trendOption(dashboard, line, labels, text)
      : channelTrendOption(dashboard, metric, text);
  }, [dashboard, view, line, metric, locale, t]);

  return (
    <Card
      title={t('channels.dashboard.trend.title')}
      extra={
        <Flex gap={8} wrap>
          <Segmented<View>
            value={view}
            onChange={setView}
            options={[
              { value: 'overall', label: t('channels.dashboard.trend.overall') },
              { value: 'byChannel', label: t('channels.dashboard.trend.byChannel') },
            ]}
            data-testid="trend-view"
          />
          {view === 'overall' ? (
            <Select<TrendLine>
              value={line}
              onChange={setLine}
              options={(['ctr', 'roas'] as const).map((m) => ({
                value: m,
                label: t('channels.dashboard.trend.withLine', { metric: metricName(m) }),
              }))}
              style={{ width: 160 }}
              data-testid="trend-line"
            />
          ) : (
            <Select<ChannelTrendMetric>
              value={metric}
              onChange={setMetric}
              options={CHANNEL_TREND_METRICS.map((m) => ({ value: m, label: metricName(m) }))}
              style={{ width: 120 }}
              data-testid="trend-metric"
            />
          )}
        </Flex>
      }
    >
      <EChart option={option} height={320} label={t('channels.dashboard.trend.title')} testId="trend-chart" />
    </Card>
  );
}
