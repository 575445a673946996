import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { paths, projectPath, taskPath } from '@/lib/paths';

export type Notification = components['schemas']['NotificationRead'];

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread-count'] as const,
  list: (lang: string, unreadOnly: boolean, limit: number) =>
    ['notifications', 'list', lang, unreadOnly, limit] as const,
};

/** The bell's badge; polled so a decision made by someone else shows up without a reload. */
export const unreadCountQuery = queryOptions({
  queryKey: notificationKeys.unread,
  queryFn: async () => (await unwrap(api.GET('/api/v1/notifications/unread-count'))).unread,
  refetchInterval: 60_000,
});

/** The caller's notifications, newest first; the server renders them in `lang`. */
export function notificationsQuery(lang: string, unreadOnly: boolean, limit: number) {
  return queryOptions({
    queryKey: notificationKeys.list(lang, unreadOnly, limit),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/notifications', {
          params: { query: { unread: unreadOnly, limit, offset: 0 } },
          headers: { 'Accept-Language': lang },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/notifications/{notification_id}/read', { params: { path: { notification_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/notifications/read-all')),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

const WORK_ORDER_INBOX_KINDS = new Set(['work_order.requested', 'work_order.verified', 'work_order.cancelled']);

/** Where a notification leads: the object it is about, or nowhere for a kind the SPA does not know. */
export function notificationLink(n: Pick<Notification, 'kind' | 'link_type' | 'link_id'>): string | null {
  if (!n.link_id) return null;
  const id = encodeURIComponent(n.link_id);
  switch (n.link_type) {
    case 'approval_request':
      // Awaiting me: my inbox; decided: among my own requests.
      return `${paths.modules.approvals}?box=${n.kind === 'approval.awaiting' ? 'inbox' : 'mine'}&open=${id}`;
    case 'project':
      return projectPath(n.link_id);
    case 'task':
      return taskPath(n.link_id);
    case 'work_order':
      // Asked of me (or withdrawn, or verified): my inbox; answered by the assignee: what I sent.
      return `${paths.modules.workOrders}?box=${WORK_ORDER_INBOX_KINDS.has(n.kind) ? 'inbox' : 'sent'}`;
    default:
      return null;
  }
}
