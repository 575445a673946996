import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Flex, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { SeverityTag } from '@/components/SeverityTag';
import { alertPath, paths } from '@/lib/paths';
import { openAlertsQuery, type OpenAlert } from './api';

/**
 * 渠道预警: what channel data raised and nobody resolved yet — how many, and the five most
 * pressing (critical and newest first), each leading to its page with the suggestion.
 */
export function AlertsCard() {
  const { t } = useTranslation();
  const query = useQuery(openAlertsQuery);
  const total = query.data?.total ?? 0;
  const critical = (query.data?.items ?? []).some((a) => a.severity === 'critical');
  return (
    <Card
      variant="borderless"
      style={{ height: '100%' }}
      data-testid="panel-alerts"
      title={
        <Flex align="center" gap={8}>
          {t('home.alerts.title')}
          <Badge
            count={total}
            showZero
            overflowCount={999}
            color={total === 0 ? '#bfbfbf' : critical ? '#cf1322' : '#fa8c16'}
            data-testid="panel-alerts-count"
          />
        </Flex>
      }
      extra={
        <Link to={paths.modules.alerts}>
          {t('home.alerts.all')} <RightOutlined />
        </Link>
      }
    >
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <List
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: <EmptyState compact description={t('home.alerts.empty')} /> }}
        renderItem={(alert) => <AlertRow alert={alert} />}
      />
    </Card>
  );
}

function AlertRow({ alert }: { alert: OpenAlert }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid="home-alert">
      <Flex align="center" gap={8} style={{ width: '100%', minWidth: 0 }}>
        <SeverityTag severity={alert.severity} />
        <Flex vertical style={{ minWidth: 0, flex: 1 }}>
          <Link to={alertPath(alert.id)} data-testid="home-alert-link">
            <Typography.Text ellipsis style={{ color: 'inherit' }}>
              {alert.rule_name}
            </Typography.Text>
          </Link>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
            {alert.scope_label || t('alerts.scope.org')}
            {alert.state === 'acknowledged' ? ` · ${t('alerts.states.acknowledged')}` : ''}
          </Typography.Text>
        </Flex>
      </Flex>
    </List.Item>
  );
}
