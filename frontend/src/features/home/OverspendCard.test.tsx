import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { OverspendProject, Transparency } from './api';
import { FinanceHome } from './FinanceHome';
import { OverspendCard } from './OverspendCard';
import { overspendBar, transparencyShare, worstLines } from './overspend';

configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

function line(id: string, name: string, percent: string | null, level: 'warn' | 'critical') {
  return { id, name, category: 'ad_spend' as const, budget: '10000.00', used: '9000.00', used_percent: percent, level };
}

/** 年货节 at 112 % (critical) with four lines over; 品牌周 at 85 % (warn). */
const overspend: OverspendProject[] = [
  {
    id: 'p1',
    code: 'P2026-004',
    name: '年货节预热',
    currency: 'CNY',
    owner_member_id: 'm-pm',
    status: 'active',
    budget: '200000.00',
    used: '224000.00',
    used_percent: '112.0',
    level: 'critical',
    warn_percent: '80',
    critical_percent: '100',
    lines: [
      line('l1', '印刷物料', '90.0', 'warn'),
      line('l2', '信息流投放', '130.0', 'critical'),
      line('l3', '展位费', '101.5', 'critical'),
      line('l4', '差旅', '85.0', 'warn'),
    ],
  },
  {
    id: 'p2',
    code: 'P2026-006',
    name: '品牌周',
    currency: 'CNY',
    owner_member_id: 'm-pm2',
    status: 'active',
    budget: '100000.00',
    used: '85000.00',
    used_percent: '85.0',
    level: 'warn',
    warn_percent: '80',
    critical_percent: '120',
    lines: [],
  },
];

const transparency: Transparency = {
  first: '2026-01-01',
  last: '2026-12-16',
  target_percent: '95',
  currencies: [
    {
      currency: 'CNY',
      recorded: '1000000.00',
      on_lines: '912000.00',
      unlinked: '88000.00',
      share_percent: '91.2',
      entries: 120,
      entries_on_lines: 110,
    },
    {
      currency: 'USD',
      recorded: '5000.00',
      on_lines: '5000.00',
      unlinked: '0.00',
      share_percent: '100.0',
      entries: 2,
      entries_on_lines: 2,
    },
  ],
  projects: [],
};

/** Seven costs wait; the first five are listed. */
const toVerify = {
  items: [
    {
      id: 'c1',
      project_id: 'p1',
      project_code: 'P2026-004',
      project_name: '年货节预热',
      line_id: 'l1',
      category: 'materials',
      phase_id: null,
      vendor: '彩印厂',
      kind: 'actual',
      amount: '11000.00',
      currency: 'CNY',
      rate: '1',
      amount_project: '11000.00',
      incurred_on: '2026-12-12',
      description: null,
      source: 'manual',
      recorded_by_member_id: 'm-pm',
      verified_at: null,
      verified_by_member_id: null,
      created_at: '2026-12-12T02:00:00Z',
      version: 1,
      receipt_count: 0,
    },
  ],
  total: 7,
  limit: 5,
  offset: 0,
};

const finance = {
  user: { id: 'u', email: 'finance@demo.mems', name: '王财务', locale: 'zh-CN' },
  org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
  membership_id: 'm-fin',
  role: 'finance',
  permissions: ['projects:read', 'approvals:read', 'approvals:decide', 'budget:read', 'costs:record', 'costs:verify'],
  via: 'session',
} as unknown as Me;

function renderWith(node: ReactNode) {
  const requests: string[] = [];
  vi.stubGlobal('fetch', (request: Request) => {
    const url = new URL(request.url);
    requests.push(`${url.pathname}${url.search}`);
    const page = { items: [], total: 0, limit: 5, offset: 0 };
    if (url.pathname === '/api/v1/finance/overspend') return Promise.resolve(Response.json(overspend));
    if (url.pathname === '/api/v1/finance/transparency') return Promise.resolve(Response.json(transparency));
    if (url.pathname === '/api/v1/costs') return Promise.resolve(Response.json(toVerify));
    if (url.pathname === '/api/v1/approvals' || url.pathname === '/api/v1/projects') {
      return Promise.resolve(Response.json(page));
    }
    return Promise.resolve(Response.json({ title: 'Not found', status: 404 }, { status: 404 }));
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AntApp>
        <SessionContext.Provider value={finance}>
          <MemoryRouter>{node}</MemoryRouter>
        </SessionContext.Provider>
      </AntApp>
    </QueryClientProvider>,
  );
  return requests;
}

afterEach(() => vi.unstubAllGlobals());

describe('the overspend figures', () => {
  it('shows the furthest-over lines first and fills the bar to the critical threshold’s scale', () => {
    expect(worstLines(overspend[0]!).map((l) => l.name)).toEqual(['信息流投放', '展位费', '印刷物料']);
    expect(overspendBar(overspend[0]!)).toBe(100);
    // 85 % on a bar that runs to the critical threshold of 120 %.
    expect(overspendBar(overspend[1]!)).toBeCloseTo((85 / 120) * 100);
  });

  it('takes the organisation’s currency’s transparency, red below the target', () => {
    expect(transparencyShare(transparency, 'CNY')).toEqual({ share: '91.2', currency: 'CNY', below: true });
    expect(transparencyShare(transparency, 'EUR')).toEqual({ share: '91.2', currency: 'CNY', below: true });
    expect(transparencyShare({ ...transparency, currencies: [] }, 'CNY')).toBeNull();
  });
});

describe('OverspendCard', () => {
  it('lists the projects over a threshold, worst first, with their bar, money and worst lines', async () => {
    const requests = renderWith(<OverspendCard mine />);
    const rows = await screen.findAllByTestId('overspend-project');
    expect(requests).toContain('/api/v1/finance/overspend?mine=true');
    expect(screen.getByTestId('panel-overspend')).toHaveTextContent('我的项目超支预警');
    expect(screen.getByTestId('panel-overspend-count')).toHaveTextContent('2');
    expect(rows.map((r) => r.getAttribute('data-level'))).toEqual(['critical', 'warn']);
    const first = rows[0]!;
    expect(within(first).getByTestId('overspend-link')).toHaveAttribute('href', '/projects/p1?tab=budget');
    expect(within(first).getByTestId('overspend-link')).toHaveTextContent('P2026-004 年货节预热');
    expect(first).toHaveTextContent('超支');
    expect(first).toHaveTextContent('112%');
    expect(within(first).getByTestId('overspend-money')).toHaveTextContent('已用 ¥224,000.00 / 预算 ¥200,000.00');
    expect(within(first).getByTestId('overspend-bar')).toHaveStyle({
      width: '100%',
      backgroundColor: 'rgb(255, 77, 79)',
    });
    expect(
      within(first)
        .getAllByTestId('overspend-line')
        .map((t) => t.textContent),
    ).toEqual(['信息流投放 130%', '展位费 101.5%', '印刷物料 90%']);
    expect(first).toHaveTextContent('另 1 项');
    expect(within(rows[1]!).getByTestId('overspend-bar')).toHaveStyle({ backgroundColor: 'rgb(250, 173, 20)' });
  });

  it('says when nothing is over', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(Response.json([])));
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AntApp>
          <MemoryRouter>
            <OverspendCard mine={false} />
          </MemoryRouter>
        </AntApp>
      </QueryClientProvider>,
    );
    expect(await screen.findByText('没有达到预警线的项目')).toBeInTheDocument();
  });
});

describe('the finance home', () => {
  it('counts the projects over a threshold, shows this year’s transparency against its target and the costs to verify', async () => {
    const requests = renderWith(<FinanceHome />);
    expect(await screen.findByTestId('panel-overspend')).toHaveTextContent('超支预警');
    expect(await within(screen.getByTestId('kpi-overspend')).findByText('2')).toBeInTheDocument();
    const share = screen.getByTestId('kpi-transparency');
    expect(share).toHaveTextContent('预算透明度（本年）');
    await waitFor(() => expect(share).toHaveTextContent('91.2% 目标 95%'));
    expect(requests).toContain('/api/v1/finance/overspend?mine=false');
    // The approvals inbox stays.
    expect(screen.getByTestId('panel-approvals-inbox')).toBeInTheDocument();
    // The costs to verify: how many, and the latest, each leading to its project's ledger.
    await waitFor(() => expect(screen.getByTestId('kpi-to-verify')).toHaveTextContent('7'));
    const cost = await screen.findByTestId('to-verify-cost');
    expect(within(cost).getByTestId('to-verify-link')).toHaveAttribute('href', '/projects/p1?tab=costs');
    expect(within(cost).getByTestId('to-verify-amount')).toHaveTextContent('¥11,000.00');
    expect(cost).toHaveTextContent('2026年12月12日 · 物料 · 彩印厂');
    expect(within(cost).getByTestId('to-verify-no-receipt')).toHaveTextContent('无票据');
    expect(requests).toContain('/api/v1/costs?verified=false&limit=5&offset=0');
  });
});
