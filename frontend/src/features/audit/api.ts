import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type AuditLog = components['schemas']['AuditLogRead'];

export interface AuditListParams {
  entityType?: string;
  actorId?: string;
  limit: number;
  offset: number;
}

export const auditKeys = {
  all: ['audit-logs'] as const,
  list: (params: AuditListParams) => [...auditKeys.all, 'list', params] as const,
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
