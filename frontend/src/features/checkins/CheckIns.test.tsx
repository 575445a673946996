import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { CheckIn, MyDay, RollCall } from './api';
import { CheckInsPage } from './CheckInsPage';
import { TodayCheckInCard } from './TodayCheckInCard';

const member = {
  user: { id: 'u1', email: 'member@demo.mems', name: '王执行', locale: 'zh-CN' },
  org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
  membership_id: 'm-member',
  role: 'member',
  permissions: ['projects:read', 'work:write'],
  via: 'session',
} as unknown as Me;

const checkin: CheckIn = {
  id: 'c1',
  member_id: 'm-member',
  member_name: '王执行',
  day: '2026-11-30',
  done: '完成海报初稿',
  next: '排版',
  blockers: null,
  task_updates: [{ task_id: 't1', progress: 50, status: null }],
  created_at: '2026-11-30T02:00:00Z',
  updated_at: '2026-11-30T02:00:00Z',
  version: 1,
};

const open: MyDay = {
  day: '2026-11-30',
  today: '2026-11-30',
  editable: true,
  checkin: null,
  tasks: [
    {
      id: 't1',
      project_id: 'p1',
      title: '设计主视觉',
      progress: 20,
      status: 'in_progress',
      starts_on: '2026-11-28',
      due_on: '2026-12-02',
    },
    {
      id: 't2',
      project_id: 'p1',
      title: '写推文',
      progress: 0,
      status: 'todo',
      starts_on: '2026-11-30',
      due_on: '2026-12-01',
    },
  ],
};

const rollCall: RollCall = {
  day: '2026-11-30',
  teams: [
    {
      team_id: 'team1',
      team_name: '内容组',
      checked_in: [{ member_id: 'm-member', name: '王执行' }],
      not_checked_in: [{ member_id: 'm2', name: '李文案' }],
    },
  ],
};

let puts: { path: string; body: unknown }[] = [];
let day: MyDay = open;

function renderWith(ui: React.ReactNode, me: Me = member, url = '/') {
  vi.stubGlobal('fetch', async (request: Request) => {
    const target = new URL(request.url);
    if (request.method === 'PUT') {
      const body = (await request.clone().json()) as { done: string };
      puts.push({ path: target.pathname, body });
      day = { ...day, checkin: { ...checkin, done: body.done } };
      return Response.json(day.checkin);
    }
    if (target.pathname.startsWith('/api/v1/checkins/me/')) return Response.json(day);
    if (target.pathname === '/api/v1/checkins/me')
      return Response.json({ items: [checkin], total: 1, limit: 20, offset: 0 });
    if (target.pathname === '/api/v1/checkins/status') return Response.json(rollCall);
    if (target.pathname === '/api/v1/checkins')
      return Response.json({ items: [checkin], total: 1, limit: 20, offset: 0 });
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter initialEntries={[url]}>
          <SessionContext.Provider value={me}>{ui}</SessionContext.Provider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  puts = [];
  day = open;
});

describe('TodayCheckInCard', () => {
  it('checks in with what was done and the progress of the tasks changed', async () => {
    const user = userEvent.setup();
    renderWith(<TodayCheckInCard />);
    expect(await screen.findByText('设计主视觉')).toBeInTheDocument();
    expect(screen.getByTestId('checkin-state')).toHaveTextContent('未打卡');

    // Nothing said about the day: refused in the form, nothing sent.
    await user.click(screen.getByTestId('checkin-submit'));
    expect(await screen.findByText('请填写今日完成的工作')).toBeInTheDocument();
    expect(puts).toEqual([]);

    fireEvent.change(screen.getByTestId('checkin-done'), { target: { value: '完成海报初稿' } });
    const progress = within(screen.getAllByTestId('checkin-task')[0]!).getByRole('spinbutton');
    fireEvent.change(progress, { target: { value: '60' } });
    fireEvent.blur(progress);
    await user.click(screen.getByTestId('checkin-submit'));

    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({
      path: '/api/v1/checkins/me/2026-11-30',
      body: { done: '完成海报初稿', next: null, blockers: null, task_updates: [{ task_id: 't1', progress: 60 }] },
    });
    // Once made, the card shows it, with a way to change it, and says it was saved (the form
    // that sent it is gone by then).
    expect(await screen.findByTestId('checkin-summary')).toHaveTextContent('完成海报初稿');
    expect(await screen.findByText('打卡成功')).toBeInTheDocument();
    expect(screen.getByTestId('checkin-state')).toHaveTextContent('已打卡');
    await user.click(screen.getByTestId('checkin-edit'));
    expect(screen.getByTestId('checkin-done')).toHaveValue('完成海报初稿');
    await user.click(screen.getByTestId('checkin-submit'));
    await waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[1]!.body).toMatchObject({ version: 1, task_updates: [] });
  }, 60_000);

  it('says when a day can no longer be checked in', async () => {
    day = { ...open, editable: false };
    renderWith(<TodayCheckInCard />);
    expect(await screen.findByTestId('checkin-closed')).toBeInTheDocument();
    expect(screen.queryByTestId('checkin-submit')).not.toBeInTheDocument();
  });
});

describe('CheckInsPage', () => {
  it('shows the team roll-call: who has and who has not checked in', async () => {
    renderWith(<CheckInsPage />, member, '/checkins?tab=team');
    const team = await screen.findByTestId('rollcall-team');
    expect(team).toHaveTextContent('内容组');
    expect(within(team).getByTestId('rollcall-checked-in')).toHaveTextContent('王执行');
    expect(within(team).getByTestId('rollcall-missing')).toHaveTextContent('李文案');
    expect(team).toHaveTextContent('1 / 2 人已打卡');
  });

  it('shows my history, and everyone’s check-ins only to those who read them all', async () => {
    renderWith(<CheckInsPage />, member, '/checkins?tab=everyone');
    const history = await screen.findByTestId('checkin-history');
    expect(await within(history).findByText('完成海报初稿')).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: '全员打卡内容' })).not.toBeInTheDocument();
  });

  it('lets a project manager read everyone’s check-ins of a day', async () => {
    const pm = { ...member, role: 'project_manager', permissions: [...member.permissions, 'checkins:read_all'] } as Me;
    renderWith(<CheckInsPage />, pm, '/checkins?tab=everyone');
    const list = await screen.findByTestId('everyone-list');
    expect(await within(list).findByText('王执行')).toBeInTheDocument();
    expect(list).toHaveTextContent('完成海报初稿');
  });
});
