import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import '@/i18n';
import { CollabPanelsContext, type CollabPanels } from '@/lib/collabContext';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { Issue } from './api';
import { IssueRedirect } from './IssueRedirect';
import { IssuesPage } from './IssuesPage';

const risk: Issue = {
  id: 'i1',
  project_id: 'p1',
  task_id: null,
  kind: 'risk',
  title: '主播临时取消',
  description: '备选主播未确认',
  severity: 'high',
  probability: 4,
  impact: 5,
  risk_score: 20,
  owner_member_id: 'm-member',
  owner_name: '王执行',
  raised_by_member_id: 'm-pm',
  due_on: '2026-11-28',
  status: 'open',
  overdue: true,
  escalation: 'manager',
  escalated_at: '2026-11-29T01:05:00Z',
  resolved_at: null,
  resolution: null,
  created_at: '2026-11-20T02:00:00Z',
  updated_at: '2026-11-29T01:05:00Z',
  version: 2,
};

const issue: Issue = {
  ...risk,
  id: 'i2',
  kind: 'issue',
  title: '物料延误',
  probability: null,
  impact: null,
  risk_score: null,
  overdue: false,
  escalation: 'none',
  status: 'resolved',
  resolution: '换了供应商',
};

const project = {
  id: 'p1',
  code: 'P2026-001',
  name: '2026Q4-电商-双十一大促',
  owner_member_id: 'm-pm',
  owner_name: '张经理',
  members: [{ member_id: 'm-member', name: '王执行', role: 'contributor' }],
};

const member = {
  user: { id: 'u1', email: 'member@demo.mems', name: '王执行', locale: 'zh-CN' },
  org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
  membership_id: 'm-member',
  role: 'member',
  permissions: ['projects:read', 'work:write'],
  via: 'session',
} as unknown as Me;

let posted: { path: string; body: unknown }[] = [];
let listed: URL[] = [];

// An issue of the project not on the page of the log shown (e.g. filtered out).
const elsewhere: Issue = { ...issue, id: 'i9', title: '场地临时变更', status: 'open', resolution: null };

// The app's panel slot, stubbed: the issue's details ask it for the issue's discussion.
const panels: CollabPanels = {
  Discussion: ({ subjectType, subjectId }) => <div data-testid="discussion-slot">{`${subjectType}:${subjectId}`}</div>,
  ProjectActivity: () => null,
  TodayCheckIn: () => null,
};

function Where() {
  const location = useLocation();
  return <div data-testid="where">{location.pathname + location.search}</div>;
}

function renderPage(me: Me = member, url = '/projects/p1/issues') {
  vi.stubGlobal('fetch', async (request: Request) => {
    const target = new URL(request.url);
    if (request.method === 'POST') {
      posted.push({ path: target.pathname, body: await request.clone().json() });
      return Response.json(
        { ...risk, status: 'resolved' },
        { status: target.pathname.endsWith('/issues') ? 201 : 200 },
      );
    }
    if (target.pathname === '/api/v1/projects/p1/issues') {
      listed.push(target);
      return Response.json({ items: [risk, issue], total: 2, limit: 20, offset: 0 });
    }
    const one = [risk, issue, elsewhere].find((i) => target.pathname === `/api/v1/issues/${i.id}`);
    if (one) return Response.json(one);
    if (target.pathname === '/api/v1/projects/p1') return Response.json(project);
    if (target.pathname === '/api/v1/projects/p1/tasks') return Response.json([]);
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter initialEntries={[url]}>
          <SessionContext.Provider value={me}>
            <CollabPanelsContext.Provider value={panels}>
              <Routes>
                <Route path="/projects/:projectId/issues" element={<IssuesPage />} />
                <Route path="/issues/:issueId" element={<IssueRedirect />} />
              </Routes>
              <Where />
            </CollabPanelsContext.Provider>
          </SessionContext.Provider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  posted = [];
  listed = [];
});

describe('IssuesPage', () => {
  it('lists the log with risk scores, overdue and escalation, and the steps each status allows', async () => {
    renderPage();
    const rows = await screen.findAllByTestId('issue-title-link');
    expect(rows.map((r) => r.textContent)).toEqual(['主播临时取消', '物料延误']);
    expect(screen.getByTestId('issue-score')).toHaveTextContent('20 · 极高');
    expect(screen.getByTestId('issue-overdue')).toBeInTheDocument();
    expect(screen.getByText('已上报项目经理')).toBeInTheDocument();
    expect(screen.getByText(/换了供应商/)).toBeInTheDocument();
    const [first, second] = screen.getAllByRole('row').slice(1);
    expect(within(first!).getByTestId('issue-action-resolve')).toBeInTheDocument();
    expect(within(second!).queryByTestId('issue-action-resolve')).not.toBeInTheDocument();
    expect(within(second!).getByTestId('issue-action-reopen')).toBeInTheDocument();
    expect(await screen.findByTestId('issues-project-link')).toHaveTextContent('P2026-001');
  });

  it('resolves an issue with a resolution, at the version read', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByTestId('issue-action-resolve'));
    const submit = await screen.findByTestId('issue-resolve-submit');
    expect(submit).toBeDisabled();
    fireEvent.change(screen.getByTestId('issue-resolution'), { target: { value: '签了备选主播' } });
    await user.click(submit);
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      path: '/api/v1/issues/i1/resolve',
      body: { version: 2, resolution: '签了备选主播' },
    });
  });

  it('filters by kind through the address', async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findAllByTestId('issue-title-link');
    await user.click(within(screen.getByTestId('issue-kind-filter')).getByText('风险'));
    await waitFor(() => expect(listed.at(-1)?.searchParams.get('kind')).toBe('risk'));
  });

  it('raises a risk: scores are asked for, then sent', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByTestId('issue-raise'));
    const form = await screen.findByTestId('issue-form');
    await user.click(within(form).getByText('风险'));
    fireEvent.change(screen.getByTestId('issue-title'), { target: { value: '天气影响外场' } });
    await user.click(screen.getByTestId('issue-submit'));
    expect(await screen.findAllByText('风险需要评估 1–5 分')).toHaveLength(2);
    expect(posted).toEqual([]);
  });

  it('opens an issue’s details from its title', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click((await screen.findAllByTestId('issue-title-link'))[0]!);
    const detail = await screen.findByTestId('issue-detail');
    expect(detail).toHaveTextContent('备选主播未确认');
    expect(detail).toHaveTextContent('王执行');
    // With its discussion, and in the address (to share or reload).
    expect(screen.getByTestId('discussion-slot')).toHaveTextContent('issue:i1');
    expect(screen.getByTestId('where')).toHaveTextContent('/projects/p1/issues?issue=i1');
  });

  it('opens an issue from the address, reading it on its own when the log shown does not hold it', async () => {
    renderPage(member, '/projects/p1/issues?issue=i9');
    const detail = await screen.findByTestId('issue-detail');
    expect(detail).toHaveTextContent('待处理');
    expect(screen.getByText('场地临时变更', { selector: '.ant-modal-title' })).toBeInTheDocument();
    expect(screen.getByTestId('discussion-slot')).toHaveTextContent('issue:i9');
  });

  it('leads a link that knows only the issue (a notification) to its project’s log, opened on it', async () => {
    renderPage(member, '/issues/i1');
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/projects/p1/issues?issue=i1'));
    expect(await screen.findByTestId('issue-detail')).toHaveTextContent('备选主播未确认');
    expect(screen.getByTestId('discussion-slot')).toHaveTextContent('issue:i1');
  });

  it('says an issue cannot be found when its link leads nowhere', async () => {
    renderPage(member, '/issues/nope');
    expect(await screen.findByText('页面不存在')).toBeInTheDocument();
    expect(screen.getByTestId('where')).toHaveTextContent('/issues/nope');
  });

  it('lets those who only look read the log, without actions', async () => {
    renderPage({ ...member, role: 'viewer', permissions: ['projects:read'] });
    await screen.findAllByTestId('issue-title-link');
    expect(screen.queryByTestId('issue-raise')).not.toBeInTheDocument();
    expect(screen.queryByTestId('issue-action-resolve')).not.toBeInTheDocument();
  });
});
