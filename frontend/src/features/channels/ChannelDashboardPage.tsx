import { ApiOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Flex, Select, Skeleton, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay, todayIn, type DisplayLocale } from '@/lib/format';
import { paths } from '@/lib/paths';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { channelsQuery, dashboardQuery, projectsQuery, type DashboardFilters } from './api';
import { ChannelComparison } from './ChannelComparison';
import { DashboardKpis } from './DashboardKpis';
import { DashboardTrend } from './DashboardTrend';
import { hasData, MAX_RANGE_DAYS, presetRange, previousRange, RANGE_PRESETS, rangeFromParams } from './dashboardModel';
import { QuadrantCard } from './QuadrantCard';
import { TopCampaigns } from './TopCampaigns';

const DAY_FORMAT = 'YYYY-MM-DD';

/**
 * 渠道看板: what the channels spent and returned over a range of days (近30天 by default, in the
 * organisation's days), one channel's or one project's — the totals against the days before,
 * the trend, each channel against its industry benchmark and in its quadrant, and the
 * campaigns that spent most. The range and filters are kept in the address.
 */
export function ChannelDashboardPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const me = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const today = todayIn(me.org.timezone);
  const range = rangeFromParams(params, today);
  const channelId = params.get('channel') ?? undefined;
  const projectId = params.get('project') ?? undefined;
  const filters: DashboardFilters = { ...range, channel_id: channelId, project_id: projectId };
  const dashboard = useQuery(dashboardQuery(filters));
  const channels = useQuery(channelsQuery);
  const projects = useQuery(projectsQuery);
  const canUpload = hasPermission(me, 'channel_data:send');

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  const onRange = (values: [Dayjs | null, Dayjs | null] | null) => {
    const [from, to] = values ?? [null, null];
    if (from && to) set({ from: from.format(DAY_FORMAT), to: to.format(DAY_FORMAT) });
    else set({ from: undefined, to: undefined });
  };

  const presets = RANGE_PRESETS.map((preset) => {
    const days = presetRange(preset, today);
    return {
      label: <span data-testid={`range-${preset}`}>{t(`channels.dashboard.presets.${preset}`)}</span>,
      value: [dayjs(days.from), dayjs(days.to)] as [Dayjs, Dayjs],
    };
  });
  const before = previousRange(range);
  const data = dashboard.data;

  const actions = (
    <>
      {canUpload ? (
        <Button
          icon={<UploadOutlined />}
          onClick={() => void navigate(paths.modules.channelUpload)}
          data-testid="dashboard-upload"
        >
          {t('channels.dashboard.upload')}
        </Button>
      ) : null}
      <Button
        icon={<ApiOutlined />}
        onClick={() => void navigate(paths.modules.channelSources)}
        data-testid="dashboard-sources"
      >
        {t('channels.dashboard.sources')}
      </Button>
    </>
  );

  return (
    <>
      <PageHeader
        title={t('channels.dashboard.title')}
        subtitle={t('channels.dashboard.subtitle')}
        testId="channel-dashboard-title"
        extra={actions}
      />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker
          value={[dayjs(range.from), dayjs(range.to)]}
          presets={presets}
          allowClear={false}
          // The server answers at most 366 days.
          disabledDate={(current, info) => !!info.from && Math.abs(current.diff(info.from, 'day')) >= MAX_RANGE_DAYS}
          onChange={onRange}
          data-testid="dashboard-range"
        />
        <Select
          allowClear
          value={channelId}
          placeholder={t('channels.campaigns.allChannels')}
          options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={(value?: string) => set({ channel: value })}
          style={{ width: 180 }}
          data-testid="dashboard-channel"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          value={projectId}
          placeholder={t('channels.dashboard.allProjects')}
          options={(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
          onChange={(value?: string) => set({ project: value })}
          style={{ width: 280 }}
          data-testid="dashboard-project"
        />
        <Typography.Text type="secondary" data-testid="dashboard-previous">
          {t('channels.dashboard.comparedWith', {
            from: formatDay(before.from, locale),
            to: formatDay(before.to, locale),
          })}
        </Typography.Text>
      </Flex>
      {dashboard.error ? <ProblemAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} /> : null}
      {dashboard.isPending ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : data && !hasData(data) ? (
        <EmptyState
          title={t('channels.dashboard.empty.title')}
          description={t('channels.dashboard.empty.description')}
          testId="dashboard-empty"
          action={
            <Flex gap={8} justify="center">
              {actions}
            </Flex>
          }
        />
      ) : data ? (
        <Spin spinning={dashboard.isPlaceholderData}>
          <Flex vertical gap={16}>
            <DashboardKpis totals={data.totals} previous={data.previous} currency={data.currency} />
            <DashboardTrend dashboard={data} />
            <ChannelComparison dashboard={data} />
            <QuadrantCard channels={data.channels} basis={data.basis} />
            <TopCampaigns
              campaigns={data.campaigns}
              channels={data.channels}
              projects={projects.data ?? []}
              currency={data.currency}
            />
          </Flex>
        </Spin>
      ) : null}
    </>
  );
}
