import { AuditOutlined, FileDoneOutlined, ProjectOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { costsToVerifyQuery, pendingApprovalsQuery, projectCountQuery, projectListLink } from './api';
import { ApprovalsCard } from './ApprovalsCard';
import { useBudgetKpis } from './budgetKpis';
import { KpiRow, type Kpi } from './components';
import { CostsToVerifyCard } from './CostsToVerifyCard';
import { OverspendCard } from './OverspendCard';
import { ProjectsCard } from './ProjectsCard';

const ACTIVE = { status: ['active' as const] };

/** Finance decides the budget step of approvals and follows the running campaigns' budgets. */
export function FinanceHome() {
  const { t } = useTranslation();
  const me = useSession();
  const canDecide = hasPermission(me, PERMISSIONS.approvalsDecide);
  const canReadProjects = hasPermission(me, PERMISSIONS.projectsRead);
  const canReadBudget = hasPermission(me, PERMISSIONS.budgetRead);
  const budgetKpis = useBudgetKpis(canReadBudget);
  const canVerify = hasPermission(me, PERMISSIONS.costsVerify);
  const toVerify = useQuery({ ...costsToVerifyQuery, enabled: canVerify });
  const inbox = useQuery({ ...pendingApprovalsQuery('inbox'), enabled: canDecide });
  const active = useQuery({ ...projectCountQuery(ACTIVE), enabled: canReadProjects });
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
    kpis.push({
      key: 'active-projects',
      title: t('home.director.activeProjects'),
      value: active.data,
      icon: <ProjectOutlined />,
      to: projectListLink(ACTIVE, paths.modules.projects),
    });
  }
  kpis.push(...budgetKpis);
  if (canVerify) {
    kpis.push({
      key: 'to-verify',
      title: t('home.toVerify.title'),
      value: toVerify.isError ? '—' : toVerify.data?.total,
      icon: <AuditOutlined />,
    });
  }
  return (
    <>
      <PageHeader
        title={t('home.finance.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.finance.subtitle')}`}
        testId="home-finance"
      />
      <KpiRow items={kpis} />
      <Row gutter={[16, 16]}>
        {canDecide ? (
          <Col xs={24} xl={12}>
            <ApprovalsCard box="inbox" />
          </Col>
        ) : null}
        {canReadBudget ? (
          <Col xs={24} xl={12}>
            <OverspendCard mine={false} />
          </Col>
        ) : null}
        {canVerify ? (
          <Col xs={24} xl={12}>
            <CostsToVerifyCard />
          </Col>
        ) : null}
        {canReadProjects ? (
          <Col xs={24} xl={12}>
            <ProjectsCard title={t('home.activeProjects')} empty={t('home.activeProjectsEmpty')} filter={ACTIVE} />
          </Col>
        ) : null}
      </Row>
    </>
  );
}
