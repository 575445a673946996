import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Flex, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import type { BudgetBurnProps } from '@/lib/financePanels';
import { formatMoney } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { budgetSummaryQuery, type BudgetSummary, type Forecast } from './api';
import { useDisplayLocale } from './hooks';
import { LevelBar } from './LevelBar';
import { isNegative, isZero, LEVEL_COLORS, LEVEL_TAG_COLORS } from './model';

const muted = { fontSize: 12 } as const;

/**
 * The battle map's budget card: used (actual + committed) against the approved budget on a bar
 * coloured by level, the daily burn, and where each forecast lands at completion — by elapsed
 * time and by progress, each named — with its variance (an overrun in red).
 */
export function BudgetBurnCard({ projectId, refetchInterval }: BudgetBurnProps) {
  const { t } = useTranslation();
  const query = useQuery({ ...budgetSummaryQuery(projectId), refetchInterval });
  return (
    <Card
      size="small"
      title={t('finance.burn.title')}
      data-testid="battle-budget"
      extra={
        <Link to={projectPath(projectId, 'budget')} style={muted}>
          {t('finance.burn.open')} <RightOutlined />
        </Link>
      }
    >
      {query.data ? (
        <Burn summary={query.data} />
      ) : query.error ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Skeleton active paragraph={{ rows: 3 }} />
      )}
    </Card>
  );
}

function Burn({ summary }: { summary: BudgetSummary }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const money = (amount: string | null) => formatMoney(amount, summary.currency, locale);
  const p = summary.project;
  const burn = summary.burn;
  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="baseline" gap={8} wrap>
        <Typography.Text data-testid="battle-budget-used">
          <Typography.Text strong style={{ fontSize: 18, color: p.level === 'ok' ? undefined : LEVEL_COLORS[p.level] }}>
            {money(p.used)}
          </Typography.Text>
          <Typography.Text type="secondary">
            {' / '}
            {isZero(p.budget) ? t('finance.burn.noBudget') : money(p.budget)}
          </Typography.Text>
        </Typography.Text>
        <Tag color={LEVEL_TAG_COLORS[p.level]} style={{ marginInlineEnd: 0 }} data-testid="battle-budget-level">
          {t(`finance.level.${p.level}`)}
        </Tag>
      </Flex>
      <LevelBar
        figures={p}
        warnPercent={summary.thresholds.warn_percent}
        criticalPercent={summary.thresholds.critical_percent}
        testId="battle-budget-bar"
      />
      <Typography.Text type="secondary" style={muted} data-testid="battle-budget-rate">
        {burn.actual_per_day === null
          ? t('finance.burn.noRate')
          : t('finance.forecast.perDay', { amount: money(burn.actual_per_day) })}
        {' · '}
        {t('finance.forecast.days', { elapsed: burn.days_elapsed, total: burn.days_total })}
      </Typography.Text>
      {[burn.forecast_by_progress, burn.forecast_by_time].map((f) => (
        <ForecastLine key={f.basis} forecast={f} money={money} />
      ))}
    </Flex>
  );
}

function ForecastLine({ forecast, money }: { forecast: Forecast; money: (amount: string | null) => string }) {
  const { t } = useTranslation();
  const overrun = isNegative(forecast.variance);
  return (
    <Flex justify="space-between" gap={8} wrap data-testid={`battle-budget-forecast-${forecast.basis}`}>
      <Typography.Text type="secondary" style={muted}>
        {t(`finance.forecast.basis.${forecast.basis}`)}
      </Typography.Text>
      {forecast.at_completion === null || forecast.variance === null ? (
        <Typography.Text type="secondary" style={muted}>
          {t('finance.forecast.unknown')}
        </Typography.Text>
      ) : (
        <Typography.Text style={muted}>
          {t('finance.burn.atCompletion', { amount: money(forecast.at_completion) })}
          {' · '}
          <Typography.Text type={overrun ? 'danger' : 'success'} style={muted} strong={overrun}>
            {overrun
              ? t('finance.forecast.overrun', { amount: money(forecast.variance.replace(/^-/, '')) })
              : t('finance.forecast.underrun', { amount: money(forecast.variance) })}
          </Typography.Text>
        </Typography.Text>
      )}
    </Flex>
  );
}
