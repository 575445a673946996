import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { ProjectDetail } from './api';
import { EditProjectModal } from './EditProjectModal';
import { buildMembersBody, buildUpdateBody, editValuesFrom, mayManageProject, saveConflict } from './editModel';
import { ApiError } from '@/api/errors';

const project: ProjectDetail = {
  id: 'p1',
  code: 'P2026-004',
  name: '2026Q4-渠道-年货节预热',
  type: 'promotion',
  status: 'draft',
  registered: false,
  owner_member_id: 'm-pm',
  owner_name: '张项目',
  team_id: null,
  period_id: 'q4',
  starts_on: '2026-12-01',
  ends_on: '2026-12-31',
  currency: 'CNY',
  total_budget: '200000.00',
  approved_budget: '0.00',
  template_key: null,
  goal_ids: [],
  created_at: '2026-11-27T06:00:00Z',
  updated_at: '2026-11-27T06:00:00Z',
  version: 3,
  description: null,
  allowed_actions: ['submit', 'cancel'],
  goal_links: [],
  members: [{ member_id: 'm-pm', name: '张项目', role: 'manager' }],
  phases: [],
  budget_lines: [],
  approval: null,
  retrospective: null,
};

const pm = {
  user: { id: 'u1', email: 'pm@demo.mems', name: '张项目', locale: 'zh-CN' },
  org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
  membership_id: 'm-pm',
  role: 'project_manager',
  permissions: ['projects:read', 'projects:write'],
  via: 'session',
} as unknown as Me;

let patches: unknown[] = [];
let patchResponse: () => Response;

function renderModal(p: ProjectDetail) {
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/projects/p1' && request.method === 'PATCH') {
      patches.push(await request.clone().json());
      return patchResponse();
    }
    if (url.pathname === '/api/v1/strategy-periods') {
      return Response.json({ items: [{ id: 'q4', name: '2026Q4', kind: 'quarter' }], total: 1 });
    }
    if (url.pathname === '/api/v1/teams' || url.pathname === '/api/v1/members') {
      return Response.json({ items: [], total: 0 });
    }
    if (url.pathname === '/api/v1/naming-convention') {
      return Response.json({ enabled: false, pattern: null, parts: {}, expected_form: '', example: '' });
    }
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  });
  const onClose = vi.fn();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <SessionContext.Provider value={pm}>
          <EditProjectModal project={p} open onClose={onClose} />
        </SessionContext.Provider>
      </AntApp>
    </QueryClientProvider>,
  );
  return { onClose };
}

beforeEach(() => {
  patches = [];
  patchResponse = () => Response.json({ ...project, total_budget: '250000.00', version: 4 });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the project edit modal', () => {
  it('locks the budget and currency while the project is under approval, with a hint', async () => {
    renderModal({ ...project, status: 'submitted' });
    expect(await screen.findByTestId('project-edit-locked')).toHaveTextContent('预算、币种和负责人已锁定');
    expect(screen.getByTestId('project-edit-budget')).toBeDisabled();
    expect(screen.getAllByText('审批中，已锁定')).toHaveLength(2);
    // A project manager cannot hand the project over: no owner picker at all.
    expect(screen.queryByTestId('project-edit-owner')).not.toBeInTheDocument();
  });

  it('keeps what the approval decided on an approved project, and says how it changes', async () => {
    renderModal({ ...project, status: 'active' });
    expect(await screen.findByTestId('project-edit-locked')).toHaveTextContent('只能通过重新审批的变更申请修改');
    expect(screen.getByTestId('project-edit-budget')).toBeDisabled();
    expect(screen.getAllByText('已立项：由立项审批决定，需通过变更申请修改')).toHaveLength(2);
  });

  it('sends only the changed budget with the version read, then closes', async () => {
    const { onClose } = renderModal(project);
    const user = userEvent.setup();
    const budget = await screen.findByTestId('project-edit-budget');
    expect(budget).toBeEnabled();
    await user.clear(budget);
    await user.type(budget, '250000');
    await user.click(screen.getByTestId('project-edit-save'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(patches).toEqual([{ version: 3, total_budget: '250000' }]);
  });

  it('says clearly when someone else saved first', async () => {
    patchResponse = () =>
      Response.json(
        { type: 'about:blank', title: 'Conflict', status: 409, detail: 'stale', current_version: 5 },
        { status: 409, headers: { 'Content-Type': 'application/problem+json' } },
      );
    const { onClose } = renderModal(project);
    const user = userEvent.setup();
    const budget = await screen.findByTestId('project-edit-budget');
    await user.clear(budget);
    await user.type(budget, '1');
    await user.click(screen.getByTestId('project-edit-save'));
    expect(await screen.findByTestId('project-edit-stale')).toHaveTextContent('项目已被他人修改');
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('the edit payloads', () => {
  it('leave out what did not change and what is locked under approval', () => {
    const values = { ...editValuesFrom(project), total_budget: 300000, currency: 'USD', description: ' 说明 ' };
    expect(buildUpdateBody(project, values, { canReassign: false })).toEqual({
      version: 3,
      total_budget: '300000',
      currency: 'USD',
      description: '说明',
    });
    const submitted = { ...project, status: 'submitted' as const };
    expect(buildUpdateBody(submitted, { ...values, owner_member_id: 'm-other' }, { canReassign: true })).toEqual({
      version: 3,
      description: '说明',
    });
    expect(buildUpdateBody(project, editValuesFrom(project), { canReassign: true })).toEqual({ version: 3 });
  });

  it('hand the project over only for those who may', () => {
    const values = { ...editValuesFrom(project), owner_member_id: 'm-other' };
    expect(buildUpdateBody(project, values, { canReassign: false })).toEqual({ version: 3 });
    expect(buildUpdateBody(project, values, { canReassign: true })).toEqual({ version: 3, owner_member_id: 'm-other' });
    expect(mayManageProject(pm, project)).toBe(true);
    expect(mayManageProject(pm, { owner_member_id: 'm-other' })).toBe(false);
    expect(mayManageProject({ membership_id: 'x', permissions: ['projects:manage_all'] }, project)).toBe(true);
  });

  it('keep the manager on the team, once, as manager', () => {
    expect(
      buildMembersBody(
        [
          { member_id: 'm-a', role: 'core' },
          { member_id: 'm-a', role: 'observer' },
          { member_id: 'm-pm', role: 'observer' },
        ],
        'm-pm',
        3,
      ),
    ).toEqual({
      members: [
        { member_id: 'm-a', role: 'core' },
        { member_id: 'm-pm', role: 'manager' },
      ],
      version: 3,
    });
    expect(buildMembersBody([], 'm-pm', 1).members).toEqual([{ member_id: 'm-pm', role: 'manager' }]);
  });

  it('tell a stale copy from a project that is under approval', () => {
    const problem = (extensions: Record<string, unknown>) =>
      new ApiError({ type: 'x', title: 'Conflict', status: 409, detail: 'd', errors: [], extensions });
    expect(saveConflict(problem({ current_version: 4 }))?.kind).toBe('stale');
    expect(saveConflict(problem({ current_status: 'submitted' }))).toEqual({
      kind: 'state',
      detail: 'd',
      status: 'submitted',
    });
  });
});
