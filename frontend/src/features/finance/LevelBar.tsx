import { Flex, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDecimal } from '@/lib/format';
import type { Figures } from './api';
import { useDisplayLocale } from './hooks';
import { barView, LEVEL_COLORS } from './model';

interface LevelBarProps {
  figures: Pick<Figures, 'used_percent' | 'level' | 'used'>;
  warnPercent: string;
  criticalPercent: string;
  testId?: string;
}

const MARK = { position: 'absolute', top: -2, bottom: -2, width: 2, borderRadius: 1 } as const;

/**
 * Money used against a budget: a bar filled to the used share, coloured by its level (ok blue,
 * warn amber, critical red), with the warn and critical thresholds marked on it.
 */
export function LevelBar({ figures, warnPercent, criticalPercent, testId }: LevelBarProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const view = barView(figures.used_percent, warnPercent, criticalPercent);
  const color = LEVEL_COLORS[figures.level];
  const percent = figures.used_percent === null ? null : formatDecimal(figures.used_percent, locale, 1);
  const label =
    percent === null
      ? t('finance.budget.noBudget')
      : t('finance.budget.barLabel', {
          percent,
          warn: formatDecimal(warnPercent, locale, 1),
          critical: formatDecimal(criticalPercent, locale, 1),
        });
  return (
    <Flex align="center" gap={8} style={{ minWidth: 160 }} data-testid={testId} data-level={figures.level}>
      <Tooltip title={label}>
        <div
          role="meter"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={figures.used_percent === null ? undefined : Number(figures.used_percent)}
          style={{ position: 'relative', flex: 1, height: 8, borderRadius: 4, background: 'rgba(0,0,0,0.06)' }}
        >
          <div
            data-testid={testId ? `${testId}-fill` : undefined}
            style={{
              width: `${view.fill}%`,
              height: '100%',
              borderRadius: 4,
              background: color,
              transition: 'width .3s',
            }}
          />
          <span style={{ ...MARK, left: `calc(${view.warnAt}% - 1px)`, background: LEVEL_COLORS.warn }} />
          {view.criticalAt < 100 ? (
            <span style={{ ...MARK, left: `calc(${view.criticalAt}% - 1px)`, background: LEVEL_COLORS.critical }} />
          ) : null}
        </div>
      </Tooltip>
      <Typography.Text
        style={{ width: 56, textAlign: 'right', color: figures.level === 'ok' ? undefined : color }}
        strong={figures.level !== 'ok'}
      >
        {percent === null ? (figures.level === 'critical' ? t('finance.budget.noBudget') : '—') : `${percent}%`}
      </Typography.Text>
    </Flex>
  );
}
