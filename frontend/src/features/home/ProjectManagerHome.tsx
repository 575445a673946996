import { EditOutlined, FileDoneOutlined, ProjectOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Col, Flex, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { AlertsCard } from './AlertsCard';
import { ApprovalsCard } from './ApprovalsCard';
import { pendingApprovalsQuery, projectCountQuery, projectListLink } from './api';
import { KpiRow } from './components';
import { MyTasksCard } from './MyTasksCard';
import { OverspendCard } from './OverspendCard';
import { ProjectsCard } from './ProjectsCard';

/** A project manager starts from the projects they run and the requests they are waiting on. */
export function ProjectManagerHome() {
  const { t } = useTranslation();
  const me = useSession();
  const active = { status: ['active' as const], owner: me.membership_id };
  const drafts = { status: ['draft' as const], owner: me.membership_id };
  const activeCount = useQuery(projectCountQuery(active)).data;
  const draftCount = useQuery(projectCountQuery(drafts)).data;
  const waiting = useQuery(pendingApprovalsQuery('mine')).data?.total;
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
            value: activeCount,
            icon: <ProjectOutlined />,
            to: projectListLink(active, paths.modules.projects),
          },
          {
            key: 'draft-projects',
            title: t('home.project_manager.draftProjects'),
            value: draftCount,
            icon: <EditOutlined />,
            to: projectListLink(drafts, paths.modules.projects),
          },
          {
            key: 'waiting-approvals',
            title: t('home.approvals.mine'),
            value: waiting,
            icon: <FileDoneOutlined />,
            to: `${paths.modules.approvals}?box=mine&state=pending`,
          },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            <ProjectsCard
              title={t('home.project_manager.projects')}
              empty={t('home.project_manager.projectsEmpty')}
              filter={{ owner: me.membership_id }}
              offerCreate
            />
            {hasPermission(me, PERMISSIONS.budgetRead) ? <OverspendCard mine /> : null}
          </Flex>
        </Col>
        <Col xs={24} xl={10}>
          <Flex vertical gap={16}>
            <ApprovalsCard box="mine" />
            {hasPermission(me, PERMISSIONS.alertsRead) ? <AlertsCard /> : null}
            <MyTasksCard />
          </Flex>
        </Col>
      </Row>
    </>
  );
}
