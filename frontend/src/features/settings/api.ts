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
