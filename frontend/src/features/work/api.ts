import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type Task = components['schemas']['TaskRead'];
export type TaskCreate = components['schemas']['TaskCreate'];
export type TaskUpdate = components['schemas']['TaskUpdate'];
export type TaskChange = components['schemas']['TaskChange'];
export type TaskStatus = components['schemas']['TaskStatus'];
export type Priority = components['schemas']['Priority'];
export type MovedTask = components['schemas']['MovedTask'];
export type Phase = components['schemas']['mems__work__schemas__PhaseRead'];
export type Gantt = components['schemas']['GanttRead'];
export type GanttTaskRead = components['schemas']['GanttTask'];
export type Dependency = components['schemas']['DependencyRead'];
export type DependencyCreate = components['schemas']['DependencyCreate'];
export type DependencyType = components['schemas']['DependencyType'];
export type Baseline = components['schemas']['BaselineRead'];
export type ProjectDetail = components['schemas']['ProjectDetail'];

export const workKeys = {
  all: ['work'] as const,
  tasks: (projectId: string) => ['work', 'tasks', projectId] as const,
  task: (taskId: string) => ['work', 'task', taskId] as const,
  phases: (projectId: string) => ['work', 'phases', projectId] as const,
  gantt: (projectId: string, baselineId: string | null) => ['work', 'gantt', projectId, baselineId] as const,
};

/** The same key as the project page's, so both share one copy of the project. */
export function projectQuery(id: string) {
  return queryOptions({
    queryKey: ['projects', 'detail', id] as const,
    queryFn: () => unwrap(api.GET('/api/v1/projects/{project_id}', { params: { path: { project_id: id } } })),
  });
}

/** Every task of the project in WBS order (filters apply on the page, so WBS numbers stay whole). */
export function tasksQuery(projectId: string) {
  return queryOptions({
    queryKey: workKeys.tasks(projectId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{project_id}/tasks', { params: { path: { project_id: projectId } } })),
  });
}

export function phasesQuery(projectId: string) {
  return queryOptions({
    queryKey: workKeys.phases(projectId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{project_id}/phases', { params: { path: { project_id: projectId } } })),
  });
}

export function taskQuery(taskId: string) {
  return queryOptions({
    queryKey: workKeys.task(taskId),
    queryFn: () => unwrap(api.GET('/api/v1/tasks/{task_id}', { params: { path: { task_id: taskId } } })),
  });
}

/** Everything the Gantt draws; `baselineId` null: the latest baseline. */
export function ganttQuery(projectId: string, baselineId: string | null) {
  return queryOptions({
    queryKey: workKeys.gantt(projectId, baselineId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{project_id}/gantt', {
          params: { path: { project_id: projectId }, query: { baseline_id: baselineId ?? undefined } },
        }),
      ),
  });
}

/**
 * A plan change shows on every work view, the project page (its phases' task counts) and the
 * homes (my tasks).
 */
function useInvalidateWork(projectId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [workKeys.all, ['projects', 'detail', projectId], ['home']].map((queryKey) =>
        queryClient.invalidateQueries({ queryKey }),
      ),
    );
}

export function useCreateTask(projectId: string) {
  const invalidate = useInvalidateWork(projectId);
  return useMutation({
    mutationFn: (body: TaskCreate) =>
      unwrap(api.POST('/api/v1/projects/{project_id}/tasks', { params: { path: { project_id: projectId } }, body })),
    onSettled: invalidate,
  });
}

export function useUpdateTask(projectId: string) {
  const invalidate = useInvalidateWork(projectId);
  return useMutation({
    mutationFn: ({ taskId, body }: { taskId: string; body: TaskUpdate }) =>
      unwrap(api.PATCH('/api/v1/tasks/{task_id}', { params: { path: { task_id: taskId } }, body })),
    // A 409 means our copy is stale: refetch either way.
    onSettled: invalidate,
  });
}

export function useDeleteTask(projectId: string) {
  const invalidate = useInvalidateWork(projectId);
  return useMutation({
    mutationFn: (taskId: string) =>
      unwrap(api.DELETE('/api/v1/tasks/{task_id}', { params: { path: { task_id: taskId } } })),
    onSettled: invalidate,
  });
}

export function useCreateDependency(projectId: string) {
  const invalidate = useInvalidateWork(projectId);
  return useMutation({
    mutationFn: (body: DependencyCreate) =>
      unwrap(
        api.POST('/api/v1/projects/{project_id}/dependencies', { params: { path: { project_id: projectId } }, body }),
      ),
    onSettled: invalidate,
  });
}

export function useDeleteDependency(projectId: string) {
  const invalidate = useInvalidateWork(projectId);
  return useMutation({
    mutationFn: (dependencyId: string) =>
      unwrap(api.DELETE('/api/v1/dependencies/{dependency_id}', { params: { path: { dependency_id: dependencyId } } })),
    onSettled: invalidate,
  });
}

export function useCreateBaseline(projectId: string) {
  const invalidate = useInvalidateWork(projectId);
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(
        api.POST('/api/v1/projects/{project_id}/baselines', {
          params: { path: { project_id: projectId } },
          body: { name },
        }),
      ),
    onSettled: invalidate,
  });
}
