import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, render, screen, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { MemoryRouter, Route, Routes } from 'react-router';
import { FinancePanelsProvider } from '@/app/financePanels';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import { battleMapQuery, type BattleMap } from './api';
import { BattleMapPage } from './BattleMapPage';

// A dashboard full of antd cards renders slowly in jsdom on a busy 2-core machine.
configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

const brief = {
  assignee_name: '陈执行',
  starts_on: '2026-12-01',
  due_on: '2026-12-05',
  progress: 0,
  status: 'todo' as const,
  milestone: false,
};

const fixture: BattleMap = {
  project: {
    id: 'p1',
    code: 'P2026-007',
    name: '2026Q4-品牌-年终种草计划',
    status: 'active',
    starts_on: '2026-12-01',
    ends_on: '2026-12-31',
    finish: '2026-12-31',
  },
  today: '2026-12-16',
  goals: [
    {
      objective_id: 'g1',
      objective_title: '品牌声量提升',
      key_result_id: 'k1',
      key_result: { name: '小红书曝光', unit: '万次', current: '320', target: '500', attainment: 0.64 },
    },
    { objective_id: 'g2', objective_title: '会员增长', key_result_id: null, key_result: null },
  ],
  phases: [
    { id: 'ph1', project_id: 'p1', position: 0, name: '策划', starts_on: '2026-12-01', ends_on: '2026-12-07' },
    { id: 'ph2', project_id: 'p1', position: 1, name: '执行', starts_on: '2026-12-08', ends_on: '2026-12-31' },
  ],
  progress: { tasks: 12, done: 5, percent: 41.7, milestones: 3, milestones_done: 1 },
  overdue_tasks: [
    { ...brief, id: 't-late', title: '达人名单确认', due_on: '2026-12-12', progress: 40, days_overdue: 4 },
  ],
  critical_path: [
    { ...brief, id: 'c1', title: '种草方案', status: 'done', progress: 100 },
    { ...brief, id: 'c2', title: '达人投放', starts_on: '2026-12-08', due_on: '2026-12-20', status: 'in_progress' },
    { ...brief, id: 'c3', title: '年终大促', starts_on: '2026-12-28', due_on: '2026-12-28', milestone: true },
  ],
  milestones: [
    { ...brief, id: 'm1', title: '方案定稿', due_on: '2026-12-05', status: 'done', milestone: true },
    { ...brief, id: 'm2', title: '首批笔记上线', due_on: '2026-12-14', milestone: true },
    { ...brief, id: 'm3', title: '年终大促', due_on: '2026-12-28', milestone: true },
  ],
  workload: [
    { member_id: 'a', name: '陈执行', tasks_this_week: 4, hours_this_week: '24.0', overdue: 1 },
    { member_id: 'b', name: '王设计', tasks_this_week: 2, hours_this_week: '6.0', overdue: 0 },
  ],
  open_issues: [
    {
      id: 'i1',
      kind: 'risk',
      title: '达人档期冲突',
      severity: 'high',
      risk_score: 16,
      owner_name: '张项目',
      due_on: '2026-12-10',
      overdue: true,
      escalation: 'manager',
    },
  ],
  activity: [
    {
      id: 'a1',
      created_at: new Date(Date.now() - 5 * 60 * 1000).toISOString(),
      actor_user_id: 'u1',
      actor_name: '张项目',
      action: 'update',
      entity_type: 'tasks',
      entity_id: 't-late',
      entity_label: '达人名单确认',
      changed: ['progress'],
    },
  ],
};

function person(permissions: string[]): Me {
  return {
    user: { id: 'u', email: 'x@demo.mems', name: 'x', locale: 'zh-CN' },
    org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
    membership_id: 'm-pm',
    role: 'project_manager',
    permissions,
    via: 'session',
  } as unknown as Me;
}

const member = person(['projects:read']);

/** ¥150,000 of ¥200,000 used (75 %), ¥8,666.67 a day; by time an overrun, by progress a saving. */
const budget = {
  project_id: 'p1',
  currency: 'CNY',
  today: '2026-12-16',
  project: {
    budget: '200000.00',
    actual: '130000.00',
    committed: '20000.00',
    used: '150000.00',
    remaining: '50000.00',
    used_percent: '75.0',
    level: 'ok',
    entries: 6,
  },
  thresholds: { warn_percent: '80', critical_percent: '100', source: 'organisation' },
  burn: {
    days_elapsed: 15,
    days_total: 31,
    actual_per_day: '8666.67',
    forecast_by_time: { basis: 'elapsed_time', at_completion: '268666.67', variance: '-68666.67' },
    forecast_by_progress: { basis: 'progress', at_completion: '180000.00', variance: '20000.00' },
  },
};

function renderPage(body: unknown, status = 200, me: Me = member) {
  const requests: string[] = [];
  vi.stubGlobal('fetch', (request: Request) => {
    const url = new URL(request.url);
    requests.push(url.pathname);
    if (url.pathname === '/api/v1/projects/p1/battle-map') return Promise.resolve(Response.json(body, { status }));
    if (url.pathname === '/api/v1/projects/p1/budget') return Promise.resolve(Response.json(budget));
    return Promise.resolve(Response.json({ title: 'Not found', status: 404 }, { status: 404 }));
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AntApp>
        <SessionContext.Provider value={me}>
          <FinancePanelsProvider>
            <MemoryRouter initialEntries={['/projects/p1/battle-map']}>
              <Routes>
                <Route path="/projects/:projectId/battle-map" element={<BattleMapPage />} />
              </Routes>
            </MemoryRouter>
          </FinancePanelsProvider>
        </SessionContext.Provider>
      </AntApp>
    </QueryClientProvider>,
  );
  return requests;
}

afterEach(() => vi.unstubAllGlobals());

describe('BattleMapPage', () => {
  it('refreshes itself every minute', () => {
    expect(battleMapQuery('p1').refetchInterval).toBe(60_000);
  });

  it('puts the whole project on one screen from the battle-map response', async () => {
    const requests = renderPage(fixture);
    expect(await screen.findByTestId('battle-map-title')).toHaveTextContent('作战地图 · 2026Q4-品牌-年终种草计划');
    expect(requests).toEqual(['/api/v1/projects/p1/battle-map']);
    expect(screen.getByTestId('battle-project-code')).toHaveTextContent('P2026-007');
    expect(screen.getByTestId('battle-updated')).toHaveTextContent('每 60 秒自动刷新');

    // Overall progress
    expect(screen.getByTestId('battle-percent')).toHaveTextContent('41.7%');
    expect(screen.getByTestId('battle-stat-tasks')).toHaveTextContent('5/12');
    expect(screen.getByTestId('battle-stat-milestones')).toHaveTextContent('1/3');
    expect(screen.getByTestId('battle-remaining')).toHaveTextContent('今天 2026年12月16日 · 距结束 15 天');

    // Goals: a key result with its attainment, a goal supported as a whole
    const goals = screen.getByTestId('battle-goals');
    expect(within(goals).getByTestId('battle-kr')).toHaveTextContent('320 / 500 万次');
    expect(within(goals).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '64');
    expect(within(goals).getByText('支撑整个目标（未指定关键结果）')).toBeInTheDocument();

    // Timeline: phases across December, today on the 16th, the missed milestone in red
    const phases = screen.getAllByTestId('timeline-phase');
    expect(phases.map((p) => [p.textContent, p.dataset.left, p.dataset.width])).toEqual([
      ['策划', '0.00', '22.58'],
      ['执行', '22.58', '77.42'],
    ]);
    expect(screen.getByTestId('timeline-today').dataset.left).toBe('50.00');
    expect(
      screen.getAllByTestId('timeline-milestone').map((m) => [m.getAttribute('aria-label'), m.dataset.state]),
    ).toEqual([
      ['方案定稿', 'done'],
      ['首批笔记上线', 'late'],
      ['年终大促', 'open'],
    ]);

    // The critical path in order, with assignees
    const chain = screen.getAllByTestId('critical-task').map((el) => el.textContent);
    expect(chain).toEqual(['种草方案', '达人投放', '年终大促里程碑']);
    expect(screen.getByTestId('battle-critical')).toHaveTextContent('陈执行');

    // Overdue tasks with the days overdue
    const overdue = screen.getByTestId('overdue-task');
    expect(overdue).toHaveTextContent('达人名单确认');
    expect(within(overdue).getByTestId('days-overdue')).toHaveTextContent('逾期 4 天');

    // Issues and risks: severity, score, overdue, escalation
    const issue = screen.getByTestId('battle-issue');
    expect(issue).toHaveTextContent('风险');
    expect(issue).toHaveTextContent('高');
    expect(issue).toHaveTextContent('风险值 16');
    expect(within(issue).getByTestId('issue-overdue')).toHaveTextContent('已逾期');
    expect(within(issue).getByTestId('issue-escalation')).toHaveTextContent('已上报项目经理');

    // Workload: people with tasks and hours
    const people = screen.getAllByTestId('workload-person');
    expect(people.map((p) => p.textContent)).toEqual([
      expect.stringContaining('陈执行逾期 1 项4 项24 小时'),
      expect.stringContaining('王设计2 项6 小时'),
    ]);

    // Latest activity with a relative time
    const activity = screen.getByTestId('battle-activity');
    expect(activity).toHaveTextContent('张项目 更新 任务 “达人名单确认”');
    expect(within(activity).getByTestId('activity-when')).toHaveTextContent('5分钟前');
  });

  it('shows an empty state in every section of a project with nothing planned yet', async () => {
    renderPage({
      ...fixture,
      goals: [],
      phases: [],
      milestones: [],
      critical_path: [],
      overdue_tasks: [],
      workload: [],
      open_issues: [],
      activity: [],
      progress: { tasks: 0, done: 0, percent: 0, milestones: 0, milestones_done: 0 },
    });
    expect(await screen.findByTestId('timeline-empty')).toHaveTextContent('尚未安排阶段和里程碑');
    expect(screen.getByTestId('battle-goals')).toHaveTextContent('项目尚未关联战略目标');
    expect(screen.getByTestId('battle-critical')).toHaveTextContent('暂无关键路径任务');
    expect(screen.getByTestId('battle-overdue')).toHaveTextContent('没有逾期任务');
    expect(screen.getByTestId('battle-issues')).toHaveTextContent('没有未关闭的问题或风险');
    expect(screen.getByTestId('battle-workload')).toHaveTextContent('本周没有分配的任务');
    expect(screen.getByTestId('battle-activity-card')).toHaveTextContent('暂无动态');
  });

  it('says when the project is not there', async () => {
    renderPage({ title: 'Not found', status: 404 }, 404);
    expect(await screen.findByText('页面不存在')).toBeInTheDocument();
  });

  it('shows the budget burn to who may read budgets: used against budget, the daily burn, both forecasts', async () => {
    const requests = renderPage(fixture, 200, person(['projects:read', 'budget:read']));
    const card = await screen.findByTestId('battle-budget');
    expect(await within(card).findByTestId('battle-budget-used')).toHaveTextContent('¥150,000.00 / ¥200,000.00');
    expect(within(card).getByTestId('battle-budget-level')).toHaveTextContent('正常');
    expect(within(card).getByTestId('battle-budget-bar')).toHaveAttribute('data-level', 'ok');
    expect(within(card).getByTestId('battle-budget-rate')).toHaveTextContent(
      '日均实际支出 ¥8,666.67 · 工期已过 15/31 天',
    );
    const byProgress = within(card).getByTestId('battle-budget-forecast-progress');
    expect(byProgress).toHaveTextContent('按进度线性');
    expect(byProgress).toHaveTextContent('预计完工 ¥180,000.00 · 预计结余 ¥20,000.00');
    const byTime = within(card).getByTestId('battle-budget-forecast-elapsed_time');
    expect(byTime).toHaveTextContent('按时间线性');
    expect(byTime).toHaveTextContent('预计超支 ¥68,666.67');
    expect(requests).toContain('/api/v1/projects/p1/budget');
  });

  it('shows no budget to who may not read budgets', async () => {
    const requests = renderPage(fixture);
    await screen.findByTestId('battle-map-title');
    expect(screen.queryByTestId('battle-budget')).toBeNull();
    expect(requests).not.toContain('/api/v1/projects/p1/budget');
  });
});
