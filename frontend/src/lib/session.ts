import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
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

/**
 * The session as the auth guard last rendered it. Pages read it from here, not from
 * the query, so when the session ends they are unmounted by the guard's redirect
 * instead of rendering once more without a person.
 */
export const SessionContext = createContext<Me | null>(null);

/** For pages behind the auth guard, where a session is certain. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession() used outside the authenticated area');
  return me;
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
