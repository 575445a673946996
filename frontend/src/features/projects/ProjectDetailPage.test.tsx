import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter, Route, Routes } from 'react-router';
import '@/i18n';
import { ResourcePanelsContext, type ProjectResourcesProps, type ResourcePanels } from '@/lib/resourcePanelsContext';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { ProjectDetail } from './api';
import { ProjectDetailPage } from './ProjectDetailPage';

const project: ProjectDetail = {
  id: 'p1',
  code: 'P2026-005',
  name: '2026Q4-品牌-年终种草计划',
  type: 'brand',
  status: 'active',
  registered: false,
  owner_member_id: 'm-pm',
  owner_name: '张项目',
  team_id: null,
  period_id: null,
  starts_on: '2026-11-16',
  ends_on: '2026-12-31',
  currency: 'CNY',
  total_budget: '200000.00',
  approved_budget: '0.00',
  template_key: null,
  goal_ids: [],
  created_at: '2026-11-01T06:00:00Z',
  updated_at: '2026-11-01T06:00:00Z',
  version: 4,
  description: null,
  allowed_actions: ['close'],
  goal_links: [],
  members: [],
  phases: [],
  budget_lines: [],
  approval: null,
  retrospective: null,
} as unknown as ProjectDetail;

function member(membership: string, permissions: string[]): Me {
  return {
    user: { id: 'u', email: 'x@demo.mems', name: 'x', locale: 'zh-CN' },
    org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
    membership_id: membership,
    role: 'project_manager',
    permissions,
    via: 'session',
  } as unknown as Me;
}

const pm = member('m-pm', ['projects:read', 'projects:write', 'resources:read', 'resources:allocate']);

/** The slot's stand-in: says what the page handed it. */
const panels: ResourcePanels = {
  ProjectResources: ({ project: p, mayManage }: ProjectResourcesProps) => (
    <div data-testid="resources-slot">{`${p.code} manage=${String(mayManage)}`}</div>
  ),
};

function renderPage(me: Me, url: string) {
  vi.stubGlobal('fetch', (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path === '/api/v1/projects/p1') return Promise.resolve(Response.json(project));
    return Promise.resolve(Response.json({ items: [], total: 0, limit: 200, offset: 0 }));
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter initialEntries={[url]}>
          <SessionContext.Provider value={me}>
            <ResourcePanelsContext.Provider value={panels}>
              <Routes>
                <Route path="/projects/:projectId" element={<ProjectDetailPage />} />
              </Routes>
            </ResourcePanelsContext.Provider>
          </SessionContext.Provider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}

describe('ProjectDetailPage · 资源', () => {
  it('opens the resources tab from ?tab=resources, for the project and whether its manager looks', async () => {
    renderPage(pm, '/projects/p1?tab=resources');
    expect(await screen.findByTestId('resources-slot')).toHaveTextContent('P2026-005 manage=true');
  });

  it('shows the tab to whoever reads resources; another project manager does not manage it', async () => {
    const user = userEvent.setup();
    renderPage(member('m-other', ['projects:read', 'projects:write', 'resources:read']), '/projects/p1');
    await user.click(await screen.findByRole('tab', { name: '资源' }));
    expect(await screen.findByTestId('resources-slot')).toHaveTextContent('manage=false');
  });

  it('has no resources tab for who may not read resources', async () => {
    renderPage(member('m-x', ['projects:read']), '/projects/p1?tab=resources');
    expect(await screen.findByTestId('project-title')).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: '资源' })).not.toBeInTheDocument();
    expect(screen.queryByTestId('resources-slot')).not.toBeInTheDocument();
  });
});
