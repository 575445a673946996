import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type Member = components['schemas']['MemberRead'];
export type MemberCreate = components['schemas']['MemberCreate'];
export type MemberUpdate = components['schemas']['MemberUpdate'];
/** The answer to adding someone: the same whether the e-mail was new or had an account. */
export type MemberAdded = components['schemas']['MemberAdded'];
export type Invitation = components['schemas']['InvitationRead'];
export type InvitationStatus = Invitation['status'];

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

export const invitationKeys = {
  all: ['invitations'] as const,
  list: (params: { pending: boolean; limit: number; offset: number }) =>
    [...invitationKeys.all, 'list', params] as const,
};

/** The organisation's invitations (admins): open ones only, or all with their outcome. */
export function invitationsQuery(params: { pending: boolean; limit: number; offset: number }) {
  return queryOptions({
    queryKey: invitationKeys.list(params),
    queryFn: () => unwrap(api.GET('/api/v1/invitations', { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/invitations/{invitation_id}', { params: { path: { invitation_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitationKeys.all }),
  });
}

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
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MemberCreate): Promise<MemberAdded> => unwrap(api.POST('/api/v1/members', { body })),
    // Either a member joined or an invitation was made: both lists may have changed.
    onSuccess: () => Promise.all([invalidate(), queryClient.invalidateQueries({ queryKey: invitationKeys.all })]),
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
