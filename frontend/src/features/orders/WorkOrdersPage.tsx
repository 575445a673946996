import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Modal, Popconfirm, Select, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDateTime } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import {
  useWorkOrderStep,
  workOrderQuery,
  workOrdersQuery,
  type OrderAction,
  type WorkOrder,
  type WorkOrderBox,
  type WorkOrderStatus,
} from './api';
import {
  DESTRUCTIVE,
  durationParts,
  orderedActions,
  PRIORITY_COLORS,
  slaState,
  STATUS_COLORS,
  STATUSES,
} from './model';
import { RaiseWorkOrderModal } from './RaiseWorkOrderModal';
import { WorkOrderDrawer } from './WorkOrderDrawer';

const PAGE_SIZE = 20;
const BOXES: WorkOrderBox[] = ['inbox', 'sent', 'team'];

/** Ticks every `ms` so countdowns move while the page is open. */
function useNow(ms = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

function SlaCell({ order, now }: { order: WorkOrder; now: Date }) {
  const { t } = useTranslation();
  const state = slaState(order, now);
  switch (state.kind) {
    case 'none':
      return <Typography.Text type="secondary">—</Typography.Text>;
    case 'met':
      return <Tag color="green">{t('orders.sla.met')}</Tag>;
    case 'breached':
      return <Tag color="red">{t('orders.sla.breached')}</Tag>;
    case 'left':
    case 'over': {
      const d = durationParts(state.minutes);
      const span =
        d.days > 0
          ? t('orders.sla.daysHours', { days: d.days, hours: d.hours })
          : t('orders.sla.hoursMinutes', { hours: d.hours, minutes: d.minutes });
      const urgent = state.kind === 'left' && state.minutes < 120;
      return (
        <Tooltip title={t('orders.sla.due', { at: formatDateTime(order.sla_due_at) })}>
          <Typography.Text
            type={state.kind === 'over' ? 'danger' : urgent ? 'warning' : undefined}
            data-testid="order-sla-countdown"
          >
            {t(state.kind === 'left' ? 'orders.sla.left' : 'orders.sla.over', { span })}
          </Typography.Text>
        </Tooltip>
      );
    }
  }
}

/** 工单: work asked of me or my teams, and work I asked of others, with the SLA running. */
export function WorkOrdersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const now = useNow();
  const canRaise = hasPermission(me, 'work:write');
  const [params, setParams] = useSearchParams();
  const requested = params.get('box') as WorkOrderBox | null;
  const box: WorkOrderBox = requested && BOXES.includes(requested) ? requested : 'inbox';
  const statuses = params.getAll('status').filter((s): s is WorkOrderStatus => STATUSES.includes(s as WorkOrderStatus));
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [raising, setRaising] = useState(false);
  const [rejecting, setRejecting] = useState<WorkOrder | null>(null);
  const [reason, setReason] = useState('');
  const list = useQuery(
    workOrdersQuery({
      box,
      status: statuses.length ? statuses : undefined,
      q: q || undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
  );
  const step = useWorkOrderStep();
  // The order whose details are open (`?open=`, e.g. from a notification), read on its own: it
  // need not be on the page of the list shown; the row's copy shows until it arrives.
  const openId = params.get('open');
  const single = useQuery({ ...workOrderQuery(openId ?? ''), enabled: !!openId, retry: false });
  const opened = openId ? (single.data ?? list.data?.items.find((o) => o.id === openId) ?? null) : null;

  const update = (changes: Record<string, string | string[] | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      next.delete(key);
      for (const v of Array.isArray(value) ? value : value ? [value] : []) next.append(key, v);
    }
    setParams(next, { replace: true });
  };

  const run = (order: WorkOrder, action: OrderAction, why?: string) =>
    step.mutate(
      { order, action, reason: why },
      {
        onSuccess: (saved) => {
          setRejecting(null);
          setReason('');
          void message.success(t(`orders.done.${action}`, { code: saved.code }));
        },
        onError: (error) => void message.error(errorText(error, t)),
      },
    );

  const actionButton = (order: WorkOrder, action: OrderAction) => {
    const button = (
      <Button
        key={action}
        size="small"
        type={DESTRUCTIVE.has(action) ? 'default' : 'primary'}
        danger={DESTRUCTIVE.has(action)}
        loading={step.isPending && step.variables?.order.id === order.id && step.variables.action === action}
        onClick={
          action === 'reject' ? () => setRejecting(order) : action === 'cancel' ? undefined : () => run(order, action)
        }
        data-testid={`order-action-${action}`}
      >
        {t(`orders.actions.${action}`)}
      </Button>
    );
    if (action !== 'cancel') return button;
    return (
      <Popconfirm
        key={action}
        title={t('orders.cancelConfirm', { code: order.code })}
        okText={t('orders.actions.cancel')}
        cancelText={t('common.cancel')}
        onConfirm={() => run(order, 'cancel')}
      >
        {button}
      </Popconfirm>
    );
  };

  const columns: ColumnsType<WorkOrder> = [
    {
      title: t('orders.fields.title'),
      dataIndex: 'title',
      render: (title: string, o) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>
            <Typography.Text type="secondary" style={{ marginRight: 6 }}>
              {o.code}
            </Typography.Text>
            <Typography.Link onClick={() => update({ open: o.id })} data-testid="order-title-link">
              {title}
            </Typography.Link>
          </Typography.Text>
          {o.description ? (
            <Typography.Text
              type="secondary"
              ellipsis={{ tooltip: o.description }}
              style={{ maxWidth: 360, fontSize: 12 }}
            >
              {o.description}
            </Typography.Text>
          ) : null}
          {o.reject_reason ? (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {t('orders.rejectedBecause', { reason: o.reject_reason })}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('orders.fields.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: WorkOrderStatus) => (
        <Tag color={STATUS_COLORS[s]} data-testid="order-status">
          {t(`orders.status.${s}`)}
        </Tag>
      ),
    },
    {
      title: t('orders.fields.priority'),
      dataIndex: 'priority',
      width: 80,
      render: (p: WorkOrder['priority']) => <Tag color={PRIORITY_COLORS[p]}>{t(`orders.priority.${p}`)}</Tag>,
    },
    box === 'sent'
      ? {
          title: t('orders.fields.assignee'),
          key: 'assignee',
          width: 150,
          render: (_: unknown, o) =>
            o.assignee_name ?? (o.assignee_team_name ? t('orders.teamOf', { team: o.assignee_team_name }) : '—'),
        }
      : {
          title: t('orders.fields.requester'),
          dataIndex: 'requester_name',
          width: 150,
          render: (name: string, o) => (
            <Flex vertical>
              <span>{name}</span>
              {o.assignee_team_name ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {o.assignee_name
                    ? t('orders.takenBy', { team: o.assignee_team_name, name: o.assignee_name })
                    : t('orders.teamOf', { team: o.assignee_team_name })}
                </Typography.Text>
              ) : null}
            </Flex>
          ),
        },
    {
      title: t('orders.fields.project'),
      dataIndex: 'project_code',
      width: 160,
      render: (code: string | null, o) =>
        code && o.project_id ? (
          <Link to={projectPath(o.project_id)} title={o.project_name ?? undefined}>
            {code}
          </Link>
        ) : (
          '—'
        ),
    },
    {
      title: t('orders.fields.due'),
      dataIndex: 'due_at',
      width: 150,
      render: (due: string | null, o) => (
        <Flex vertical>
          <span>{formatDateTime(due, me.org.timezone)}</span>
          {o.overdue ? (
            <Tag color="red" style={{ width: 'fit-content' }} data-testid="order-overdue">
              {t('orders.overdue')}
            </Tag>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('orders.fields.sla'),
      key: 'sla',
      width: 140,
      render: (_: unknown, o) => <SlaCell order={o} now={now} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_: unknown, o) => (
        <Flex gap={6} wrap>
          {orderedActions(o.allowed_actions).map((a) => actionButton(o, a))}
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('orders.title')}
        subtitle={t('orders.subtitle')}
        testId="orders-page"
        extra={
          canRaise ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRaising(true)} data-testid="order-raise">
              {t('orders.raise.button')}
            </Button>
          ) : null
        }
      />
      <Card variant="borderless">
        <Tabs
          activeKey={box}
          onChange={(key) => update({ box: key === 'inbox' ? undefined : key, page: undefined })}
          items={BOXES.map((b) => ({
            key: b,
            label: <span data-testid={`orders-tab-${b}`}>{t(`orders.box.${b}`)}</span>,
          }))}
          tabBarExtraContent={
            <Flex gap={8}>
              <Input.Search
                allowClear
                defaultValue={q}
                placeholder={t('orders.searchPlaceholder')}
                onSearch={(value) => update({ q: value.trim() || undefined, page: undefined })}
                style={{ width: 220 }}
                data-testid="orders-search"
              />
              <Select<WorkOrderStatus[]>
                mode="multiple"
                allowClear
                maxTagCount="responsive"
                placeholder={t('orders.statusFilter')}
                value={statuses}
                onChange={(value) => update({ status: value, page: undefined })}
                options={STATUSES.map((s) => ({ value: s, label: t(`orders.status.${s}`) }))}
                style={{ minWidth: 200 }}
                data-testid="orders-status-filter"
              />
            </Flex>
          }
        />
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table<WorkOrder>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching && !list.data}
          scroll={{ x: 1150 }}
          data-testid="orders-table"
          onRow={(o) =>
            ({ 'data-testid': 'order-row', 'data-order-code': o.code }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{
            emptyText: list.isPending ? (
              ' '
            ) : (
              <EmptyState compact description={t(`orders.empty.${box}`)} testId="orders-empty" />
            ),
          }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            onChange: (p) => update({ page: p > 1 ? String(p) : undefined }),
          }}
        />
      </Card>
      <WorkOrderDrawer
        open={openId !== null}
        order={opened}
        error={single.error}
        actions={
          opened && opened.allowed_actions.length > 0
            ? orderedActions(opened.allowed_actions).map((a) => actionButton(opened, a))
            : null
        }
        sla={opened ? <SlaCell order={opened} now={now} /> : null}
        onClose={() => update({ open: undefined })}
      />
      <RaiseWorkOrderModal
        open={raising}
        onClose={() => setRaising(false)}
        onRaised={(order) => {
          void message.success(t('orders.raise.raised', { code: order.code }));
          update({ box: 'sent', page: undefined, status: undefined, q: undefined });
        }}
      />
      <Modal
        open={rejecting !== null}
        title={t('orders.reject.title', { code: rejecting?.code ?? '' })}
        okText={t('orders.actions.reject')}
        okButtonProps={{ danger: true, disabled: !reason.trim(), 'data-testid': 'order-reject-submit' }}
        cancelText={t('common.cancel')}
        confirmLoading={step.isPending}
        onOk={() => rejecting && run(rejecting, 'reject', reason.trim())}
        onCancel={() => {
          setRejecting(null);
          setReason('');
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('orders.reject.help')}</Typography.Paragraph>
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={1000}
          autoSize={{ minRows: 3, maxRows: 6 }}
          placeholder={t('orders.reject.placeholder')}
          data-testid="order-reject-reason"
        />
      </Modal>
    </>
  );
}
