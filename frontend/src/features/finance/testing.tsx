/* For tests only (imported by *.test.tsx, never by the app): a running project with three budget lines at each level, its summary, its ledger, and a stubbed API. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import '@/i18n';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { BudgetSummary, Cost, Figures, LineFigures } from './api';
import type { OrgCost } from './ledgerApi';
import type { BudgetRequest } from './requestModel';

// Cast: the project carries more fields than these panels read, and gains some over time.
export const project = {
  id: 'p1',
  code: 'P2026-004',
  name: '2026Q4-渠道-年货节预热',
  type: 'promotion',
  status: 'active',
  registered: true,
  owner_member_id: 'm-pm',
  owner_name: '张项目',
  team_id: null,
  period_id: null,
  starts_on: '2026-12-01',
  ends_on: '2026-12-31',
  currency: 'CNY',
  total_budget: '200000.00',
  approved_budget: '200000.00',
  template_key: null,
  goal_ids: [],
  created_at: '2026-11-27T06:00:00Z',
  updated_at: '2026-11-27T06:00:00Z',
  version: 3,
  description: null,
  allowed_actions: ['finish'],
  goal_links: [],
  members: [{ member_id: 'm-pm', name: '张项目', role: 'manager' }],
  phases: [
    { id: 'ph1', name: '筹备', starts_on: '2026-12-01', ends_on: '2026-12-10', task_count: 2, done_count: 1 },
    { id: 'ph2', name: '执行', starts_on: '2026-12-11', ends_on: '2026-12-31', task_count: 3, done_count: 0 },
  ],
  budget_lines: [
    {
      id: 'l-venue',
      position: 0,
      category: 'venue',
      name: '展位费',
      phase_id: 'ph2',
      amount: '100000.00',
      state: 'approved',
    },
    {
      id: 'l-print',
      position: 1,
      category: 'materials',
      name: '印刷物料',
      phase_id: 'ph1',
      amount: '50000.00',
      state: 'approved',
    },
    {
      id: 'l-ads',
      position: 2,
      category: 'ad_spend',
      name: '信息流投放',
      phase_id: 'ph2',
      amount: '50000.00',
      state: 'approved',
    },
  ],
  approval: null,
  retrospective: null,
} as unknown as ProjectFinanceProps['project'];

function figures(
  budget: string,
  actual: string,
  committed: string,
  percent: string | null,
  level: Figures['level'],
): Figures {
  const used = (Number(actual) + Number(committed)).toFixed(2);
  return {
    budget,
    actual,
    committed,
    used,
    remaining: (Number(budget) - Number(used)).toFixed(2),
    used_percent: percent,
    level,
    entries: 1,
  };
}

function line(id: string, name: string, category: LineFigures['category'], phase: string, f: Figures): LineFigures {
  return { id, name, category, phase_id: phase, state: 'approved', ...f };
}

/** 展位费 at 50 % (ok), 印刷物料 at 90 % (warn), 信息流投放 at 110 % (critical). */
export function summary(over: Partial<BudgetSummary> = {}): BudgetSummary {
  const venue = figures('100000.00', '30000.00', '20000.00', '50.0', 'ok');
  const print = figures('50000.00', '45000.00', '0.00', '90.0', 'warn');
  const ads = figures('50000.00', '55000.00', '0.00', '110.0', 'critical');
  return {
    project_id: 'p1',
    currency: 'CNY',
    today: '2026-12-15',
    project: figures('200000.00', '130000.00', '20000.00', '75.0', 'ok'),
    unbudgeted: figures('0.00', '0.00', '0.00', null, 'ok'),
    lines: [
      line('l-venue', '展位费', 'venue', 'ph2', venue),
      line('l-print', '印刷物料', 'materials', 'ph1', print),
      line('l-ads', '信息流投放', 'ad_spend', 'ph2', ads),
    ],
    by_category: [
      { category: 'ad_spend', share_percent: '36.67', ...ads },
      { category: 'materials', share_percent: '30.00', ...print },
      { category: 'venue', share_percent: '33.33', ...venue },
    ],
    by_phase: [
      { phase_id: 'ph1', share_percent: '30.00', ...print },
      { phase_id: 'ph2', share_percent: '70.00', ...figures('150000.00', '85000.00', '20000.00', '70.0', 'ok') },
    ],
    thresholds: { warn_percent: '80', critical_percent: '100', source: 'organisation' },
    burn: {
      days_elapsed: 15,
      days_total: 31,
      actual_per_day: '8666.67',
      forecast_by_time: { basis: 'elapsed_time', at_completion: '268666.67', variance: '-68666.67' },
      forecast_by_progress: { basis: 'progress', at_completion: null, variance: null },
    },
    ...over,
  };
}

export function cost(over: Partial<Cost> & { id: string }): Cost {
  return {
    project_id: 'p1',
    line_id: 'l-venue',
    category: 'venue',
    phase_id: 'ph2',
    vendor: '国展中心',
    kind: 'actual',
    amount: '30000.00',
    currency: 'CNY',
    rate: '1',
    amount_project: '30000.00',
    incurred_on: '2026-12-05',
    description: null,
    source: 'manual',
    recorded_by_member_id: 'm-pm',
    verified_at: null,
    verified_by_member_id: null,
    created_at: '2026-12-05T02:00:00Z',
    receipt_count: 0,
    version: 1,
    ...over,
  };
}

/** A cost in the organisation's list (finance's to verify): its project named. */
export function orgCost(over: Partial<OrgCost> & { id: string }): OrgCost {
  return { ...cost(over), project_code: project.code, project_name: project.name, ...over };
}

export function person(membership: string, permissions: string[]): Me {
  return {
    user: { id: 'u', email: 'x@demo.mems', name: 'x', locale: 'zh-CN' },
    org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
    membership_id: membership,
    role: 'member',
    permissions,
    via: 'session',
  } as unknown as Me;
}

export const pm = person('m-pm', ['projects:read', 'projects:write', 'budget:read', 'costs:record']);
export const finance = person('m-fin', ['projects:read', 'budget:read', 'costs:record', 'costs:verify']);
export const viewer = person('m-view', ['projects:read', 'budget:read']);

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

/** Every call the panel made, and an optional answer that overrides the stub's. */
export const api = {
  calls: [] as { method: string; path: string; body: unknown; headers: Headers }[],
  respond: (() => undefined) as (method: string, path: string, body: unknown) => Response | undefined,
  summary: summary(),
  costs: [cost({ id: 'c1' }), cost({ id: 'c2', verified_at: '2026-12-06T03:00:00Z', verified_by_member_id: 'm-fin' })],
  /** The project's budget requests, newest first. */
  requests: [] as BudgetRequest[],
  /** The organisation's costs (GET /costs), whatever the filters. */
  orgCosts: [] as OrgCost[],
  reset() {
    this.calls = [];
    this.respond = () => undefined;
    this.summary = summary();
    this.requests = [];
    this.orgCosts = [];
    this.costs = [
      cost({ id: 'c1' }),
      cost({ id: 'c2', verified_at: '2026-12-06T03:00:00Z', verified_by_member_id: 'm-fin' }),
    ];
  },
  posts() {
    return this.calls.filter((c) => c.method === 'POST');
  },
};

function stubFetch() {
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace('/api/v1', '');
    const multipart = (request.headers.get('content-type') ?? '').startsWith('multipart/form-data');
    const body: unknown =
      request.method === 'GET'
        ? undefined
        : multipart
          ? // A form's text parts by name; a file part as its presence (jsdom's File does not
            // survive the trip into Node's Request as a file).
            Object.fromEntries(
              [...(await request.clone().formData()).entries()].map(([k, v]) => [
                k,
                typeof v === 'string' ? v : '(file)',
              ]),
            )
          : await request
              .clone()
              .json()
              .catch(() => undefined);
    api.calls.push({ method: request.method, path: `${path}${url.search}`, body, headers: request.headers });
    const custom = api.respond(request.method, path, body);
    if (custom) return custom;
    if (path === '/projects/p1/budget') return json(api.summary);
    if (path === '/projects/p1/budget-requests' && request.method === 'GET') {
      return json({ items: api.requests, total: api.requests.length, limit: 10, offset: 0 });
    }
    if (path === '/projects/p1/costs' && request.method === 'GET') {
      return json({ items: api.costs, total: api.costs.length, limit: 20, offset: 0 });
    }
    if (path === '/projects/p1/costs' && request.method === 'POST') {
      return json(cost({ id: 'c-new', ...(body as object) }), 201);
    }
    if (path === '/costs' && request.method === 'GET') {
      return json({ items: api.orgCosts, total: api.orgCosts.length, limit: 20, offset: 0 });
    }
    if (path === '/projects' && request.method === 'GET') {
      return json({ items: [project], total: 1, limit: 20, offset: 0 });
    }
    const one = api.orgCosts.find((c) => path === `/costs/${c.id}`);
    if (one && request.method === 'GET') return json(one);
    const verified = [...api.costs, ...api.orgCosts].find((c) => path === `/costs/${c.id}/verify`);
    if (verified) return json({ ...verified, verified_at: '2026-12-15T02:00:00Z', version: verified.version + 1 });
    return json({ title: 'Not found', status: 404 }, 404);
  });
}

export function renderPanel(me: Me, panel: ReactNode) {
  stubFetch();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <SessionContext.Provider value={me}>{panel}</SessionContext.Provider>
      </AntApp>
    </QueryClientProvider>,
  );
  return { queryClient };
}
