import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type Approval = components['schemas']['ApprovalRead'];
export type ApprovalDetail = components['schemas']['ApprovalDetail'];
export type Box = components['schemas']['Box'];
export type RequestState = components['schemas']['RequestState'];
export type Decision = components['schemas']['Decision'];

export interface ApprovalFilters {
  box: Box;
  state?: RequestState;
  limit: number;
  offset: number;
}

export const approvalKeys = {
  all: ['approvals'] as const,
  list: (filters: ApprovalFilters) => ['approvals', 'list', filters] as const,
  detail: (id: string) => ['approvals', 'detail', id] as const,
};

export function approvalsQuery(filters: ApprovalFilters) {
  return queryOptions({
    queryKey: approvalKeys.list(filters),
    queryFn: () => unwrap(api.GET('/api/v1/approvals', { params: { query: filters } })),
    placeholderData: keepPreviousData,
  });
}

export function approvalQuery(id: string) {
  return queryOptions({
    queryKey: approvalKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/v1/approvals/{approval_id}', { params: { path: { approval_id: id } } })),
  });
}

export type SubjectProject = components['schemas']['ProjectDetail'];

/** The project a 立项 request is about, for what the approver decides on (dates, goals, budget). */
export function subjectProjectQuery(projectId: string) {
  return queryOptions({
    queryKey: ['projects', 'detail', projectId] as const,
    queryFn: () => unwrap(api.GET('/api/v1/projects/{project_id}', { params: { path: { project_id: projectId } } })),
  });
}

export function useDecide(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { decision: Decision; comment: string }) =>
      unwrap(api.POST('/api/v1/approvals/{approval_id}/decisions', { params: { path: { approval_id: id } }, body })),
    // A decision moves the project too (approved/rejected), an approved budget request its
    // budget lines (finance), and the homes count the inbox.
    onSettled: () =>
      Promise.all(
        [approvalKeys.all, ['projects'], ['finance'], ['home'], ['strategy'], ['notifications']].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}
