import { ClockCircleOutlined, ExclamationCircleOutlined, PieChartOutlined, ProjectOutlined } from '@ant-design/icons';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { useSession } from '@/lib/session';
import { EmptyPanel, KpiRow } from './components';

/** A project manager starts from the projects they run: battle maps, Gantt, budget burn. */
export function ProjectManagerHome() {
  const { t } = useTranslation();
  const me = useSession();
  return (
    <>
      <PageHeader
        title={t('home.project_manager.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.project_manager.subtitle')}`}
        testId="home-project_manager"
      />
      <KpiRow
        items={[
          { key: 'active-projects', title: t('home.project_manager.activeProjects'), icon: <ProjectOutlined /> },
          { key: 'overdue-tasks', title: t('home.project_manager.overdueTasks'), icon: <ClockCircleOutlined /> },
          { key: 'budget-use', title: t('home.project_manager.budgetUse'), icon: <PieChartOutlined /> },
          { key: 'open-issues', title: t('home.project_manager.openIssues'), icon: <ExclamationCircleOutlined /> },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <EmptyPanel
            title={t('home.project_manager.projects')}
            description={t('home.project_manager.projectsEmpty')}
            testId="panel-projects"
          />
        </Col>
        <Col xs={24} xl={14}>
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
