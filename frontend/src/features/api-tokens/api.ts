import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type ApiToken = components['schemas']['ApiTokenRead'];
export type ApiTokenCreate = components['schemas']['ApiTokenCreate'];
export type ApiTokenCreated = components['schemas']['ApiTokenCreated'];

export const apiTokenKeys = {
  all: ['api-tokens'] as const,
  list: (params: { limit: number; offset: number }) => [...apiTokenKeys.all, 'list', params] as const,
  scopes: ['api-tokens', 'scopes'] as const,
};

export function apiTokensQuery(params: { limit: number; offset: number }) {
  return queryOptions({
    queryKey: apiTokenKeys.list(params),
    queryFn: () => unwrap(api.GET('/api/v1/api-tokens', { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}

export const grantableScopesQuery = queryOptions({
  queryKey: apiTokenKeys.scopes,
  queryFn: () => unwrap(api.GET('/api/v1/api-token-scopes')),
  staleTime: 10 * 60 * 1000,
});

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiTokenCreate) => unwrap(api.POST('/api/v1/api-tokens', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokenKeys.all }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/api-tokens/{token_id}', { params: { path: { token_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiTokenKeys.all }),
  });
}
