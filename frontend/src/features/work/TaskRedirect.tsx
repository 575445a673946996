import { useQuery } from '@tanstack/react-query';
import { Navigate, useParams } from 'react-router';
import { PageFallback } from '@/components/PageFallback';
import { StatusResult } from '@/components/StatusResult';
import { projectTasksPath } from '@/lib/paths';
import { taskQuery } from './api';

/**
 * `/tasks/:taskId`: where a link that knows only the task (a reminder, a mention) lands —
 * the task opened in its project's task list.
 */
export function TaskRedirect() {
  const { taskId = '' } = useParams();
  const task = useQuery({ ...taskQuery(taskId), retry: false });
  if (task.isError) return <StatusResult kind="notFound" />;
  if (!task.data) return <PageFallback />;
  return <Navigate replace to={projectTasksPath(task.data.project_id, task.data.id)} />;
}
