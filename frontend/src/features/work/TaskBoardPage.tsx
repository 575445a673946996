import { useQuery } from '@tanstack/react-query';
import { App, Badge, Card, Flex, Progress, Typography } from 'antd';
import { useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay } from '@/lib/format';
import { useSession } from '@/lib/session';
import { phasesQuery, tasksQuery, useUpdateTask, type ProjectDetail, type TaskStatus } from './api';
import { NewTaskButton, PriorityTag, TaskMarkers, WorkFrame } from './components';
import { useLocale, useShowMoved, useTaskParam } from './hooks';
import { BOARD_COLUMNS, boardColumns, mayEditPlan, mayReport, wbsOrder, type BoardColumn, type WbsTask } from './model';
import { TaskFormModal } from './TaskFormModal';

const DRAG_TYPE = 'application/x-mems-task';

const COLUMN_COLORS: Record<BoardColumn, string> = {
  todo: '#8c8c8c',
  in_progress: '#1677ff',
  blocked: '#cf1322',
  done: '#389e0d',
};

function TaskCard({ task, draggable, onOpen }: { task: WbsTask; draggable: boolean; onOpen: () => void }) {
  const locale = useLocale();
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      hoverable
      draggable={draggable}
      onDragStart={(e: DragEvent) => {
        e.dataTransfer.setData(DRAG_TYPE, task.id);
        e.dataTransfer.setData('text/plain', task.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onClick={onOpen}
      data-testid="board-card"
      data-task-id={task.id}
      style={{ cursor: draggable ? 'grab' : 'pointer' }}
      styles={{ body: { padding: 10 } }}
    >
      <Flex vertical gap={6}>
        <Flex gap={6} align="center">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {task.wbs}
          </Typography.Text>
          <Typography.Text strong ellipsis style={{ flex: 1 }}>
            {task.title}
          </Typography.Text>
          <TaskMarkers milestone={task.milestone} critical={task.critical} />
        </Flex>
        <Progress percent={task.progress} size="small" style={{ margin: 0 }} />
        <Flex justify="space-between" align="center" gap={6} wrap>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {task.assignee_name || t('work.unassigned')} · {formatDay(task.due_on, locale)}
          </Typography.Text>
          <PriorityTag priority={task.priority} />
        </Flex>
      </Flex>
    </Card>
  );
}

function Board({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const tasks = useQuery(tasksQuery(project.id));
  const phases = useQuery(phasesQuery(project.id));
  const update = useUpdateTask(project.id);
  const showMoved = useShowMoved();
  const { taskParam, open, close } = useTaskParam();
  // Cards shown in their new column while the change is saved.
  const [moving, setMoving] = useState<Record<string, TaskStatus>>({});
  const [over, setOver] = useState<BoardColumn | null>(null);
  const planEditable = mayEditPlan(me, project);

  const ordered = useMemo(() => wbsOrder(tasks.data ?? [], phases.data ?? []), [tasks.data, phases.data]);
  // Summary tasks follow their subtasks, so only the work itself is on the board.
  const shown = useMemo(
    () => ordered.filter((x) => !x.summary).map((x) => ({ ...x, status: moving[x.id] ?? x.status })),
    [ordered, moving],
  );
  const columns = boardColumns(shown);
  const editing = taskParam && taskParam !== 'new' ? (ordered.find((x) => x.id === taskParam) ?? null) : null;
  const mayMove = (task: WbsTask) => planEditable || mayReport(me, task);

  const drop = (column: BoardColumn, e: DragEvent) => {
    e.preventDefault();
    setOver(null);
    const id = e.dataTransfer.getData(DRAG_TYPE) || e.dataTransfer.getData('text/plain');
    const task = ordered.find((x) => x.id === id);
    if (!task || task.status === column || !mayMove(task)) return;
    setMoving((m) => ({ ...m, [task.id]: column }));
    update.mutate(
      { taskId: task.id, body: { status: column, version: task.version } },
      {
        onSuccess: (change) => {
          void message.success(t('work.board.moved', { title: task.title, status: t(`work.status.${column}`) }));
          showMoved(change.moved);
        },
        onSettled: () => setMoving((m) => Object.fromEntries(Object.entries(m).filter(([id]) => id !== task.id))),
      },
    );
  };

  return (
    <>
      {tasks.error ? <ProblemAlert error={tasks.error} onRetry={() => void tasks.refetch()} /> : null}
      {update.error ? <ProblemAlert error={update.error} /> : null}
      <Typography.Paragraph type="secondary">
        {planEditable ? t('work.board.hintManager') : t('work.board.hintAssignee')}
      </Typography.Paragraph>
      <Flex gap={12} align="flex-start" style={{ overflowX: 'auto' }} data-testid="task-board">
        {BOARD_COLUMNS.map((column) => (
          <div
            key={column}
            data-testid={`board-column-${column}`}
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              if (over !== column) setOver(column);
            }}
            onDragLeave={() => setOver((o) => (o === column ? null : o))}
            onDrop={(e) => drop(column, e)}
            style={{
              flex: '1 0 240px',
              minHeight: 320,
              background: over === column ? '#e6f4ff' : '#f5f5f5',
              borderRadius: 8,
              padding: 10,
              borderTop: `3px solid ${COLUMN_COLORS[column]}`,
              transition: 'background 0.15s',
            }}
          >
            <Flex justify="space-between" align="center" style={{ marginBottom: 10 }}>
              <Typography.Text strong>{t(`work.status.${column}`)}</Typography.Text>
              <Badge count={columns[column].length} showZero color={COLUMN_COLORS[column]} />
            </Flex>
            <Flex vertical gap={8}>
              {columns[column].map((task) => (
                <TaskCard key={task.id} task={task} draggable={mayMove(task)} onOpen={() => open(task.id)} />
              ))}
              {columns[column].length === 0 ? (
                <Typography.Text type="secondary" style={{ textAlign: 'center', padding: 16 }}>
                  {t('work.board.empty')}
                </Typography.Text>
              ) : null}
            </Flex>
          </div>
        ))}
      </Flex>
      {(taskParam === 'new' && planEditable) || editing ? (
        <TaskFormModal
          project={project}
          phases={phases.data ?? []}
          tasks={ordered}
          task={editing}
          planEditable={planEditable}
          open
          onClose={close}
        />
      ) : null}
    </>
  );
}

/** /projects/:id/board — the tasks in columns by status; dragging a card changes its status. */
export function TaskBoardPage() {
  const { projectId = '' } = useParams();
  const me = useSession();
  const { open } = useTaskParam();
  return (
    <WorkFrame
      projectId={projectId}
      view="board"
      extra={(project) => (mayEditPlan(me, project) ? <NewTaskButton onClick={() => open('new')} /> : null)}
    >
      {(project) => <Board project={project} />}
    </WorkFrame>
  );
}
