import { FundOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Kpi } from './api';
import { useChannelDirectory } from './hooks';
import { channelQueryOf, type ChannelQuery } from './model';

/** A channel query in words: 点击率 CTR（目标关联项目 · 抖音）. */
function channelQueryText(query: ChannelQuery, t: TFunction, channelName: (key: string) => string): string {
  return t('strategy.kpi.channel.query', {
    metric: t(`strategy.kpi.channel.metrics.${query.metric}`),
    scope: t(`strategy.kpi.channel.scopes.${query.scope}`),
    channel: query.channel ? channelName(query.channel) : t('strategy.kpi.channel.allChannels'),
  });
}

interface ChannelKpiSourceProps {
  kpi: Pick<Kpi, 'source' | 'source_config'>;
  /** Whether the reader may list the channels (else a channel is named by its key). */
  canReadChannels: boolean;
}

/**
 * The mark of a KPI computed from channel data: 来自渠道数据 and what it sums, in words (how it is
 * computed on hover). Nothing for a KPI people check in on.
 */
export function ChannelKpiSource({ kpi, canReadChannels }: ChannelKpiSourceProps) {
  const { t } = useTranslation();
  const query = channelQueryOf(kpi);
  const { channelNameOf } = useChannelDirectory(!!query?.channel && canReadChannels);
  if (!query) return null;
  return (
    <Tooltip title={t('strategy.kpi.channel.computedHint')}>
      <Tag
        color="geekblue"
        bordered={false}
        icon={<FundOutlined />}
        style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}
        data-testid="kpi-channel-source"
      >
        {t('strategy.kpi.channel.tag')}
        {' · '}
        <span data-testid="kpi-channel-query">{channelQueryText(query, t, channelNameOf)}</span>
      </Tag>
    </Tooltip>
  );
}
