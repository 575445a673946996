import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components } from '@/api/schema';

export type Team = components['schemas']['TeamRead'];
export type TeamCreate = components['schemas']['TeamCreate'];
export type TeamUpdate = components['schemas']['TeamUpdate'];
export type Member = components['schemas']['MemberRead'];

export const teamKeys = {
  all: ['teams'] as const,
  list: (params: { limit: number; offset: number }) => ['teams', 'list', params] as const,
};

export function teamsQuery(params: { limit: number; offset: number }) {
  return queryOptions({
    queryKey: teamKeys.list(params),
    queryFn: () => unwrap(api.GET('/api/v1/teams', { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}

/** Everyone in the organisation, to pick members and put names on ids. */
export const memberDirectoryQuery = queryOptions({
  queryKey: ['members', 'directory'] as const,
  // The member picker must be complete, so it pages through.
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/members', { params: { query: { limit, offset } } }))),
  staleTime: 5 * 60 * 1000,
});

/** Teams show up in the project and goal editors too; their keys are refreshed with ours. */
function useInvalidateTeams() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [teamKeys.all, ['projects'], ['strategy']].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
    );
}

export function useCreateTeam() {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (body: TeamCreate) => unwrap(api.POST('/api/v1/teams', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateTeam() {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TeamUpdate }) =>
      unwrap(api.PATCH('/api/v1/teams/{team_id}', { params: { path: { team_id: id } }, body })),
    // A 409 means our copy is stale: refetch either way.
    onSettled: invalidate,
  });
}

export function useDeleteTeam() {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/teams/{team_id}', { params: { path: { team_id: id } } })),
    onSettled: invalidate,
  });
}
