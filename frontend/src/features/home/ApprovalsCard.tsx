import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Flex, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime, formatMoney } from '@/lib/format';
import { paths } from '@/lib/paths';
import { roleLabelKey } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { pendingApprovalsQuery } from './api';

/**
 * Pending approval requests: for approvers those waiting for their decision (`inbox`), for
 * project managers the ones they raised (`mine`).
 */
export function ApprovalsCard({ box }: { box: 'inbox' | 'mine' }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const me = useSession();
  const query = useQuery(pendingApprovalsQuery(box));
  const total = query.data?.total ?? 0;
  const link = (id?: string) =>
    `${paths.modules.approvals}?box=${box}${box === 'mine' ? '&state=pending' : ''}${id ? `&open=${id}` : ''}`;
  return (
    <Card
      variant="borderless"
      style={{ height: '100%' }}
      data-testid={`panel-approvals-${box}`}
      title={
        <Flex align="center" gap={8}>
          {t(box === 'inbox' ? 'home.approvals.inbox' : 'home.approvals.mine')}
          <Badge count={total} showZero color={total > 0 ? undefined : '#bfbfbf'} data-testid="panel-approvals-count" />
        </Flex>
      }
      extra={
        <Link to={link()}>
          {t('home.approvals.all')} <RightOutlined />
        </Link>
      }
    >
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <List
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        locale={{
          emptyText: (
            <EmptyState
              compact
              description={t(box === 'inbox' ? 'home.approvals.inboxEmpty' : 'home.approvals.mineEmpty')}
            />
          ),
        }}
        renderItem={(a) => (
          <List.Item data-testid="panel-approval">
            <List.Item.Meta
              title={<Link to={link(a.id)}>{a.title}</Link>}
              description={
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {box === 'inbox' ? `${a.requested_by_name} · ` : ''}
                  {formatMoney(a.amount, a.currency, locale)} · {formatDateTime(a.created_at, me.org.timezone)}
                </Typography.Text>
              }
            />
            {a.waiting_for_role ? (
              <Tag color="processing" bordered={false}>
                {t('approvals.waitingFor', { role: t(roleLabelKey(a.waiting_for_role)) })}
              </Tag>
            ) : null}
          </List.Item>
        )}
      />
    </Card>
  );
}
