import { Flex, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { progressView, type ProgressValue } from '@/lib/strategy';

interface ProgressBarProps {
  /** The API's {capped, uncapped} fractions; null when nothing is measured yet. */
  progress: ProgressValue | null | undefined;
  testId?: string;
}

/**
 * A goal's or KPI's progress: the capped value as a bar with its percentage, plus the
 * uncapped value as a tag when the target is exceeded ("超额 112%") or lost ("低于基线").
 */
export function ProgressBar({ progress, testId }: ProgressBarProps) {
  const { t } = useTranslation();
  const view = progressView(progress);
  if (!view) {
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        {t('progress.none')}
      </Typography.Text>
    );
  }
  return (
    <Flex align="center" gap={6} data-testid={testId} style={{ minWidth: 0 }}>
      <Progress
        percent={view.percent}
        size="small"
        status={view.percent >= 100 ? 'success' : 'normal'}
        format={(percent) => `${percent ?? 0}%`}
        style={{ flex: 1, minWidth: 80, margin: 0 }}
        aria-label={t('progress.label', { percent: view.percent })}
      />
      {view.over !== null ? (
        <Tag color="green" bordered={false} style={{ marginInlineEnd: 0 }}>
          {t('progress.over', { percent: view.over })}
        </Tag>
      ) : null}
      {view.regressed ? (
        <Tag color="red" bordered={false} style={{ marginInlineEnd: 0 }}>
          {t('progress.regressed')}
        </Tag>
      ) : null}
    </Flex>
  );
}
