import { Card, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DisplayLocale } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import type { CampaignFigures, ChannelFigures, Project } from './api';
import { formatMetric, toNumber, type Metric } from './dashboardModel';

interface TopCampaignsProps {
  campaigns: CampaignFigures[];
  channels: ChannelFigures[];
  projects: readonly Project[];
  currency: string;
}

const COLUMNS: readonly Metric[] = ['spend', 'impressions', 'clicks', 'ctr', 'conversions', 'cpa', 'revenue', 'roas'];

/** Sorts by a figure with the ones without a value (no denominator) last, whichever the order. */
function byFigure(metric: Metric) {
  return (a: CampaignFigures, b: CampaignFigures, order?: 'ascend' | 'descend' | null) => {
    const x = toNumber(a.figures[metric]);
    const y = toNumber(b.figures[metric]);
    if (x === null || y === null) {
      if (x === y) return 0;
      const last = x === null ? 1 : -1;
      return order === 'descend' ? -last : last;
    }
    return x - y;
  };
}

/** The campaigns that spent most over the range (50 at most), sortable by any figure. */
export function TopCampaigns({ campaigns, channels, projects, currency }: TopCampaignsProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const channelName = new Map(channels.map((c) => [c.channel_id, c.name]));
  const project = (id: string | null) => {
    if (!id) return <Typography.Text type="secondary">{t('channels.campaigns.noProject')}</Typography.Text>;
    const found = projects.find((p) => p.id === id);
    if (!found) return <Typography.Text type="secondary">{t('channels.campaigns.hiddenProject')}</Typography.Text>;
    return <Link to={projectPath(id)}>{`${found.code} · ${found.name}`}</Link>;
  };

  const columns: ColumnsType<CampaignFigures> = [
    {
      title: t('channels.campaigns.fields.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 200,
      sorter: (a, b) => a.name.localeCompare(b.name, locale),
    },
    {
      title: t('channels.campaigns.fields.channel'),
      key: 'channel',
      width: 110,
      render: (_, c) => channelName.get(c.channel_id) ?? '—',
    },
    {
      title: t('channels.campaigns.fields.project'),
      key: 'project',
      width: 220,
      render: (_, c) => project(c.project_id),
    },
    ...COLUMNS.map((metric) => ({
      title: <span style={{ whiteSpace: 'nowrap' }}>{t(`channels.dashboard.metrics.${metric}`)}</span>,
      key: metric,
      align: 'right' as const,
      sorter: byFigure(metric),
      defaultSortOrder: metric === 'spend' ? ('descend' as const) : undefined,
      sortDirections: ['descend' as const, 'ascend' as const],
      render: (_: unknown, c: CampaignFigures) => (
        <span style={{ whiteSpace: 'nowrap' }}>{formatMetric(metric, c.figures[metric], currency, locale)}</span>
      ),
    })),
  ];

  return (
    <Card title={t('channels.dashboard.campaigns.title')}>
      <Table<CampaignFigures>
        rowKey="campaign_id"
        size="small"
        columns={columns}
        dataSource={campaigns}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: t('channels.dashboard.campaigns.empty') }}
        data-testid="top-campaigns"
      />
    </Card>
  );
}
