import { ArrowLeftOutlined, FireOutlined, FlagOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Segmented, Skeleton, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProjectStatusTag } from '@/components/ProjectStatusTag';
import { StatusResult } from '@/components/StatusResult';
import { formatDay, type DisplayLocale } from '@/lib/format';
import { projectBoardPath, projectGanttPath, projectPath, projectTasksPath } from '@/lib/paths';
import { projectQuery, type MovedTask, type Priority, type ProjectDetail, type TaskStatus } from './api';
import { PRIORITY_COLORS, sortMoved, STATUS_COLORS } from './model';

export function StatusTag({ status, testId }: { status: TaskStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} bordered={false} data-testid={testId} style={{ marginInlineEnd: 0 }}>
      {t(`work.status.${status}`)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return (
    <Tag color={PRIORITY_COLORS[priority]} bordered={false} style={{ marginInlineEnd: 0 }}>
      {t(`work.priority.${priority}`)}
    </Tag>
  );
}

/** The milestone flag and the critical-path mark. */
export function TaskMarkers({ milestone, critical }: { milestone: boolean; critical: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {milestone ? (
        <Tooltip title={t('work.markers.milestone')}>
          <FlagOutlined style={{ color: '#722ed1' }} aria-label={t('work.markers.milestone')} data-testid="milestone" />
        </Tooltip>
      ) : null}
      {critical ? (
        <Tooltip title={t('work.markers.critical')}>
          <FireOutlined style={{ color: '#cf1322' }} aria-label={t('work.markers.critical')} data-testid="critical" />
        </Tooltip>
      ) : null}
    </>
  );
}

/** The tasks a change moved, milestones first and marked. */
export function MovedList({ moved, locale }: { moved: readonly MovedTask[]; locale: DisplayLocale }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={4} data-testid="moved-list">
      {sortMoved(moved).map((m) => (
        <div key={m.task_id} data-testid="moved-task" data-milestone={m.milestone || undefined}>
          {m.milestone ? (
            <Tag color="purple" icon={<FlagOutlined />} bordered={false}>
              {t('work.markers.milestone')}
            </Tag>
          ) : null}
          <Typography.Text strong={m.milestone}>{m.title}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('work.moved.dates', {
                before: `${formatDay(m.starts_on_before, locale)} – ${formatDay(m.due_on_before, locale)}`,
                after: `${formatDay(m.starts_on, locale)} – ${formatDay(m.due_on, locale)}`,
              })}
            </Typography.Text>
          </div>
        </div>
      ))}
    </Flex>
  );
}

export type WorkView = 'tasks' | 'board' | 'gantt';

const VIEW_PATHS: Record<WorkView, (id: string) => string> = {
  tasks: projectTasksPath,
  board: projectBoardPath,
  gantt: projectGanttPath,
};

/**
 * The frame of the project's work pages: the project's name and status, a way back to the
 * project, and the switch between the list, the board and the Gantt. Loads the project and
 * hands it to the page.
 */
export function WorkFrame({
  projectId,
  view,
  extra,
  children,
}: {
  projectId: string;
  view: WorkView;
  extra?: (project: ProjectDetail) => ReactNode;
  children: (project: ProjectDetail) => ReactNode;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const project = useQuery(projectQuery(projectId));
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
  return (
    <>
      <PageHeader
        title={p.name}
        testId={`work-${view}`}
        subtitle={
          <Flex gap={8} align="center" wrap component="span">
            <Link to={projectPath(p.id)} data-testid="work-back">
              <ArrowLeftOutlined /> {p.code}
            </Link>
            <ProjectStatusTag status={p.status} />
          </Flex>
        }
        extra={
          <Flex gap={8} wrap align="center">
            <Segmented<WorkView>
              value={view}
              data-testid="work-views"
              onChange={(v) => void navigate(VIEW_PATHS[v](p.id))}
              options={[
                { value: 'tasks', label: t('work.views.tasks') },
                { value: 'board', label: t('work.views.board') },
                { value: 'gantt', label: t('work.views.gantt') },
              ]}
            />
            {extra?.(p)}
          </Flex>
        }
      />
      {children(p)}
    </>
  );
}

/** A button that opens the new-task form (project managers only). */
export function NewTaskButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button type="primary" onClick={onClick} data-testid="task-new">
      {t('work.task.new')}
    </Button>
  );
}
