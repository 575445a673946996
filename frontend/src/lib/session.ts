import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { isApiError } from '@/api/errors';
import type { Me } from './roles';

export const meQueryKey = ['session', 'me'] as const;

/** The signed-in person, or null when there is no session (401). */
async function fetchMe(): Promise<Me | null> {
  try {
    return await unwrap(api.GET('/api/v1/me'));
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: fetchMe,
  staleTime: 5 * 60 * 1000,
  retry: (failureCount, error) => !(isApiError(error) && error.status < 500) && failureCount < 2,
});

export function useMe() {
  return useQuery(meQueryOptions);
}

/** For pages behind the auth guard, where a session is certain. */
export function useSession(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useSession() used outside the authenticated area');
  return data;
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/logout')),
    // Whatever the server says, this browser is signed out afterwards.
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}
