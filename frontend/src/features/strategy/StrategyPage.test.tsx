import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { GoalNode, Kpi } from './api';
import { StrategyPage } from './StrategyPage';

const stamp = { created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', version: 1 };

const year = {
  id: 'p2026',
  name: '2026',
  kind: 'year',
  starts_on: '2026-01-01',
  ends_on: '2026-12-31',
  parent_id: null,
};

const kpi = (id: string, name: string, owner: string): Kpi => ({
  id,
  objective_id: 'g-top',
  name,
  unit: '人',
  baseline: '0.0000',
  target: '50000.0000',
  direction: 'increase',
  weight: '1.0000',
  owner_member_id: owner,
  due_on: null,
  source: 'manual',
  source_config: {},
  current_value: '38200.0000',
  current_as_of: '2026-11-20',
  attainment: { capped: 0.764, uncapped: 0.764 },
  ...stamp,
});

/** A KPI computed from channel data: 抖音's CTR over the goal's projects, owned by the reader. */
const channelKpi: Kpi = {
  ...kpi('k-ctr', '抖音点击率达到2%', 'm-member'),
  unit: '%',
  baseline: '1.2000',
  target: '2.0000',
  source: 'channel_metric',
  source_config: { metric: 'ctr', scope: 'goal_projects', channel: 'douyin' },
  current_value: '1.6500',
  current_as_of: '2026-11-29',
};

const goal = (
  id: string,
  title: string,
  parent: string | null,
  progress: { capped: number; uncapped: number } | null,
) => ({
  id,
  period_id: 'p2026',
  parent_id: parent,
  level: parent ? ('individual' as const) : ('company' as const),
  title,
  description: null,
  owner_member_id: 'm-director',
  owner_team_id: null,
  weight: '1.0000',
  progress,
  ...stamp,
});

const tree: GoalNode = {
  goal: goal('g-top', '提升品牌知名度', null, { capped: 1, uncapped: 1.12 }),
  key_results: [kpi('k-mine', '我的指标', 'm-member'), kpi('k-other', '新增粉丝5万人', 'm-director'), channelKpi],
  children: [
    {
      goal: { ...goal('g-flag', '达人合作：签约30位美妆达人', 'g-top', null), owner_team_id: 't-content' },
      key_results: [],
      children: [],
      unmeasured: true,
      projects: [],
      no_work: true,
    },
  ],
  unmeasured: false,
  projects: [{ id: 'p1', code: 'P-2026-001', name: '2026Q4-电商-双十一大促', status: 'approved' }],
  no_work: false,
};

const members = [
  {
    id: 'm-director',
    user_id: 'u1',
    email: 'director@demo.mems',
    name: '李总监',
    role: 'director',
    is_active: true,
    ...stamp,
  },
  {
    id: 'm-member',
    user_id: 'u2',
    email: 'member@demo.mems',
    name: '陈执行',
    role: 'member',
    is_active: true,
    ...stamp,
  },
];

function me(permissions: string[]): Me {
  return {
    user: { id: 'u2', email: 'member@demo.mems', name: '陈执行', locale: 'zh-CN' },
    org: {
      id: 'o1',
      name: '花漾美妆',
      slug: 'demo',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      currency: 'CNY',
      ...stamp,
    },
    membership_id: 'm-member',
    role: 'member',
    permissions: permissions as Me['permissions'],
    via: 'session',
  };
}

const page = <T,>(items: T[]) => ({ items, total: items.length, limit: 200, offset: 0 });

const channels = [
  { id: 'ch-1', key: 'douyin', name: '抖音', kind: 'short_video', active: true, version: 1 },
  { id: 'ch-2', key: 'xiaohongshu', name: '小红书', kind: 'content', active: true, version: 1 },
  { id: 'ch-3', key: 'weibo', name: '微博', kind: 'social', active: false, version: 2 },
];

/** The bodies the page sent, by method and path. */
let sent: { method: string; path: string; body: unknown }[] = [];

async function respond(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method !== 'GET') {
    const payload: unknown = await request.json();
    sent.push({ method: request.method, path: url.pathname, body: payload });
    if (url.pathname === '/api/v1/kpis' && request.method === 'POST') {
      return new Response(JSON.stringify({ ...channelKpi, ...(payload as object), id: 'k-new' }), {
        status: 201,
        headers: { 'Content-Type': 'application/json' },
      });
    }
  }
  const body = (() => {
    if (url.pathname === '/api/v1/channels') return channels;
    if (url.pathname === '/api/v1/strategy-periods') return page([{ ...year, ...stamp }]);
    if (url.pathname === '/api/v1/goals') return page([tree.goal]);
    if (url.pathname === '/api/v1/goals/g-top/tree') return tree;
    if (url.pathname === '/api/v1/members') return page(members);
    if (url.pathname === '/api/v1/teams') {
      return page([
        { id: 't-content', name: '内容组', description: null, lead_member_id: null, member_ids: [], ...stamp },
      ]);
    }
    if (url.pathname === '/api/v1/goals/g-flag') return tree.children[0]!.goal;
    return null;
  })();
  return body === null
    ? new Response(JSON.stringify({ title: 'Not found', status: 404 }), { status: 404 })
    : new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

function renderPage(permissions: string[], path = '/strategy') {
  sent = [];
  vi.stubGlobal('fetch', (input: Request) => respond(input));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <MemoryRouter initialEntries={[path]}>
          <SessionContext.Provider value={me(permissions)}>
            <StrategyPage />
          </SessionContext.Provider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('StrategyPage', () => {
  it('shows the tree with owners, progress, over-achievement and the unmeasured flag', async () => {
    renderPage(['strategy:read', 'kpi:check_in']);
    const rows = await screen.findAllByTestId('goal-row');
    expect(rows).toHaveLength(2);
    const [top, flagged] = rows as [HTMLElement, HTMLElement];
    expect(top).toHaveTextContent('提升品牌知名度');
    expect(top).toHaveTextContent('公司');
    expect(await within(top).findByText(/李总监/)).toBeInTheDocument();
    expect(within(top).getByTestId('goal-progress')).toHaveTextContent('100%');
    expect(within(top).getByTestId('goal-progress')).toHaveTextContent('超额 112%');
    expect(within(flagged).getByTestId('goal-unmeasured')).toHaveTextContent('未设置KPI');
    expect(within(flagged).getByTestId('goal-progress')).toHaveTextContent('暂无进度');
    expect(screen.getAllByTestId('kpi-current')[0]).toHaveTextContent('38,200人');
    // A goal owned by a team names the team, not a person.
    expect(await within(flagged).findByTestId('goal-owner-team')).toHaveTextContent('内容组');
    expect(within(top).queryByTestId('goal-owner-team')).toBeNull();
  });

  it('names the periods, not their ids, to screen readers', async () => {
    renderPage(['strategy:read']);
    const picker = await screen.findByRole('combobox', { name: '战略周期' });
    fireEvent.mouseDown(picker);
    // antd's hidden listbox names each option by its label only when the label is text; a
    // node label left screen readers with the option's value (a period's UUID).
    const options = await screen.findAllByRole('option');
    expect(options).toHaveLength(1);
    expect(options[0]).toHaveAccessibleName('2026 年度');
  });

  it('opens on the goal named in the address, marked in its tree', async () => {
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    renderPage(['strategy:read'], '/strategy?goal=g-flag');
    const rows = await screen.findAllByTestId('goal-row');
    const flagged = rows[1]!;
    expect(flagged).toHaveTextContent('达人合作');
    expect(flagged.style.background).not.toBe('');
    expect(rows[0]!.style.background).toBe('');
    expect(scrolled).toHaveBeenCalled();
  });

  it('lists the projects linked under a goal with their status, and flags goals with no work', async () => {
    renderPage(['strategy:read']);
    const rows = await screen.findAllByTestId('goal-row');
    const [top, flagged] = rows as [HTMLElement, HTMLElement];
    const project = screen.getByTestId('goal-project');
    expect(project).toHaveTextContent('2026Q4-电商-双十一大促');
    expect(within(project).getByTestId('goal-project-status')).toHaveTextContent('已批准');
    expect(within(project).getByRole('link')).toHaveAttribute('href', '/projects/p1');
    expect(within(flagged).getByTestId('goal-no-work')).toHaveTextContent('无项目支撑');
    expect(within(top).queryByTestId('goal-no-work')).toBeNull();
  });

  it('offers a check-in only on the KPIs the reader owns, and no editing', async () => {
    renderPage(['strategy:read', 'kpi:check_in']);
    const mine = (await screen.findByText('我的指标')).closest('tr')!;
    const other = screen.getByText('新增粉丝5万人').closest('tr')!;
    expect(within(mine).getByTestId('kpi-check-in')).toHaveTextContent('打卡/更新进度');
    expect(within(other).queryByTestId('kpi-check-in')).toBeNull();
    for (const id of ['period-add', 'goal-add', 'goal-add-kpi', 'goal-add-child', 'goal-edit', 'kpi-edit']) {
      expect(screen.queryByTestId(id)).toBeNull();
    }
  });

  it('gives strategy managers the create buttons and a check-in on every KPI checked in on', async () => {
    renderPage(['strategy:read', 'strategy:manage', 'kpi:check_in']);
    await screen.findAllByTestId('goal-row');
    expect(screen.getByTestId('period-add')).toBeInTheDocument();
    expect(screen.getByTestId('goal-add')).toBeInTheDocument();
    expect(screen.getAllByTestId('goal-add-kpi')).toHaveLength(2);
    // Three KPIs, one computed from channel data.
    expect(screen.getAllByTestId('kpi-name')).toHaveLength(3);
    expect(screen.getAllByTestId('kpi-check-in')).toHaveLength(2);
  });

  it('marks a KPI computed from channel data with its query in words, and offers no check-in on it', async () => {
    renderPage(['strategy:read', 'strategy:manage', 'kpi:check_in', 'channels:read']);
    const row = (await screen.findByText('抖音点击率达到2%')).closest('tr')!;
    expect(within(row).getByTestId('kpi-channel-source')).toHaveTextContent('来自渠道数据');
    // The channel is named once the channels are read.
    await waitFor(() =>
      expect(within(row).getByTestId('kpi-channel-query')).toHaveTextContent('点击率 CTR（目标关联项目 · 抖音）'),
    );
    expect(within(row).getByTestId('kpi-current')).toHaveTextContent('1.65%');
    expect(within(row).getByTestId('kpi-last-check-in')).toHaveTextContent('已自动更新至');
    // The reader owns it and manages strategy, yet the server computes it: no check-in.
    expect(within(row).queryByTestId('kpi-check-in')).toBeNull();
    expect(within(row).getByTestId('kpi-history')).toBeInTheDocument();
    const manual = screen.getByText('我的指标').closest('tr')!;
    expect(within(manual).queryByTestId('kpi-channel-source')).toBeNull();
  });

  it('creates a KPI from channel data with its query as source_config', async () => {
    const user = userEvent.setup();
    renderPage(['strategy:read', 'strategy:manage', 'channels:read']);
    const [top] = await screen.findAllByTestId('goal-row');
    await user.click(within(top!).getByTestId('goal-add-kpi'));
    const form = await screen.findByTestId('kpi-form');
    expect(within(form).queryByTestId('kpi-metric')).toBeNull();
    await user.click(within(form).getByText('渠道数据'));
    expect(await within(form).findByTestId('kpi-channel-hint')).toHaveTextContent('无需打卡');

    await user.type(within(form).getByTestId('kpi-name-input'), '单次转化成本降到40元');
    const metric = within(within(form).getByTestId('kpi-metric')).getByRole('combobox');
    fireEvent.mouseDown(metric);
    // Searched for: the list shows only the first options.
    fireEvent.change(metric, { target: { value: 'CPA' } });
    fireEvent.click(await screen.findByTitle('单次转化成本 CPA'));
    // The unit the metric comes in, and lower is better for a cost.
    await waitFor(() => expect(within(form).getByTestId('kpi-unit').querySelector('input')).toHaveValue('CNY'));
    expect(within(form).getByRole('radio', { name: /越低越好/ })).toBeChecked();

    const channel = within(form).getByTestId('kpi-channel');
    expect(channel).toHaveTextContent('全部渠道');
    fireEvent.mouseDown(within(channel).getByRole('combobox'));
    // Only active channels are offered.
    expect(screen.queryByTitle('微博')).toBeNull();
    fireEvent.click(await screen.findByTitle('小红书'));
    await user.click(within(form).getByTestId('kpi-scope-org'));

    await user.type(within(form).getByTestId('kpi-baseline'), '60');
    await user.type(within(form).getByTestId('kpi-target'), '40');
    await user.click(screen.getByTestId('kpi-submit'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/kpis',
      body: {
        objective_id: 'g-top',
        name: '单次转化成本降到40元',
        unit: 'CNY',
        baseline: '60',
        target: '40',
        direction: 'decrease',
        source: 'channel_metric',
        source_config: { metric: 'cpa', scope: 'org', channel: 'xiaohongshu' },
      },
    });
  });

  it('sends a KPI checked in on as manual, without a query', async () => {
    const user = userEvent.setup();
    renderPage(['strategy:read', 'strategy:manage', 'channels:read']);
    const [top] = await screen.findAllByTestId('goal-row');
    await user.click(within(top!).getByTestId('goal-add-kpi'));
    const form = await screen.findByTestId('kpi-form');
    expect(within(form).getByRole('radio', { name: '手动打卡' })).toBeChecked();
    await user.type(within(form).getByTestId('kpi-name-input'), '新签达人');
    await user.type(within(form).getByTestId('kpi-unit').querySelector('input')!, '人');
    await user.type(within(form).getByTestId('kpi-baseline'), '0');
    await user.type(within(form).getByTestId('kpi-target'), '30');
    await user.click(screen.getByTestId('kpi-submit'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.body).toMatchObject({ source: 'manual', unit: '人' });
    expect(sent[0]!.body).not.toHaveProperty('source_config');
  });

  it('sends all channels as no channel, over the goal’s projects unless chosen otherwise', async () => {
    const user = userEvent.setup();
    renderPage(['strategy:read', 'strategy:manage', 'channels:read']);
    const [top] = await screen.findAllByTestId('goal-row');
    await user.click(within(top!).getByTestId('goal-add-kpi'));
    const form = await screen.findByTestId('kpi-form');
    await user.click(within(form).getByText('渠道数据'));
    await user.type(within(form).getByTestId('kpi-name-input'), '全渠道展示');
    fireEvent.mouseDown(within(within(form).getByTestId('kpi-metric')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('展示数'));
    await user.type(within(form).getByTestId('kpi-baseline'), '0');
    await user.type(within(form).getByTestId('kpi-target'), '1000000');
    await user.click(screen.getByTestId('kpi-submit'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0]!.body as { source_config: unknown }).source_config).toEqual({
      metric: 'impressions',
      scope: 'goal_projects',
    });
  });

  it('shows a channel KPI’s query when editing it, but not to be changed', async () => {
    const user = userEvent.setup();
    renderPage(['strategy:read', 'strategy:manage', 'channels:read']);
    const row = (await screen.findByText('抖音点击率达到2%')).closest('tr')!;
    await user.click(within(row).getByTestId('kpi-edit'));
    const form = await screen.findByTestId('kpi-form');
    expect(within(form).getByRole('radio', { name: '渠道数据' })).toBeChecked();
    expect(within(form).getByRole('radio', { name: '渠道数据' })).toBeDisabled();
    expect(within(form).getByTestId('kpi-metric')).toHaveTextContent('点击率 CTR');
    await waitFor(() => expect(within(form).getByTestId('kpi-channel')).toHaveTextContent('抖音'));
    expect(form).toHaveTextContent('创建后不能修改');
  });
});
