import { Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Batch, CampaignStatus, ChannelKind, Quadrant, SourceKind } from './api';
import { QUADRANT_COLORS } from './dashboardModel';

const SOURCE_KIND_COLORS: Record<SourceKind, string> = {
  api: 'blue',
  upload: 'cyan',
  webhook: 'purple',
  meta: 'geekblue',
};

const CAMPAIGN_STATUS_COLORS: Record<CampaignStatus, string> = {
  active: 'green',
  paused: 'orange',
  ended: 'default',
};

const BATCH_STATUS_COLORS: Record<Batch['status'], string> = {
  pending: 'processing',
  done: 'success',
  failed: 'error',
};

export function SourceKindTag({ kind }: { kind: SourceKind }) {
  const { t } = useTranslation();
  return <Tag color={SOURCE_KIND_COLORS[kind]}>{t(`channels.sourceKinds.${kind}`)}</Tag>;
}

export function ChannelKindTag({ kind }: { kind: ChannelKind }) {
  const { t } = useTranslation();
  return <Tag>{t(`channels.kinds.${kind}`)}</Tag>;
}

export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation();
  return <Tag color={CAMPAIGN_STATUS_COLORS[status]}>{t(`channels.campaigns.statuses.${status}`)}</Tag>;
}

/** A delivery's state; a failed one says why on hover. */
export function BatchStatusTag({ batch }: { batch: Batch }) {
  const { t } = useTranslation();
  const tag = (
    <Tag color={BATCH_STATUS_COLORS[batch.status]} data-testid="batch-status">
      {t(`channels.batches.statuses.${batch.status}`)}
    </Tag>
  );
  return batch.error ? <Tooltip title={batch.error}>{tag}</Tooltip> : tag;
}

/** A record's data-quality flags (kept, not refused), by name; a flag not known here as sent. */
export function QualityTags({ flags }: { flags: readonly string[] }) {
  const { t } = useTranslation();
  if (flags.length === 0) return null;
  return (
    <Space size={4} wrap>
      {flags.map((flag) => (
        <Tag key={flag} color="orange" data-testid="quality-flag">
          {t(`channels.quality.${flag}`, { defaultValue: flag })}
        </Tag>
      ))}
    </Space>
  );
}

/** A channel's quadrant on the dashboard: 明星, 高潜力, 低效, 观察 (or no spend). */
export function QuadrantTag({ quadrant }: { quadrant: Quadrant }) {
  const { t } = useTranslation();
  return (
    <Tag color={quadrant === 'no_spend' ? 'default' : QUADRANT_COLORS[quadrant]} data-testid="quadrant-tag">
      {t(`channels.dashboard.quadrant.names.${quadrant}`)}
    </Tag>
  );
}
