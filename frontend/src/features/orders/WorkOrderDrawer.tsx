import { Descriptions, Divider, Drawer, Flex, Skeleton, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { SubjectDiscussion } from '@/lib/collab';
import { formatDateTime } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { useSession } from '@/lib/session';
import type { WorkOrder } from './api';
import { PRIORITY_COLORS, STATUS_COLORS } from './model';

export interface WorkOrderDrawerProps {
  /** Whether an order is asked for (`?open=`), even while it loads or if it cannot be read. */
  open: boolean;
  order: WorkOrder | null;
  /** Why the order could not be read (not found, or not one of its parties). */
  error: unknown;
  /** The lifecycle steps the caller may take, as on the order's row. */
  actions: ReactNode;
  /** The SLA countdown, as on the order's row. */
  sla: ReactNode;
  onClose: () => void;
}

/** One work order's details, its next steps, and its discussion (comments and files of its parties). */
export function WorkOrderDrawer({ open, order, error, actions, sla, onClose }: WorkOrderDrawerProps) {
  const { t } = useTranslation();
  const me = useSession();
  const assignee = order
    ? (order.assignee_name ?? (order.assignee_team_name ? t('orders.teamOf', { team: order.assignee_team_name }) : '—'))
    : '—';
  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={680}
      title={order ? `${order.code} · ${order.title}` : t('orders.detail')}
      destroyOnHidden
      data-testid="order-detail"
    >
      {error && !order ? <ProblemAlert error={error} /> : null}
      {!order && !error ? <Skeleton active /> : null}
      {order ? (
        <Flex vertical gap={16}>
          <Descriptions column={2} size="small" data-testid="order-detail-fields">
            <Descriptions.Item label={t('orders.fields.status')}>
              <Tag color={STATUS_COLORS[order.status]}>{t(`orders.status.${order.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.priority')}>
              <Tag color={PRIORITY_COLORS[order.priority]}>{t(`orders.priority.${order.priority}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.requester')}>{order.requester_name}</Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.assignee')}>{assignee}</Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.requestedAt')}>
              {formatDateTime(order.requested_at, me.org.timezone)}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.due')}>
              {formatDateTime(order.due_at, me.org.timezone)}
              {order.overdue ? (
                <Tag color="red" style={{ marginLeft: 6 }}>
                  {t('orders.overdue')}
                </Tag>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.sla')}>{sla}</Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.project')}>
              {order.project_id && order.project_code ? (
                <Link to={projectPath(order.project_id)} title={order.project_name ?? undefined}>
                  {order.project_code}
                </Link>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.fields.description')} span={2}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{order.description ?? '—'}</span>
            </Descriptions.Item>
            {order.reject_reason ? (
              <Descriptions.Item label={t('orders.fields.rejectReason')} span={2}>
                <Typography.Text type="danger" style={{ whiteSpace: 'pre-wrap' }}>
                  {order.reject_reason}
                </Typography.Text>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {actions ? (
            <Flex gap={8} wrap data-testid="order-detail-actions">
              {actions}
            </Flex>
          ) : null}
          <Divider style={{ margin: 0 }} />
          <SubjectDiscussion subjectType="work_order" subjectId={order.id} />
        </Flex>
      ) : null}
    </Drawer>
  );
}
