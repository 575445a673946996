import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type Issue = components['schemas']['IssueRead'];
export type IssueCreate = components['schemas']['IssueCreate'];
export type IssueKind = components['schemas']['IssueKind'];
export type IssueStatus = components['schemas']['IssueStatus'];
export type Severity = components['schemas']['Severity'];
export type Escalation = components['schemas']['Escalation'];
export type ProjectDetail = components['schemas']['ProjectDetail'];

export interface IssueFilters {
  kind?: IssueKind;
  status?: IssueStatus;
  limit: number;
  offset: number;
}

export const issueKeys = {
  all: ['issues'] as const,
  list: (projectId: string, filters: IssueFilters) => ['issues', projectId, filters] as const,
  one: (id: string) => ['issues', 'one', id] as const,
};

export function issuesQuery(projectId: string, filters: IssueFilters) {
  return queryOptions({
    queryKey: issueKeys.list(projectId, filters),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{project_id}/issues', {
          params: { path: { project_id: projectId }, query: filters },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** One issue or risk (its details opened from an address or a notification). */
export function issueQuery(id: string) {
  return queryOptions({
    queryKey: issueKeys.one(id),
    queryFn: () => unwrap(api.GET('/api/v1/issues/{issue_id}', { params: { path: { issue_id: id } } })),
  });
}

/** The same key as the project page's, so both share one copy of the project. */
export function projectQuery(id: string) {
  return queryOptions({
    queryKey: ['projects', 'detail', id] as const,
    queryFn: () => unwrap(api.GET('/api/v1/projects/{project_id}', { params: { path: { project_id: id } } })),
  });
}

/** The project's tasks, to link an issue to one of them. */
export function projectTasksQuery(projectId: string) {
  return queryOptions({
    queryKey: ['work', 'tasks', projectId] as const,
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{project_id}/tasks', { params: { path: { project_id: projectId } } })),
  });
}

function useInvalidateIssues() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([issueKeys.all, ['notifications']].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function useRaiseIssue(projectId: string) {
  const invalidate = useInvalidateIssues();
  return useMutation({
    mutationFn: (body: IssueCreate) =>
      unwrap(api.POST('/api/v1/projects/{project_id}/issues', { params: { path: { project_id: projectId } }, body })),
    onSuccess: invalidate,
  });
}

export type IssueAction = 'resolve' | 'close' | 'reopen';

export interface IssueStepInput {
  issue: Pick<Issue, 'id' | 'version'>;
  action: IssueAction;
  /** Only for `resolve`. */
  resolution?: string;
}

function step({ issue, action, resolution }: IssueStepInput) {
  const path = { params: { path: { issue_id: issue.id } } };
  const body = { version: issue.version };
  switch (action) {
    case 'resolve':
      return unwrap(
        api.POST('/api/v1/issues/{issue_id}/resolve', { ...path, body: { ...body, resolution: resolution ?? '' } }),
      );
    case 'close':
      return unwrap(api.POST('/api/v1/issues/{issue_id}/close', { ...path, body }));
    case 'reopen':
      return unwrap(api.POST('/api/v1/issues/{issue_id}/reopen', { ...path, body }));
  }
}

/** Resolve, close or reopen an issue at the version read. */
export function useIssueStep() {
  const invalidate = useInvalidateIssues();
  return useMutation({ mutationFn: step, onSettled: invalidate });
}
