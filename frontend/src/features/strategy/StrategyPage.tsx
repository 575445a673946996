import { ColumnHeightOutlined, PlusOutlined, VerticalAlignMiddleOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Select, Skeleton, Space, Statistic, Tag, Typography, theme } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProgressBar } from '@/components/ProgressBar';
import { formatDay, todayIn } from '@/lib/format';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { defaultPeriod } from '@/lib/strategy';
import { goalQuery, goalTreeQuery, periodsQuery, rootGoalsQuery, type GoalNode, type Kpi, type Period } from './api';
import { CheckInHistoryDrawer } from './CheckInHistoryDrawer';
import { CheckInModal } from './CheckInModal';
import { GoalFormModal, type GoalDialog } from './GoalFormModal';
import { GoalTree, type GoalTreeContext } from './GoalTree';
import { useDialog, useDisplayLocale, useMemberDirectory, useTeamDirectory } from './hooks';
import { KpiFormModal, type KpiDialog } from './KpiFormModal';
import { nodeIds, orderPeriods, summarize } from './model';
import { PeriodFormModal } from './PeriodFormModal';

/** Strategy: a period's goal tree with rolled-up progress, KPIs and their check-ins. */
export function StrategyPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useSession();
  const locale = useDisplayLocale();
  const canManage = hasPermission(me, PERMISSIONS.strategyManage);
  // The chosen period lives in the URL, so a reload or a shared link keeps it.
  const [params, setParams] = useSearchParams();
  const periods = useQuery(periodsQuery);
  const options = useMemo(() => orderPeriods(periods.data ?? []), [periods.data]);
  // Opened on one goal (?goal=, e.g. from the audit log or a home card): show its period.
  const goalId = params.get('goal');
  const linkedGoal = useQuery({ ...goalQuery(goalId ?? ''), enabled: !!goalId });
  const period: Period | undefined =
    options.find((o) => o.period.id === params.get('period'))?.period ??
    options.find((o) => o.period.id === linkedGoal.data?.period_id)?.period ??
    (goalId && linkedGoal.isPending ? undefined : defaultPeriod(periods.data ?? [], todayIn(me.org.timezone)));

  const roots = useQuery({ ...rootGoalsQuery(period?.id ?? ''), enabled: !!period });
  const trees = useQueries({ queries: (roots.data ?? []).map((goal) => goalTreeQuery(goal.id)) });
  const nodes = trees.flatMap((q) => (q.data ? [q.data] : []));
  const treeError = trees.find((q) => q.error)?.error;
  const summary = summarize(nodes);
  const { nameOf } = useMemberDirectory();
  const { teamNameOf } = useTeamDirectory();
  const treesReady = nodes.length > 0 && trees.every((q) => !q.isPending);
  useEffect(() => {
    if (!goalId || !treesReady) return;
    document.querySelector(`[data-goal-id="${CSS.escape(goalId)}"]`)?.scrollIntoView({ block: 'center' });
  }, [goalId, treesReady]);

  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const periodDialog = useDialog<true>();
  const goalDialog = useDialog<GoalDialog>();
  const kpiDialog = useDialog<KpiDialog>();
  const checkInDialog = useDialog<Kpi>();
  const historyDialog = useDialog<Kpi>();

  const choosePeriod = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('period', id);
    setParams(next, { replace: true });
  };

  const ctx: GoalTreeContext = {
    me,
    canManage,
    nameOf,
    teamNameOf,
    highlight: goalId,
    collapsed,
    onToggle: (id) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    onAddSubGoal: (parent) => goalDialog.show({ mode: 'create', periodId: parent.period_id, parent }),
    onAddKpi: (goal) => kpiDialog.show({ mode: 'create', goal }),
    onEditGoal: (goal) => goalDialog.show({ mode: 'edit', goal }),
    onEditKpi: (kpi) => kpiDialog.show({ mode: 'edit', kpi, periodId: period?.id ?? '' }),
    onCheckIn: (kpi) => checkInDialog.show(kpi),
    onHistory: (kpi) => historyDialog.show(kpi),
  };

  const addGoalButton = period ? (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      onClick={() => goalDialog.show({ mode: 'create', periodId: period.id, parent: null })}
      data-testid="goal-add"
    >
      {t('strategy.goal.add')}
    </Button>
  ) : null;

  const loadingTrees = roots.isPending || trees.some((q) => q.isPending);

  let body;
  if (periods.error) {
    body = <ProblemAlert error={periods.error} onRetry={() => void periods.refetch()} />;
  } else if (periods.isPending || (!!goalId && linkedGoal.isPending)) {
    body = (
      <Card variant="borderless">
        <Skeleton active />
      </Card>
    );
  } else if (!period) {
    body = (
      <Card variant="borderless">
        <EmptyState
          testId="strategy-no-periods"
          title={t('strategy.noPeriods')}
          description={t(canManage ? 'strategy.noPeriodsManage' : 'strategy.noPeriodsRead')}
          action={
            canManage ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => periodDialog.show(true)}>
                {t('strategy.period.add')}
              </Button>
            ) : null
          }
        />
      </Card>
    );
  } else if (roots.error || treeError) {
    body = (
      <ProblemAlert
        error={roots.error ?? treeError}
        onRetry={() => {
          void roots.refetch();
          for (const q of trees) if (q.error) void q.refetch();
        }}
      />
    );
  } else if (loadingTrees) {
    body = (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  } else if (nodes.length === 0) {
    body = (
      <Card variant="borderless">
        <EmptyState
          testId="strategy-no-goals"
          title={t('strategy.noGoals', { period: period.name })}
          description={t(canManage ? 'strategy.noGoalsManage' : 'strategy.noGoalsRead')}
          action={addGoalButton}
        />
      </Card>
    );
  } else {
    body = (
      <Flex vertical gap={16}>
        {nodes.map((node: GoalNode) => (
          <Card key={node.goal.id} variant="borderless" styles={{ body: { padding: '8px 20px 12px' } }}>
            <GoalTree node={node} ctx={ctx} />
          </Card>
        ))}
      </Flex>
    );
  }

  return (
    <>
      <PageHeader
        title={t('strategy.title')}
        subtitle={t('strategy.subtitle')}
        testId="strategy-page"
        extra={
          canManage ? (
            <>
              <Button icon={<PlusOutlined />} onClick={() => periodDialog.show(true)} data-testid="period-add">
                {t('strategy.period.add')}
              </Button>
              {addGoalButton}
            </>
          ) : null
        }
      />
      {period ? (
        <Card variant="borderless" style={{ marginBottom: 16 }} styles={{ body: { padding: '16px 24px' } }}>
          <Flex align="center" gap={32} wrap>
            <Flex vertical gap={6}>
              <Typography.Text type="secondary">{t('strategy.period.label')}</Typography.Text>
              <Select
                value={period.id}
                onChange={choosePeriod}
                style={{ width: 200 }}
                // Plain-text labels are what screen readers announce (a node label makes antd read
                // the option's value, a UUID); the name and kind tag are drawn by the renderers.
                options={options.map(({ period: p, depth }) => ({
                  value: p.id,
                  label: `${p.name} ${t(`strategy.period.kinds.${p.kind}`)}`,
                  name: p.name,
                  kind: p.kind,
                  depth,
                }))}
                optionRender={({ data }) => (
                  <Space size={6} style={{ paddingInlineStart: data.depth * 12 }}>
                    <span>{data.name}</span>
                    <Tag bordered={false} color={data.kind === 'year' ? 'blue' : 'default'}>
                      {t(`strategy.period.kinds.${data.kind}`)}
                    </Tag>
                  </Space>
                )}
                labelRender={() => (
                  <Space size={6}>
                    <span>{period.name}</span>
                    <Tag bordered={false} color={period.kind === 'year' ? 'blue' : 'default'}>
                      {t(`strategy.period.kinds.${period.kind}`)}
                    </Tag>
                  </Space>
                )}
                data-testid="period-select"
                aria-label={t('strategy.period.label')}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDay(period.starts_on, locale)} – {formatDay(period.ends_on, locale)}
              </Typography.Text>
            </Flex>
            <Flex vertical gap={6} style={{ width: 260 }} data-testid="strategy-overall">
              <Typography.Text type="secondary">{t('strategy.summary.progress')}</Typography.Text>
              <ProgressBar progress={summary.progress} />
            </Flex>
            <Statistic title={t('strategy.summary.goals')} value={nodes.length ? summary.goals : '—'} />
            <Statistic title={t('strategy.summary.kpis')} value={nodes.length ? summary.kpis : '—'} />
            <Statistic
              title={t('strategy.summary.unmeasured')}
              value={nodes.length ? summary.unmeasured : '—'}
              valueStyle={summary.unmeasured > 0 ? { color: token.colorWarning } : undefined}
              data-testid="strategy-unmeasured-count"
            />
            <Flex gap={8} style={{ marginInlineStart: 'auto' }}>
              <Button
                size="small"
                icon={<ColumnHeightOutlined />}
                onClick={() => setCollapsed(new Set())}
                disabled={nodes.length === 0}
              >
                {t('strategy.expandAll')}
              </Button>
              <Button
                size="small"
                icon={<VerticalAlignMiddleOutlined />}
                onClick={() => setCollapsed(new Set(nodeIds(nodes)))}
                disabled={nodes.length === 0}
              >
                {t('strategy.collapseAll')}
              </Button>
            </Flex>
          </Flex>
        </Card>
      ) : null}
      {body}
      {periodDialog.value ? (
        <PeriodFormModal
          key={periodDialog.key}
          periods={periods.data ?? []}
          open={periodDialog.open}
          onClose={periodDialog.hide}
          afterClose={periodDialog.clear}
          onCreated={(created) => choosePeriod(created.id)}
        />
      ) : null}
      {goalDialog.value ? (
        <GoalFormModal
          key={goalDialog.key}
          dialog={goalDialog.value}
          periods={periods.data ?? []}
          open={goalDialog.open}
          onClose={goalDialog.hide}
          afterClose={goalDialog.clear}
        />
      ) : null}
      {kpiDialog.value ? (
        <KpiFormModal
          key={kpiDialog.key}
          dialog={kpiDialog.value}
          open={kpiDialog.open}
          onClose={kpiDialog.hide}
          afterClose={kpiDialog.clear}
        />
      ) : null}
      {checkInDialog.value ? (
        <CheckInModal
          key={checkInDialog.key}
          kpi={checkInDialog.value}
          open={checkInDialog.open}
          onClose={checkInDialog.hide}
          afterClose={checkInDialog.clear}
        />
      ) : null}
      {historyDialog.value ? (
        <CheckInHistoryDrawer
          key={historyDialog.key}
          kpi={historyDialog.value}
          open={historyDialog.open}
          onClose={historyDialog.hide}
          afterClose={historyDialog.clear}
        />
      ) : null}
    </>
  );
}
