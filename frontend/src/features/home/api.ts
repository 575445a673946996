import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';

export const homeKeys = {
  memberCount: ['home', 'member-count'] as const,
  recentAudit: ['home', 'recent-audit'] as const,
};

/** Only the total matters on the admin overview, so ask for a single row. */
export const memberCountQuery = queryOptions({
  queryKey: homeKeys.memberCount,
  queryFn: async () => (await unwrap(api.GET('/api/v1/members', { params: { query: { limit: 1, offset: 0 } } }))).total,
});

export const recentAuditQuery = queryOptions({
  queryKey: homeKeys.recentAudit,
  queryFn: async () =>
    (await unwrap(api.GET('/api/v1/audit-logs', { params: { query: { limit: 5, offset: 0 } } }))).items,
});
