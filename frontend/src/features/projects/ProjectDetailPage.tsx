import {
  AimOutlined,
  BarsOutlined,
  CalendarOutlined,
  CopyOutlined,
  EditOutlined,
  FlagOutlined,
  ProjectOutlined,
  ScheduleOutlined,
  TeamOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  List,
  Progress,
  Skeleton,
  Steps,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { BudgetLinesTable } from '@/components/BudgetLinesTable';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProjectStatusTag } from '@/components/ProjectStatusTag';
import { StatusResult } from '@/components/StatusResult';
import { ProjectActivityFeed, SubjectDiscussion } from '@/lib/collab';
import { ProjectBudgetPanel, ProjectCostLedgerPanel } from '@/lib/financePanels';
import { useHasFinancePanels } from '@/lib/financePanelsContext';
import { ProjectResourcesPanel } from '@/lib/resourcePanels';
import { useHasResourcePanels } from '@/lib/resourcePanelsContext';
import { isApiError } from '@/api/errors';
import { errorText } from '@/lib/errorText';
import { formatDateTime, formatDay, formatMoney } from '@/lib/format';
import {
  paths,
  projectBattleMapPath,
  projectBoardPath,
  projectGanttPath,
  projectIssuesPath,
  projectTasksPath,
} from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import {
  APPROVAL_STATE_COLORS,
  canWriteRetrospective,
  showsRetrospective,
  type TransitionAction,
} from '@/lib/projects';
import { roleLabelKey } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { approvalQuery, periodsQuery, projectQuery, teamsQuery, useTransition, type ProjectDetail } from './api';
import { useDisplayLocale } from './hooks';
import { transitionConflict } from './model';
import { EditProjectModal } from './EditProjectModal';
import { isFrozen, mayManageProject } from './editModel';
import { GoalLinksModal } from './GoalLinksModal';
import { MembersModal } from './MembersModal';
import { ProjectActions } from './ProjectActions';
import { RetrospectiveForm } from './RetrospectiveForm';
import { SaveTemplateModal } from './SaveTemplateModal';

function ConflictAlert({ error, action, onClose }: { error: unknown; action?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const conflict = transitionConflict(error);
  if (!conflict) return <ProblemAlert error={error} action={action} />;
  return (
    <Alert
      type="warning"
      showIcon
      closable
      onClose={onClose}
      style={{ marginBottom: 16 }}
      data-testid="transition-conflict"
      message={t('projects.conflict.title')}
      description={
        <Flex vertical gap={6}>
          {/* In the UI language, from the status, the allowed actions and the action tried. */}
          <span data-testid="conflict-reason">{errorText(error, t, { action })}</span>
          {conflict.currentStatus ? (
            <span>
              {t('projects.conflict.currentStatus')}{' '}
              <ProjectStatusTag status={conflict.currentStatus} testId="conflict-status" />
            </span>
          ) : null}
          <span>
            {t('projects.conflict.allowed')}{' '}
            {conflict.allowed.length > 0
              ? conflict.allowed.map((a) => (
                  <Tag key={a} data-testid="conflict-allowed">
                    {t(`projects.actions.${a}`, { defaultValue: a })}
                  </Tag>
                ))
              : t('projects.conflict.nothing')}
          </span>
        </Flex>
      }
    />
  );
}

function ApprovalSection({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const me = useSession();
  const locale = useDisplayLocale();
  const summary = project.approval;
  const detail = useQuery({ ...approvalQuery(summary?.id ?? ''), enabled: !!summary });
  if (!summary) {
    return <Empty description={t('projects.approval.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  }
  const approval = detail.data ?? { ...summary, history: [] };
  const done = approval.state !== 'pending';
  return (
    <Flex vertical gap={16} data-testid="project-approval">
      <Descriptions column={{ xs: 1, md: 3 }} size="small">
        <Descriptions.Item label={t('approvals.fields.state')}>
          <Tag color={APPROVAL_STATE_COLORS[approval.state]} data-testid="approval-state">
            {t(`approvals.state.${approval.state}`)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('approvals.fields.amount')}>
          {formatMoney(approval.amount, approval.currency, locale)}
        </Descriptions.Item>
        <Descriptions.Item label={t('approvals.fields.waitingFor')}>
          {approval.waiting_for_role ? t(roleLabelKey(approval.waiting_for_role)) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('approvals.fields.requestedAt')}>
          {formatDateTime(approval.created_at, me.org.timezone)}
        </Descriptions.Item>
        <Descriptions.Item label={t('approvals.fields.decidedAt')}>
          {formatDateTime(approval.decided_at, me.org.timezone)}
        </Descriptions.Item>
      </Descriptions>
      <Steps
        size="small"
        current={done ? approval.steps.length : (approval.current_step ?? 0)}
        status={approval.state === 'rejected' ? 'error' : undefined}
        items={approval.steps.map((s) => ({
          title: t(roleLabelKey(s.role)),
          description: s.min_amount
            ? t('approvals.stepAbove', { amount: formatMoney(s.min_amount, approval.currency, locale) })
            : undefined,
        }))}
      />
      {detail.error ? <ProblemAlert error={detail.error} /> : null}
      <ApprovalHistory history={approval.history} />
    </Flex>
  );
}

export function ApprovalHistory({
  history,
}: {
  history: {
    id: string;
    decision: string;
    decided_by_name: string;
    comment: string;
    created_at: string;
    step: number;
  }[];
}) {
  const { t } = useTranslation();
  const me = useSession();
  if (history.length === 0) {
    return <Typography.Text type="secondary">{t('approvals.noHistory')}</Typography.Text>;
  }
  return (
    <Timeline
      data-testid="approval-history"
      items={history.map((r) => ({
        color: r.decision === 'approve' ? 'green' : 'red',
        children: (
          <Flex vertical gap={2}>
            <span>
              <Typography.Text strong>{r.decided_by_name}</Typography.Text>{' '}
              {t(`approvals.decision.${r.decision}`, { defaultValue: r.decision })}
              <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                {formatDateTime(r.created_at, me.org.timezone)}
              </Typography.Text>
            </span>
            {r.comment ? <Typography.Text type="secondary">“{r.comment}”</Typography.Text> : null}
          </Flex>
        ),
      }))}
    />
  );
}

function Overview({
  project,
  mayEditGoals,
  mayEditMembers,
}: {
  project: ProjectDetail;
  mayEditGoals: boolean;
  mayEditMembers: boolean;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [editingMembers, setEditingMembers] = useState(false);
  return (
    <Flex vertical gap={16}>
      {project.description ? (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{project.description}</Typography.Paragraph>
      ) : null}
      <Card
        size="small"
        title={t('projects.detail.goalLinks')}
        data-testid="project-goal-links"
        extra={
          mayEditGoals ? (
            <Button size="small" type="link" onClick={() => setEditing(true)} data-testid="goal-links-edit">
              {t('projects.detail.editGoalLinks')}
            </Button>
          ) : null
        }
      >
        {project.goal_links.length === 0 ? (
          <Typography.Text type="warning">{t('projects.detail.noGoalLinks')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={project.goal_links}
            renderItem={(link) => (
              <List.Item>
                <span>
                  <FlagOutlined /> <Link to={paths.modules.strategy}>{link.objective_title}</Link>
                  {link.key_result_name ? (
                    <Tag bordered={false} color="blue" style={{ marginInlineStart: 8 }}>
                      {link.key_result_name}
                    </Tag>
                  ) : null}
                </span>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card
        size="small"
        title={t('projects.detail.members')}
        data-testid="project-members"
        extra={
          mayEditMembers ? (
            <Button
              size="small"
              type="link"
              icon={<TeamOutlined />}
              onClick={() => setEditingMembers(true)}
              data-testid="members-edit"
            >
              {t('projects.members.edit')}
            </Button>
          ) : null
        }
      >
        {project.members.length === 0 ? (
          <Typography.Text type="secondary">{t('projects.detail.noMembers')}</Typography.Text>
        ) : (
          <Flex wrap gap={8}>
            {project.members.map((m) => (
              <Tag key={m.member_id} icon={<UserOutlined />} bordered={false}>
                {m.name} · {t(`projects.roles.${m.role}`, { defaultValue: m.role })}
              </Tag>
            ))}
          </Flex>
        )}
      </Card>
      {editing ? <GoalLinksModal project={project} open={editing} onClose={() => setEditing(false)} /> : null}
      {editingMembers ? (
        <MembersModal project={project} open={editingMembers} onClose={() => setEditingMembers(false)} />
      ) : null}
    </Flex>
  );
}

function Phases({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  if (project.phases.length === 0) {
    return <Empty description={t('projects.detail.noPhases')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  }
  return (
    <Timeline
      data-testid="project-phases"
      items={project.phases.map((phase) => ({
        dot: <CalendarOutlined />,
        children: (
          <div data-testid="project-phase">
            <Flex gap={8} align="baseline" wrap>
              <Typography.Text strong>{phase.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {formatDay(phase.starts_on, locale)} – {formatDay(phase.ends_on, locale)}
              </Typography.Text>
            </Flex>
            <Progress
              percent={phase.task_count ? Math.round((phase.done_count / phase.task_count) * 100) : 0}
              size="small"
              style={{ maxWidth: 360, margin: '4px 0 0' }}
              format={() =>
                phase.task_count
                  ? t('projects.detail.phaseDone', { done: phase.done_count, total: phase.task_count })
                  : t('projects.detail.noTasks')
              }
              data-testid="phase-progress"
            />
          </div>
        ),
      }))}
    />
  );
}

/** The planned lines, before registration or for who may not read the budget's figures. */
function Budget({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12}>
      {!project.registered ? (
        <Alert type="info" showIcon message={t('projects.detail.budgetNeedsRegistration')} />
      ) : null}
      <BudgetLinesTable
        lines={project.budget_lines}
        currency={project.currency}
        total={project.total_budget}
        testId="project-budget-lines"
        emptyText={t('projects.detail.noBudgetLines')}
      />
    </Flex>
  );
}

/** One project: its header with the lifecycle buttons, then goals, phases, budget, approval, retrospective. */
export function ProjectDetailPage() {
  const { projectId = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const locale = useDisplayLocale();
  const project = useQuery(projectQuery(projectId));
  const periods = useQuery(periodsQuery);
  const teams = useQuery(teamsQuery);
  const transition = useTransition(projectId);
  const [pending, setPending] = useState<TransitionAction | null>(null);
  const [saveOpen, setSaveOpen] = useState(false);
  const [editOpen, setEditOpen] = useState(false);
  // ?tab=budget (an overspend notification) or ?tab=resources opens that tab.
  const [search] = useSearchParams();
  const [tab, setTab] = useState(search.get('tab') ?? 'overview');
  const hasFinance = useHasFinancePanels();
  const hasResources = useHasResourcePanels();

  if (project.error && isApiError(project.error) && project.error.status === 404) {
    return <StatusResult kind="notFound" />;
  }
  if (project.error) return <ProblemAlert error={project.error} onRetry={() => void project.refetch()} />;
  if (!project.data) {
    return (
      <Card variant="borderless">
        <Skeleton active />
      </Card>
    );
  }
  const p = project.data;
  const mayManage = p.allowed_actions.length > 0;
  // The same rule the server applies to changes; closed and cancelled projects stay as they ended.
  const mayChange = mayManageProject(me, p) && !isFrozen(p.status);
  // A registered project's budget is measured against its costs (预算, 成本台账).
  const showsFinance = p.registered && hasFinance && hasPermission(me, PERMISSIONS.budgetRead);

  const act = (action: TransitionAction) => {
    setPending(action);
    transition.mutate(
      { action, version: p.version },
      {
        onSuccess: () => void message.success(t(`projects.actions.done.${action}`)),
        onSettled: () => setPending(null),
      },
    );
  };

  const tabs = [
    {
      key: 'overview',
      label: t('projects.detail.overview'),
      children: (
        <Overview
          project={p}
          // The goals are part of what approvers decide on: changed before submitting or after a rejection.
          mayEditGoals={mayManage && (p.status === 'draft' || p.status === 'rejected')}
          mayEditMembers={mayChange}
        />
      ),
    },
    { key: 'phases', label: t('projects.detail.phases'), children: <Phases project={p} /> },
    {
      key: 'budget',
      label: t('projects.detail.budget'),
      children: showsFinance ? (
        <ProjectBudgetPanel project={p} mayManage={mayManageProject(me, p)} />
      ) : (
        <Budget project={p} />
      ),
    },
    ...(showsFinance
      ? [
          {
            key: 'costs',
            label: t('finance.ledger.tab'),
            children: <ProjectCostLedgerPanel project={p} mayManage={mayManageProject(me, p)} />,
          },
        ]
      : []),
    ...(hasResources && hasPermission(me, PERMISSIONS.resourcesRead)
      ? [
          {
            key: 'resources',
            label: t('projects.detail.resources'),
            children: <ProjectResourcesPanel project={p} mayManage={mayManageProject(me, p)} />,
          },
        ]
      : []),
    { key: 'approval', label: t('projects.detail.approval'), children: <ApprovalSection project={p} /> },
    {
      key: 'discussion',
      label: t('collab.discussion'),
      children: <SubjectDiscussion subjectType="project" subjectId={p.id} />,
    },
    { key: 'activity', label: t('collab.activity'), children: <ProjectActivityFeed projectId={p.id} /> },
    ...(showsRetrospective(p.status)
      ? [
          {
            key: 'retrospective',
            label: t('projects.detail.retrospective'),
            children: <RetrospectiveForm project={p} editable={canWriteRetrospective(p.status, mayManage)} />,
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={p.name}
        subtitle={
          <Flex gap={8} align="center" wrap component="span">
            <span data-testid="project-code">{p.code}</span>
            <ProjectStatusTag status={p.status} />
            {p.registered ? (
              <Badge
                status="success"
                text={
                  <span data-testid="project-registered">
                    <SafetyCertificateOutlined /> {t('projects.registered')}
                  </span>
                }
              />
            ) : null}
          </Flex>
        }
        testId="project-title"
        extra={
          <>
            <Link to={projectBattleMapPath(p.id)} data-testid="project-battle-map">
              <Button icon={<AimOutlined />} tabIndex={-1}>
                {t('battleMap.open')}
              </Button>
            </Link>
            {mayChange ? (
              <Button icon={<EditOutlined />} onClick={() => setEditOpen(true)} data-testid="project-edit">
                {t('projects.edit.action')}
              </Button>
            ) : null}
            <ProjectActions
              allowed={p.allowed_actions}
              onAction={act}
              pending={pending}
              // The server refuses 结项 until the retrospective is written: say so before a click.
              blocked={p.retrospective ? {} : { finish: t('projects.actions.blocked.finish') }}
            />
            {hasPermission(me, PERMISSIONS.projectsWrite) ? (
              <Button icon={<CopyOutlined />} onClick={() => setSaveOpen(true)} data-testid="project-save-template">
                {t('projects.template.action')}
              </Button>
            ) : null}
          </>
        }
      />
      {transition.error ? (
        <ConflictAlert
          error={transition.error}
          action={transition.variables?.action}
          onClose={() => transition.reset()}
        />
      ) : null}
      {p.status === 'draft' && p.goal_links.length === 0 ? (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('projects.detail.linkBeforeSubmit')} />
      ) : null}
      {p.status === 'rejected' ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('projects.detail.rejectedHint')}
          action={
            <Button size="small" onClick={() => setTab('approval')}>
              {t('projects.detail.seeApproval')}
            </Button>
          }
        />
      ) : null}
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2, xl: 4 }} size="small" data-testid="project-summary">
          <Descriptions.Item label={t('projects.fields.owner')}>
            <span data-testid="project-owner">{p.owner_name}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.type')}>{t(`projects.types.${p.type}`)}</Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.dates')}>
            <span data-testid="project-dates">
              {formatDay(p.starts_on, locale)} – {formatDay(p.ends_on, locale)}
            </span>
          </Descriptions.Item>
          {p.registered ? (
            // Registered: the budget is what its approved lines add up to; the estimate its
            // registration asked for stays beside it.
            <Descriptions.Item label={t('projects.fields.approvedBudget')}>
              <Typography.Text strong data-testid="project-budget">
                {formatMoney(p.approved_budget, p.currency, locale)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }} data-testid="project-estimate">
                {t('projects.fields.estimate', { amount: formatMoney(p.total_budget, p.currency, locale) })}
              </Typography.Text>
            </Descriptions.Item>
          ) : (
            <Descriptions.Item label={t('projects.fields.budget')}>
              <Typography.Text strong data-testid="project-budget">
                {formatMoney(p.total_budget, p.currency, locale)}
              </Typography.Text>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('projects.fields.period')}>
            {periods.data?.find((x) => x.id === p.period_id)?.name ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.team')}>
            {teams.data?.find((x) => x.id === p.team_id)?.name ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.createdAt')}>
            {formatDateTime(p.created_at, me.org.timezone)}
          </Descriptions.Item>
          <Descriptions.Item label={t('projects.fields.updatedAt')}>
            {formatDateTime(p.updated_at, me.org.timezone)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card variant="borderless">
        <Tabs
          // A tab the person cannot see (?tab= of another's link) falls back to the overview.
          activeKey={tabs.some((x) => x.key === tab) ? tab : 'overview'}
          onChange={setTab}
          items={tabs}
          data-testid="project-tabs"
          // The project's work: its tasks, board and Gantt are pages of their own.
          tabBarExtraContent={
            <Flex gap={16} wrap>
              <Link to={projectTasksPath(p.id)} data-testid="project-work-tasks">
                <BarsOutlined /> {t('projects.detail.work.tasks')}
              </Link>
              <Link to={projectBoardPath(p.id)} data-testid="project-work-board">
                <ProjectOutlined /> {t('projects.detail.work.board')}
              </Link>
              <Link to={projectGanttPath(p.id)} data-testid="project-work-gantt">
                <ScheduleOutlined /> {t('projects.detail.work.gantt')}
              </Link>
              <Link to={projectIssuesPath(p.id)} data-testid="project-work-issues">
                <WarningOutlined /> {t('projects.detail.work.issues')}
              </Link>
            </Flex>
          }
        />
      </Card>
      <SaveTemplateModal project={p} open={saveOpen} onClose={() => setSaveOpen(false)} />
      {editOpen ? <EditProjectModal project={p} open={editOpen} onClose={() => setEditOpen(false)} /> : null}
    </>
  );
}
