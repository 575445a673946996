import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { projectStatusColor, projectStatusLabelKey } from '@/lib/projects';

/** A project's lifecycle status as a coloured tag (草稿, 已提交, 已批准, …). */
export function ProjectStatusTag({ status, testId = 'project-status' }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={projectStatusColor(status)} data-testid={testId} data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(projectStatusLabelKey(status))}
    </Tag>
  );
}
