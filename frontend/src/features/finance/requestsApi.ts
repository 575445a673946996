import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { financeKeys } from './api';
import type { BudgetRequest, BudgetRequestCreate, FlowStep } from './requestModel';

export type Thresholds = components['schemas']['ThresholdsRead'];
export type BudgetSettings = components['schemas']['BudgetSettingsIn'];

export const budgetRequestKeys = {
  /** Every list of one project's requests (invalidated together). */
  project: (projectId: string) => ['finance', 'requests', projectId] as const,
  list: (projectId: string, page: { limit: number; offset: number }) =>
    ['finance', 'requests', projectId, page] as const,
  detail: (id: string) => ['finance', 'request', id] as const,
  flow: ['finance', 'budget-flow'] as const,
};

export function budgetRequestsQuery(projectId: string, page: { limit: number; offset: number }) {
  return queryOptions({
    queryKey: budgetRequestKeys.list(projectId, page),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{project_id}/budget-requests', {
          params: { path: { project_id: projectId }, query: page },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function budgetRequestQuery(id: string) {
  return queryOptions({
    queryKey: budgetRequestKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/v1/budget-requests/{request_id}', { params: { path: { request_id: id } } })),
  });
}

/** The project a request is about (its code, name, currency and phases). */
export function requestProjectQuery(projectId: string) {
  return queryOptions({
    queryKey: ['projects', 'detail', projectId] as const,
    queryFn: () => unwrap(api.GET('/api/v1/projects/{project_id}', { params: { path: { project_id: projectId } } })),
  });
}

/** The organisation's budget approval steps (its own flow, or the default). */
export const budgetFlowQuery = queryOptions({
  queryKey: budgetRequestKeys.flow,
  queryFn: async (): Promise<FlowStep[] | null> => {
    const flows = await unwrap(api.GET('/api/v1/approval-flows'));
    return flows.find((f) => f.request_type === 'budget_request')?.steps ?? null;
  },
  staleTime: 5 * 60 * 1000,
});

/** What a request or its outcome changes: the project's requests, its lines, the approval boxes. */
function touched(projectId: string) {
  return [budgetRequestKeys.project(projectId), ['projects', 'detail', projectId], ['approvals'], ['home']];
}

export function useCreateBudgetRequest(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BudgetRequestCreate) =>
      unwrap(
        api.POST('/api/v1/projects/{project_id}/budget-requests', {
          params: { path: { project_id: projectId } },
          body,
        }),
      ),
    onSuccess: () => Promise.all(touched(projectId).map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}

export function useWithdrawBudgetRequest(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: Pick<BudgetRequest, 'id'>) =>
      unwrap(
        api.POST('/api/v1/budget-requests/{request_id}/withdraw', { params: { path: { request_id: request.id } } }),
      ),
    onSettled: () => Promise.all(touched(projectId).map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}

/** The project's own thresholds (null: the organisation's); a threshold passed is announced at once. */
export function useSetThresholds(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BudgetSettings) =>
      unwrap(
        api.PUT('/api/v1/projects/{project_id}/budget-settings', {
          params: { path: { project_id: projectId } },
          body,
        }),
      ),
    onSuccess: () =>
      Promise.all(
        [financeKeys.budget(projectId), ['notifications'], ['home']].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}
