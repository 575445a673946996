import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type MyTask = components['schemas']['MyTask'];
type MyTasks = components['schemas']['MyTasks'];

const myTasksKey = ['home', 'my-tasks'] as const;

/** The caller's open tasks: overdue, due today, and coming up in the next two weeks. */
export const myTasksQuery = queryOptions({
  queryKey: myTasksKey,
  queryFn: () => unwrap(api.GET('/api/v1/me/tasks')),
});

export type MyTaskGroup = 'overdue' | 'due_today' | 'upcoming';

/** The groups in the order they are shown, with their colour; empty groups are left out. */
export function taskGroups(data: MyTasks): { key: MyTaskGroup; color: string; tasks: MyTask[] }[] {
  const groups = [
    { key: 'overdue' as const, color: 'red', tasks: data.overdue },
    { key: 'due_today' as const, color: 'orange', tasks: data.due_today },
    { key: 'upcoming' as const, color: 'blue', tasks: data.upcoming },
  ];
  return groups.filter((g) => g.tasks.length > 0);
}

/** Reports progress on one of my tasks (PATCH with the version read). */
export function useSetProgress() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ task, progress }: { task: MyTask; progress: number }) =>
      unwrap(
        api.PATCH('/api/v1/tasks/{task_id}', {
          params: { path: { task_id: task.id } },
          body: { progress, version: task.version },
        }),
      ),
    // The project's task views cache under ['work'].
    onSettled: () => Promise.all([myTasksKey, ['work']].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
