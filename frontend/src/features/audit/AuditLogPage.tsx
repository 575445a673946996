import { useQuery } from '@tanstack/react-query';
import { MinusSquareOutlined, PlusSquareOutlined } from '@ant-design/icons';
import { Button, Card, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import zhCN from '@/i18n/zh-CN.json';
import { auditLogsQuery, type AuditLog } from './api';
import { AuditDiff } from './AuditDiff';

const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', delete: 'red' };
/** Entity types the UI has a name for; the filter accepts any other typed value too. */
const KNOWN_ENTITY_TYPES = Object.keys(zhCN.audit.entities);
const PAGE_SIZE = 20;

export function AuditLogPage() {
  const { t } = useTranslation();
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const entityType = params.get('entity_type') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);

  const logs = useQuery(auditLogsQuery({ entityType, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));

  const update = (next: { entity_type?: string; page?: number }) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (!value || (key === 'page' && value === 1)) merged.delete(key);
      else merged.set(key, String(value));
    }
    setParams(merged, { replace: true });
  };

  const entityLabel = (type: string) => t(`audit.entities.${type}`, { defaultValue: type });

  const columns: ColumnsType<AuditLog> = [
    {
      title: t('audit.time'),
      dataIndex: 'created_at',
      width: 170,
      render: (v: string) => formatDateTime(v, me.org.timezone),
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actor_name',
      render: (name: string | null) => name ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 100,
      render: (action: string) => (
        <Tag color={ACTION_COLORS[action]}>{t(`audit.actions.${action}`, { defaultValue: action })}</Tag>
      ),
    },
    { title: t('audit.entityType'), dataIndex: 'entity_type', render: entityLabel },
    {
      title: t('audit.entityId'),
      dataIndex: 'entity_id',
      render: (id: string) => (
        <Typography.Text code ellipsis style={{ maxWidth: 220 }}>
          {id}
        </Typography.Text>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} testId="audit-page" />
      <Card variant="borderless">
        <Select
          allowClear
          showSearch
          placeholder={t('audit.filterEntity')}
          value={entityType || undefined}
          onChange={(value?: string) => update({ entity_type: value ?? '', page: 1 })}
          options={[...new Set([...KNOWN_ENTITY_TYPES, ...(entityType ? [entityType] : [])])].map((type) => ({
            value: type,
            label: `${entityLabel(type)} (${type})`,
          }))}
          style={{ width: 280, marginBottom: 16 }}
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
            expandedRowRender: (entry) => <AuditDiff entry={entry} />,
            expandIcon: ({ expanded, onExpand, record }) => (
              <Button
                type="text"
                size="small"
                icon={expanded ? <MinusSquareOutlined /> : <PlusSquareOutlined />}
                aria-label={t(expanded ? 'audit.hideChanges' : 'audit.showChanges')}
                aria-expanded={expanded}
                onClick={(event) => onExpand(record, event)}
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
