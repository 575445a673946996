import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { components } from '@/api/schema';

export type Severity = components['schemas']['AlertSeverity'];

const SEVERITY_COLORS: Record<Severity, string> = { critical: 'red', warning: 'orange', info: 'blue' };

/** An alert's (or a rule's) severity: 严重 red, 警告 orange, 提示 blue. */
export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return (
    <Tag color={SEVERITY_COLORS[severity]} data-testid="severity-tag" data-severity={severity}>
      {t(`alerts.severities.${severity}`)}
    </Tag>
  );
}
