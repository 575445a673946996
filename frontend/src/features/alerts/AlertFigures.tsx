import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DisplayLocale } from '@/lib/format';
import type { Alert } from './api';
import { COMPARATOR_SYMBOLS, formatMetric } from './model';

interface AlertFiguresProps {
  alert: Pick<Alert, 'metric' | 'comparator' | 'value' | 'threshold' | 'benchmark'>;
  /** The headline's larger type. */
  large?: boolean;
}

/** "0.62% < 阈值 0.80%" and, for a relative rule, "行业基准 1.00%": why the alert holds. */
export function AlertFigures({ alert, large }: AlertFiguresProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const figure = (value: string | null) => formatMetric(alert.metric, value, locale);
  return (
    <Flex vertical gap={large ? 4 : 0}>
      <span style={large ? { fontSize: 20 } : undefined} data-testid="alert-value">
        <Typography.Text strong style={large ? { fontSize: 24 } : undefined}>
          {figure(alert.value)}
        </Typography.Text>{' '}
        {COMPARATOR_SYMBOLS[alert.comparator]}{' '}
        <Typography.Text type="secondary">
          {t('alerts.figures.thresholdValue', { value: figure(alert.threshold) })}
        </Typography.Text>
      </span>
      {alert.benchmark !== null ? (
        <Typography.Text type="secondary" data-testid="alert-benchmark">
          {t('alerts.figures.benchmarkValue', { value: figure(alert.benchmark) })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
