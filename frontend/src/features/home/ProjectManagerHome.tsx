import { ClockCircleOutlined, ExclamationCircleOutlined, PieChartOutlined, ProjectOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { useSession } from '@/lib/session';
import { ApprovalsCard } from './ApprovalsCard';
import { activeProjectCountQuery } from './api';
import { EmptyPanel, KpiRow } from './components';
import { MyProjectsCard } from './MyProjectsCard';

/** A project manager starts from the projects they run: battle maps, Gantt, budget burn. */
export function ProjectManagerHome() {
  const { t } = useTranslation();
  const me = useSession();
  const active = useQuery(activeProjectCountQuery(me.membership_id)).data;
  return (
    <>
      <PageHeader
        title={t('home.project_manager.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.project_manager.subtitle')}`}
        testId="home-project_manager"
      />
      <KpiRow
        items={[
          {
            key: 'active-projects',
            title: t('home.project_manager.activeProjects'),
            value: active,
            icon: <ProjectOutlined />,
          },
          { key: 'overdue-tasks', title: t('home.project_manager.overdueTasks'), icon: <ClockCircleOutlined /> },
          { key: 'budget-use', title: t('home.project_manager.budgetUse'), icon: <PieChartOutlined /> },
          { key: 'open-issues', title: t('home.project_manager.openIssues'), icon: <ExclamationCircleOutlined /> },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <MyProjectsCard />
        </Col>
        <Col xs={24} xl={10}>
          <ApprovalsCard box="mine" />
        </Col>
        <Col xs={24}>
          <EmptyPanel
            title={t('home.project_manager.gantt')}
            description={t('home.project_manager.ganttEmpty')}
            testId="panel-gantt"
          />
        </Col>
        <Col xs={24}>
          <EmptyPanel
            title={t('home.project_manager.burn')}
            description={t('home.project_manager.burnEmpty')}
            testId="panel-burn"
          />
        </Col>
      </Row>
    </>
  );
}
