import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Flex, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProgressBar } from '@/components/ProgressBar';
import { goalPath, paths } from '@/lib/paths';
import { useSession } from '@/lib/session';
import { ownGoalsQuery } from './api';

/** The goals the signed-in person owns, with their progress, each opening on the strategy page. */
export function OwnGoalsCard() {
  const { t } = useTranslation();
  const me = useSession();
  const query = useQuery(ownGoalsQuery(me.membership_id));
  return (
    <Card
      variant="borderless"
      style={{ height: '100%' }}
      data-testid="panel-own-goals"
      title={t('home.member.goals')}
      extra={
        <Link to={paths.modules.strategy}>
          {t('home.director.strategyAll')} <RightOutlined />
        </Link>
      }
    >
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <List
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: <EmptyState compact description={t('home.member.goalsEmpty')} /> }}
        renderItem={(goal) => (
          <List.Item data-testid="panel-own-goal">
            <Flex align="center" gap={24} style={{ width: '100%' }} wrap>
              <Link to={goalPath(goal.id)} style={{ flex: '1 1 200px' }}>
                <Typography.Text strong>{goal.title}</Typography.Text>
              </Link>
              <div style={{ flex: '0 1 320px', minWidth: 180 }}>
                <ProgressBar progress={goal.progress} />
              </div>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}
