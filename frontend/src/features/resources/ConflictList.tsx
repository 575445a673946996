import { List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DisplayLocale } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import type { Conflict } from './api';
import { conflictText } from './conflictText';
import { sortedConflicts } from './model';

const KIND_COLORS: Record<Conflict['kind'], string> = {
  over_capacity: 'red',
  double_booked: 'volcano',
  over_stock: 'orange',
};

/** Booking conflicts, people first: each with its kind, its sentence and the projects involved. */
export function ConflictList({ conflicts, testId = 'conflicts' }: { conflicts: readonly Conflict[]; testId?: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  return (
    <div data-testid={testId}>
      <List
        size="small"
        dataSource={sortedConflicts(conflicts)}
        locale={{ emptyText: t('resources.conflicts.none') }}
        renderItem={(conflict) => (
          <List.Item
            key={`${conflict.kind}:${conflict.resource_id}:${conflict.starts_on}:${conflict.allocation_ids.join()}`}
          >
            <Space direction="vertical" size={2}>
              <Space size={8} wrap>
                <Tag color={KIND_COLORS[conflict.kind]}>{t(`resources.conflicts.kinds.${conflict.kind}`)}</Tag>
                <Typography.Text data-testid="conflict-text">{conflictText(conflict, t, locale)}</Typography.Text>
              </Space>
              <Space size={4} wrap>
                {conflict.projects.map((p) => (
                  <Link key={p.id} to={projectPath(p.id)}>
                    <Tag>{`${p.code} · ${p.name}`}</Tag>
                  </Link>
                ))}
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </div>
  );
}
