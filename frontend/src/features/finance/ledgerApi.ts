import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { budgetSummaryQuery, financeKeys, type BudgetCategory, type BudgetSummary, type CostKind } from './api';
import { importCrossings, type ImportMapping } from './importModel';
import type { Crossing } from './model';

export type ImportPreview = components['schemas']['CostImportPreviewRead'];
export type ImportRow = components['schemas']['CostImportRowRead'];
export type ImportError = components['schemas']['CostImportErrorRead'];
export type ImportResult = components['schemas']['CostImportResultRead'];
export type OrgCost = components['schemas']['OrgCostRead'];

export interface OrgCostFilters {
  verified?: boolean;
  project_id?: string;
  kind?: CostKind;
  category?: BudgetCategory;
  incurred_from?: string;
  incurred_to?: string;
  limit: number;
  offset: number;
}

export const ledgerKeys = {
  /** The organisation's costs (finance's list to verify), every filter. */
  orgCosts: ['finance', 'org-costs'] as const,
  orgCostList: (filters: OrgCostFilters) => ['finance', 'org-costs', filters] as const,
};

/** GET /costs: the organisation's entries across its projects (finance, costs:verify). */
export function orgCostsQuery(filters: OrgCostFilters) {
  return queryOptions({
    queryKey: ledgerKeys.orgCostList(filters),
    queryFn: () => unwrap(api.GET('/api/v1/costs', { params: { query: filters } })),
    placeholderData: keepPreviousData,
  });
}

/** GET /costs/{id}: one cost with its project named (whoever reads the project's budget). */
export function costQuery(costId: string) {
  return queryOptions({
    queryKey: ['finance', 'cost', costId] as const,
    queryFn: () => unwrap(api.GET('/api/v1/costs/{cost_id}', { params: { path: { cost_id: costId } } })),
  });
}

function importForm(file: File, mapping: ImportMapping | null, commit: boolean): FormData {
  const form = new FormData();
  form.append('file', file, file.name);
  if (mapping) form.append('mapping', JSON.stringify(mapping));
  form.append('commit', commit ? 'true' : 'false');
  return form;
}

function postImport(projectId: string, form: FormData) {
  return api.POST('/api/v1/projects/{project_id}/costs/import', {
    params: { path: { project_id: projectId } },
    // Multipart: the browser sets the boundary.
    body: form as unknown as { file: string },
  });
}

export interface ImportRequest {
  file: File;
  /** Field → column for every field (null: unmapped); null for the server's guess alone. */
  mapping: ImportMapping | null;
}

/** Reads the file against the project without writing anything (200: the preview). */
export function useImportPreview(projectId: string) {
  return useMutation({
    mutationFn: async ({ file, mapping }: ImportRequest) =>
      (await unwrap(postImport(projectId, importForm(file, mapping, false)))) as ImportPreview,
  });
}

/**
 * Writes every row of the file (or none: 422 naming each row's problem), then reads the
 * budget again and says which thresholds the import took a line or the project across,
 * against the figures read before it (as one recorded cost does).
 */
export function useImportCommit(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, mapping }: ImportRequest) => {
      const before = queryClient.getQueryData<BudgetSummary>(financeKeys.budget(projectId));
      const result = (await unwrap(postImport(projectId, importForm(file, mapping, true)))) as ImportResult;
      let crossings: Crossing[] = [];
      let after: BudgetSummary | undefined;
      try {
        after = await queryClient.query({ ...budgetSummaryQuery(projectId), staleTime: 0 });
        crossings = importCrossings(before, after);
      } catch {
        // The costs are written; the figures are read again when next shown.
        void queryClient.invalidateQueries({ queryKey: financeKeys.budget(projectId) });
      }
      return { result, crossings, summary: after ?? before };
    },
    onSuccess: () =>
      Promise.all(
        [financeKeys.costs(projectId), ledgerKeys.orgCosts, ['notifications']].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}

/** Finance checked a cost against its receipt (If-Match: the version read); every ledger reads again. */
export function useVerifyAnyCost() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (cost: { id: string; version: number }) =>
      unwrap(
        api.POST('/api/v1/costs/{cost_id}/verify', {
          params: { path: { cost_id: cost.id }, header: { 'If-Match': `"${cost.version}"` } },
        }),
      ),
    onSettled: () =>
      Promise.all(
        [ledgerKeys.orgCosts, ['finance', 'costs']].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ),
  });
}

/** Receipts attached or removed in a cost's drawer change the ledgers' counts. */
export function useRefreshReceiptCounts() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [ledgerKeys.orgCosts, ['finance', 'costs']].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
    );
}

/** Projects by code or name, for the organisation's list's project filter. */
export function projectChoicesQuery(search: string) {
  return queryOptions({
    queryKey: ['finance', 'project-choices', search] as const,
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects', { params: { query: { q: search || undefined, limit: 20, offset: 0 } } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
