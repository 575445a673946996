import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/lib/format';
import type { AlertState, Delivery } from './api';

const STATE_COLORS: Record<AlertState, string> = { open: 'error', acknowledged: 'processing', resolved: 'success' };

const DELIVERY_COLORS: Record<Delivery['status'], string> = {
  pending: 'processing',
  sent: 'success',
  failed: 'error',
  skipped: 'default',
};

/** 待处理, 已确认, 已解决 — or 自动恢复 when the condition cleared by itself. */
export function AlertStateTag({ state, auto }: { state: AlertState; auto?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="state-tag">
      {state === 'resolved' && auto ? t('alerts.states.autoResolved') : t(`alerts.states.${state}`)}
    </Tag>
  );
}

/** A delivery's state; a failed one says why on hover, one waiting for a later round when it starts. */
export function DeliveryStatusTag({ delivery, timezone }: { delivery: Delivery; timezone: string }) {
  const { t } = useTranslation();
  const retrying = delivery.status === 'pending' && delivery.next_attempt_at;
  const tag = (
    <Tag color={retrying ? 'warning' : DELIVERY_COLORS[delivery.status]} data-testid="delivery-status">
      {retrying ? t('alerts.deliveries.retrying') : t(`alerts.deliveries.statuses.${delivery.status}`)}
    </Tag>
  );
  const why = retrying ? (
    <>
      {t('alerts.deliveries.retryingHint', {
        rounds: delivery.rounds,
        at: formatDateTime(delivery.next_attempt_at, timezone),
      })}
      {delivery.error ? <div>{delivery.error}</div> : null}
    </>
  ) : (
    delivery.error
  );
  return why ? <Tooltip title={why}>{tag}</Tooltip> : tag;
}

export function NoticeKindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag>{t(`alerts.noticeKinds.${kind}`, { defaultValue: kind })}</Tag>;
}
