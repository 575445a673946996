import { Card, Tooltip, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DisplayLocale } from '@/lib/format';
import type { Figures } from './api';
import { changeOf, formatChange, formatMetric, KPI_METRICS, type Tone } from './dashboardModel';

interface DashboardKpisProps {
  totals: Figures;
  previous: Figures;
  currency: string;
}

/** The totals of the range, each with its change against the same number of days before. */
export function DashboardKpis({ totals, previous, currency }: DashboardKpisProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { token } = theme.useToken();
  const colors: Record<Tone, string> = {
    good: token.colorSuccess,
    bad: token.colorError,
    neutral: token.colorTextSecondary,
  };

  return (
    <div
      style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: 12 }}
      data-testid="dashboard-kpis"
    >
      {KPI_METRICS.map((metric) => {
        const change = changeOf(metric, totals[metric], previous[metric]);
        return (
          <Card key={metric} size="small" data-testid={`kpi-${metric}`}>
            <Tooltip title={t(`channels.dashboard.hints.${metric}`)}>
              <Typography.Text type="secondary">{t(`channels.dashboard.metrics.${metric}`)}</Typography.Text>
            </Tooltip>
            <div style={{ fontSize: 22, fontWeight: 600, margin: '4px 0' }} data-testid="kpi-value">
              {formatMetric(metric, totals[metric], currency, locale)}
            </div>
            {change ? (
              <Typography.Text
                style={{ color: colors[change.tone], fontSize: 12 }}
                data-testid="kpi-change"
                data-tone={change.tone}
              >
                {formatChange(change, locale)}{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('channels.dashboard.vsPrevious')}
                </Typography.Text>
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="kpi-change" data-tone="none">
                {t('channels.dashboard.noPrevious')}
              </Typography.Text>
            )}
          </Card>
        );
      })}
    </div>
  );
}
