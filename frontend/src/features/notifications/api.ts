import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';
import { alertPath, costPath, issuePath, paths, projectPath, taskPath, workOrderPath } from '@/lib/paths';

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

/**
 * Where a notification leads: the object it is about, or nowhere for a kind the SPA does not know.
 * What the server links to (`link_type`): approval requests, projects, tasks (reminders,
 * mentions), work orders (each step, mentions), issues and risks (`work_issue`: assigned,
 * overdue, escalated; `issue`: a mention in its discussion), budgets (`project_budget`: a line or
 * the project crossed its warn or critical threshold), costs (`cost`: a mention on a cost's receipts),
 * alerts (`alert`: a rule fired on channel data; `alert.digest`, with no link: many fired at once,
 * so the alert center).
 */
export function notificationLink(n: Pick<Notification, 'kind' | 'link_type' | 'link_id'>): string | null {
  if (n.kind === 'alert.digest') return paths.modules.alerts;
  if (!n.link_id) return null;
  const id = encodeURIComponent(n.link_id);
  switch (n.link_type) {
    case 'approval_request':
      // Awaiting me: my inbox; decided: among my own requests.
      return `${paths.modules.approvals}?box=${n.kind === 'approval.awaiting' ? 'inbox' : 'mine'}&open=${id}`;
    case 'project':
      return projectPath(n.link_id);
    case 'project_budget':
      // An overspend warning: the project's budget tab.
      return projectPath(n.link_id, 'budget');
    case 'task':
      // Only the task is known: /tasks/:id finds its project and opens it there.
      return taskPath(n.link_id);
    case 'work_order':
      // The order opens over a list: asked of me (or withdrawn, or verified): my inbox; answered
      // by the assignee: what I sent; a mention in its discussion: wherever it is (the inbox).
      if (!n.kind.startsWith('work_order.')) return workOrderPath(n.link_id);
      return workOrderPath(n.link_id, WORK_ORDER_INBOX_KINDS.has(n.kind) ? 'inbox' : 'sent');
    case 'work_issue':
    case 'issue':
      // Only the issue is known: /issues/:id finds its project's log and opens it there.
      return issuePath(n.link_id);
    case 'cost':
      // A mention on a cost: only the cost is known (no call reads one cost or names its
      // project), so its receipts and comments open by the id.
      return costPath(n.link_id);
    case 'alert':
      // A rule fired: the alert's own page, with its suggestion and the buttons to handle it.
      return alertPath(n.link_id);
    default:
      return null;
  }
}
