import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BenchmarkCell, Benchmarks } from './api';
import { BenchmarksPage } from './BenchmarksPage';
import { CHANNEL_KINDS } from './model';
import { api, json, manager, member, renderPage } from './testing';

const INDUSTRIES = [
  { key: 'general', name: '通用' },
  { key: 'beauty', name: '美妆个护' },
  { key: 'food', name: '食品饮料' },
];

const SHIPPED: Record<string, string> = {
  ctr: '0.018000',
  cvr: '0.015000',
  cpc: '1.200000',
  cpm: '35.000000',
  cpa: '25.000000',
  roas: '2.500000',
};

/** An industry's grid: every cell shipped, but 短视频's CTR, which the organisation set to 2 %. */
function grid(industry: string, over: Partial<BenchmarkCell>[] = []): Benchmarks {
  const items = CHANNEL_KINDS.flatMap((kind) =>
    Object.entries(SHIPPED).map(([metric, value]) => {
      const own = over.find((o) => o.channel_kind === kind && o.metric === metric);
      return { channel_kind: kind, metric, value, shipped: value, overridden: false, ...own };
    }),
  );
  return { industry, org_industry: 'beauty', industries: INDUSTRIES, items };
}

const adjusted = { channel_kind: 'short_video' as const, metric: 'ctr', value: '0.020000', overridden: true };

/** The benchmark endpoints over the channel stub; the settings at a revision, optionally stale. */
function serve({ stale = false } = {}) {
  let revision = 3;
  api.respond = (method, path, body) => {
    if (path === '/channel-settings' && method === 'GET') return json({ industry: 'beauty', revision });
    if (path === '/channel-settings' && method === 'PUT') {
      if (stale) {
        revision = 4;
        return json({ type: 'urn:mems:problem:stale-version', title: 'Stale', status: 409 }, 409);
      }
      return json({ ...(body as object), revision: revision + 1 });
    }
    if (path === '/benchmarks' && method === 'GET') {
      // The call is recorded before it is answered: its query names the industry asked for.
      const industry = api.calls.at(-1)?.query.get('industry') ?? 'beauty';
      return json(grid(industry, industry === 'beauty' ? [adjusted] : []));
    }
    if (path === '/benchmarks' && method === 'PUT') {
      const sent = body as { items: BenchmarkCell[] };
      return json(
        grid(
          'beauty',
          sent.items.map((i) => ({ ...i, overridden: true })),
        ),
      );
    }
    if (path.startsWith('/benchmarks/') && method === 'DELETE') return json(grid('beauty'));
    return undefined;
  };
}

beforeEach(() => {
  api.reset();
  serve();
});

const cellOf = (kind: string, metric: string) => screen.findByTestId(`benchmark-${kind}-${metric}`);

describe('BenchmarksPage', () => {
  it('shows the grid with ratios as percents, costs in yuan, and the cells the organisation set', async () => {
    renderPage(member, <BenchmarksPage />, '/channels/benchmarks');
    const grid = await screen.findByTestId('benchmark-grid');
    const rows = within(grid).getAllByRole('row');
    // A header row and one per channel kind, in order, by their names.
    expect(rows.slice(1).map((r) => r.querySelector('td')?.textContent)).toEqual([
      '短视频',
      '内容种草',
      '社交',
      '搜索',
      '信息流',
      '电商',
      '其他',
    ]);
    expect(within(grid).getByRole('columnheader', { name: 'CTR' })).toBeInTheDocument();
    const ctr = await cellOf('short_video', 'ctr');
    expect(within(ctr).getByTestId('benchmark-value')).toHaveTextContent('2.00%');
    expect(within(ctr).getByTestId('benchmark-overridden')).toHaveTextContent('已调整');
    fireEvent.mouseOver(within(ctr).getByTestId('benchmark-overridden'));
    expect(await screen.findByText('系统值：1.80%')).toBeInTheDocument();
    expect(await cellOf('search', 'cpc')).toHaveTextContent('¥1.20');
    expect(await cellOf('search', 'roas')).toHaveTextContent('2.50');
    expect(within(await cellOf('search', 'ctr')).queryByTestId('benchmark-overridden')).toBeNull();
    expect(screen.getByTestId('benchmark-overridden-count')).toHaveTextContent('已调整 1 项');
  });

  it('leaves a reader nothing to change', async () => {
    renderPage(member, <BenchmarksPage />, '/channels/benchmarks');
    await cellOf('short_video', 'ctr');
    expect(await screen.findByTestId('benchmark-org-industry-name')).toHaveTextContent('美妆');
    expect(screen.queryByTestId('benchmark-org-industry')).toBeNull();
    expect(screen.queryByTestId('benchmark-edit')).toBeNull();
    expect(screen.queryByTestId('benchmark-restore')).toBeNull();
    expect(screen.queryByTestId('benchmark-import-open')).toBeNull();
  });

  it('edits a CTR cell as a percent and sends the fraction', async () => {
    const user = userEvent.setup();
    renderPage(manager, <BenchmarksPage />, '/channels/benchmarks');
    const ctr = await cellOf('short_video', 'ctr');
    await user.click(within(ctr).getByTestId('benchmark-edit'));
    const input = within(await screen.findByTestId('benchmark-editor')).getByRole('spinbutton');
    expect(input).toHaveValue('2');
    await user.clear(input);
    await user.type(input, '1.5');
    await user.click(screen.getByTestId('benchmark-save'));
    await waitFor(() => expect(api.of('PUT')).toHaveLength(1));
    expect(api.of('PUT')[0]).toMatchObject({
      path: '/benchmarks',
      body: { industry: 'beauty', items: [{ channel_kind: 'short_video', metric: 'ctr', value: '0.015' }] },
    });
    // The grid the server answers is shown.
    await waitFor(async () =>
      expect(within(await cellOf('short_video', 'ctr')).getByTestId('benchmark-value')).toHaveTextContent('1.50%'),
    );
    expect(screen.queryByTestId('benchmark-editor')).toBeNull();
  });

  it('refuses an empty value without asking the server', async () => {
    const user = userEvent.setup();
    renderPage(manager, <BenchmarksPage />, '/channels/benchmarks');
    await user.click(within(await cellOf('search', 'cvr')).getByTestId('benchmark-edit'));
    const input = within(await screen.findByTestId('benchmark-editor')).getByRole('spinbutton');
    await user.clear(input);
    await user.click(screen.getByTestId('benchmark-save'));
    expect(await screen.findByText(/不是有效的数字/)).toBeInTheDocument();
    expect(api.of('PUT')).toHaveLength(0);
  });

  it('brings the shipped value back', async () => {
    const user = userEvent.setup();
    renderPage(manager, <BenchmarksPage />, '/channels/benchmarks');
    const ctr = await cellOf('short_video', 'ctr');
    expect(within(await cellOf('search', 'ctr')).queryByTestId('benchmark-restore')).toBeNull();
    await user.click(within(ctr).getByTestId('benchmark-restore'));
    const confirm = (await screen.findByText('恢复为系统值 1.80%？')).closest('.ant-popover') as HTMLElement;
    await user.click(within(confirm).getByRole('button', { name: '恢复系统值' }));
    await waitFor(() => expect(api.of('DELETE')).toMatchObject([{ path: '/benchmarks/beauty/short_video/ctr' }]));
    await waitFor(async () =>
      expect(within(await cellOf('short_video', 'ctr')).queryByTestId('benchmark-overridden')).toBeNull(),
    );
  });

  it('imports a CSV: the problems by row first, then every cell in one PUT', async () => {
    const user = userEvent.setup();
    renderPage(manager, <BenchmarksPage />, '/channels/benchmarks');
    await user.click(await screen.findByTestId('benchmark-import-open'));
    const text = await screen.findByTestId('benchmark-import-text');
    fireEvent.change(text, { target: { value: 'channel_kind,metric,value\n短视频,点击率,1.8%\n直播,cpc,2\n' } });
    const problems = await screen.findByTestId('benchmark-import-problems');
    expect(within(problems).getAllByRole('row')[1]).toHaveTextContent('3渠道类型无法识别的渠道类型“直播”');
    expect(screen.getByTestId('benchmark-import-submit')).toBeDisabled();

    fireEvent.change(text, {
      target: { value: 'channel_kind,metric,value\n短视频,点击率,1.8%\nsearch,CPC,2.5\n信息流,roas,3\n' },
    });
    expect(await screen.findByTestId('benchmark-import-ready')).toHaveTextContent('共 3 项');
    expect(screen.queryByTestId('benchmark-import-problems')).toBeNull();
    await user.click(screen.getByTestId('benchmark-import-submit'));
    await waitFor(() => expect(api.of('PUT')).toHaveLength(1));
    expect(api.of('PUT')[0]!.body).toEqual({
      industry: 'beauty',
      items: [
        { channel_kind: 'short_video', metric: 'ctr', value: '0.018' },
        { channel_kind: 'search', metric: 'cpc', value: '2.5' },
        { channel_kind: 'feed', metric: 'roas', value: '3' },
      ],
    });
    expect(await screen.findByText('已导入 3 项基准')).toBeInTheDocument();
  });

  it('changes the organisation’s industry at the revision read', async () => {
    renderPage(manager, <BenchmarksPage />, '/channels/benchmarks');
    const select = await screen.findByTestId('benchmark-org-industry');
    await waitFor(() => expect(select).toHaveTextContent('美妆'));
    fireEvent.mouseDown(within(select).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('食品饮料'));
    await waitFor(() => expect(api.of('PUT')).toHaveLength(1));
    expect(api.of('PUT')[0]).toMatchObject({ path: '/channel-settings', body: { industry: 'food', revision: 3 } });
    expect(await screen.findByText('所属行业已改为“食品饮料”')).toBeInTheDocument();
  });

  it('reads the industry again and says so when someone changed it first', async () => {
    serve({ stale: true });
    renderPage(manager, <BenchmarksPage />, '/channels/benchmarks');
    const select = await screen.findByTestId('benchmark-org-industry');
    await waitFor(() => expect(select).toHaveTextContent('美妆'));
    fireEvent.mouseDown(within(select).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('食品饮料'));
    expect(await screen.findByText(/所属行业刚被他人修改/)).toBeInTheDocument();
    await waitFor(() => expect(api.of('GET').filter((c) => c.path === '/channel-settings')).toHaveLength(2));
  });

  it('shows another industry’s grid from the address, saying which one the organisation uses', async () => {
    renderPage(member, <BenchmarksPage />, '/channels/benchmarks?industry=food');
    await cellOf('short_video', 'ctr');
    const asked = api.of('GET').find((c) => c.path === '/benchmarks');
    expect(asked?.query.get('industry')).toBe('food');
    expect(await screen.findByTestId('benchmark-other-industry')).toBeInTheDocument();
  });
});
