import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components } from '@/api/schema';
import type { ProjectStatus, TransitionAction } from '@/lib/projects';

export type Project = components['schemas']['ProjectRead'];
export type ProjectDetail = components['schemas']['ProjectDetail'];
export type ProjectCreate = components['schemas']['ProjectCreate'];
export type ProjectType = components['schemas']['ProjectType'];
export type Template = components['schemas']['TemplateRead'];
export type NameCheck = components['schemas']['NameCheckRead'];
export type NamingConvention = components['schemas']['NamingConventionRead'];
export type GoalLinkIn = components['schemas']['GoalLinkIn'];
export type RetrospectiveIn = components['schemas']['RetrospectiveIn'];
export type Period = components['schemas']['PeriodRead'];
export type Goal = components['schemas']['GoalRead'];
export type Kpi = components['schemas']['KpiRead'];
export type Team = components['schemas']['TeamRead'];
export type Member = components['schemas']['MemberRead'];
export type ProjectUpdate = components['schemas']['ProjectUpdate'];
export type ProjectMemberIn = components['schemas']['ProjectMemberIn'];
export type ProjectRole = components['schemas']['ProjectRole'];

export interface ProjectFilters {
  status: ProjectStatus[];
  owner_member_id?: string;
  goal_id?: string;
  period_id?: string;
  q?: string;
  limit: number;
  offset: number;
}

export const projectKeys = {
  all: ['projects'] as const,
  list: (filters: ProjectFilters) => ['projects', 'list', filters] as const,
  detail: (id: string) => ['projects', 'detail', id] as const,
  templates: ['projects', 'templates'] as const,
  naming: ['projects', 'naming-convention'] as const,
  nameCheck: (name: string, context: NameCheckContext) => ['projects', 'name-check', name, context] as const,
  periods: ['projects', 'periods'] as const,
  goals: (periodIds: readonly string[]) => ['projects', 'goals', periodIds] as const,
  kpis: (goalId: string) => ['projects', 'kpis', goalId] as const,
  teams: ['projects', 'teams'] as const,
};

/** Under the members key, so a change to members refreshes the names here too. */
const memberDirectoryKey = ['members', 'directory'] as const;

export function projectsQuery(filters: ProjectFilters) {
  return queryOptions({
    queryKey: projectKeys.list(filters),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects', {
          params: {
            query: {
              status: filters.status.length > 0 ? filters.status : undefined,
              owner_member_id: filters.owner_member_id,
              goal_id: filters.goal_id,
              period_id: filters.period_id,
              q: filters.q || undefined,
              limit: filters.limit,
              offset: filters.offset,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function projectQuery(id: string) {
  return queryOptions({
    queryKey: projectKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/v1/projects/{project_id}', { params: { path: { project_id: id } } })),
  });
}

export const templatesQuery = queryOptions({
  queryKey: projectKeys.templates,
  queryFn: () => unwrap(api.GET('/api/v1/project-templates')),
  staleTime: 60 * 1000,
});

export const namingConventionQuery = queryOptions({
  queryKey: projectKeys.naming,
  queryFn: () => unwrap(api.GET('/api/v1/naming-convention')),
  staleTime: 5 * 60 * 1000,
});

/** What a name is checked against besides the convention: the project being renamed, its
 * period, or (without one) its dates. */
export interface NameCheckContext {
  project_id?: string;
  period_id?: string | null;
  starts_on?: string;
  ends_on?: string;
}

/** Checks a name against the convention, the project's period and the names in use; writes
 * nothing, so results are cached by name and context (briefly: names get taken). */
export function nameCheckQuery(name: string, context: NameCheckContext = {}) {
  return queryOptions({
    queryKey: projectKeys.nameCheck(name, context),
    queryFn: ({ signal }) =>
      unwrap(api.POST('/api/v1/naming-convention/check', { body: { name, ...context }, signal })),
    staleTime: 10 * 1000,
  });
}

/** The period codes that fit a project's period (or dates), the best first: what the name's
 * period part may be (asked as the check of an empty name). */
export function periodValuesQuery(context: NameCheckContext) {
  return queryOptions({
    ...nameCheckQuery('', context),
    select: (check: NameCheck) => check.period_values,
    staleTime: 5 * 60 * 1000,
  });
}

export const periodsQuery = queryOptions({
  queryKey: projectKeys.periods,
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/strategy-periods', { params: { query: { limit, offset } } }))),
  staleTime: 60 * 1000,
});

/** Every goal of the given periods (all goals when none is given), flat. */
export function goalsQuery(periodIds: readonly string[]) {
  return queryOptions({
    queryKey: projectKeys.goals(periodIds),
    queryFn: async () => {
      if (periodIds.length === 0) {
        return fetchAll((limit, offset) => unwrap(api.GET('/api/v1/goals', { params: { query: { limit, offset } } })));
      }
      const lists = await Promise.all(
        periodIds.map((periodId) =>
          fetchAll((limit, offset) =>
            unwrap(api.GET('/api/v1/goals', { params: { query: { period_id: periodId, limit, offset } } })),
          ),
        ),
      );
      return lists.flat();
    },
    staleTime: 60 * 1000,
  });
}

export function kpisQuery(goalId: string) {
  return queryOptions({
    queryKey: projectKeys.kpis(goalId),
    queryFn: () =>
      fetchAll((limit, offset) =>
        unwrap(api.GET('/api/v1/kpis', { params: { query: { objective_id: goalId, limit, offset } } })),
      ),
    staleTime: 60 * 1000,
  });
}

export const teamsQuery = queryOptions({
  queryKey: projectKeys.teams,
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/teams', { params: { query: { limit, offset } } }))),
  staleTime: 5 * 60 * 1000,
});

export const memberDirectoryQuery = queryOptions({
  queryKey: memberDirectoryKey,
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/members', { params: { query: { limit, offset } } }))),
  staleTime: 5 * 60 * 1000,
});

/** A project change shows on the homes, the strategy tree (linked projects) and the approvals. */
function useInvalidateProjects() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [projectKeys.all, ['home'], ['strategy'], ['approvals']].map((queryKey) =>
        queryClient.invalidateQueries({ queryKey }),
      ),
    );
}

export function useCreateProject() {
  const invalidate = useInvalidateProjects();
  return useMutation({
    mutationFn: (body: ProjectCreate) => unwrap(api.POST('/api/v1/projects', { body })),
    onSuccess: invalidate,
  });
}

export function useTransition(projectId: string) {
  const invalidate = useInvalidateProjects();
  return useMutation({
    mutationFn: ({ action, version }: { action: TransitionAction; version: number }) =>
      unwrap(
        api.POST('/api/v1/projects/{project_id}/transitions', {
          params: { path: { project_id: projectId } },
          body: { action, version },
        }),
      ),
    // A 409 means our copy is stale or the state moved on: refetch either way.
    onSettled: invalidate,
  });
}

export function useWriteRetrospective(projectId: string) {
  const invalidate = useInvalidateProjects();
  return useMutation({
    mutationFn: (body: RetrospectiveIn) =>
      unwrap(
        api.PUT('/api/v1/projects/{project_id}/retrospective', { params: { path: { project_id: projectId } }, body }),
      ),
    onSettled: invalidate,
  });
}

export function useUpdateProject(projectId: string) {
  const invalidate = useInvalidateProjects();
  return useMutation({
    mutationFn: (body: ProjectUpdate) =>
      unwrap(api.PATCH('/api/v1/projects/{project_id}', { params: { path: { project_id: projectId } }, body })),
    // A 409 means our copy is stale or the project is under approval: refetch either way.
    onSettled: invalidate,
  });
}

export function useSetMembers(projectId: string) {
  const invalidate = useInvalidateProjects();
  return useMutation({
    mutationFn: (body: { members: ProjectMemberIn[]; version: number }) =>
      unwrap(api.PUT('/api/v1/projects/{project_id}/members', { params: { path: { project_id: projectId } }, body })),
    onSettled: invalidate,
  });
}

export function useSetGoalLinks(projectId: string) {
  const invalidate = useInvalidateProjects();
  return useMutation({
    mutationFn: (body: { goal_links: GoalLinkIn[]; version: number }) =>
      unwrap(
        api.PUT('/api/v1/projects/{project_id}/goal-links', { params: { path: { project_id: projectId } }, body }),
      ),
    onSettled: invalidate,
  });
}

export function useSaveAsTemplate(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description?: string | null }) =>
      unwrap(
        api.POST('/api/v1/projects/{project_id}/save-as-template', {
          params: { path: { project_id: projectId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.templates }),
  });
}

export type Approval = components['schemas']['ApprovalDetail'];

/** The project's 立项 request with its decision history. */
export function approvalQuery(id: string) {
  return queryOptions({
    queryKey: ['approvals', 'detail', id] as const,
    queryFn: () => unwrap(api.GET('/api/v1/approvals/{approval_id}', { params: { path: { approval_id: id } } })),
  });
}
