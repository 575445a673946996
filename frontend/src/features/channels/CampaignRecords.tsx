import { useQuery } from '@tanstack/react-query';
import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay, formatMoney, formatNumber, todayIn, type DisplayLocale } from '@/lib/format';
import { useSession } from '@/lib/session';
import { campaignRecordsQuery, type Campaign, type CampaignRow } from './api';
import { lastDays } from './model';
import { QualityTags } from './tags';

/** How far back a campaign's records are shown. */
const DAYS = 30;

/** A campaign's last 30 days as the channel sent them (per day or hour, per creative), with data-quality flags. */
export function CampaignRecords({ campaign }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const me = useSession();
  const { from, to } = lastDays(todayIn(me.org.timezone), DAYS);
  const records = useQuery(campaignRecordsQuery(campaign.id, from, to));
  const count = (n: number) => formatNumber(n, locale);
  // Spend and revenue are written in the organisation's currency (converted at the source's rate).
  const money = (v: string) => formatMoney(v, me.org.currency, locale);

  const columns: ColumnsType<CampaignRow> = [
    {
      title: t('channels.records.day'),
      key: 'day',
      render: (_, r) =>
        r.hour === null
          ? formatDay(r.day, locale)
          : `${formatDay(r.day, locale)} ${String(r.hour).padStart(2, '0')}:00`,
    },
    { title: t('channels.records.creative'), dataIndex: 'creative', render: (v: string) => v || '—' },
    { title: t('channels.records.impressions'), dataIndex: 'impressions', align: 'right', render: count },
    { title: t('channels.records.clicks'), dataIndex: 'clicks', align: 'right', render: count },
    { title: t('channels.records.conversions'), dataIndex: 'conversions', align: 'right', render: count },
    { title: t('channels.records.leads'), dataIndex: 'leads', align: 'right', render: count },
    { title: t('channels.records.spend'), dataIndex: 'spend', align: 'right', render: money },
    { title: t('channels.records.revenue'), dataIndex: 'revenue', align: 'right', render: money },
    {
      title: t('channels.records.quality'),
      key: 'quality',
      render: (_, r) => <QualityTags flags={r.quality} />,
    },
  ];

  return (
    <>
      <Typography.Text type="secondary">
        {t('channels.records.window', { days: DAYS, from: formatDay(from, locale), to: formatDay(to, locale) })}
      </Typography.Text>
      {records.error ? <ProblemAlert error={records.error} /> : null}
      <Table<CampaignRow>
        rowKey={(r) => `${r.day}-${r.hour ?? 'day'}-${r.creative}`}
        size="small"
        loading={records.isPending}
        columns={columns}
        dataSource={records.data ?? []}
        locale={{ emptyText: t('channels.records.empty') }}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        data-testid="campaign-records"
      />
    </>
  );
}
