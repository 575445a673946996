import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { meQueryKey } from '@/lib/session';

export type Org = components['schemas']['OrgRead'];
export type OrgUpdate = components['schemas']['OrgUpdate'];

export const orgKeys = { detail: ['org'] as const };

export const orgQuery = queryOptions({
  queryKey: orgKeys.detail,
  queryFn: () => unwrap(api.GET('/api/v1/org')),
});

export function useUpdateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: OrgUpdate) => unwrap(api.PATCH('/api/v1/org', { body })),
    onSuccess: (org) => {
      queryClient.setQueryData(orgKeys.detail, org);
    },
    // The header shows the org name from /me, so refresh it too.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: orgKeys.detail }),
        queryClient.invalidateQueries({ queryKey: meQueryKey }),
      ]),
  });
}

export type NamingConvention = components['schemas']['NamingConventionRead'];
export type NamingConventionIn = components['schemas']['NamingConventionIn'];
export type NameCheck = components['schemas']['NameCheckRead'];
export type ApprovalFlow = components['schemas']['FlowRead'];
export type RequestType = components['schemas']['RequestType'];
export type FlowStepIn = components['schemas']['StepIn'];

export const settingsKeys = {
  naming: ['settings', 'naming-convention'] as const,
  flows: ['settings', 'approval-flows'] as const,
  work: ['settings', 'work-settings'] as const,
};

export const namingConventionQuery = queryOptions({
  queryKey: settingsKeys.naming,
  queryFn: () => unwrap(api.GET('/api/v1/naming-convention')),
});

export function useSetNamingConvention() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NamingConventionIn) => unwrap(api.PUT('/api/v1/naming-convention', { body })),
    onSuccess: (convention) => {
      queryClient.setQueryData(settingsKeys.naming, convention);
    },
    // The project pages cache the convention and name checks under ['projects', …].
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: settingsKeys.naming }),
        queryClient.invalidateQueries({ queryKey: ['projects'] }),
      ]),
  });
}

/** Tries a name against the saved convention; writes nothing. */
export function useCheckName() {
  return useMutation({
    mutationFn: (name: string) => unwrap(api.POST('/api/v1/naming-convention/check', { body: { name } })),
  });
}

export const approvalFlowsQuery = queryOptions({
  queryKey: settingsKeys.flows,
  queryFn: () => unwrap(api.GET('/api/v1/approval-flows')),
});

export function useSetApprovalFlow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      requestType,
      revision,
      steps,
    }: {
      requestType: RequestType;
      /** The revision the edit started from: a concurrent change makes this a 409. */
      revision: string;
      steps: FlowStepIn[];
    }) =>
      unwrap(
        api.PUT('/api/v1/approval-flows/{request_type}', {
          params: { path: { request_type: requestType } },
          body: { revision, steps },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKeys.flows }),
  });
}

export type WorkSettings = components['schemas']['WorkSettingsRead'];
export type WorkSettingsIn = components['schemas']['WorkSettingsIn'];

/** The rules of daily work: the check-in grace days, when overdue issues reach the directors. */
export const workSettingsQuery = queryOptions({
  queryKey: settingsKeys.work,
  queryFn: () => unwrap(api.GET('/api/v1/work-settings')),
});

export function useSetWorkSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: WorkSettingsIn) => unwrap(api.PUT('/api/v1/work-settings', { body })),
    onSuccess: (settings) => {
      queryClient.setQueryData(settingsKeys.work, settings);
    },
    // The check-in form says which days can still be checked in: it reads the grace rule.
    onSettled: () =>
      Promise.all([settingsKeys.work, ['checkins']].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}

export type FinanceSettings = components['schemas']['FinanceSettingsRead'];
export type FinanceSettingsIn = components['schemas']['FinanceSettingsIn'];

/** The organisation's overspend thresholds (percent of a budget: warn, critical). */
export const financeSettingsQuery = queryOptions({
  queryKey: ['settings', 'finance'] as const,
  queryFn: () => unwrap(api.GET('/api/v1/finance-settings')),
});

export function useSetFinanceSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FinanceSettingsIn) => unwrap(api.PUT('/api/v1/finance-settings', { body })),
    onSuccess: (settings) => {
      queryClient.setQueryData(financeSettingsQuery.queryKey, settings);
    },
    // Every budget figure's level reads the thresholds.
    onSettled: () =>
      Promise.all(
        [financeSettingsQuery.queryKey, ['finance'], ['home']].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}
