/* For tests only (imported by *.test.tsx, never by the app): alerts, rules, notification channels and a stubbed API. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { AdChannel, Alert, Campaign, Delivery, NoticeChannel, Project, Rule } from './api';
import { AlertDetailPage } from './AlertDetailPage';
import { Where } from './testingWhere';

function person(role: string, permissions: string[]): Me {
  return {
    user: { id: `u-${role}`, email: `${role}@demo.mems`, name: role, locale: 'zh-CN' },
    org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
    membership_id: `m-${role}`,
    role,
    permissions,
    via: 'session',
  } as unknown as Me;
}

const READ = ['alerts:read', 'members:read', 'projects:read', 'channels:read'];
export const planner = person('project_manager', [...READ, 'alerts:handle', 'alert_rules:manage']);
export const member = person('member', READ);
export const director = person('director', [
  ...READ,
  'alerts:handle',
  'alert_rules:manage',
  'notification_channels:manage',
]);
export const admin = person('admin', [...director.permissions, 'org:manage']);

function alert(over: Partial<Alert> & Pick<Alert, 'id'>): Alert {
  return {
    rule_id: 'r-ctr',
    rule_name: 'CTR 低于行业基准',
    scope_kind: 'channel',
    scope_id: 'ch-douyin',
    scope_label: '抖音',
    project_id: null,
    state: 'open',
    severity: 'warning',
    metric: 'ctr',
    comparator: 'lt',
    value: null,
    threshold: null,
    benchmark: null,
    numbers: {},
    suggestion: 'generic',
    suggestion_text: '',
    window_unit: 'day',
    window_size: 7,
    opened_at: '2026-11-30T02:00:00Z',
    last_seen_at: '2026-11-30T06:00:00Z',
    acknowledged_at: null,
    acknowledged_by_member_id: null,
    resolved_at: null,
    resolved_by_member_id: null,
    auto_resolved: false,
    note: null,
    version: 1,
    ...over,
  };
}

export const ctrAlert = alert({
  id: 'a-ctr',
  severity: 'critical',
  value: '0.006200',
  threshold: '0.008000',
  benchmark: '0.010000',
  numbers: {
    impressions: '120000',
    clicks: '744',
    spend: '15230.5',
    value: '0.0062',
    threshold: '0.008',
    benchmark: '0.01',
  },
  suggestion: 'low_ctr',
  suggestion_text: '更换素材：重做前几秒的钩子，并用新封面和标题与现有素材做 A/B 测试。',
  version: 3,
});

export const cpaAlert = alert({
  id: 'a-cpa',
  rule_id: 'r-cpa',
  rule_name: 'CPA 过高',
  scope_kind: 'campaign',
  scope_id: 'c1',
  scope_label: '抖音 · 双11 达人种草',
  project_id: 'p1',
  state: 'acknowledged',
  metric: 'cpa',
  comparator: 'gt',
  value: '135.5',
  threshold: '120',
  numbers: { conversions: '38', spend: '5149', value: '135.5', threshold: '120' },
  suggestion: 'high_cpa',
  suggestion_text: '每次转化成本过高：降低出价或改用目标转化出价。',
  acknowledged_at: '2026-11-30T03:00:00Z',
  acknowledged_by_member_id: 'm-zhang',
  note: '已降低出价',
  version: 5,
});

export const clearedAlert = alert({
  id: 'a-done',
  rule_id: 'r-roas',
  rule_name: 'ROAS 过低',
  state: 'resolved',
  severity: 'info',
  metric: 'roas',
  comparator: 'lt',
  value: '2.4',
  threshold: '2',
  scope_kind: 'org',
  scope_label: '',
  suggestion_text: '回报率已恢复。',
  resolved_at: '2026-11-30T08:00:00Z',
  auto_resolved: true,
  version: 7,
});

export const relativeRule: Rule = {
  id: 'r-ctr',
  name: 'CTR 低于行业基准',
  metric: 'ctr',
  comparator: 'lt',
  threshold: '80.000000',
  relative: true,
  scope_kind: 'channel',
  scope_id: null,
  scope_label: null,
  benchmark_kind: null,
  window_unit: 'day',
  window_size: 7,
  min_volume: '1000.00',
  severity: 'warning',
  cooldown_minutes: 1440,
  active: true,
  open_alerts: 2,
  version: 2,
};

export const cpaRule: Rule = {
  ...relativeRule,
  id: 'r-cpa',
  name: 'CPA 过高',
  metric: 'cpa',
  comparator: 'gt',
  threshold: '120.000000',
  relative: false,
  scope_kind: 'org',
  min_volume: null,
  severity: 'critical',
  active: false,
  open_alerts: 0,
  version: 4,
};

export const ctrRule: Rule = {
  ...relativeRule,
  id: 'r-abs',
  name: '全组织 CTR',
  threshold: '0.008000',
  relative: false,
  scope_kind: 'org',
  open_alerts: 0,
  version: 6,
};

export const douyin: AdChannel = {
  id: 'ch-douyin',
  key: 'douyin',
  name: '抖音',
  kind: 'short_video',
  active: true,
  version: 1,
};
export const campaign = {
  id: 'c1',
  channel_id: 'ch-douyin',
  external_id: '1790001',
  name: '双11 达人种草',
  project_id: 'p1',
  status: 'active',
  sync_spend: true,
  version: 4,
} as Campaign;
export const seeding = { id: 'p1', code: 'P2026-005', name: '2026Q4-品牌-年终种草计划', status: 'active' } as Project;

export const feishu: NoticeChannel = {
  id: 'n-feishu',
  name: '市场部飞书群',
  kind: 'feishu',
  url: 'https://open.feishu.cn/…',
  has_secret: true,
  emails: [],
  min_severity: 'warning',
  allow_private: false,
  active: true,
  version: 3,
};
export const mail: NoticeChannel = {
  ...feishu,
  id: 'n-mail',
  name: '总监邮件',
  kind: 'email',
  url: null,
  has_secret: false,
  emails: ['boss@demo.mems'],
  min_severity: 'critical',
  version: 1,
};

export const deliveries: Delivery[] = [
  {
    id: 'd4',
    channel_id: 'n-feishu',
    alert_id: 'a-cpa',
    event: 'alert.resolved',
    status: 'pending',
    attempts: 4,
    status_code: 503,
    error: 'http 503',
    response: 'upstream unavailable',
    created_at: '2026-11-30T05:30:00Z',
    sent_at: null,
    rounds: 1,
    next_attempt_at: '2026-11-30T05:31:07Z',
  },
  {
    id: 'd2',
    channel_id: 'n-feishu',
    alert_id: null,
    event: 'test',
    status: 'failed',
    attempts: 3,
    status_code: 400,
    error: 'sign match fail or timestamp is not within one hour from current time',
    response: null,
    created_at: '2026-11-30T05:00:00Z',
    sent_at: null,
    rounds: 1,
    next_attempt_at: null,
  },
  {
    id: 'd1',
    channel_id: 'n-feishu',
    alert_id: 'a-ctr',
    event: 'alert.fired',
    status: 'sent',
    attempts: 1,
    status_code: 200,
    error: null,
    response: '{"code":0}',
    created_at: '2026-11-30T02:00:05Z',
    sent_at: '2026-11-30T02:00:06Z',
    rounds: 1,
    next_attempt_at: null,
  },
];

export const json = (body: unknown, status = 200) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

const page = (items: unknown[]) => json({ items, total: items.length, limit: 20, offset: 0 });

/** Every call the pages made, the data the stub answers with, and an optional answer that overrides it. */
export const api = {
  calls: [] as { method: string; path: string; query: URLSearchParams; body: unknown }[],
  respond: (() => undefined) as (method: string, path: string, body: unknown) => Response | undefined,
  alerts: [ctrAlert, cpaAlert, clearedAlert],
  rules: [relativeRule, cpaRule],
  notices: [feishu, mail],
  reset() {
    this.calls = [];
    this.respond = () => undefined;
    this.alerts = [ctrAlert, cpaAlert, clearedAlert];
    this.rules = [relativeRule, cpaRule];
    this.notices = [feishu, mail];
  },
  of(method: string, path?: string) {
    return this.calls.filter((c) => c.method === method && (path === undefined || c.path === path));
  },
};

function act(found: Alert, action: string, body: { version: number; note?: string }): Response {
  if (body.version !== found.version)
    return json({ title: 'Stale', status: 409, type: 'urn:mems:problem:stale-version' }, 409);
  const now = '2026-11-30T09:00:00Z';
  const next: Alert =
    action === 'acknowledge'
      ? { ...found, state: 'acknowledged', acknowledged_at: now, acknowledged_by_member_id: 'm-me' }
      : { ...found, state: 'resolved', resolved_at: now, resolved_by_member_id: 'm-me' };
  const saved = { ...next, note: body.note ?? found.note, version: found.version + 1 };
  api.alerts = api.alerts.map((a) => (a.id === found.id ? saved : a));
  return json(saved);
}

function answer(method: string, path: string, query: URLSearchParams, body: unknown): Response {
  if (path === '/alerts' && method === 'GET') {
    const states = query.getAll('state');
    return page(api.alerts.filter((a) => states.length === 0 || states.includes(a.state)));
  }
  const [, alertId, action] = /^\/alerts\/([^/]+)(?:\/(acknowledge|resolve))?$/.exec(path) ?? [];
  const found = api.alerts.find((a) => a.id === alertId);
  if (alertId && !found) return json({ title: 'Not found', status: 404 }, 404);
  if (found && !action && method === 'GET') return json(found);
  if (found && action && method === 'POST') return act(found, action, body as { version: number; note?: string });
  if (path.startsWith('/members/')) return json({ id: path.slice(9), name: '张敏', email: 'zhang@demo.mems' });
  if (path === '/alert-rules' && method === 'GET') return json(api.rules);
  if (path === '/alert-rules' && method === 'POST') {
    return json(
      { ...relativeRule, ...(body as object), id: 'r-new', scope_label: null, open_alerts: 0, version: 1 },
      201,
    );
  }
  if (path === '/alert-rule-runs') return json({ rules: 2, judged: 14, fired: 1, kept: 2, resolved: 3 });
  const rule = api.rules.find((r) => path === `/alert-rules/${r.id}`);
  if (rule && method === 'PATCH') return json({ ...rule, ...(body as object), version: rule.version + 1 });
  if (rule && method === 'DELETE') return json(null, 204);
  if (path === '/channels') return json([douyin]);
  if (path === '/campaigns') return page([campaign]);
  if (path === '/projects') return json({ items: [seeding], total: 1, limit: 200, offset: 0 });
  if (path === '/notification-channels' && method === 'GET') return json(api.notices);
  if (path === '/notification-channels' && method === 'POST') {
    return json({ ...feishu, ...(body as object), id: 'n-new', url: 'https://open.feishu.cn/…', version: 1 }, 201);
  }
  const notice = api.notices.find((n) => path.startsWith(`/notification-channels/${n.id}`));
  if (notice && path.endsWith('/test')) {
    return json(
      { ...deliveries[0], id: 'd3', status: 'pending', error: null, status_code: null, attempts: 0, rounds: 0 },
      202,
    );
  }
  if (notice && path.endsWith('/deliveries')) return page(deliveries.filter((d) => d.channel_id === notice.id));
  if (notice && method === 'PATCH') return json({ ...notice, ...(body as object), version: notice.version + 1 });
  return json({ title: 'Not found', status: 404 }, 404);
}

function stubFetch() {
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace('/api/v1', '');
    const body: unknown =
      request.method === 'GET'
        ? undefined
        : await request
            .clone()
            .json()
            .catch(() => undefined);
    api.calls.push({ method: request.method, path, query: url.searchParams, body });
    return api.respond(request.method, path, body) ?? answer(request.method, path, url.searchParams, body);
  });
}

export function renderPage(me: Me, page: ReactNode, url = '/') {
  stubFetch();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter initialEntries={[url]}>
          <SessionContext.Provider value={me}>
            {page}
            <Where />
          </SessionContext.Provider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
  return { queryClient };
}

/** One alert's page at its own address, as a notification opens it. */
export function renderAlert(me: Me, id: string) {
  return renderPage(
    me,
    <Routes>
      <Route path="/alerts/:alertId" element={<AlertDetailPage />} />
      <Route path="*" element={null} />
    </Routes>,
    `/alerts/${id}`,
  );
}
