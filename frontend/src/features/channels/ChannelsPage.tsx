import { useQuery } from '@tanstack/react-query';
import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { channelsQuery } from './api';
import { CampaignTable } from './CampaignTable';
import { ChannelList } from './ChannelList';

/** 渠道与广告计划: the organisation's ad channels and their campaigns, each linked to the project it spends for. */
export function ChannelsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const canManage = hasPermission(me, 'channels:manage');
  const channels = useQuery(channelsQuery);

  return (
    <>
      <PageHeader title={t('channels.title')} subtitle={t('channels.subtitle')} testId="channels-title" />
      <Flex vertical gap={24}>
        <ChannelList channels={channels} canManage={canManage} />
        <CampaignTable channels={channels.data ?? []} canManage={canManage} />
      </Flex>
    </>
  );
}
