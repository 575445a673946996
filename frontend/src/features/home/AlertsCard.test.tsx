import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, render, screen, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { MemoryRouter } from 'react-router';
import '@/i18n';
import { AlertsCard } from './AlertsCard';
import type { OpenAlert } from './api';

configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

function alert(id: string, fields: Partial<OpenAlert>): OpenAlert {
  return {
    id,
    rule_id: 'r1',
    rule_name: '短视频点击率低于行业 80%',
    scope_kind: 'channel',
    scope_id: 'ch1',
    scope_label: '抖音',
    project_id: null,
    state: 'open',
    severity: 'critical',
    metric: 'ctr',
    comparator: 'lt',
    value: '0.005',
    threshold: '0.012',
    benchmark: '0.015',
    numbers: {},
    suggestion: 'low_ctr',
    suggestion_text: '更换素材',
    window_unit: 'day',
    window_size: 7,
    opened_at: '2026-11-30T02:00:00Z',
    last_seen_at: '2026-11-30T02:00:00Z',
    acknowledged_at: null,
    acknowledged_by_member_id: null,
    resolved_at: null,
    resolved_by_member_id: null,
    auto_resolved: false,
    note: null,
    version: 1,
    ...fields,
  };
}

function renderCard(page: { items: OpenAlert[]; total: number }) {
  const requests: string[] = [];
  vi.stubGlobal('fetch', (request: Request) => {
    const url = new URL(request.url);
    requests.push(`${url.pathname}${url.search}`);
    return Promise.resolve(Response.json({ ...page, limit: 5, offset: 0 }));
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AntApp>
        <MemoryRouter>
          <AlertsCard />
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
  return requests;
}

afterEach(() => vi.unstubAllGlobals());

describe('AlertsCard', () => {
  it('counts the unresolved alerts and lists the most pressing, each leading to its page', async () => {
    const requests = renderCard({
      items: [
        alert('a1', {}),
        alert('a2', {
          severity: 'warning',
          state: 'acknowledged',
          rule_name: '全组织 CPA',
          scope_kind: 'org',
          scope_label: '',
        }),
      ],
      total: 12,
    });
    const rows = await screen.findAllByTestId('home-alert');
    expect(requests).toEqual(['/api/v1/alerts?state=open&state=acknowledged&limit=5&offset=0']);
    expect(screen.getByTestId('panel-alerts')).toHaveTextContent('渠道预警');
    expect(screen.getByTestId('panel-alerts-count')).toHaveTextContent('12');
    expect(within(rows[0]!).getByTestId('severity-tag')).toHaveTextContent('严重');
    expect(within(rows[0]!).getByTestId('home-alert-link')).toHaveAttribute('href', '/alerts/a1');
    expect(rows[0]).toHaveTextContent('短视频点击率低于行业 80%');
    expect(rows[0]).toHaveTextContent('抖音');
    expect(rows[1]).toHaveTextContent('全组织 · 已确认');
    expect(screen.getByRole('link', { name: /查看全部/ })).toHaveAttribute('href', '/alerts');
  });

  it('says when nothing waits', async () => {
    renderCard({ items: [], total: 0 });
    expect(await screen.findByText('没有待处理的预警')).toBeInTheDocument();
    expect(screen.getByTestId('panel-alerts-count')).toHaveTextContent('0');
  });
});
