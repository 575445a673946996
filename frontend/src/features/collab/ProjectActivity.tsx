import { useQuery } from '@tanstack/react-query';
import { Empty, Flex, Pagination, Skeleton, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import type { ProjectActivityProps } from '@/lib/collab';
import { formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { ACTIVITY_PAGE, activityQuery, type Activity } from './api';

const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', delete: 'red' };

function ActivityLine({ item }: { item: Activity }) {
  const { t } = useTranslation();
  const me = useSession();
  const what = t(`audit.entities.${item.entity_type}`, { defaultValue: item.entity_type });
  return (
    <Flex vertical gap={2} data-testid="activity-item">
      <span>
        <Typography.Text strong>{item.actor_name ?? t('audit.system')}</Typography.Text>{' '}
        {t(`audit.actions.${item.action}`, { defaultValue: item.action })} {what}
        {item.entity_label ? <Typography.Text strong> “{item.entity_label}”</Typography.Text> : null}
      </span>
      {item.changed.length > 0 ? (
        <Flex gap={4} wrap data-testid="activity-changed">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('collab.changed')}
          </Typography.Text>
          {item.changed.map((field) => (
            <Tag key={field} bordered={false} style={{ marginInlineEnd: 0 }}>
              {t(`audit.fields.${field}`, { defaultValue: field })}
            </Tag>
          ))}
        </Flex>
      ) : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(item.created_at, me.org.timezone)}
      </Typography.Text>
    </Flex>
  );
}

/** What happened in a project, newest first: changes to it and to everything in it (tasks,
 * dependencies, issues, comments, files …), who made them and which fields changed. */
export function ProjectActivity({ projectId }: ProjectActivityProps) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const activity = useQuery(activityQuery(projectId, (page - 1) * ACTIVITY_PAGE));
  if (activity.isPending) return <Skeleton active />;
  if (activity.isError) return <ProblemAlert error={activity.error} onRetry={() => void activity.refetch()} />;
  const { items, total } = activity.data;
  if (total === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('collab.noActivity')} />;
  return (
    <Flex vertical gap={16} data-testid="project-activity">
      <Timeline
        items={items.map((item) => ({
          key: item.id,
          color: ACTION_COLORS[item.action] ?? 'gray',
          children: <ActivityLine item={item} />,
        }))}
      />
      {total > ACTIVITY_PAGE ? (
        <Pagination
          size="small"
          current={page}
          pageSize={ACTIVITY_PAGE}
          total={total}
          showSizeChanger={false}
          onChange={setPage}
          style={{ alignSelf: 'end' }}
        />
      ) : null}
    </Flex>
  );
}
