import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Progress, Select, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay } from '@/lib/format';
import { useSession } from '@/lib/session';
import { phasesQuery, tasksQuery, type Phase, type ProjectDetail, type TaskStatus } from './api';
import { NewTaskButton, PriorityTag, StatusTag, TaskMarkers, WorkFrame } from './components';
import { useLocale, useQuickProgress, useTaskParam } from './hooks';
import {
  assigneeOptions,
  listRows,
  mayEditPlan,
  mayReport,
  TASK_STATUSES,
  wbsOrder,
  type ListRow,
  type TaskFilter,
} from './model';
import { ProgressControl } from '@/components/ProgressControl';
import { TaskFormModal } from './TaskFormModal';

function TaskList({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const me = useSession();
  const locale = useLocale();
  const tasks = useQuery(tasksQuery(project.id));
  const phases = useQuery(phasesQuery(project.id));
  const [filter, setFilter] = useState<TaskFilter>({});
  const { taskParam, phaseParam, open, close } = useTaskParam();
  const quick = useQuickProgress(project.id);
  const planEditable = mayEditPlan(me, project);

  const phaseList = useMemo(() => phases.data ?? [], [phases.data]);
  const ordered = useMemo(() => wbsOrder(tasks.data ?? [], phaseList), [tasks.data, phaseList]);
  const rows = useMemo(() => listRows(ordered, phaseList, filter), [ordered, phaseList, filter]);
  const people = assigneeOptions(project);
  const editing = taskParam && taskParam !== 'new' ? (ordered.find((x) => x.id === taskParam) ?? null) : null;
  const formOpen = taskParam === 'new' ? planEditable : editing !== null;

  const COLUMNS = 8;
  const span = (row: ListRow, first = false) => (row.kind === 'phase' ? { colSpan: first ? COLUMNS : 0 } : {});
  const columns: TableColumnsType<ListRow> = [
    {
      key: 'wbs',
      title: t('work.fields.wbs'),
      width: 80,
      onCell: (row) => span(row, true),
      render: (_, row) =>
        row.kind === 'phase' ? (
          <PhaseGroup
            phase={row.phase}
            total={row.total}
            done={row.done}
            onAdd={planEditable ? () => open('new', row.phase?.id) : undefined}
          />
        ) : (
          <Typography.Text>{row.task.wbs}</Typography.Text>
        ),
    },
    {
      key: 'title',
      title: t('work.fields.title'),
      onCell: (row) => span(row),
      render: (_, row) =>
        row.kind === 'task' ? (
          <Flex gap={6} align="center" style={{ paddingInlineStart: row.task.depth * 20 }}>
            <Typography.Link
              strong={row.task.summary}
              onClick={() => open(row.task.id)}
              data-testid="task-open"
              style={row.task.status === 'cancelled' ? { textDecoration: 'line-through' } : undefined}
            >
              {row.task.title}
            </Typography.Link>
            <TaskMarkers milestone={row.task.milestone} critical={row.task.critical} />
          </Flex>
        ) : null,
    },
    {
      key: 'assignee',
      title: t('work.fields.assignee'),
      width: 110,
      onCell: (row) => span(row),
      render: (_, row) => (row.kind === 'task' ? row.task.assignee_name || '—' : null),
    },
    {
      key: 'start',
      title: t('work.fields.startsOn'),
      width: 130,
      onCell: (row) => span(row),
      render: (_, row) => (row.kind === 'task' ? formatDay(row.task.starts_on, locale) : null),
    },
    {
      key: 'due',
      title: t('work.fields.dueOn'),
      width: 130,
      onCell: (row) => span(row),
      render: (_, row) =>
        row.kind === 'task' ? <span data-testid="task-due">{formatDay(row.task.due_on, locale)}</span> : null,
    },
    {
      key: 'progress',
      title: t('work.fields.progress'),
      width: 150,
      onCell: (row) => span(row),
      render: (_, row) => {
        if (row.kind !== 'task') return null;
        const editable = !row.task.summary && (planEditable || mayReport(me, row.task));
        return (
          <ProgressControl
            progress={row.task.progress}
            pending={quick.pending}
            testId="task-progress"
            onChange={editable ? (progress) => quick.set(row.task, { progress }) : undefined}
          />
        );
      },
    },
    {
      key: 'status',
      title: t('work.fields.status'),
      width: 100,
      onCell: (row) => span(row),
      render: (_, row) =>
        row.kind === 'task' ? <StatusTag status={row.task.status} testId="task-status-tag" /> : null,
    },
    {
      key: 'priority',
      title: t('work.fields.priority'),
      width: 90,
      onCell: (row) => span(row),
      render: (_, row) => (row.kind === 'task' ? <PriorityTag priority={row.task.priority} /> : null),
    },
  ];

  return (
    <Card variant="borderless">
      <Flex gap={8} wrap style={{ marginBottom: 16 }} data-testid="task-filters">
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('work.filter.assignee')}
          style={{ width: 160 }}
          value={filter.assignee ?? undefined}
          onChange={(assignee: string | undefined) => setFilter((f) => ({ ...f, assignee }))}
          options={people}
          data-testid="filter-assignee"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('work.filter.status')}
          style={{ minWidth: 200 }}
          value={[...(filter.statuses ?? [])]}
          onChange={(statuses: TaskStatus[]) => setFilter((f) => ({ ...f, statuses }))}
          options={TASK_STATUSES.map((s) => ({ value: s, label: t(`work.status.${s}`) }))}
          data-testid="filter-status"
        />
        <Select
          allowClear
          placeholder={t('work.filter.phase')}
          style={{ width: 180 }}
          value={filter.phase ?? undefined}
          onChange={(phase: string | undefined) => setFilter((f) => ({ ...f, phase }))}
          options={[
            ...phaseList.map((p) => ({ value: p.id, label: p.name })),
            { value: 'none', label: t('work.noPhase') },
          ]}
          data-testid="filter-phase"
        />
        {filter.assignee || filter.phase || (filter.statuses?.length ?? 0) > 0 ? (
          <Button type="link" onClick={() => setFilter({})}>
            {t('work.filter.clear')}
          </Button>
        ) : null}
        <Button type="link" onClick={() => setFilter({ assignee: me.membership_id })} data-testid="filter-mine">
          {t('work.filter.mine')}
        </Button>
      </Flex>
      {tasks.error ? <ProblemAlert error={tasks.error} onRetry={() => void tasks.refetch()} /> : null}
      {quick.error ? <ProblemAlert error={quick.error} /> : null}
      <Table<ListRow>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={tasks.isLoading || phases.isLoading}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="task-list"
        onRow={(row) => ({ 'data-testid': row.kind === 'phase' ? 'phase-row' : 'task-row' }) as object}
        locale={{ emptyText: t('work.list.empty') }}
      />
      {formOpen ? (
        <TaskFormModal
          project={project}
          phases={phaseList}
          tasks={ordered}
          task={editing}
          planEditable={planEditable}
          defaultPhaseId={phaseParam}
          open
          onClose={close}
        />
      ) : null}
    </Card>
  );
}

function PhaseGroup({
  phase,
  total,
  done,
  onAdd,
}: {
  phase: Phase | null;
  total: number;
  done: number;
  onAdd?: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Flex align="center" gap={12} wrap data-testid="phase-group">
      <Typography.Text strong>{phase ? phase.name : t('work.noPhase')}</Typography.Text>
      {phase ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDay(phase.starts_on, locale)} – {formatDay(phase.ends_on, locale)}
        </Typography.Text>
      ) : null}
      <Progress
        percent={total ? Math.round((done / total) * 100) : 0}
        size="small"
        style={{ width: 160, margin: 0 }}
        format={() => t('work.phaseDone', { done, total })}
      />
      {onAdd ? (
        <Button size="small" type="link" onClick={onAdd} data-testid="phase-add-task">
          {t('work.task.addHere')}
        </Button>
      ) : null}
    </Flex>
  );
}

/** /projects/:id/tasks — the project's tasks in WBS order, grouped by phase. */
export function TaskListPage() {
  const { projectId = '' } = useParams();
  const me = useSession();
  const { open } = useTaskParam();
  return (
    <WorkFrame
      projectId={projectId}
      view="tasks"
      extra={(project) => (mayEditPlan(me, project) ? <NewTaskButton onClick={() => open('new')} /> : null)}
    >
      {(project) => <TaskList project={project} />}
    </WorkFrame>
  );
}
