import { SettingOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Flex, Segmented, Select, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime, type DisplayLocale } from '@/lib/format';
import { alertPath, paths } from '@/lib/paths';
import { useSession } from '@/lib/session';
import { alertsQuery, projectsQuery, type Alert, type AlertView } from './api';
import { AlertFigures } from './AlertFigures';
import { relativeTime, scopeText } from './model';
import { SeverityTag } from '@/components/SeverityTag';
import { AlertStateTag } from './tags';

const PAGE_SIZE = 20;
const VIEWS: readonly AlertView[] = ['open', 'resolved', 'all'];

function viewOf(value: string | null): AlertView {
  return VIEWS.includes(value as AlertView) ? (value as AlertView) : 'open';
}

/** 预警中心: the alerts channel data raised — 未处理 first, the most severe and newest on top. */
export function AlertsPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const lang = locale === 'en' ? 'en' : 'zh-CN';
  const me = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = viewOf(params.get('view'));
  const projectId = params.get('project') ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const list = useQuery(
    alertsQuery(lang, { view, project_id: projectId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
  );
  const projects = useQuery(projectsQuery);
  const now = new Date();

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<Alert> = [
    {
      title: t('alerts.fields.severity'),
      key: 'severity',
      width: 90,
      render: (_, a) => <SeverityTag severity={a.severity} />,
    },
    {
      title: t('alerts.fields.alert'),
      key: 'alert',
      render: (_, a) => (
        <Flex vertical>
          <Link to={alertPath(a.id)} onClick={(e) => e.stopPropagation()} data-testid="alert-open">
            {a.rule_name}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {scopeText(t, a.scope_kind, a.scope_label)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('alerts.fields.figures'),
      key: 'figures',
      render: (_, a) => (
        <Flex vertical>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`alerts.metrics.${a.metric}`, { defaultValue: a.metric })}
          </Typography.Text>
          <AlertFigures alert={a} />
        </Flex>
      ),
    },
    {
      title: t('alerts.fields.openedAt'),
      key: 'opened',
      width: 160,
      render: (_, a) => (
        <Tooltip title={formatDateTime(a.opened_at, me.org.timezone)}>
          <Flex vertical>
            <span>{relativeTime(a.opened_at, now, locale)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(a.opened_at, me.org.timezone)}
            </Typography.Text>
          </Flex>
        </Tooltip>
      ),
    },
    {
      title: t('alerts.fields.state'),
      key: 'state',
      width: 100,
      render: (_, a) => <AlertStateTag state={a.state} auto={a.auto_resolved} />,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('alerts.center.title')}
        subtitle={t('alerts.center.subtitle')}
        testId="alerts-title"
        extra={
          <Button icon={<SettingOutlined />} onClick={() => void navigate(paths.modules.alertRules)}>
            {t('alerts.rules.title')}
          </Button>
        }
      />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Segmented<AlertView>
          value={view}
          options={VIEWS.map((v) => ({ value: v, label: t(`alerts.center.views.${v}`) }))}
          onChange={(value) => set({ view: value === 'open' ? undefined : value })}
          data-testid="alert-view"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          value={projectId}
          placeholder={t('alerts.center.allProjects')}
          options={(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
          onChange={(value?: string) => set({ project: value })}
          style={{ width: 280 }}
          data-testid="alert-project-filter"
        />
      </Flex>
      {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Alert>
        rowKey="id"
        loading={list.isPending}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t(view === 'open' ? 'alerts.center.emptyOpen' : 'alerts.center.empty') }}
        onRow={(a) => ({ onClick: () => void navigate(alertPath(a.id)), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (next) => set({ page: next > 1 ? String(next) : undefined }),
        }}
        data-testid="alert-table"
      />
    </>
  );
}
