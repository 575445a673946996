import { ArrowLeftOutlined, BulbOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Flex, Skeleton, Space, Table, Timeline, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { StatusResult } from '@/components/StatusResult';
import { formatDateTime, type DisplayLocale } from '@/lib/format';
import { paths, projectPath } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { alertQuery, memberQuery, type Alert } from './api';
import { AlertActionModal, type AlertAction } from './AlertActionModal';
import { AlertFigures } from './AlertFigures';
import { canAcknowledge, canResolve, figures, relativeTime, scopeText, windowText, type Figure } from './model';
import { SeverityTag } from '@/components/SeverityTag';
import { AlertStateTag } from './tags';

/** Who acted: the reader themself, else the member's name (when the reader may look people up). */
function MemberName({ id }: { id: string }) {
  const { t } = useTranslation();
  const me = useSession();
  const self = id === me.membership_id;
  const member = useQuery({ ...memberQuery(id), enabled: !self && hasPermission(me, PERMISSIONS.membersRead) });
  if (self) return <>{me.user.name}</>;
  return <>{member.data?.name ?? t('alerts.detail.someone')}</>;
}

function AlertTimeline({ alert }: { alert: Alert }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const me = useSession();
  const when = (moment: string) => (
    <Typography.Text type="secondary">
      {t('alerts.detail.when', {
        time: formatDateTime(moment, me.org.timezone),
        ago: relativeTime(moment, new Date(), locale),
      })}
    </Typography.Text>
  );
  const items = [
    {
      key: 'opened',
      color: 'red',
      children: (
        <Flex vertical>
          <span>{t('alerts.detail.opened')}</span>
          {when(alert.opened_at)}
        </Flex>
      ),
    },
  ];
  if (alert.state !== 'resolved' || alert.last_seen_at !== alert.opened_at) {
    items.push({
      key: 'seen',
      color: 'gray',
      children: (
        <Flex vertical>
          <span>{t('alerts.detail.lastSeen')}</span>
          {when(alert.last_seen_at)}
        </Flex>
      ),
    });
  }
  if (alert.acknowledged_at) {
    items.push({
      key: 'acknowledged',
      color: 'blue',
      children: (
        <Flex vertical>
          <span>
            {alert.acknowledged_by_member_id ? (
              <>
                <MemberName id={alert.acknowledged_by_member_id} /> {t('alerts.detail.acknowledgedBy')}
              </>
            ) : (
              t('alerts.states.acknowledged')
            )}
          </span>
          {when(alert.acknowledged_at)}
        </Flex>
      ),
    });
  }
  if (alert.resolved_at) {
    items.push({
      key: 'resolved',
      color: 'green',
      children: (
        <Flex vertical>
          <span data-testid="alert-resolved-by">
            {alert.auto_resolved || !alert.resolved_by_member_id ? (
              t('alerts.detail.autoResolved')
            ) : (
              <>
                <MemberName id={alert.resolved_by_member_id} /> {t('alerts.detail.resolvedBy')}
              </>
            )}
          </span>
          {when(alert.resolved_at)}
        </Flex>
      ),
    });
  }
  return <Timeline items={items} data-testid="alert-timeline" />;
}

/**
 * One alert (its own address: notifications and outbound notices link here): what crossed
 * which threshold for whom, what to do about it, the figures behind it and who handled it.
 */
export function AlertDetailPage() {
  const { alertId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const lang = locale === 'en' ? 'en' : 'zh-CN';
  const { token } = theme.useToken();
  const me = useSession();
  const canHandle = hasPermission(me, PERMISSIONS.alertsHandle);
  const query = useQuery(alertQuery(lang, alertId));
  const [acting, setActing] = useState<AlertAction | null>(null);
  const back = (
    <Link to={paths.modules.alerts} data-testid="alert-back">
      <ArrowLeftOutlined /> {t('alerts.center.title')}
    </Link>
  );

  if (query.error && isApiError(query.error) && query.error.status === 404) return <StatusResult kind="notFound" />;
  if (query.error) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Skeleton active />;
  const alert = query.data;
  const metric = t(`alerts.metrics.${alert.metric}`, { defaultValue: alert.metric });
  const scope = scopeText(t, alert.scope_kind, alert.scope_label);

  return (
    <>
      <div style={{ marginBottom: 12 }}>{back}</div>
      <PageHeader
        title={t('alerts.detail.title', { metric, scope })}
        subtitle={
          <Space size={4} wrap>
            <SeverityTag severity={alert.severity} />
            <AlertStateTag state={alert.state} auto={alert.auto_resolved} />
            <span>{alert.rule_name}</span>
          </Space>
        }
        testId="alert-title"
        extra={
          canHandle ? (
            <>
              {canAcknowledge(alert.state) ? (
                <Button onClick={() => setActing('acknowledge')} data-testid="alert-acknowledge">
                  {t('alerts.actions.acknowledge')}
                </Button>
              ) : null}
              {canResolve(alert.state) ? (
                <Button type="primary" onClick={() => setActing('resolve')} data-testid="alert-resolve">
                  {t('alerts.actions.resolve')}
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      <Flex vertical gap={16} style={{ maxWidth: 960 }}>
        <Card size="small" data-testid="alert-headline">
          <Flex justify="space-between" wrap gap={16} align="center">
            <Flex vertical>
              <Typography.Text type="secondary">
                {t('alerts.detail.headline', { metric, window: windowText(t, alert.window_unit, alert.window_size) })}
              </Typography.Text>
              <AlertFigures alert={alert} large />
            </Flex>
            {alert.project_id && alert.scope_kind !== 'org' ? (
              <Link to={projectPath(alert.project_id)} data-testid="alert-project">
                {t('alerts.detail.project')}
              </Link>
            ) : null}
          </Flex>
        </Card>
        <Card
          size="small"
          title={
            <Space>
              <BulbOutlined style={{ color: token.colorWarning }} />
              {t('alerts.detail.suggestion')}
            </Space>
          }
          style={{ background: token.colorWarningBg, borderColor: token.colorWarningBorder }}
          data-testid="alert-suggestion"
        >
          <Typography.Paragraph style={{ fontSize: 16, marginBottom: 0 }}>{alert.suggestion_text}</Typography.Paragraph>
        </Card>
        <Flex gap={16} wrap align="flex-start">
          <Card size="small" title={t('alerts.detail.figures')} style={{ flex: '1 1 360px' }}>
            <Table<Figure>
              rowKey="key"
              size="small"
              pagination={false}
              showHeader={false}
              dataSource={figures(alert, locale)}
              columns={[
                { key: 'label', render: (_, f) => t(f.labelKey, { defaultValue: f.key }) },
                { key: 'value', align: 'right', render: (_, f) => f.value },
              ]}
              data-testid="alert-figures"
            />
            <Descriptions
              size="small"
              column={1}
              style={{ marginTop: 12 }}
              items={[
                { key: 'rule', label: t('alerts.fields.rule'), children: alert.rule_name },
                {
                  key: 'window',
                  label: t('alerts.fields.window'),
                  children: windowText(t, alert.window_unit, alert.window_size),
                },
                { key: 'scope', label: t('alerts.fields.scope'), children: scope },
              ]}
            />
          </Card>
          <Card size="small" title={t('alerts.detail.timeline')} style={{ flex: '1 1 320px' }}>
            <AlertTimeline alert={alert} />
            {alert.note ? (
              <Flex vertical data-testid="alert-note">
                <Typography.Text type="secondary">{t('alerts.fields.note')}</Typography.Text>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                  {alert.note}
                </Typography.Paragraph>
              </Flex>
            ) : null}
          </Card>
        </Flex>
      </Flex>
      <AlertActionModal alert={alert} action={acting} onClose={() => setActing(null)} />
    </>
  );
}
