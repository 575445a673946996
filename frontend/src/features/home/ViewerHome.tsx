import { EyeOutlined, ProjectOutlined, RocketOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { projectCountQuery, projectListLink } from './api';
import { KpiRow, type Kpi } from './components';
import { ProjectsCard } from './ProjectsCard';
import { StrategyProgressCard } from './StrategyProgressCard';

const ALL = {};
const ACTIVE = { status: ['active' as const] };

/** Read-only: how many campaigns there are, which run now, and how far the goals are. */
export function ViewerHome() {
  const { t } = useTranslation();
  const me = useSession();
  const canReadProjects = hasPermission(me, PERMISSIONS.projectsRead);
  const total = useQuery({ ...projectCountQuery(ALL), enabled: canReadProjects });
  const active = useQuery({ ...projectCountQuery(ACTIVE), enabled: canReadProjects });
  const kpis: Kpi[] = canReadProjects
    ? [
        {
          key: 'projects',
          title: t('home.viewer.projects'),
          value: total.data,
          icon: <ProjectOutlined />,
          to: paths.modules.projects,
        },
        {
          key: 'active-projects',
          title: t('home.director.activeProjects'),
          value: active.data,
          icon: <RocketOutlined />,
          to: projectListLink(ACTIVE, paths.modules.projects),
        },
      ]
    : [];
  return (
    <>
      <PageHeader
        title={t('home.viewer.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.viewer.subtitle')}`}
        testId="home-viewer"
      />
      <Alert
        type="info"
        showIcon
        icon={<EyeOutlined />}
        message={t('home.viewer.readOnly')}
        style={{ marginBottom: 16 }}
      />
      <KpiRow items={kpis} />
      <Row gutter={[16, 16]}>
        {hasPermission(me, PERMISSIONS.strategyRead) ? (
          <Col xs={24}>
            <StrategyProgressCard />
          </Col>
        ) : null}
        {canReadProjects ? (
          <Col xs={24}>
            <ProjectsCard title={t('home.activeProjects')} empty={t('home.activeProjectsEmpty')} filter={ACTIVE} />
          </Col>
        ) : null}
      </Row>
    </>
  );
}
