import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Flex, List, Progress, Row, Skeleton, Steps, Tag, Tooltip, Typography } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '@/api/errors';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProjectStatusTag } from '@/components/ProjectStatusTag';
import { StatusResult } from '@/components/StatusResult';
import { ProjectBudgetBurn } from '@/lib/financePanels';
import { formatDay, formatDecimal, type DisplayLocale } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import {
  battleMapQuery,
  REFRESH_MS,
  type Activity,
  type BattleGoal,
  type BattleIssue,
  type BattleMap,
  type BriefTask,
  type OverdueTask,
  type Workload,
} from './api';
import { barPercent, daysBetween, relativeTime } from './layout';
import { Timeline } from './Timeline';

const SEVERITY_COLORS: Record<string, string> = { critical: 'magenta', high: 'red', medium: 'orange', low: 'default' };
const ACTION_COLORS: Record<string, string> = { create: '#52c41a', update: '#1677ff', delete: '#ff4d4f' };
/** Cards in a row share a height; long lists scroll inside their card. The two rows of lists
 * share what the header and the timeline leave of the window, so the map fits one screen. */
const BODY_HEIGHT = 'max(180px, calc((100vh - 500px) / 2))';

function useLocale(): DisplayLocale {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

function Section({
  title,
  count,
  testId,
  children,
  extra,
}: {
  title: string;
  count?: number;
  testId: string;
  children: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <Card
      size="small"
      data-testid={testId}
      title={
        <Flex align="center" gap={6}>
          {title}
          {count !== undefined ? (
            <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
              {count}
            </Tag>
          ) : null}
        </Flex>
      }
      extra={extra}
      style={{ height: '100%' }}
      styles={{ body: { height: BODY_HEIGHT, overflowY: 'auto', paddingBlock: 8 } }}
    >
      {children}
    </Card>
  );
}

const muted: CSSProperties = { fontSize: 12 };

function Overview({ map, locale }: { map: BattleMap; locale: DisplayLocale }) {
  const { t } = useTranslation();
  const { progress } = map;
  const left = daysBetween(map.today, map.project.ends_on);
  const stats = [
    { key: 'tasks', label: t('battleMap.overview.tasks'), value: `${progress.done}/${progress.tasks}` },
    {
      key: 'milestones',
      label: t('battleMap.overview.milestones'),
      value: `${progress.milestones_done}/${progress.milestones}`,
    },
    {
      key: 'overdue',
      label: t('battleMap.overview.overdue'),
      value: String(map.overdue_tasks.length),
      danger: map.overdue_tasks.length > 0,
    },
    {
      key: 'issues',
      label: t('battleMap.overview.issues'),
      value: String(map.open_issues.length),
      danger: map.open_issues.some((i) => i.overdue),
    },
  ];
  return (
    <Flex align="center" gap={20} wrap data-testid="battle-overview">
      <Progress
        type="circle"
        size={96}
        percent={progress.percent}
        format={(p) => `${formatDecimal(p ?? 0, locale, 1)}%`}
        aria-label={t('battleMap.overview.percent')}
        data-testid="battle-percent"
      />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, auto)', gap: '8px 20px' }}>
        {stats.map((s) => (
          <div key={s.key} data-testid={`battle-stat-${s.key}`}>
            <Typography.Text type="secondary" style={{ ...muted, display: 'block' }}>
              {s.label}
            </Typography.Text>
            <Typography.Text strong style={{ fontSize: 18 }} type={s.danger ? 'danger' : undefined}>
              {s.value}
            </Typography.Text>
          </div>
        ))}
      </div>
      <Typography.Text type="secondary" style={{ ...muted, width: '100%' }} data-testid="battle-remaining">
        {t('battleMap.overview.today', { date: formatDay(map.today, locale) })} ·{' '}
        {left >= 0
          ? t('battleMap.overview.remaining', { count: left })
          : t('battleMap.overview.pastEnd', { count: -left })}
      </Typography.Text>
    </Flex>
  );
}

function Goals({ goals, locale }: { goals: BattleGoal[]; locale: DisplayLocale }) {
  const { t } = useTranslation();
  if (goals.length === 0) return <EmptyState compact description={t('battleMap.goals.empty')} />;
  // One block per objective, its key results under it.
  const byObjective = new Map<string, { title: string; links: BattleGoal[] }>();
  for (const goal of goals) {
    const entry = byObjective.get(goal.objective_id) ?? { title: goal.objective_title, links: [] };
    entry.links.push(goal);
    byObjective.set(goal.objective_id, entry);
  }
  return (
    <Flex vertical gap={12}>
      {[...byObjective.entries()].map(([id, { title, links }]) => (
        <div key={id} data-testid="battle-goal">
          <Typography.Text strong>{title}</Typography.Text>
          {links.map((link) =>
            link.key_result ? (
              <div key={link.key_result_id} data-testid="battle-kr">
                <Flex justify="space-between" gap={8} style={muted}>
                  <Typography.Text ellipsis style={muted}>
                    {link.key_result.name}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ ...muted, whiteSpace: 'nowrap' }}>
                    {formatDecimal(link.key_result.current, locale)} / {formatDecimal(link.key_result.target, locale)}{' '}
                    {link.key_result.unit}
                  </Typography.Text>
                </Flex>
                <Progress
                  percent={Math.round(link.key_result.attainment * 1000) / 10}
                  size="small"
                  status={link.key_result.attainment >= 1 ? 'success' : 'normal'}
                  style={{ margin: 0 }}
                />
              </div>
            ) : (
              <Typography.Text key="goal" type="secondary" style={{ ...muted, display: 'block' }}>
                {t('battleMap.goals.wholeGoal')}
              </Typography.Text>
            ),
          )}
        </div>
      ))}
    </Flex>
  );
}

function taskStep(task: BriefTask, today: string): 'finish' | 'process' | 'error' | 'wait' {
  if (task.status === 'done') return 'finish';
  if (task.due_on < today) return 'error';
  if (task.status === 'in_progress' || task.status === 'blocked') return 'process';
  return 'wait';
}

function dates(task: { starts_on: string; due_on: string }, locale: DisplayLocale) {
  return `${formatDay(task.starts_on, locale)} – ${formatDay(task.due_on, locale)}`;
}

function CriticalPath({ tasks, today, locale }: { tasks: BriefTask[]; today: string; locale: DisplayLocale }) {
  const { t } = useTranslation();
  if (tasks.length === 0) return <EmptyState compact description={t('battleMap.critical.empty')} />;
  return (
    <Steps
      direction="vertical"
      size="small"
      data-testid="critical-chain"
      current={-1}
      items={tasks.map((task) => ({
        key: task.id,
        status: taskStep(task, today),
        title: (
          <span data-testid="critical-task">
            {task.title}
            {task.milestone ? (
              <Tag color="gold" bordered={false} style={{ marginInlineStart: 6 }}>
                {t('battleMap.milestone')}
              </Tag>
            ) : null}
          </span>
        ),
        description: (
          <Typography.Text type="secondary" style={muted}>
            {task.assignee_name ?? t('battleMap.unassigned')} · {dates(task, locale)} · {task.progress}%
          </Typography.Text>
        ),
      }))}
    />
  );
}

function OverdueTasks({ tasks, locale }: { tasks: OverdueTask[]; locale: DisplayLocale }) {
  const { t } = useTranslation();
  if (tasks.length === 0) return <EmptyState compact description={t('battleMap.overdue.empty')} />;
  return (
    <List
      size="small"
      dataSource={tasks}
      renderItem={(task) => (
        <List.Item style={{ paddingInline: 0 }} data-testid="overdue-task">
          <Flex vertical style={{ minWidth: 0, flex: 1 }}>
            <Flex justify="space-between" gap={8}>
              <Typography.Text type="danger" ellipsis strong>
                {task.title}
              </Typography.Text>
              <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="days-overdue">
                {t('battleMap.overdue.days', { count: task.days_overdue })}
              </Tag>
            </Flex>
            <Typography.Text type="secondary" style={muted}>
              {task.assignee_name ?? t('battleMap.unassigned')} ·{' '}
              {t('battleMap.overdue.due', { date: formatDay(task.due_on, locale) })} · {task.progress}%
            </Typography.Text>
          </Flex>
        </List.Item>
      )}
    />
  );
}

function Issues({ issues, locale }: { issues: BattleIssue[]; locale: DisplayLocale }) {
  const { t } = useTranslation();
  if (issues.length === 0) return <EmptyState compact description={t('battleMap.issues.empty')} />;
  return (
    <List
      size="small"
      dataSource={issues}
      renderItem={(issue) => (
        <List.Item style={{ paddingInline: 0 }} data-testid="battle-issue">
          <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Flex align="center" gap={6}>
              <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
                {t(`battleMap.issues.kind.${issue.kind}`, { defaultValue: issue.kind })}
              </Tag>
              <Tag color={SEVERITY_COLORS[issue.severity] ?? 'default'} style={{ marginInlineEnd: 0 }}>
                {t(`battleMap.issues.severity.${issue.severity}`, { defaultValue: issue.severity })}
              </Tag>
              <Typography.Text ellipsis strong style={{ flex: 1 }}>
                {issue.title}
              </Typography.Text>
              {issue.risk_score !== null ? (
                <Tooltip title={t('battleMap.issues.scoreHint')}>
                  <Tag color={issue.risk_score >= 15 ? 'red' : issue.risk_score >= 8 ? 'orange' : 'blue'}>
                    {t('battleMap.issues.score', { score: issue.risk_score })}
                  </Tag>
                </Tooltip>
              ) : null}
            </Flex>
            <Flex align="center" gap={6} wrap>
              <Typography.Text type="secondary" style={muted}>
                {issue.owner_name ?? t('battleMap.issues.noOwner')}
                {issue.due_on ? ` · ${t('battleMap.overdue.due', { date: formatDay(issue.due_on, locale) })}` : ''}
              </Typography.Text>
              {issue.overdue ? (
                <Tag color="red" bordered={false} data-testid="issue-overdue">
                  {t('battleMap.issues.overdue')}
                </Tag>
              ) : null}
              {issue.escalation !== 'none' ? (
                <Tag color="volcano" bordered={false} data-testid="issue-escalation">
                  {t(`battleMap.issues.escalation.${issue.escalation}`, { defaultValue: issue.escalation })}
                </Tag>
              ) : null}
            </Flex>
          </Flex>
        </List.Item>
      )}
    />
  );
}

function Bar({ percent, color, label }: { percent: number; color: string; label: string }) {
  return (
    <Flex align="center" gap={6}>
      <div style={{ flex: 1, height: 8, background: 'rgba(0,0,0,0.06)', borderRadius: 4, overflow: 'hidden' }}>
        <div style={{ width: `${percent}%`, height: '100%', background: color, borderRadius: 4 }} />
      </div>
      <Typography.Text style={{ ...muted, width: 64, textAlign: 'end' }}>{label}</Typography.Text>
    </Flex>
  );
}

function WorkloadBars({ people, locale }: { people: Workload[]; locale: DisplayLocale }) {
  const { t } = useTranslation();
  const active = people.filter((p) => p.tasks_this_week > 0 || p.overdue > 0);
  if (active.length === 0) return <EmptyState compact description={t('battleMap.workload.empty')} />;
  const maxTasks = Math.max(...active.map((p) => p.tasks_this_week));
  const maxHours = Math.max(...active.map((p) => Number(p.hours_this_week)));
  return (
    <Flex vertical gap={10}>
      <Flex gap={12} style={muted}>
        <Flex align="center" gap={4}>
          <span style={{ width: 10, height: 8, background: '#1677ff', borderRadius: 2 }} />
          <Typography.Text type="secondary" style={muted}>
            {t('battleMap.workload.tasksLegend')}
          </Typography.Text>
        </Flex>
        <Flex align="center" gap={4}>
          <span style={{ width: 10, height: 8, background: '#13c2c2', borderRadius: 2 }} />
          <Typography.Text type="secondary" style={muted}>
            {t('battleMap.workload.hoursLegend')}
          </Typography.Text>
        </Flex>
      </Flex>
      {active.map((person) => (
        <div key={person.member_id} data-testid="workload-person">
          <Flex justify="space-between">
            <Typography.Text strong style={muted}>
              {person.name}
            </Typography.Text>
            {person.overdue > 0 ? (
              <Typography.Text type="danger" style={muted}>
                {t('battleMap.workload.overdue', { count: person.overdue })}
              </Typography.Text>
            ) : null}
          </Flex>
          <Bar
            percent={barPercent(person.tasks_this_week, maxTasks)}
            color="#1677ff"
            label={t('battleMap.workload.tasks', { count: person.tasks_this_week })}
          />
          <Bar
            percent={barPercent(Number(person.hours_this_week), maxHours)}
            color="#13c2c2"
            label={t('battleMap.workload.hours', { hours: formatDecimal(person.hours_this_week, locale, 1) })}
          />
        </div>
      ))}
    </Flex>
  );
}

function ActivityFeed({ items, locale, now }: { items: Activity[]; locale: DisplayLocale; now: Date }) {
  const { t } = useTranslation();
  if (items.length === 0) return <EmptyState compact description={t('battleMap.activity.empty')} />;
  return (
    <List
      size="small"
      dataSource={items}
      renderItem={(item) => (
        <List.Item style={{ paddingInline: 0, alignItems: 'flex-start' }} data-testid="battle-activity">
          <Flex gap={8} style={{ minWidth: 0, flex: 1 }}>
            <span
              style={{
                width: 6,
                height: 6,
                marginTop: 8,
                borderRadius: 3,
                flex: 'none',
                background: ACTION_COLORS[item.action] ?? '#bfbfbf',
              }}
            />
            <div style={{ minWidth: 0, flex: 1 }}>
              <Typography.Text strong style={muted}>
                {item.actor_name ?? t('audit.system')}
              </Typography.Text>{' '}
              <Typography.Text style={muted}>
                {t(`audit.actions.${item.action}`, { defaultValue: item.action })}{' '}
                {t(`audit.entities.${item.entity_type}`, { defaultValue: item.entity_type })}
                {item.entity_label ? ` “${item.entity_label}”` : ''}
              </Typography.Text>
            </div>
            <Tooltip title={new Date(item.created_at).toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN')}>
              <Typography.Text type="secondary" style={{ ...muted, whiteSpace: 'nowrap' }} data-testid="activity-when">
                {relativeTime(item.created_at, now, locale)}
              </Typography.Text>
            </Tooltip>
          </Flex>
        </List.Item>
      )}
    />
  );
}

/**
 * 作战地图: one project on one screen — progress, goals, the timeline with today, the critical
 * path, what is overdue, open issues and risks, this week's workload and the latest activity.
 * It refreshes itself every minute.
 */
export function BattleMapPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { projectId = '' } = useParams();
  const query = useQuery(battleMapQuery(projectId));
  const canReadBudget = hasPermission(useSession(), PERMISSIONS.budgetRead);

  if (query.error && isApiError(query.error) && query.error.status === 404) {
    return <StatusResult kind="notFound" />;
  }
  if (!query.data) {
    if (query.error) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
    return (
      <Card variant="borderless">
        <Skeleton active />
      </Card>
    );
  }
  const map = query.data;
  const { project } = map;
  // When the data arrived: relative times count from there, and tick with each refresh.
  const now = new Date(query.dataUpdatedAt);
  const updated = now.toLocaleTimeString(locale === 'en' ? 'en-US' : 'zh-CN', { hour12: false });

  return (
    <div data-testid="battle-map">
      <PageHeader
        title={t('battleMap.pageTitle', { name: project.name })}
        testId="battle-map-title"
        subtitle={
          <Flex gap={8} align="center" wrap component="span">
            <span data-testid="battle-project-code">{project.code}</span>
            <ProjectStatusTag status={project.status} />
            <span>
              {formatDay(project.starts_on, locale)} – {formatDay(project.ends_on, locale)}
            </span>
            {project.finish && project.finish > project.ends_on ? (
              <Tag color="red" bordered={false} data-testid="battle-finish-late">
                {t('battleMap.finishLate', { date: formatDay(project.finish, locale) })}
              </Tag>
            ) : null}
          </Flex>
        }
        extra={
          <>
            <Typography.Text type="secondary" style={{ ...muted, alignSelf: 'center' }} data-testid="battle-updated">
              {t('battleMap.updated', { time: updated, seconds: REFRESH_MS / 1000 })}
            </Typography.Text>
            <Button
              icon={<ReloadOutlined />}
              loading={query.isFetching}
              onClick={() => void query.refetch()}
              data-testid="battle-refresh"
            >
              {t('battleMap.refresh')}
            </Button>
            <Link to={projectPath(project.id)}>
              <Button icon={<ArrowLeftOutlined />} tabIndex={-1}>
                {t('battleMap.backToProject')}
              </Button>
            </Link>
          </>
        }
      />
      {query.error ? <ProblemAlert error={query.error} title={t('battleMap.stale')} /> : null}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={9} xl={7}>
          <Flex vertical gap={12} style={{ height: '100%' }}>
            <Card size="small" title={t('battleMap.overview.title')} style={{ flex: 'auto' }}>
              <Overview map={map} locale={locale} />
            </Card>
            {canReadBudget ? <ProjectBudgetBurn projectId={project.id} refetchInterval={REFRESH_MS} /> : null}
          </Flex>
        </Col>
        <Col xs={24} lg={15} xl={17}>
          <Card
            size="small"
            title={t('battleMap.timeline.title')}
            style={{ height: '100%' }}
            data-testid="battle-timeline"
          >
            <Timeline map={map} locale={locale} />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Section title={t('battleMap.goals.title')} count={map.goals.length} testId="battle-goals">
            <Goals goals={map.goals} locale={locale} />
          </Section>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Section title={t('battleMap.critical.title')} count={map.critical_path.length} testId="battle-critical">
            <CriticalPath tasks={map.critical_path} today={map.today} locale={locale} />
          </Section>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Section title={t('battleMap.overdue.title')} count={map.overdue_tasks.length} testId="battle-overdue">
            <OverdueTasks tasks={map.overdue_tasks} locale={locale} />
          </Section>
        </Col>
        <Col xs={24} md={12} xl={10}>
          <Section title={t('battleMap.issues.title')} count={map.open_issues.length} testId="battle-issues">
            <Issues issues={map.open_issues} locale={locale} />
          </Section>
        </Col>
        <Col xs={24} md={12} xl={7}>
          <Section title={t('battleMap.workload.title')} testId="battle-workload">
            <WorkloadBars people={map.workload} locale={locale} />
          </Section>
        </Col>
        <Col xs={24} md={12} xl={7}>
          <Section title={t('battleMap.activity.title')} testId="battle-activity-card">
            <ActivityFeed items={map.activity} locale={locale} now={now} />
          </Section>
        </Col>
      </Row>
    </div>
  );
}
