import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components, operations } from '@/api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type Alert = components['schemas']['AlertRead'];
export type AlertState = components['schemas']['AlertState'];
export type Severity = components['schemas']['AlertSeverity'];
export type Comparator = components['schemas']['Comparator'];
export type ScopeKind = components['schemas']['ScopeKind'];
export type WindowUnit = components['schemas']['WindowUnit'];
export type BenchmarkKind = components['schemas']['ChannelKind'];
export type Rule = components['schemas']['RuleRead'];
export type RuleCreate = components['schemas']['RuleCreate'];
export type RuleUpdate = components['schemas']['RuleUpdate'];
export type Metric = RuleCreate['metric'];
export type Evaluated = components['schemas']['EvaluatedRead'];
export type NoticeChannel = components['schemas']['NoticeChannelRead'];
export type NoticeChannelCreate = components['schemas']['NoticeChannelCreate'];
export type NoticeChannelUpdate = components['schemas']['NoticeChannelUpdate'];
export type NoticeKind = NoticeChannelCreate['kind'];
export type Delivery = components['schemas']['DeliveryRead'];
export type Member = components['schemas']['MemberRead'];
export type Project = components['schemas']['ProjectRead'];
export type Campaign = components['schemas']['CampaignRead'];
// Named by its endpoint: "ChannelRead" is shared with notification channels in the generator.
export type AdChannel = JsonOf<operations['channels-get_channel']['responses'][200]>;

/** Which alerts the centre lists: 未处理 (open and acknowledged), 已解决, or all. */
export type AlertView = 'open' | 'resolved' | 'all';

export interface AlertFilters {
  view: AlertView;
  project_id?: string;
  limit: number;
  offset: number;
}

const STATES: Record<AlertView, AlertState[] | undefined> = {
  open: ['open', 'acknowledged'],
  resolved: ['resolved'],
  all: undefined,
};

export const alertKeys = {
  all: ['alerts'] as const,
  lists: ['alerts', 'list'] as const,
  list: (lang: string, filters: AlertFilters) => ['alerts', 'list', lang, filters] as const,
  one: (lang: string, id: string) => ['alerts', 'one', lang, id] as const,
  rules: ['alerts', 'rules'] as const,
  member: (id: string) => ['alerts', 'member', id] as const,
  projects: ['alerts', 'projects'] as const,
  adChannels: ['alerts', 'ad-channels'] as const,
  campaigns: (q: string) => ['alerts', 'campaigns', q] as const,
  notices: ['alerts', 'notice-channels'] as const,
  deliveries: (channelId: string) => ['alerts', 'deliveries', channelId] as const,
};

/** How many of a notification channel's deliveries its log shows, newest first. */
export const LAST_DELIVERIES = 20;
/** How often the log is asked again while a delivery is still being sent. */
export const PENDING_REFRESH_MS = 3000;

// The suggestion comes rendered in the language asked for, so the language is part of the key.
export function alertsQuery(lang: string, filters: AlertFilters) {
  return queryOptions({
    queryKey: alertKeys.list(lang, filters),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/alerts', {
          params: {
            query: {
              state: STATES[filters.view],
              project_id: filters.project_id,
              limit: filters.limit,
              offset: filters.offset,
            },
          },
          headers: { 'Accept-Language': lang },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function alertQuery(lang: string, id: string) {
  return queryOptions({
    queryKey: alertKeys.one(lang, id),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/alerts/{alert_id}', {
          params: { path: { alert_id: id } },
          headers: { 'Accept-Language': lang },
        }),
      ),
  });
}

/** Who acknowledged or resolved an alert, by their membership. */
export function memberQuery(id: string) {
  return queryOptions({
    queryKey: alertKeys.member(id),
    queryFn: () => unwrap(api.GET('/api/v1/members/{member_id}', { params: { path: { member_id: id } } })),
    staleTime: 10 * 60 * 1000,
  });
}

export const rulesQuery = queryOptions({
  queryKey: alertKeys.rules,
  queryFn: () => unwrap(api.GET('/api/v1/alert-rules')),
});

/** Every project the reader sees: the alert list's filter and a rule's project picker. */
export const projectsQuery = queryOptions({
  queryKey: alertKeys.projects,
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/projects', { params: { query: { limit, offset } } }))),
  staleTime: 5 * 60 * 1000,
});

export const adChannelsQuery = queryOptions({
  queryKey: alertKeys.adChannels,
  queryFn: () => unwrap(api.GET('/api/v1/channels')),
  staleTime: 5 * 60 * 1000,
});

/** Campaigns whose name or platform id holds `q`: the first page, for a rule's campaign picker. */
export function campaignSearchQuery(q: string) {
  return queryOptions({
    queryKey: alertKeys.campaigns(q),
    queryFn: () =>
      unwrap(api.GET('/api/v1/campaigns', { params: { query: { q: q || undefined, limit: 20, offset: 0 } } })),
    placeholderData: keepPreviousData,
  });
}

export const noticeChannelsQuery = queryOptions({
  queryKey: alertKeys.notices,
  queryFn: () => unwrap(api.GET('/api/v1/notification-channels')),
});

/** A notification channel's last deliveries, asked again every few seconds while one is pending. */
export function deliveriesQuery(channelId: string) {
  return queryOptions({
    queryKey: alertKeys.deliveries(channelId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/notification-channels/{channel_id}/deliveries', {
          params: { path: { channel_id: channelId }, query: { limit: LAST_DELIVERIES, offset: 0 } },
        }),
      ),
    refetchInterval: (query) =>
      query.state.data?.items.some((d) => d.status === 'pending') ? PENDING_REFRESH_MS : false,
  });
}

function useInvalidateAlerts() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: alertKeys.all });
}

/** Acknowledge (someone is on it) or resolve (dealt with) an alert, at the version read. */
export function useAlertAction() {
  const invalidate = useInvalidateAlerts();
  return useMutation({
    mutationFn: ({
      id,
      action,
      version,
      note,
    }: {
      id: string;
      action: 'acknowledge' | 'resolve';
      version: number;
      note?: string;
    }) => {
      const options = { params: { path: { alert_id: id } }, body: { version, ...(note ? { note } : {}) } };
      return unwrap(
        action === 'acknowledge'
          ? api.POST('/api/v1/alerts/{alert_id}/acknowledge', options)
          : api.POST('/api/v1/alerts/{alert_id}/resolve', options),
      );
    },
    // A refusal (someone else acted first) refetches too, so the page shows what happened.
    onSettled: invalidate,
  });
}

export function useCreateRule() {
  const invalidate = useInvalidateAlerts();
  return useMutation({
    mutationFn: (body: RuleCreate) => unwrap(api.POST('/api/v1/alert-rules', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateRule() {
  const invalidate = useInvalidateAlerts();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: RuleUpdate }) =>
      unwrap(api.PATCH('/api/v1/alert-rules/{rule_id}', { params: { path: { rule_id: id } }, body })),
    onSettled: invalidate,
  });
}

export function useDeleteRule() {
  const invalidate = useInvalidateAlerts();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/alert-rules/{rule_id}', { params: { path: { rule_id: id } } })),
    onSuccess: invalidate,
  });
}

/** 立即检查: judge every active rule now; the alerts and rules are read again. */
export function useEvaluateRules() {
  const invalidate = useInvalidateAlerts();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/alert-rule-runs')),
    onSuccess: invalidate,
  });
}

function useInvalidateNotices() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: alertKeys.notices });
}

export function useCreateNoticeChannel() {
  const invalidate = useInvalidateNotices();
  return useMutation({
    mutationFn: (body: NoticeChannelCreate) => unwrap(api.POST('/api/v1/notification-channels', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateNoticeChannel() {
  const invalidate = useInvalidateNotices();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: NoticeChannelUpdate }) =>
      unwrap(api.PATCH('/api/v1/notification-channels/{channel_id}', { params: { path: { channel_id: id } }, body })),
    onSettled: invalidate,
  });
}

export function useDeleteNoticeChannel() {
  const invalidate = useInvalidateNotices();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/notification-channels/{channel_id}', { params: { path: { channel_id: id } } })),
    onSuccess: invalidate,
  });
}

/** 发送测试: queues a test message; its delivery (pending at first) joins the channel's log. */
export function useSendTest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/notification-channels/{channel_id}/test', { params: { path: { channel_id: id } } })),
    onSuccess: (_delivery, id) => queryClient.invalidateQueries({ queryKey: alertKeys.deliveries(id) }),
  });
}
