import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components, operations } from '@/api/schema';

export type Period = components['schemas']['PeriodRead'];
export type PeriodCreate = components['schemas']['PeriodCreate'];
export type Goal = components['schemas']['GoalRead'];
export type GoalCreate = components['schemas']['GoalCreate'];
export type GoalUpdate = components['schemas']['GoalUpdate'];
export type GoalNode = components['schemas']['GoalNode'];
export type GoalLevel = components['schemas']['GoalLevel'];
export type Kpi = components['schemas']['KpiRead'];
export type KpiCreate = components['schemas']['KpiCreate'];
export type KpiUpdate = components['schemas']['KpiUpdate'];
export type Direction = components['schemas']['Direction'];
export type CheckIn = components['schemas']['CheckInRead'];
export type CheckInCreate = components['schemas']['CheckInCreate'];
export type Member = components['schemas']['MemberRead'];
export type Team = components['schemas']['TeamRead'];
export type ValueSource = components['schemas']['ValueSource'];
/** An ad channel, for a KPI computed from channel data (named by its key). */
export type AdChannel = JsonOf<operations['channels-get_channel']['responses'][200]>;

type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** Built once, so invalidation uses exactly the keys the queries were cached under. */
export const strategyKeys = {
  all: ['strategy'] as const,
  periods: ['strategy', 'periods'] as const,
  roots: (periodId: string) => ['strategy', 'roots', periodId] as const,
  goals: (periodId: string) => ['strategy', 'goals', periodId] as const,
  tree: (goalId: string) => ['strategy', 'tree', goalId] as const,
  checkIns: (kpiId: string, params: { limit: number; offset: number }) =>
    ['strategy', 'check-ins', kpiId, params] as const,
};

/** Under the members key, so a change to members refreshes the names shown here too. */
export const memberDirectoryKey = ['members', 'directory'] as const;

export const periodsQuery = queryOptions({
  queryKey: strategyKeys.periods,
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/strategy-periods', { params: { query: { limit, offset } } }))),
});

/** The period's top-level goals; each is then drilled down with its tree. */
export function rootGoalsQuery(periodId: string) {
  return queryOptions({
    queryKey: strategyKeys.roots(periodId),
    queryFn: () =>
      fetchAll((limit, offset) =>
        unwrap(
          api.GET('/api/v1/goals', { params: { query: { period_id: periodId, roots_only: true, limit, offset } } }),
        ),
      ),
  });
}

/** Every goal of a period, flat (for parent pickers). */
export function periodGoalsQuery(periodId: string) {
  return queryOptions({
    queryKey: strategyKeys.goals(periodId),
    queryFn: () =>
      fetchAll((limit, offset) =>
        unwrap(api.GET('/api/v1/goals', { params: { query: { period_id: periodId, limit, offset } } })),
      ),
  });
}

export function goalTreeQuery(goalId: string) {
  return queryOptions({
    queryKey: strategyKeys.tree(goalId),
    queryFn: () => unwrap(api.GET('/api/v1/goals/{goal_id}/tree', { params: { path: { goal_id: goalId } } })),
  });
}

export function checkInsQuery(kpiId: string, params: { limit: number; offset: number }) {
  return queryOptions({
    queryKey: strategyKeys.checkIns(kpiId, params),
    queryFn: () =>
      unwrap(api.GET('/api/v1/kpis/{kpi_id}/check-ins', { params: { path: { kpi_id: kpiId }, query: params } })),
    placeholderData: keepPreviousData,
  });
}

/** Everyone in the organisation, to put names on owner ids; names rarely change. */
export const memberDirectoryQuery = queryOptions({
  queryKey: memberDirectoryKey,
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/members', { params: { query: { limit, offset } } }))),
  staleTime: 5 * 60 * 1000,
});

/** The organisation's teams, to own goals; under the teams key, so the teams page refreshes it. */
export const teamDirectoryQuery = queryOptions({
  queryKey: ['teams', 'directory'] as const,
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/teams', { params: { query: { limit, offset } } }))),
  staleTime: 5 * 60 * 1000,
});

/** The organisation's ad channels (under the channel pages' key, so their changes show here too). */
export const channelDirectoryQuery = queryOptions({
  queryKey: ['channels', 'list'] as const,
  queryFn: () => unwrap(api.GET('/api/v1/channels')),
  staleTime: 5 * 60 * 1000,
});

/** One goal (to open the strategy page on it). */
export function goalQuery(goalId: string) {
  return queryOptions({
    queryKey: [...strategyKeys.all, 'goal', goalId] as const,
    queryFn: () => unwrap(api.GET('/api/v1/goals/{goal_id}', { params: { path: { goal_id: goalId } } })),
  });
}

function useInvalidateStrategy() {
  const queryClient = useQueryClient();
  // The director's home shows goal progress too; its keys start with "home".
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: strategyKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['home'] }),
    ]);
}

export function useCreatePeriod() {
  const invalidate = useInvalidateStrategy();
  return useMutation({
    mutationFn: (body: PeriodCreate) => unwrap(api.POST('/api/v1/strategy-periods', { body })),
    onSuccess: invalidate,
  });
}

export function useCreateGoal() {
  const invalidate = useInvalidateStrategy();
  return useMutation({
    mutationFn: (body: GoalCreate) => unwrap(api.POST('/api/v1/goals', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateGoal() {
  const invalidate = useInvalidateStrategy();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: GoalUpdate }) =>
      unwrap(api.PATCH('/api/v1/goals/{goal_id}', { params: { path: { goal_id: id } }, body })),
    // A 409 means our copy is stale: refetch either way.
    onSettled: invalidate,
  });
}

export function useCreateKpi() {
  const invalidate = useInvalidateStrategy();
  return useMutation({
    mutationFn: (body: KpiCreate) => unwrap(api.POST('/api/v1/kpis', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateKpi() {
  const invalidate = useInvalidateStrategy();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: KpiUpdate }) =>
      unwrap(api.PATCH('/api/v1/kpis/{kpi_id}', { params: { path: { kpi_id: id } }, body })),
    onSettled: invalidate,
  });
}

export function useCheckIn() {
  const invalidate = useInvalidateStrategy();
  return useMutation({
    mutationFn: ({ kpiId, body }: { kpiId: string; body: CheckInCreate }) =>
      unwrap(api.POST('/api/v1/kpis/{kpi_id}/check-ins', { params: { path: { kpi_id: kpiId } }, body })),
    onSuccess: invalidate,
  });
}
