import { DownOutlined, HeatMapOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Dropdown, Flex, Input, Popconfirm, Segmented, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDay, formatMoney, todayIn, type DisplayLocale } from '@/lib/format';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { resourcesQuery, useDeleteResource, useUpdateResource, type Resource, type ResourceKind } from './api';
import { AllocationFormModal } from './AllocationFormModal';
import { useBookingOutcome } from './useBookingOutcome';
import { contractState, hoursLabel, KINDS } from './model';
import { ResourceDrawer } from './ResourceDrawer';
import { ResourceFormModal } from './ResourceFormModal';

const PAGE_SIZE = 20;
const KIND_COLORS: Record<ResourceKind, string> = {
  person: 'blue',
  material: 'gold',
  channel: 'purple',
  vendor: 'cyan',
  venue: 'green',
};

/** What the catalogue says of a resource in one line: the figures of its kind. */
function Details({ resource, locale }: { resource: Resource; locale: DisplayLocale }) {
  const { t } = useTranslation();
  const me = useSession();
  const money = (v: string | null) => formatMoney(v, resource.currency, locale);
  const parts: string[] = [];
  switch (resource.kind) {
    case 'person':
      if (resource.role_title) parts.push(resource.role_title);
      parts.push(t('resources.details.capacity', { hours: hoursLabel(resource.capacity_hours_week ?? '40') }));
      if (resource.cost_rate) parts.push(t('resources.details.rate', { rate: money(resource.cost_rate) }));
      break;
    case 'material':
    case 'channel':
      if (resource.unit_cost) {
        parts.push(t('resources.details.unitCost', { cost: money(resource.unit_cost), unit: resource.unit ?? '' }));
      } else if (resource.unit) parts.push(resource.unit);
      if (resource.stock !== null) {
        parts.push(t('resources.details.stock', { stock: hoursLabel(resource.stock), unit: resource.unit ?? '' }));
      }
      break;
    case 'vendor':
      if (resource.contact_name) parts.push(resource.contact_name);
      if (resource.contact_phone) parts.push(resource.contact_phone);
      if (resource.contract_no) parts.push(t('resources.details.contract', { no: resource.contract_no }));
      break;
    case 'venue':
      if (resource.address) parts.push(resource.address);
      if (resource.venue_capacity) parts.push(t('resources.details.seats', { count: resource.venue_capacity }));
      break;
  }
  const contract = contractState(resource.contract_ends_on, todayIn(me.org.timezone));
  return (
    <Space size={4} wrap>
      <Typography.Text type="secondary">{parts.join(' · ') || '—'}</Typography.Text>
      {contract === 'ended' || contract === 'soon' ? (
        <Tag color={contract === 'ended' ? 'red' : 'orange'} data-testid="contract-state">
          {t(`resources.details.contract_${contract}`, { day: formatDay(resource.contract_ends_on, locale) })}
        </Tag>
      ) : null}
    </Space>
  );
}

/** 资源库: people, materials, ad channels, vendors and venues; those who keep it add, edit and retire. */
export function ResourcesPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { message } = App.useApp();
  const me = useSession();
  const canManage = hasPermission(me, PERMISSIONS.resourcesManage);
  const canAllocate = hasPermission(me, PERMISSIONS.resourcesAllocate);
  const [params, setParams] = useSearchParams();
  const kindParam = params.get('kind') as ResourceKind | null;
  const kind = kindParam && KINDS.includes(kindParam) ? kindParam : undefined;
  const q = params.get('q') ?? '';
  const withRetired = params.get('retired') === '1';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const list = useQuery(
    resourcesQuery({
      kind,
      q: q || undefined,
      active: withRetired ? undefined : true,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
  );
  const [creating, setCreating] = useState<ResourceKind | null>(null);
  const [editing, setEditing] = useState<Resource | null>(null);
  const [viewing, setViewing] = useState<Resource | null>(null);
  const [allocating, setAllocating] = useState<Resource | null>(null);
  const booked = useBookingOutcome((saved) => t('resources.allocate.done', { project: saved.project_name }));
  const update = useUpdateResource();
  const remove = useDeleteResource();

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const setActive = (resource: Resource, active: boolean) =>
    update.mutate(
      { id: resource.id, body: { active, version: resource.version } },
      {
        onSuccess: () =>
          void message.success(t(active ? 'resources.reactivated' : 'resources.retiredDone', { name: resource.name })),
        onError: (error) => void message.error(errorText(error, t)),
      },
    );

  const columns: ColumnsType<Resource> = [
    {
      title: t('resources.fields.name'),
      key: 'name',
      render: (_, r) => (
        <Space size={6}>
          <Typography.Link onClick={() => setViewing(r)} data-testid="resource-open">
            {r.name}
          </Typography.Link>
          {r.member_name && r.member_name !== r.name ? (
            <Typography.Text type="secondary">({r.member_name})</Typography.Text>
          ) : null}
          {r.active ? null : <Tag data-testid="resource-retired">{t('resources.retired')}</Tag>}
        </Space>
      ),
    },
    ...(kind
      ? []
      : [
          {
            title: t('resources.fields.kind'),
            dataIndex: 'kind',
            width: 110,
            render: (k: ResourceKind) => <Tag color={KIND_COLORS[k]}>{t(`resources.kinds.${k}`)}</Tag>,
          },
        ]),
    {
      title: t('resources.fields.details'),
      key: 'details',
      render: (_, r) => <Details resource={r} locale={locale} />,
    },
    { title: t('resources.fields.allocations'), dataIndex: 'allocations', width: 90, align: 'right' },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 260,
      render: (_, r) => (
        <Space size={4} wrap>
          {canAllocate && r.active ? (
            <Button size="small" onClick={() => setAllocating(r)} data-testid="resource-row-allocate">
              {t('resources.allocate.open')}
            </Button>
          ) : null}
          {canManage ? (
            <>
              <Button size="small" onClick={() => setEditing(r)} data-testid="resource-edit">
                {t('resources.edit')}
              </Button>
              {r.active ? (
                <Popconfirm
                  title={t('resources.retireConfirm', { name: r.name })}
                  okText={t('resources.retire')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => setActive(r, false)}
                >
                  <Button size="small" data-testid="resource-retire">
                    {t('resources.retire')}
                  </Button>
                </Popconfirm>
              ) : (
                <Button size="small" onClick={() => setActive(r, true)} data-testid="resource-reactivate">
                  {t('resources.reactivate')}
                </Button>
              )}
              {r.allocations === 0 ? (
                <Popconfirm
                  title={t('resources.deleteConfirm', { name: r.name })}
                  okText={t('common.delete')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() =>
                    remove.mutate(r.id, {
                      onSuccess: () => void message.success(t('resources.deleted', { name: r.name })),
                      onError: (error) => void message.error(errorText(error, t)),
                    })
                  }
                >
                  <Button size="small" danger data-testid="resource-delete">
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              ) : null}
            </>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('resources.title')}
        subtitle={t('resources.subtitle')}
        testId="resources-title"
        extra={
          <>
            <Link to={paths.modules.workload}>
              <Button icon={<HeatMapOutlined />}>{t('resources.toWorkload')}</Button>
            </Link>
            {canManage ? (
              <Dropdown
                trigger={['click']}
                menu={{
                  items: KINDS.map((k) => ({ key: k, label: t(`resources.kinds.${k}`), 'data-testid': `create-${k}` })),
                  onClick: ({ key }) => setCreating(key as ResourceKind),
                }}
              >
                <Button type="primary" icon={<PlusOutlined />} data-testid="resource-create">
                  {t('resources.create')} <DownOutlined />
                </Button>
              </Dropdown>
            ) : null}
          </>
        }
      />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Segmented
          value={kind ?? 'all'}
          options={[
            { value: 'all', label: t('common.all') },
            ...KINDS.map((k) => ({ value: k, label: t(`resources.kinds.${k}`) })),
          ]}
          onChange={(value) => set({ kind: value === 'all' ? undefined : value })}
          data-testid="resource-kinds"
        />
        <Input.Search
          allowClear
          defaultValue={q}
          placeholder={t('resources.search')}
          onSearch={(value) => set({ q: value.trim() || undefined })}
          style={{ width: 260 }}
          maxLength={100}
          data-testid="resource-search"
        />
        <Space size={6}>
          <Switch
            size="small"
            checked={withRetired}
            onChange={(on) => set({ retired: on ? '1' : undefined })}
            data-testid="resource-with-retired"
          />
          <Typography.Text>{t('resources.withRetired')}</Typography.Text>
        </Space>
      </Flex>
      {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Resource>
        rowKey="id"
        loading={list.isPending}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('resources.empty') }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }),
          onChange: (next) => set({ page: next > 1 ? String(next) : undefined }),
        }}
        data-testid="resource-table"
      />
      <ResourceFormModal
        open={creating !== null || editing !== null}
        kind={creating ?? 'person'}
        resource={editing}
        onClose={() => {
          setCreating(null);
          setEditing(null);
        }}
        onSaved={(r) => void message.success(t('resources.saved', { name: r.name }))}
      />
      <ResourceDrawer
        resource={viewing ? (list.data?.items.find((r) => r.id === viewing.id) ?? viewing) : null}
        canAllocate={canAllocate}
        onClose={() => setViewing(null)}
        onAllocate={setAllocating}
      />
      <AllocationFormModal
        open={!!allocating}
        resource={allocating}
        onClose={() => setAllocating(null)}
        onSaved={booked.announce}
      />
      {booked.dialog}
    </>
  );
}
