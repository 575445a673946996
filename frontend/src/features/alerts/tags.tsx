import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertState, Delivery } from './api';

const STATE_COLORS: Record<AlertState, string> = { open: 'error', acknowledged: 'processing', resolved: 'success' };

const DELIVERY_COLORS: Record<Delivery['status'], string> = { pending: 'processing', sent: 'success', failed: 'error' };

/** 待处理, 已确认, 已解决 — or 自动恢复 when the condition cleared by itself. */
export function AlertStateTag({ state, auto }: { state: AlertState; auto?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="state-tag">
      {state === 'resolved' && auto ? t('alerts.states.autoResolved') : t(`alerts.states.${state}`)}
    </Tag>
  );
}

/** A delivery's state; a failed one says why on hover. */
export function DeliveryStatusTag({ delivery }: { delivery: Delivery }) {
  const { t } = useTranslation();
  const tag = (
    <Tag color={DELIVERY_COLORS[delivery.status]} data-testid="delivery-status">
      {t(`alerts.deliveries.statuses.${delivery.status}`)}
    </Tag>
  );
  return delivery.error ? <Tooltip title={delivery.error}>{tag}</Tooltip> : tag;
}

export function NoticeKindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag>{t(`alerts.noticeKinds.${kind}`, { defaultValue: kind })}</Tag>;
}
