import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components } from '@/api/schema';

export type AuditLog = components['schemas']['AuditLogRead'];
type Member = components['schemas']['MemberRead'];
type Team = components['schemas']['TeamRead'];

export interface AuditListParams {
  entityType?: string;
  actorId?: string;
  limit: number;
  offset: number;
}

export const auditKeys = {
  all: ['audit-logs'] as const,
  list: (params: AuditListParams) => [...auditKeys.all, 'list', params] as const,
  types: ['audit-logs', 'entity-types'] as const,
};

export function auditLogsQuery(params: AuditListParams) {
  return queryOptions({
    queryKey: auditKeys.list(params),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/audit-logs', {
          params: {
            query: {
              entity_type: params.entityType || undefined,
              actor_id: params.actorId || undefined,
              limit: params.limit,
              offset: params.offset,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The object types the log records; `internal` ones (link tables) are not offered as filters. */
export const entityTypesQuery = queryOptions({
  queryKey: auditKeys.types,
  queryFn: () => unwrap(api.GET('/api/v1/audit-logs/entity-types')),
  staleTime: Infinity,
});

/** Everyone, removed members included, to name the people a change mentions. */
export const auditMemberDirectoryQuery = queryOptions({
  queryKey: ['members', 'directory', 'with-inactive'] as const,
  queryFn: () =>
    fetchAll<Member>((limit, offset) =>
      unwrap(api.GET('/api/v1/members', { params: { query: { limit, offset, include_inactive: true } } })),
    ),
  staleTime: 5 * 60 * 1000,
});

/** The teams, to name the teams a change mentions. */
export const auditTeamDirectoryQuery = queryOptions({
  queryKey: ['teams', 'directory'] as const,
  queryFn: () =>
    fetchAll<Team>((limit, offset) => unwrap(api.GET('/api/v1/teams', { params: { query: { limit, offset } } }))),
  staleTime: 5 * 60 * 1000,
});
