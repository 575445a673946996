import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type Member = components['schemas']['MemberRead'];
export type MemberCreate = components['schemas']['MemberCreate'];
export type MemberUpdate = components['schemas']['MemberUpdate'];

export interface MemberListParams {
  q: string;
  limit: number;
  offset: number;
}

/** Built once, so invalidation uses exactly the keys the lists were cached under. */
export const memberKeys = {
  all: ['members'] as const,
  list: (params: MemberListParams) => [...memberKeys.all, 'list', params] as const,
};

export function membersQuery(params: MemberListParams) {
  return queryOptions({
    queryKey: memberKeys.list(params),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/members', {
          params: { query: { q: params.q || undefined, limit: params.limit, offset: params.offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

function useInvalidateMembers() {
  const queryClient = useQueryClient();
  // The admin overview counts members too; its key starts with "home".
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: memberKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['home'] }),
    ]);
}

export function useCreateMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (body: MemberCreate) => unwrap(api.POST('/api/v1/members', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: MemberUpdate }) =>
      unwrap(api.PATCH('/api/v1/members/{member_id}', { params: { path: { member_id: id } }, body })),
    // A 409 means our copy is stale: refetch either way.
    onSettled: invalidate,
  });
}

export function useDeleteMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/members/{member_id}', { params: { path: { member_id: id } } })),
    onSettled: invalidate,
  });
}
