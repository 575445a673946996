import { AuditOutlined, FileDoneOutlined, ProjectOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { pendingApprovalsQuery, projectCountQuery, projectListLink } from './api';
import { AlertsCard } from './AlertsCard';
import { ApprovalsCard } from './ApprovalsCard';
import { useBudgetKpis } from './budgetKpis';
import { KpiRow, type Kpi } from './components';
import { OverspendCard } from './OverspendCard';
import { StrategyProgressCard } from './StrategyProgressCard';

const ACTIVE = { status: ['active' as const] };
const SUBMITTED = { status: ['submitted' as const] };

/** The director's cockpit: what waits for a decision, what the channel data raised, what runs,
 * and how far the goals are. */
export function DirectorHome() {
  const { t } = useTranslation();
  const me = useSession();
  const canReadProjects = hasPermission(me, PERMISSIONS.projectsRead);
  const canDecide = hasPermission(me, PERMISSIONS.approvalsDecide);
  const canReadBudget = hasPermission(me, PERMISSIONS.budgetRead);
  const budgetKpis = useBudgetKpis(canReadBudget);
  const active = useQuery({ ...projectCountQuery(ACTIVE), enabled: canReadProjects });
  const submitted = useQuery({ ...projectCountQuery(SUBMITTED), enabled: canReadProjects });
  const inbox = useQuery({ ...pendingApprovalsQuery('inbox'), enabled: canDecide });
  const kpis: Kpi[] = [];
  if (canDecide) {
    kpis.push({
      key: 'inbox',
      title: t('home.approvals.inbox'),
      value: inbox.data?.total,
      icon: <FileDoneOutlined />,
      to: `${paths.modules.approvals}?box=inbox`,
    });
  }
  if (canReadProjects) {
    kpis.push(
      {
        key: 'active-projects',
        title: t('home.director.activeProjects'),
        value: active.data,
        icon: <ProjectOutlined />,
        to: projectListLink(ACTIVE, paths.modules.projects),
      },
      {
        key: 'submitted-projects',
        title: t('home.director.submittedProjects'),
        value: submitted.data,
        icon: <AuditOutlined />,
        to: projectListLink(SUBMITTED, paths.modules.projects),
      },
    );
  }
  kpis.push(...budgetKpis);
  return (
    <>
      <PageHeader
        title={t('home.director.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.director.subtitle')}`}
        testId="home-director"
      />
      <KpiRow items={kpis} />
      <Row gutter={[16, 16]}>
        {canDecide ? (
          <Col xs={24}>
            <ApprovalsCard box="inbox" />
          </Col>
        ) : null}
        {hasPermission(me, PERMISSIONS.alertsRead) ? (
          <Col xs={24}>
            <AlertsCard />
          </Col>
        ) : null}
        {canReadBudget ? (
          <Col xs={24}>
            <OverspendCard mine={false} />
          </Col>
        ) : null}
        {hasPermission(me, PERMISSIONS.strategyRead) ? (
          <Col xs={24}>
            <StrategyProgressCard />
          </Col>
        ) : null}
      </Row>
    </>
  );
}
