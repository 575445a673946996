import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { crossings, type Crossing } from './model';

export type BudgetSummary = components['schemas']['BudgetSummaryRead'];
export type Figures = components['schemas']['FiguresRead'];
export type LineFigures = components['schemas']['LineFiguresRead'];
export type CategoryFigures = components['schemas']['CategoryFiguresRead'];
export type PhaseFigures = components['schemas']['PhaseFiguresRead'];
export type Forecast = components['schemas']['ForecastRead'];
export type Cost = components['schemas']['CostRead'];
export type CostCreate = components['schemas']['CostCreate'];
export type CostKind = components['schemas']['CostKind'];
export type BudgetCategory = components['schemas']['BudgetCategory'];
export type Level = Figures['level'];

export interface CostFilters {
  kind?: CostKind;
  category?: BudgetCategory;
  line_id?: string;
  incurred_from?: string;
  incurred_to?: string;
  limit: number;
  offset: number;
}

export const financeKeys = {
  all: ['finance'] as const,
  budget: (projectId: string) => ['finance', 'budget', projectId] as const,
  costs: (projectId: string) => ['finance', 'costs', projectId] as const,
  costList: (projectId: string, filters: CostFilters) => ['finance', 'costs', projectId, filters] as const,
};

export function budgetSummaryQuery(projectId: string) {
  return queryOptions({
    queryKey: financeKeys.budget(projectId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{project_id}/budget', { params: { path: { project_id: projectId } } })),
  });
}

export function costsQuery(projectId: string, filters: CostFilters) {
  return queryOptions({
    queryKey: financeKeys.costList(projectId, filters),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{project_id}/costs', {
          params: { path: { project_id: projectId }, query: filters },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/**
 * Records one cost, then reads the budget figures again (every open view updates) and says
 * which thresholds the cost took its line or the project across, measured against the figures
 * read before it.
 */
export function useRecordCost(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CostCreate) => {
      const before = queryClient.getQueryData<BudgetSummary>(financeKeys.budget(projectId));
      const cost = await unwrap(
        api.POST('/api/v1/projects/{project_id}/costs', { params: { path: { project_id: projectId } }, body }),
      );
      let found: Crossing[] = [];
      try {
        const after = await queryClient.query({ ...budgetSummaryQuery(projectId), staleTime: 0 });
        found = crossings(before, after, cost.line_id);
      } catch {
        // The cost is recorded; the figures are read again when next shown.
        void queryClient.invalidateQueries({ queryKey: financeKeys.budget(projectId) });
      }
      return { cost, crossings: found };
    },
    // A crossing notifies the recorder too when they manage the project.
    onSuccess: () =>
      Promise.all(
        [financeKeys.costs(projectId), ['notifications']].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}
