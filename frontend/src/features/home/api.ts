import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { defaultPeriod } from '@/lib/strategy';

export const homeKeys = {
  memberCount: ['home', 'member-count'] as const,
  recentAudit: ['home', 'recent-audit'] as const,
  strategyGoals: (today: string) => ['home', 'strategy-goals', today] as const,
};

/** Only the total matters on the admin overview, so ask for a single row. */
export const memberCountQuery = queryOptions({
  queryKey: homeKeys.memberCount,
  queryFn: async () => (await unwrap(api.GET('/api/v1/members', { params: { query: { limit: 1, offset: 0 } } }))).total,
});

export const recentAuditQuery = queryOptions({
  queryKey: homeKeys.recentAudit,
  queryFn: async () =>
    (await unwrap(api.GET('/api/v1/audit-logs', { params: { query: { limit: 5, offset: 0 } } }))).items,
});

/** The current year's top-level goals with their progress (the period containing `today`). */
export interface StrategyGoals {
  period: components['schemas']['PeriodRead'] | null;
  goals: components['schemas']['GoalRead'][];
}

export function strategyGoalsQuery(today: string) {
  return queryOptions({
    queryKey: homeKeys.strategyGoals(today),
    queryFn: async (): Promise<StrategyGoals> => {
      const periods = await unwrap(
        api.GET('/api/v1/strategy-periods', { params: { query: { limit: 200, offset: 0 } } }),
      );
      const period = defaultPeriod(periods.items, today);
      if (!period) return { period: null, goals: [] };
      const goals = await unwrap(
        api.GET('/api/v1/goals', {
          params: { query: { period_id: period.id, roots_only: true, limit: 10, offset: 0 } },
        }),
      );
      return { period, goals: goals.items };
    },
  });
}
