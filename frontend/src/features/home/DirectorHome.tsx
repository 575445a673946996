import { AlertOutlined, FundOutlined, ProjectOutlined, RiseOutlined, WalletOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { activeProjectCountQuery } from './api';
import { ApprovalsCard } from './ApprovalsCard';
import { EmptyPanel, KpiRow } from './components';
import { StrategyProgressCard } from './StrategyProgressCard';

/** The director's cockpit: KPIs, ROI by channel, budgets, alerts and the team ranking. */
export function DirectorHome() {
  const { t } = useTranslation();
  const me = useSession();
  const activeProjects = useQuery({
    ...activeProjectCountQuery(),
    enabled: hasPermission(me, PERMISSIONS.projectsRead),
  }).data;
  return (
    <>
      <PageHeader
        title={t('home.director.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.director.subtitle')}`}
        testId="home-director"
      />
      <KpiRow
        items={[
          { key: 'budget', title: t('home.director.budget'), icon: <WalletOutlined /> },
          { key: 'spend', title: t('home.director.spend'), icon: <FundOutlined /> },
          { key: 'roi', title: t('home.director.roi'), icon: <RiseOutlined /> },
          {
            key: 'active-projects',
            title: t('home.director.activeProjects'),
            value: activeProjects,
            icon: <ProjectOutlined />,
          },
          { key: 'open-alerts', title: t('home.director.openAlerts'), icon: <AlertOutlined /> },
        ]}
      />
      <Row gutter={[16, 16]}>
        {hasPermission(me, PERMISSIONS.approvalsDecide) ? (
          <Col xs={24}>
            <ApprovalsCard box="inbox" />
          </Col>
        ) : null}
        {hasPermission(me, PERMISSIONS.strategyRead) ? (
          <Col xs={24}>
            <StrategyProgressCard />
          </Col>
        ) : null}
        <Col xs={24} xl={14}>
          <EmptyPanel
            title={t('home.director.roiByChannel')}
            description={t('home.director.roiEmpty')}
            testId="panel-roi"
          />
        </Col>
        <Col xs={24} xl={10}>
          <EmptyPanel
            title={t('home.director.alerts')}
            description={t('home.director.alertsEmpty')}
            testId="panel-alerts"
          />
        </Col>
        <Col xs={24} xl={14}>
          <EmptyPanel
            title={t('home.director.budgets')}
            description={t('home.director.budgetsEmpty')}
            testId="panel-budgets"
          />
        </Col>
        <Col xs={24} xl={10}>
          <EmptyPanel
            title={t('home.director.ranking')}
            description={t('home.director.rankingEmpty')}
            testId="panel-ranking"
          />
        </Col>
      </Row>
    </>
  );
}
