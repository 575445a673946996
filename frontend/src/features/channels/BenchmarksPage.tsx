import { ImportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Select, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { isApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import type { DisplayLocale } from '@/lib/format';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { benchmarksQuery, channelSettingsQuery, usePutChannelSettings, type Industry } from './api';
import { BenchmarkGrid } from './BenchmarkGrid';
import { BenchmarkImportModal } from './BenchmarkImportModal';
import { overriddenCount } from './benchmarkModel';

/**
 * 行业基准: the benchmarks channel data is compared with (the dashboard's "vs 基准", alert rules
 * on a benchmark) — the organisation's industry, and any industry's grid of channel kind ×
 * CTR, CVR, CPC, CPM, CPA, ROAS with the cells the organisation set marked. Those who manage
 * channels change the industry (at the revision read), edit cells, bring shipped values back
 * and import a CSV of cells. The industry viewed is kept in the address.
 */
export function BenchmarksPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { message } = App.useApp();
  const me = useSession();
  const canManage = hasPermission(me, 'channels:manage');
  const [params, setParams] = useSearchParams();
  const viewing = (params.get('industry') as Industry | null) || null;
  const grid = useQuery(benchmarksQuery(viewing));
  const settings = useQuery(channelSettingsQuery);
  const putSettings = usePutChannelSettings();
  const [importing, setImporting] = useState(false);
  const data = grid.data;
  // The grid on screen (the last one stays while another industry loads), and the one picked.
  const shown = (data?.industry ?? null) as Industry | null;
  const picked = viewing ?? shown;
  const settled = !grid.isPlaceholderData;
  const industryName = (key: string | null | undefined) => {
    if (!key) return '—';
    const sent = data?.industries.find((i) => i.key === key)?.name ?? key;
    return t(`channels.dashboard.industries.${key}`, { defaultValue: sent });
  };
  const industryOptions = (data?.industries ?? []).map((i) => ({ value: i.key, label: industryName(i.key) }));
  const orgIndustry = settings.data?.industry ?? data?.org_industry;

  const view = (industry: string) => {
    const next = new URLSearchParams(params);
    if (industry === orgIndustry) next.delete('industry');
    else next.set('industry', industry);
    setParams(next, { replace: true });
  };

  const changeIndustry = (industry: Industry) => {
    if (!settings.data || industry === settings.data.industry) return;
    putSettings.mutate(
      { industry, revision: settings.data.revision },
      {
        onSuccess: (saved) => {
          void message.success(t('channels.benchmarks.industrySaved', { industry: industryName(saved.industry) }));
        },
        onError: (error) => {
          if (isApiError(error) && error.status === 409) {
            void message.warning(t('channels.benchmarks.industryStale'));
          } else void message.error(errorText(error, t));
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        title={t('channels.benchmarks.title')}
        subtitle={t('channels.benchmarks.subtitle')}
        extra={
          canManage && shown && settled ? (
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="benchmark-import-open">
              {t('channels.benchmarks.import.open')}
            </Button>
          ) : null
        }
      />
      <ProblemAlert error={settings.error ?? grid.error} onRetry={() => void grid.refetch()} />
      <Card size="small" style={{ marginBottom: 16 }} data-testid="benchmark-industry">
        <Flex gap={24} wrap align="center">
          <Flex gap={8} align="center" wrap>
            <Typography.Text type="secondary">{t('channels.benchmarks.orgIndustry')}</Typography.Text>
            {canManage ? (
              <Select<Industry>
                value={(settings.data?.industry as Industry | undefined) ?? undefined}
                options={industryOptions}
                onChange={changeIndustry}
                loading={settings.isPending || putSettings.isPending}
                disabled={!settings.data || putSettings.isPending}
                style={{ width: 180 }}
                aria-label={t('channels.benchmarks.orgIndustry')}
                data-testid="benchmark-org-industry"
              />
            ) : (
              <Typography.Text strong data-testid="benchmark-org-industry-name">
                {industryName(orgIndustry)}
              </Typography.Text>
            )}
          </Flex>
          <Flex gap={8} align="center" wrap>
            <Typography.Text type="secondary">{t('channels.benchmarks.viewing')}</Typography.Text>
            <Select<string>
              value={picked ?? undefined}
              options={industryOptions}
              onChange={view}
              style={{ width: 180 }}
              aria-label={t('channels.benchmarks.viewing')}
              data-testid="benchmark-view-industry"
            />
            {picked && picked === orgIndustry ? (
              <Tag color="green" bordered={false}>
                {t('channels.benchmarks.inUse')}
              </Tag>
            ) : null}
          </Flex>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
          {t('channels.benchmarks.industryHint')}
        </Typography.Paragraph>
      </Card>
      {data && shown && shown !== orgIndustry ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('channels.benchmarks.otherIndustry', {
            industry: industryName(shown),
            org: industryName(orgIndustry),
          })}
          data-testid="benchmark-other-industry"
        />
      ) : null}
      <Card
        size="small"
        title={t('channels.benchmarks.gridTitle', { industry: industryName(shown) })}
        extra={
          data ? (
            <Typography.Text type="secondary" data-testid="benchmark-overridden-count">
              {t('channels.benchmarks.overriddenCount', { count: overriddenCount(data.items) })}
            </Typography.Text>
          ) : null
        }
      >
        {data && shown ? (
          <BenchmarkGrid grid={data} industry={shown} canManage={canManage && settled} locale={locale} />
        ) : (
          <Skeleton active />
        )}
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 12 }}>
          {t('channels.benchmarks.units')}
        </Typography.Paragraph>
      </Card>
      {canManage && data && shown ? (
        <BenchmarkImportModal
          open={importing}
          industry={shown}
          industryName={industryName(shown)}
          items={data.items}
          onClose={() => setImporting(false)}
        />
      ) : null}
    </>
  );
}
