import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Flex, List, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProgressBar } from '@/components/ProgressBar';
import { todayIn } from '@/lib/format';
import { paths } from '@/lib/paths';
import { useSession } from '@/lib/session';
import { strategyGoalsQuery } from './api';

/** The current year's top-level goals and how far along they are, linking to the strategy page. */
export function StrategyProgressCard() {
  const { t } = useTranslation();
  const me = useSession();
  const query = useQuery(strategyGoalsQuery(todayIn(me.org.timezone)));
  const period = query.data?.period;

  return (
    <Card
      title={period ? `${t('home.director.strategy')} · ${period.name}` : t('home.director.strategy')}
      variant="borderless"
      data-testid="panel-strategy"
      extra={
        <Link to={paths.modules.strategy} data-testid="panel-strategy-link">
          {t('home.director.strategyAll')} <RightOutlined />
        </Link>
      }
    >
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : query.data && query.data.goals.length > 0 ? (
        <List
          dataSource={query.data.goals}
          renderItem={(goal) => (
            <List.Item>
              <Flex align="center" gap={24} style={{ width: '100%' }} wrap>
                <Typography.Text strong style={{ flex: '1 1 200px' }}>
                  {goal.title}
                </Typography.Text>
                <div style={{ flex: '0 1 360px', minWidth: 200 }}>
                  <ProgressBar progress={goal.progress} testId="panel-strategy-progress" />
                </div>
              </Flex>
            </List.Item>
          )}
        />
      ) : query.data ? (
        <EmptyState compact description={t('home.director.strategyEmpty')} />
      ) : null}
    </Card>
  );
}
