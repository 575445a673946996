import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDecimal } from '@/lib/format';
import type { BudgetSummary } from './api';
import { useDisplayLocale } from './hooks';
import type { Crossing } from './model';

/**
 * Tells the person who just recorded costs (one, or a file of them) which thresholds their
 * costs took a line or the project across: a warning each, naming the line, the percent used
 * and the threshold reached.
 */
export function useAnnounceCrossings() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const locale = useDisplayLocale();
  return (found: readonly Crossing[], thresholds: BudgetSummary['thresholds']) => {
    for (const crossing of found) {
      const threshold = crossing.level === 'critical' ? thresholds.critical_percent : thresholds.warn_percent;
      const values = {
        line: crossing.line,
        percent: formatDecimal(crossing.usedPercent, locale, 1),
        threshold: formatDecimal(threshold, locale, 1),
        mark: t(crossing.level === 'critical' ? 'finance.budget.criticalMark' : 'finance.budget.warnMark'),
      };
      notification.warning({
        message: t(`finance.alert.${crossing.level}`),
        description: crossing.line ? t('finance.alert.line', values) : t('finance.alert.project', values),
        duration: 8,
      });
    }
  };
}
