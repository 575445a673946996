import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDay, formatMoney, type DisplayLocale } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { resourceAllocationsQuery, useDeleteAllocation, type Allocation, type Resource } from './api';
import { KIND_FIELDS, hoursLabel } from './model';

interface ResourceDrawerProps {
  resource: Resource | null;
  canAllocate: boolean;
  onClose: () => void;
  onAllocate: (resource: Resource) => void;
}

/** One resource: its figures and contact, and what it is booked for (release a booking here). */
export function ResourceDrawer({ resource, canAllocate, onClose, onAllocate }: ResourceDrawerProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { message } = App.useApp();
  const allocations = useQuery({ ...resourceAllocationsQuery(resource?.id ?? ''), enabled: !!resource });
  const release = useDeleteAllocation();

  if (!resource) return <Drawer open={false} onClose={onClose} />;

  const value = (field: string): string => {
    const raw = (resource as unknown as Record<string, string | number | null>)[field];
    if (raw === null || raw === undefined || raw === '') return '—';
    if (field === 'cost_rate' || field === 'unit_cost') return formatMoney(String(raw), resource.currency, locale);
    if (field === 'contract_ends_on') return formatDay(String(raw), locale);
    if (field === 'member_id') return resource.member_name ?? '—';
    if (field === 'capacity_hours_week' || field === 'stock') return hoursLabel(String(raw));
    return String(raw);
  };

  const columns: ColumnsType<Allocation> = [
    {
      title: t('resources.allocations.project'),
      key: 'project',
      render: (_, a) => <Link to={projectPath(a.project_id)}>{`${a.project_code} · ${a.project_name}`}</Link>,
    },
    {
      title: t('resources.allocations.days'),
      key: 'days',
      render: (_, a) => `${formatDay(a.starts_on, locale)} – ${formatDay(a.ends_on, locale)}`,
    },
    {
      title: resource.kind === 'person' ? t('resources.allocations.hours') : t('resources.allocations.quantity'),
      key: 'amount',
      render: (_, a) =>
        a.hours_per_day !== null
          ? t('resources.allocations.hoursValue', {
              perDay: hoursLabel(a.hours_per_day),
              total: hoursLabel(a.planned_hours ?? '0'),
            })
          : a.quantity !== null
            ? `${hoursLabel(a.quantity)} ${resource.unit ?? ''}`
            : '—',
    },
    {
      title: t('resources.allocations.cost'),
      dataIndex: 'planned_cost',
      render: (cost: string | null) => formatMoney(cost, resource.currency, locale),
    },
    ...(canAllocate
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, a: Allocation) => (
              <Popconfirm
                title={t('resources.allocations.releaseConfirm')}
                okText={t('resources.allocations.release')}
                cancelText={t('common.cancel')}
                onConfirm={() =>
                  release.mutate(a.id, {
                    onSuccess: () => void message.success(t('resources.allocations.released')),
                    onError: (error) => void message.error(errorText(error, t)),
                  })
                }
              >
                <Button size="small" icon={<DeleteOutlined />} data-testid="allocation-release">
                  {t('resources.allocations.release')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <Drawer
      open
      width={760}
      onClose={onClose}
      title={
        <Flex gap={8} align="center">
          <span>{resource.name}</span>
          <Tag>{t(`resources.kinds.${resource.kind}`)}</Tag>
          {resource.active ? null : <Tag color="default">{t('resources.retired')}</Tag>}
        </Flex>
      }
      data-testid="resource-drawer"
    >
      <Descriptions size="small" column={2} bordered>
        {KIND_FIELDS[resource.kind].map((field) => (
          <Descriptions.Item key={field} label={t(`resources.fields.${field === 'member_id' ? 'member' : field}`)}>
            {value(field)}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('resources.fields.notes')} span={2}>
          {resource.notes ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      <Flex justify="space-between" align="center" style={{ margin: '20px 0 8px' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('resources.allocations.title')}
        </Typography.Title>
        {canAllocate && resource.active ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => onAllocate(resource)}
            data-testid="resource-allocate"
          >
            {t('resources.allocate.open')}
          </Button>
        ) : null}
      </Flex>
      {allocations.error ? <ProblemAlert error={allocations.error} onRetry={() => void allocations.refetch()} /> : null}
      <Table<Allocation>
        rowKey="id"
        size="small"
        loading={allocations.isPending}
        columns={columns}
        dataSource={allocations.data ?? []}
        pagination={false}
        locale={{ emptyText: t('resources.allocations.none') }}
        data-testid="resource-allocations"
      />
    </Drawer>
  );
}
