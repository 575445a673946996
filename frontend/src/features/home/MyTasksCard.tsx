import { FireOutlined, FlagOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Badge, Card, Empty, Flex, List, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProgressControl } from '@/components/ProgressControl';
import { formatDay, type DisplayLocale } from '@/lib/format';
import { projectTasksPath } from '@/lib/paths';
import { myTasksQuery, taskGroups, useSetProgress, type MyTask, type MyTaskGroup } from './myTasks';

const GROUP_LABELS: Record<MyTaskGroup, string> = {
  overdue: 'home.myTasks.overdue',
  due_today: 'home.myTasks.dueToday',
  upcoming: 'home.myTasks.upcoming',
};

function TaskItem({
  task,
  overdue,
  locale,
  onProgress,
  pending,
}: {
  task: MyTask;
  overdue: boolean;
  locale: DisplayLocale;
  onProgress: (progress: number) => void;
  pending: boolean;
}) {
  const { t } = useTranslation();
  return (
    <List.Item style={{ paddingInline: 0 }} data-testid="my-task">
      <Flex vertical gap={4} style={{ width: '100%' }}>
        <Flex justify="space-between" gap={8} align="baseline" wrap>
          <span>
            <Link to={projectTasksPath(task.project_id, task.id)} data-testid="my-task-open">
              {task.title}
            </Link>{' '}
            {task.milestone ? (
              <FlagOutlined style={{ color: '#722ed1' }} aria-label={t('work.markers.milestone')} />
            ) : null}{' '}
            {task.critical ? (
              <FireOutlined style={{ color: '#cf1322' }} aria-label={t('work.markers.critical')} />
            ) : null}
          </span>
          <Typography.Text type={overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
            {t('home.myTasks.due', { date: formatDay(task.due_on, locale) })}
          </Typography.Text>
        </Flex>
        <Flex gap={12} align="center">
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, flex: '0 1 45%' }}>
            {task.project_code} · {task.project_name}
          </Typography.Text>
          <div style={{ flex: 1 }}>
            <ProgressControl
              progress={task.progress}
              onChange={onProgress}
              pending={pending}
              testId="my-task-progress"
            />
          </div>
        </Flex>
      </Flex>
    </List.Item>
  );
}

/** 我的任务: the member's open tasks by urgency, each with a quick progress update. */
export function MyTasksCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const locale: DisplayLocale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const tasks = useQuery(myTasksQuery);
  const setProgress = useSetProgress();
  const groups = tasks.data ? taskGroups(tasks.data) : [];
  return (
    <Card title={t('home.myTasks.title')} variant="borderless" data-testid="my-tasks">
      {tasks.error ? <ProblemAlert error={tasks.error} onRetry={() => void tasks.refetch()} /> : null}
      {setProgress.error ? <ProblemAlert error={setProgress.error} /> : null}
      {tasks.isLoading ? <Skeleton active /> : null}
      {tasks.data && groups.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.myTasks.empty')} />
      ) : null}
      {groups.map((group) => (
        <div key={group.key} data-testid={`my-tasks-${group.key}`} style={{ marginBottom: 8 }}>
          <Tag color={group.color} bordered={false}>
            {t(GROUP_LABELS[group.key])} <Badge count={group.tasks.length} color={group.color} size="small" />
          </Tag>
          <List
            size="small"
            dataSource={group.tasks}
            renderItem={(task) => (
              <TaskItem
                task={task}
                overdue={group.key === 'overdue'}
                locale={locale}
                pending={setProgress.isPending}
                onProgress={(progress) =>
                  setProgress.mutate(
                    { task, progress },
                    { onSuccess: () => void message.success(t('home.myTasks.saved')) },
                  )
                }
              />
            )}
          />
        </div>
      ))}
    </Card>
  );
}
