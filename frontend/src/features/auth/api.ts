import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { meQueryKey } from '@/lib/session';

export type LoginRequest = components['schemas']['LoginRequest'];

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    // The query client treats 401s as a lost session, except for this key.
    mutationKey: ['login'],
    mutationFn: (body: LoginRequest) => unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: (result) => {
      // Start from a clean cache: nothing of a previous session may leak in.
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, result);
    },
  });
}
