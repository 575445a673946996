import { AimOutlined, ProjectOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { TodayCheckInSlot } from '@/lib/collab';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { ownGoalsQuery, projectCountQuery, projectListLink } from './api';
import { KpiRow, type Kpi } from './components';
import { MyTasksCard } from './MyTasksCard';
import { OwnGoalsCard } from './OwnGoalsCard';
import { ProjectsCard } from './ProjectsCard';
import { StrategyProgressCard } from './StrategyProgressCard';

const ACTIVE = { status: ['active' as const] };

/** Frontline people see the goals they own, the campaigns running and the company's goals. */
export function MemberHome() {
  const { t } = useTranslation();
  const me = useSession();
  const canReadStrategy = hasPermission(me, PERMISSIONS.strategyRead);
  const canReadProjects = hasPermission(me, PERMISSIONS.projectsRead);
  const canWork = hasPermission(me, PERMISSIONS.workWrite);
  const goals = useQuery({ ...ownGoalsQuery(me.membership_id), enabled: canReadStrategy });
  const active = useQuery({ ...projectCountQuery(ACTIVE), enabled: canReadProjects });
  const kpis: Kpi[] = [];
  if (canReadStrategy) {
    kpis.push({
      key: 'own-goals',
      title: t('home.member.goals'),
      value: goals.data?.total,
      icon: <AimOutlined />,
      to: paths.modules.strategy,
    });
  }
  if (canReadProjects) {
    kpis.push({
      key: 'active-projects',
      title: t('home.director.activeProjects'),
      value: active.data,
      icon: <ProjectOutlined />,
      to: projectListLink(ACTIVE, paths.modules.projects),
    });
  }
  return (
    <>
      <PageHeader
        title={t('home.member.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.member.subtitle')}`}
        testId="home-member"
      />
      <KpiRow items={kpis} />
      <Row gutter={[16, 16]}>
        {canReadProjects ? (
          <Col xs={24} xl={12}>
            <MyTasksCard />
          </Col>
        ) : null}
        {canWork ? (
          <Col xs={24} xl={12}>
            <TodayCheckInSlot />
          </Col>
        ) : null}
        {canReadStrategy ? (
          <Col xs={24} xl={12}>
            <OwnGoalsCard />
          </Col>
        ) : null}
        {canReadProjects ? (
          <Col xs={24} xl={12}>
            <ProjectsCard title={t('home.activeProjects')} empty={t('home.activeProjectsEmpty')} filter={ACTIVE} />
          </Col>
        ) : null}
        {canReadStrategy ? (
          <Col xs={24}>
            <StrategyProgressCard />
          </Col>
        ) : null}
      </Row>
    </>
  );
}
