import { MinusSquareOutlined, PlusSquareOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { auditLogsQuery, auditMemberDirectoryQuery, auditTeamDirectoryQuery, entityTypesQuery } from './api';
import { AuditDiff, type Names } from './AuditDiff';
import { linkOf, shortId, type AuditLog } from './model';

const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', delete: 'red' };
const PAGE_SIZE = 20;

export function AuditLogPage() {
  const { t } = useTranslation();
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const entityType = params.get('entity_type') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);

  const logs = useQuery(auditLogsQuery({ entityType, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));
  const types = useQuery(entityTypesQuery);
  const members = useQuery(auditMemberDirectoryQuery);
  const teams = useQuery(auditTeamDirectoryQuery);
  const names: Names = useMemo(() => {
    const memberNames = new Map((members.data ?? []).map((m) => [m.id, m.name]));
    const teamNames = new Map((teams.data ?? []).map((team) => [team.id, team.name]));
    return { member: (id) => memberNames.get(id), team: (id) => teamNames.get(id) };
  }, [members.data, teams.data]);

  const update = (next: { entity_type?: string; page?: number }) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (!value || (key === 'page' && value === 1)) merged.delete(key);
      else merged.set(key, String(value));
    }
    setParams(merged, { replace: true });
  };

  const entityLabel = (type: string) => t(`audit.entities.${type}`, { defaultValue: type });

  /** The object's name (as it was then), else a person's or team's name from the snapshot, else its id. */
  const objectName = (entry: AuditLog): string => {
    if (entry.entity_label) return entry.entity_label;
    if (entry.entity_type === 'memberships') return names.member(entry.entity_id) ?? shortId(entry.entity_id);
    const snapshot = (entry.after ?? entry.before ?? {}) as Record<string, unknown>;
    const member = typeof snapshot.member_id === 'string' ? names.member(snapshot.member_id) : undefined;
    return member ?? shortId(entry.entity_id);
  };

  const parentName = (entry: AuditLog): string | null => {
    if (!entry.parent_type || !entry.parent_id) return null;
    const name = entry.parent_type === 'teams' ? names.team(entry.parent_id) : undefined;
    return `${entityLabel(entry.parent_type)}${name ? ` · ${name}` : ''}`;
  };

  const filterOptions = (types.data ?? [])
    .filter((type) => !type.internal || type.entity_type === entityType)
    .map((type) => ({ value: type.entity_type, label: entityLabel(type.entity_type) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));

  const columns: ColumnsType<AuditLog> = [
    {
      title: t('audit.time'),
      dataIndex: 'created_at',
      width: 160,
      render: (v: string) => <span data-testid="audit-time">{formatDateTime(v, me.org.timezone)}</span>,
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actor_name',
      width: 140,
      render: (name: string | null) => name ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 90,
      render: (action: string) => (
        <Tag color={ACTION_COLORS[action]}>{t(`audit.actions.${action}`, { defaultValue: action })}</Tag>
      ),
    },
    {
      title: t('audit.entityType'),
      dataIndex: 'entity_type',
      width: 140,
      render: (type: string) => <span data-testid="audit-type">{entityLabel(type)}</span>,
    },
    {
      title: t('audit.object'),
      key: 'object',
      render: (_, entry) => {
        const link = linkOf(entry);
        const name = objectName(entry);
        const parent = parentName(entry);
        return (
          <Flex vertical>
            {link ? (
              <Link to={link} data-testid="audit-object-link">
                {name}
              </Link>
            ) : (
              <span data-testid="audit-object">{name}</span>
            )}
            {parent ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('audit.belongsTo')}：{parent}
              </Typography.Text>
            ) : null}
          </Flex>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} testId="audit-page" />
      <Card variant="borderless">
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          // A few dozen types: all rendered, so none hides below a virtual list's fold.
          virtual={false}
          placeholder={t('audit.filterEntity')}
          value={entityType || undefined}
          onChange={(value?: string) => update({ entity_type: value ?? '', page: 1 })}
          options={filterOptions}
          loading={types.isPending}
          style={{ width: 240, marginBottom: 16 }}
          data-testid="audit-entity-filter"
        />
        {logs.error ? <ProblemAlert error={logs.error} onRetry={() => void logs.refetch()} /> : null}
        <Table<AuditLog>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={logs.data?.items ?? []}
          loading={logs.isFetching}
          locale={{ emptyText: t('audit.empty') }}
          expandable={{
            expandedRowRender: (entry) => <AuditDiff entry={entry} names={names} timezone={me.org.timezone} />,
            expandIcon: ({ expanded, onExpand, record }) => (
              <Button
                type="text"
                size="small"
                icon={expanded ? <MinusSquareOutlined /> : <PlusSquareOutlined />}
                aria-label={t(expanded ? 'audit.hideChanges' : 'audit.showChanges')}
                aria-expanded={expanded}
                onClick={(event) => onExpand(record, event)}
                data-testid="audit-expand"
              />
            ),
          }}
          data-testid="audit-table"
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: logs.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            onChange: (next) => update({ page: next }),
          }}
          scroll={{ x: 800 }}
        />
      </Card>
    </>
  );
}
