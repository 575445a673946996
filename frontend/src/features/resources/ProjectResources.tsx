import { DeleteOutlined, EditOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Flex, Popconfirm, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDay, formatMoney, type DisplayLocale } from '@/lib/format';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import type { ProjectResourcesProps } from '@/lib/resourcePanelsContext';
import { useSession } from '@/lib/session';
import {
  activeResourcesQuery,
  projectAllocationsQuery,
  projectTasksQuery,
  useDeleteAllocation,
  windowConflictsQuery,
  type Allocation,
  type Conflict,
  type ResourceKind,
} from './api';
import { AllocationFormModal } from './AllocationFormModal';
import { useBookingOutcome } from './useBookingOutcome';
import { conflictFlag, conflictText } from './conflictText';
import { allocationsByKind, allocationTotals, bookedWindow, conflictsOf, hoursLabel } from './model';

/** Closed and cancelled projects keep what they booked; nothing is booked or changed on them. */
const FROZEN = new Set(['closed', 'cancelled']);

/** A booking's conflicts as red tags with their reason (the whole sentence on hover). */
function ConflictFlags({ conflicts, projectId }: { conflicts: readonly Conflict[]; projectId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  if (conflicts.length === 0) return null;
  const flags = new Map<string, Conflict>();
  for (const c of conflicts) {
    const text = conflictFlag(c, projectId, t);
    if (!flags.has(text)) flags.set(text, c);
  }
  return (
    <Space size={[4, 4]} wrap>
      {[...flags].map(([text, c]) => (
        <Tooltip key={text} title={conflictText(c, t, locale)}>
          <Tag
            color="red"
            icon={<WarningOutlined />}
            // A long reason (the other projects' names) wraps inside its tag.
            style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}
            data-testid="allocation-conflict"
          >
            {text}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

/**
 * 资源 of a project: what it has booked, by kind — people in hours a day over days (and the task
 * they are for), materials, channels, vendors and venues in a quantity — with the planned cost
 * for those who read budgets and each booking's conflicts flagged. Its managers (with
 * `resources:allocate`) book, change and release here while the project is open.
 */
export function ProjectResources({ project, mayManage }: ProjectResourcesProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { message } = App.useApp();
  const me = useSession();
  const mayAllocate = mayManage && hasPermission(me, PERMISSIONS.resourcesAllocate) && !FROZEN.has(project.status);
  const showsCost = hasPermission(me, PERMISSIONS.budgetRead);
  const allocations = useQuery(projectAllocationsQuery(project.id));
  // The conflicts over the days the project has booked (the API knows them for a window, not a project).
  const booked = bookedWindow(allocations.data ?? []);
  const conflicts = useQuery({
    ...windowConflictsQuery(booked?.[0] ?? '', booked?.[1] ?? ''),
    enabled: !!booked,
  });
  const tasks = useQuery(projectTasksQuery(project.id));
  // Units of materials and channels (the booking names the resource, not its unit).
  const resources = useQuery(activeResourcesQuery);
  const [booking, setBooking] = useState(false);
  const [editing, setEditing] = useState<Allocation | null>(null);
  const release = useDeleteAllocation();
  const outcome = useBookingOutcome((saved) => t('resources.project.saved', { name: saved.resource_name }));

  const taskTitle = useMemo(() => new Map((tasks.data ?? []).map((task) => [task.id, task.title])), [tasks.data]);
  const unitOf = useMemo(() => new Map((resources.data ?? []).map((r) => [r.id, r.unit])), [resources.data]);
  const conflictsByAllocation = useMemo(
    () => new Map((allocations.data ?? []).map((a) => [a.id, conflictsOf(a, conflicts.data ?? [])])),
    [allocations.data, conflicts.data],
  );
  const conflicted = [...conflictsByAllocation.values()].filter((c) => c.length > 0).length;

  const columns = (kind: ResourceKind): ColumnsType<Allocation> => [
    {
      title: t('resources.project.resource'),
      key: 'resource',
      width: 190,
      render: (_, a) => (
        <Flex vertical gap={2}>
          <Typography.Text strong data-testid="allocation-resource">
            {a.resource_name}
          </Typography.Text>
          {a.note ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.note}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('resources.allocations.days'),
      key: 'days',
      width: 230,
      render: (_, a) => (
        <Flex vertical gap={2}>
          <span
            style={{ whiteSpace: 'nowrap' }}
          >{`${formatDay(a.starts_on, locale)} – ${formatDay(a.ends_on, locale)}`}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('resources.project.workingDays', { count: a.working_days })}
          </Typography.Text>
        </Flex>
      ),
    },
    kind === 'person'
      ? {
          title: t('resources.allocations.hours'),
          key: 'amount',
          width: 170,
          render: (_, a) =>
            a.hours_per_day === null
              ? '—'
              : t('resources.allocations.hoursValue', {
                  perDay: hoursLabel(a.hours_per_day),
                  total: hoursLabel(a.planned_hours ?? '0'),
                }),
        }
      : {
          title: t('resources.allocations.quantity'),
          key: 'amount',
          width: 170,
          render: (_, a) =>
            a.quantity === null ? '—' : `${hoursLabel(a.quantity)} ${unitOf.get(a.resource_id) ?? ''}`.trim(),
        },
    ...(kind === 'person'
      ? [
          {
            title: t('resources.project.task'),
            key: 'task',
            render: (_: unknown, a: Allocation) =>
              a.task_id ? (taskTitle.get(a.task_id) ?? '—') : <Typography.Text type="secondary">—</Typography.Text>,
          },
        ]
      : []),
    ...(showsCost
      ? [
          {
            title: t('resources.allocations.cost'),
            dataIndex: 'planned_cost',
            align: 'right' as const,
            width: 130,
            render: (cost: string | null, a: Allocation) => formatMoney(cost, a.currency, locale),
          },
        ]
      : []),
    {
      title: t('resources.project.conflicts'),
      key: 'conflicts',
      render: (_, a) => <ConflictFlags conflicts={conflictsByAllocation.get(a.id) ?? []} projectId={project.id} />,
    },
    ...(mayAllocate
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 96,
            render: (_: unknown, a: Allocation) => (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => setEditing(a)}
                  data-testid="allocation-edit"
                  aria-label={t('resources.project.edit')}
                />
                <Popconfirm
                  title={t('resources.project.releaseConfirm', { name: a.resource_name })}
                  okText={t('resources.allocations.release')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() =>
                    release.mutate(a.id, {
                      onSuccess: () => void message.success(t('resources.allocations.released')),
                      onError: (error) => void message.error(errorText(error, t)),
                    })
                  }
                >
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    data-testid="allocation-release"
                    aria-label={t('resources.allocations.release')}
                  />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  if (allocations.error) return <ProblemAlert error={allocations.error} onRetry={() => void allocations.refetch()} />;
  if (allocations.isPending) return <Skeleton active />;
  const groups = allocationsByKind(allocations.data);

  return (
    <Flex vertical gap={16} data-testid="project-resources">
      <Flex justify="space-between" align="center" gap={12} wrap>
        <Typography.Text type="secondary">
          {t('resources.project.summary', { count: allocations.data.length })}{' '}
          <Link to={paths.modules.workload}>{t('resources.toWorkload')}</Link>
        </Typography.Text>
        {mayAllocate ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setBooking(true)}
            data-testid="project-allocate"
          >
            {t('resources.project.book')}
          </Button>
        ) : null}
      </Flex>
      {conflicts.error ? <ProblemAlert error={conflicts.error} onRetry={() => void conflicts.refetch()} /> : null}
      {conflicted > 0 ? (
        <Alert
          type="error"
          showIcon
          message={t('resources.project.conflicted', { count: conflicted })}
          data-testid="project-resources-conflicted"
        />
      ) : null}
      {groups.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t(mayAllocate ? 'resources.project.noneYet' : 'resources.project.none')}
        />
      ) : (
        groups.map(({ kind, items }) => {
          const totals = allocationTotals(items);
          return (
            <section key={kind} data-testid={`project-resources-${kind}`}>
              <Flex gap={12} align="baseline" style={{ marginBottom: 8 }} wrap>
                <Typography.Title level={5} style={{ margin: 0 }}>
                  {t(`resources.kinds.${kind}`)}
                  <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontWeight: 'normal' }}>
                    {items.length}
                  </Typography.Text>
                </Typography.Title>
                {kind === 'person' ? (
                  <Typography.Text type="secondary">
                    {t('resources.project.totalHours', { hours: totals.hours })}
                  </Typography.Text>
                ) : null}
                {showsCost && totals.cost !== null ? (
                  <Typography.Text type="secondary" data-testid="project-resources-cost">
                    {t('resources.project.totalCost', {
                      cost: formatMoney(totals.cost, items[0]?.currency ?? project.currency, locale),
                    })}
                  </Typography.Text>
                ) : null}
              </Flex>
              <Table<Allocation>
                rowKey="id"
                size="small"
                columns={columns(kind)}
                dataSource={items}
                pagination={false}
                data-testid="project-allocations"
              />
            </section>
          );
        })
      )}
      <AllocationFormModal
        open={booking || !!editing}
        project={project}
        allocation={editing}
        onClose={() => {
          setBooking(false);
          setEditing(null);
        }}
        onSaved={outcome.announce}
      />
      {outcome.dialog}
    </Flex>
  );
}
