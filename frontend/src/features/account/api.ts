import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type MyInvitation = components['schemas']['MyInvitationRead'];
export type PasswordChange = components['schemas']['PasswordChange'];
export type JoinedOrg = components['schemas']['OrgRead'];

export const myInvitationsKey = ['me', 'invitations'] as const;

/** Open invitations to the signed-in person from other organisations. */
export const myInvitationsQuery = queryOptions({
  queryKey: myInvitationsKey,
  queryFn: () => unwrap(api.GET('/api/v1/me/invitations')),
  staleTime: 60 * 1000,
});

export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string): Promise<JoinedOrg> =>
      unwrap(api.POST('/api/v1/me/invitations/{invitation_id}/accept', { params: { path: { invitation_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: myInvitationsKey }),
  });
}

export function useDeclineInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/me/invitations/{invitation_id}/decline', { params: { path: { invitation_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: myInvitationsKey }),
  });
}

/** Changes one's own password; the server ends the person's other sessions. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (body: PasswordChange) => unwrap(api.POST('/api/v1/me/password', { body })),
  });
}

/** The login page opened for one organisation (after joining it), the e-mail filled in. */
export function loginToOrgPath(loginPath: string, slug: string, email: string): string {
  const query = new URLSearchParams({ org: slug, email });
  return `${loginPath}?${query.toString()}`;
}
