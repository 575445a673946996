import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '@/api/errors';
import { meQueryKey } from '@/lib/session';

/**
 * One client for the app. A 401 from any call means the session is gone
 * (expired, revoked, logged out elsewhere): clearing "me" makes the route guard
 * send the person to the login page.
 */
export function createQueryClient(): QueryClient {
  const onUnauthorized = (error: unknown, queryKey?: readonly unknown[]) => {
    if (!isApiError(error) || error.status !== 401) return;
    if (queryKey && queryKey[0] === meQueryKey[0]) return;
    queryClient.setQueryData(meQueryKey, null);
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onUnauthorized(error, query.queryKey) }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        // A failed login is a 401 too, but it is not a lost session.
        if (mutation.options.mutationKey?.[0] !== 'login') onUnauthorized(error);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30 * 1000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status > 0 && error.status < 500) return false;
          return failureCount < 2;
        },
      },
    },
  });
  return queryClient;
}
