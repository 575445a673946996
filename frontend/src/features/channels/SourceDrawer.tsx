import { Descriptions, Drawer, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDecimal, type DisplayLocale } from '@/lib/format';
import { useSession } from '@/lib/session';
import type { Source } from './api';
import { webhookUrl } from './model';
import { SourceDeliveries } from './SourceDeliveries';
import { SourceHelp } from './SourceHelp';
import { SourceSecret } from './SourceSecret';
import { SourceKindTag } from './tags';

interface SourceDrawerProps {
  source: Source | null;
  channelName: (id: string | null) => string;
  canManage: boolean;
  onClose: () => void;
}

/** One source: where it posts, its secret, how to send to it, and what it last delivered. */
export function SourceDrawer({ source, channelName, canManage, onClose }: SourceDrawerProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const me = useSession();
  if (!source) return <Drawer open={false} onClose={onClose} />;
  const url = source.webhook_path ? webhookUrl(window.location.origin, source.webhook_path) : null;

  return (
    <Drawer open title={source.name} width={760} onClose={onClose} data-testid="source-drawer">
      <Flex vertical gap={24}>
        <Descriptions
          size="small"
          column={2}
          items={[
            { key: 'kind', label: t('channels.sources.fields.kind'), children: <SourceKindTag kind={source.kind} /> },
            { key: 'channel', label: t('channels.sources.fields.channel'), children: channelName(source.channel_id) },
            {
              key: 'currency',
              label: t('channels.sources.fields.currency'),
              children: t('channels.sources.rateValue', {
                currency: source.currency,
                rate: formatDecimal(source.rate, locale, 6),
                orgCurrency: me.org.currency,
              }),
            },
            {
              key: 'status',
              label: t('channels.sources.fields.status'),
              children: source.active ? (
                <Tag color="green">{t('channels.sources.active')}</Tag>
              ) : (
                <Tag>{t('channels.sources.paused')}</Tag>
              ),
            },
            {
              key: 'last',
              label: t('channels.sources.fields.lastReceived'),
              children: source.last_received_at
                ? formatDateTime(source.last_received_at, me.org.timezone)
                : t('common.never'),
            },
          ]}
        />
        {url ? (
          <section>
            <Typography.Title level={5}>{t('channels.sources.url')}</Typography.Title>
            <Typography.Text code copyable data-testid="source-url">
              {url}
            </Typography.Text>
          </section>
        ) : null}
        {source.has_secret ? <SourceSecret key={source.id} source={source} canManage={canManage} /> : null}
        <SourceHelp source={source} url={url} />
        <SourceDeliveries sourceId={source.id} />
      </Flex>
    </Drawer>
  );
}
