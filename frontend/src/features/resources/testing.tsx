/* For tests only (imported by *.test.tsx, never by the app): resources, a workload with one red week, and a stubbed API. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { ProjectResourcesProps } from '@/lib/resourcePanelsContext';
import type { Allocation, Conflict, ProjectTask, Resource, Workload } from './api';
import { Where } from './testingWhere';

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

export const keeper = person('m-fin', ['resources:read', 'resources:manage', 'budget:read']);
export const planner = person('m-pm', ['resources:read', 'resources:manage', 'resources:allocate', 'budget:read']);
export const looker = person('m-view', ['resources:read']);

export function resource(over: Partial<Resource> & Pick<Resource, 'id' | 'kind' | 'name'>): Resource {
  return {
    active: true,
    notes: null,
    currency: 'CNY',
    member_id: null,
    member_name: null,
    role_title: null,
    capacity_hours_week: null,
    cost_rate: null,
    unit: null,
    unit_cost: null,
    stock: null,
    contact_name: null,
    contact_phone: null,
    contact_email: null,
    contract_no: null,
    contract_ends_on: null,
    address: null,
    venue_capacity: null,
    allocations: 0,
    created_at: '2026-11-30T00:00:00Z',
    updated_at: '2026-11-30T00:00:00Z',
    version: 1,
    ...over,
  };
}

export const chen = resource({
  id: 'r-chen',
  kind: 'person',
  name: '陈晨',
  member_id: 'm-member',
  member_name: '陈晨',
  role_title: '内容运营',
  capacity_hours_week: '40.00',
  cost_rate: '150.00',
  allocations: 2,
});
export const hall = resource({
  id: 'r-hall',
  kind: 'venue',
  name: '国家会展中心 4.1 馆',
  address: '上海市青浦区',
  venue_capacity: 3000,
});
export const xinghe = resource({
  id: 'r-xinghe',
  kind: 'vendor',
  name: '星河会展',
  contact_name: '马骁',
  contract_no: 'HT-2026-118',
  contract_ends_on: '2020-06-30',
  allocations: 1,
});

export const booking: Allocation = {
  id: 'a1',
  resource_id: 'r-chen',
  resource_name: '陈晨',
  resource_kind: 'person',
  project_id: 'p1',
  project_code: 'P2026-005',
  project_name: '2026Q4-品牌-年终种草计划',
  task_id: null,
  starts_on: '2026-11-30',
  ends_on: '2026-12-04',
  hours_per_day: '6.00',
  quantity: null,
  note: null,
  working_days: 5,
  planned_hours: '30.00',
  planned_cost: '4500.00',
  currency: 'CNY',
  created_at: '2026-11-30T00:00:00Z',
  version: 1,
};

const seeding = { id: 'p1', code: 'P2026-005', name: '2026Q4-品牌-年终种草计划' };
const show = { id: 'p2', code: 'P2026-003', name: '2026Q4-品牌-年终美妆展会' };
const projects = [seeding, show];

export const overCapacity: Conflict = {
  kind: 'over_capacity',
  resource_id: 'r-chen',
  resource_name: '陈晨',
  resource_kind: 'person',
  starts_on: '2026-11-30',
  ends_on: '2026-12-06',
  projects,
  allocation_ids: ['a1', 'a2'],
  hours: '50.00',
  capacity: '40.00',
  quantity: null,
  stock: null,
};

export function workload(from = '2026-11-30'): Workload {
  const next = from === '2026-11-30' ? '2026-12-07' : '2026-12-14';
  return {
    starts_on: from,
    weeks: [from, next],
    people: [
      {
        resource_id: 'r-sun',
        name: '孙悦',
        member_id: 'm-sun',
        role_title: '品牌策划',
        active: true,
        capacity_hours_week: '40.00',
        weeks: [
          {
            week_start: from,
            working_days: 5,
            capacity: '40.00',
            hours: '20.00',
            load_percent: '50.0',
            over: false,
            projects: [{ ...seeding, hours: '20.00' }],
          },
          {
            week_start: next,
            working_days: 5,
            capacity: '40.00',
            hours: '34.00',
            load_percent: '85.0',
            over: false,
            projects: [{ ...seeding, hours: '34.00' }],
          },
        ],
      },
      {
        resource_id: 'r-chen',
        name: '陈晨',
        member_id: 'm-member',
        role_title: '内容运营',
        active: true,
        capacity_hours_week: '40.00',
        weeks: [
          {
            week_start: from,
            working_days: 5,
            capacity: '40.00',
            hours: '50.00',
            load_percent: '125.0',
            over: true,
            projects: [
              { ...seeding, hours: '30.00' },
              { ...show, hours: '20.00' },
            ],
          },
          {
            week_start: next,
            working_days: 5,
            capacity: '40.00',
            hours: '0.00',
            load_percent: '0.0',
            over: false,
            projects: [],
          },
        ],
      },
    ],
  };
}

// ---- a project's bookings (its 资源 tab) ----------------------------------------------------------

export const boxes = resource({
  id: 'r-boxes',
  kind: 'material',
  name: '年终礼盒',
  unit: '套',
  unit_cost: '80.00',
  stock: '500.00',
});

/** The running campaign the PM manages, as its page reads it. */
export const campaign = {
  id: 'p1',
  code: 'P2026-005',
  name: '2026Q4-品牌-年终种草计划',
  status: 'active',
  owner_member_id: 'm-pm',
  starts_on: '2026-11-16',
  ends_on: '2026-12-31',
  currency: 'CNY',
  version: 4,
} as unknown as ProjectResourcesProps['project'];

export const tasks = [
  { id: 't1', title: '种草内容排期', project_id: 'p1', status: 'in_progress' },
  { id: 't2', title: '达人探店', project_id: 'p1', status: 'todo' },
] as unknown as ProjectTask[];

export const chenForSeeding: Allocation = { ...booking, task_id: 't1', note: '负责小红书笔记' };
export const hallForSeeding: Allocation = {
  ...booking,
  id: 'a3',
  resource_id: 'r-hall',
  resource_name: '国家会展中心 4.1 馆',
  resource_kind: 'venue',
  task_id: null,
  starts_on: '2026-12-02',
  ends_on: '2026-12-03',
  hours_per_day: null,
  quantity: null,
  working_days: 2,
  planned_hours: null,
  planned_cost: null,
  version: 2,
};
export const boxesForSeeding: Allocation = {
  ...booking,
  id: 'a4',
  resource_id: 'r-boxes',
  resource_name: '年终礼盒',
  resource_kind: 'material',
  task_id: null,
  starts_on: '2026-12-01',
  ends_on: '2026-12-10',
  hours_per_day: null,
  quantity: '200.00',
  working_days: 8,
  planned_hours: null,
  planned_cost: '16000.00',
};

export const hallTaken: Conflict = {
  kind: 'double_booked',
  resource_id: 'r-hall',
  resource_name: '国家会展中心 4.1 馆',
  resource_kind: 'venue',
  starts_on: '2026-12-02',
  ends_on: '2026-12-03',
  projects: [seeding, show],
  allocation_ids: ['a3', 'a9'],
  hours: null,
  capacity: null,
  quantity: null,
  stock: null,
};

export const json = (body: unknown, status = 200) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

/** Every call the pages made, and an optional answer that overrides the stub's. */
export const api = {
  calls: [] as { method: string; path: string; query: URLSearchParams; body: unknown }[],
  respond: (() => undefined) as (method: string, path: string, body: unknown) => Response | undefined,
  resources: [chen, hall, xinghe],
  /** What project p1 has booked, and the conflicts of the days asked. */
  projectAllocations: [] as Allocation[],
  conflicts: [overCapacity] as Conflict[],
  reset() {
    this.calls = [];
    this.respond = () => undefined;
    this.resources = [chen, hall, xinghe];
    this.projectAllocations = [];
    this.conflicts = [overCapacity];
  },
  of(method: string) {
    return this.calls.filter((c) => c.method === method);
  },
};

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
    const custom = api.respond(request.method, path, body);
    if (custom) return custom;
    if (path === '/resources' && request.method === 'GET') {
      const kind = url.searchParams.get('kind');
      const items = api.resources.filter((r) => !kind || r.kind === kind);
      return json({ items, total: items.length, limit: 20, offset: 0 });
    }
    if (path === '/resources' && request.method === 'POST') {
      return json(resource({ id: 'r-new', ...(body as Pick<Resource, 'kind' | 'name'>) }), 201);
    }
    const one = api.resources.find((r) => path === `/resources/${r.id}`);
    if (one && request.method === 'PATCH') return json({ ...one, ...(body as object), version: one.version + 1 });
    if (one && request.method === 'DELETE') return json(null, 204);
    if (path === '/resources/r-chen/allocations') return json({ items: [booking], total: 1, limit: 200, offset: 0 });
    if (path === '/projects/p1/allocations' && request.method === 'GET') {
      const items = api.projectAllocations;
      return json({ items, total: items.length, limit: 200, offset: 0 });
    }
    if (path === '/projects/p1/tasks') return json(tasks);
    if (path.endsWith('/allocations') && request.method === 'GET')
      return json({ items: [], total: 0, limit: 200, offset: 0 });
    if (path === '/allocations/a1' && request.method === 'DELETE') return json(null, 204);
    const booked = api.projectAllocations.find((a) => path === `/allocations/${a.id}`);
    if (booked && request.method === 'PATCH') {
      return json({ ...booked, ...(body as object), version: booked.version + 1, conflicts: [] });
    }
    if (path === '/workload') return json(workload(url.searchParams.get('from') ?? '2026-11-30'));
    if (path === '/resource-conflicts') return json(api.conflicts);
    if (path === '/members') return json({ items: [], total: 0, limit: 200, offset: 0 });
    if (path === '/projects') return json({ items: [], total: 0, limit: 200, offset: 0 });
    return json({ title: 'Not found', status: 404 }, 404);
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
