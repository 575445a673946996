import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components } from '@/api/schema';
import type { ProjectStatus } from '@/lib/projects';
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

/** How many teams the organisation has; only the total is read. */
export const teamCountQuery = queryOptions({
  queryKey: ['home', 'team-count'] as const,
  queryFn: async () => (await unwrap(api.GET('/api/v1/teams', { params: { query: { limit: 1, offset: 0 } } }))).total,
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
      const periods = await fetchAll((limit, offset) =>
        unwrap(api.GET('/api/v1/strategy-periods', { params: { query: { limit, offset } } })),
      );
      const period = defaultPeriod(periods, today);
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

export interface ProjectFilter {
  status?: ProjectStatus[];
  /** Only the projects this member manages. */
  owner?: string;
}

/** Projects (of one manager, in some statuses), newest start first: the first ten. */
export function projectsListQuery(filter: ProjectFilter) {
  return queryOptions({
    queryKey: ['home', 'projects', filter] as const,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects', {
          params: { query: { status: filter.status, owner_member_id: filter.owner, limit: 10, offset: 0 } },
        }),
      ),
  });
}

/** The goals one member owns, with their progress. */
export function ownGoalsQuery(memberId: string) {
  return queryOptions({
    queryKey: ['home', 'own-goals', memberId] as const,
    queryFn: () =>
      unwrap(api.GET('/api/v1/goals', { params: { query: { owner_member_id: memberId, limit: 10, offset: 0 } } })),
  });
}

/** Approval requests in one box (`inbox`: waiting for me; `mine`: raised by me), pending only. */
export function pendingApprovalsQuery(box: 'inbox' | 'mine') {
  return queryOptions({
    queryKey: ['home', 'approvals', box] as const,
    queryFn: () =>
      unwrap(api.GET('/api/v1/approvals', { params: { query: { box, state: 'pending', limit: 5, offset: 0 } } })),
  });
}

/** How many projects match (only the total is read). */
export function projectCountQuery(filter: ProjectFilter) {
  return queryOptions({
    queryKey: ['home', 'project-count', filter] as const,
    queryFn: async () =>
      (
        await unwrap(
          api.GET('/api/v1/projects', {
            params: { query: { status: filter.status, owner_member_id: filter.owner, limit: 1, offset: 0 } },
          }),
        )
      ).total,
  });
}

/** The link to the project list showing what a count counts. */
export function projectListLink(filter: ProjectFilter, base: string): string {
  const params = new URLSearchParams();
  for (const status of filter.status ?? []) params.append('status', status);
  if (filter.owner) params.set('owner', filter.owner);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

export type OverspendProject = components['schemas']['OverProjectRead'];
export type Transparency = components['schemas']['TransparencyRead'];

/** Running projects at or past a threshold (as a whole or on a line), worst first; `mine`: those I manage. */
export function overspendQuery(mine: boolean) {
  return queryOptions({
    queryKey: ['home', 'overspend', { mine }] as const,
    queryFn: () => unwrap(api.GET('/api/v1/finance/overspend', { params: { query: { mine } } })),
  });
}

/** Budget transparency (预算透明度) of this year so far: the share of spend on a budget line. */
export const transparencyQuery = queryOptions({
  queryKey: ['home', 'transparency'] as const,
  queryFn: () => unwrap(api.GET('/api/v1/finance/transparency')),
});

export type CostToVerify = components['schemas']['OrgCostRead'];

/** The organisation's costs finance has not verified yet, latest day first: the first five. */
export const costsToVerifyQuery = queryOptions({
  queryKey: ['home', 'costs-to-verify'] as const,
  queryFn: () => unwrap(api.GET('/api/v1/costs', { params: { query: { verified: false, limit: 5, offset: 0 } } })),
});

export type OpenAlert = components['schemas']['AlertRead'];

/** The alerts channel data raised that nobody resolved yet (open, then acknowledged; the most
 * severe and newest first): the first five, and how many in all. */
export const openAlertsQuery = queryOptions({
  queryKey: ['home', 'alerts'] as const,
  queryFn: () =>
    unwrap(api.GET('/api/v1/alerts', { params: { query: { state: ['open', 'acknowledged'], limit: 5, offset: 0 } } })),
});
