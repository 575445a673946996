import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChannelsPage } from './ChannelsPage';
import { api, manager, member, renderPage } from './testing';

beforeEach(() => api.reset());

const rowOf = async (name: string) => (await screen.findByText(name)).closest('tr')!;

describe('ChannelsPage', () => {
  it('offers the common channels from the empty state and lists them once added', async () => {
    const user = userEvent.setup();
    api.channels = [];
    renderPage(manager, <ChannelsPage />, '/channels');
    const empty = await screen.findByTestId('channels-empty');
    await user.click(within(empty).getByTestId('channels-defaults'));
    await waitFor(() => expect(api.of('POST')).toMatchObject([{ path: '/channel-defaults' }]));
    const table = await screen.findByTestId('channel-table');
    expect(await within(table).findByText('快手')).toBeInTheDocument();
    expect(within(table).getByText('kuaishou')).toBeInTheDocument();
    expect(screen.queryByTestId('channels-empty')).not.toBeInTheDocument();
  });

  it('leaves a member without channels nothing to press', async () => {
    api.channels = [];
    renderPage(member, <ChannelsPage />, '/channels');
    const empty = await screen.findByTestId('channels-empty');
    expect(empty).toHaveTextContent('请联系可管理渠道的同事');
    expect(screen.queryByTestId('channels-defaults')).not.toBeInTheDocument();
    expect(screen.queryByTestId('campaign-create')).not.toBeInTheDocument();
  });

  it('lists channels by kind and campaigns with the project they spend for', async () => {
    renderPage(member, <ChannelsPage />, '/channels');
    const table = await screen.findByTestId('channel-table');
    expect((await within(table).findByText('小红书')).closest('tr')).toHaveTextContent('内容种草');
    const linked = await rowOf('双11 达人种草');
    const project = await within(linked).findByTestId('campaign-project');
    expect(project).toHaveTextContent('P2026-005 · 2026Q4-品牌-年终种草计划');
    expect(project).toHaveAttribute('href', '/projects/p1');
    expect(linked).toHaveTextContent('投放中');
    expect(linked).toHaveTextContent('计入预算');
    expect(await rowOf('年终美妆笔记')).toHaveTextContent('未关联项目');
    expect(screen.queryByTestId('campaign-edit')).not.toBeInTheDocument();
  });

  it('links a campaign to a project at the version read', async () => {
    const user = userEvent.setup();
    renderPage(manager, <ChannelsPage />, '/channels');
    await user.click(within(await rowOf('年终美妆笔记')).getByTestId('campaign-edit'));
    const form = await screen.findByTestId('campaign-form');
    expect(form).toHaveTextContent('消耗自动记入项目广告投放预算');
    fireEvent.mouseDown(within(screen.getByTestId('campaign-project-select')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('P2026-003 · 2026Q4-品牌-年终美妆展会'));
    await user.click(screen.getByTestId('campaign-submit'));
    await waitFor(() => expect(api.of('PATCH')).toHaveLength(1));
    expect(api.of('PATCH')[0]).toEqual(
      expect.objectContaining({ path: '/campaigns/c2', body: { project_id: 'p2', version: 3 } }),
    );
  });

  it('shows a campaign’s last 30 days with their data-quality flags', async () => {
    const user = userEvent.setup();
    renderPage(member, <ChannelsPage />, '/channels');
    const row = await rowOf('双11 达人种草');
    await user.click(within(row).getByRole('button', { name: /展开行|expand row/i }));
    const records = await screen.findByTestId('campaign-records');
    expect(await within(records).findByTestId('quality-flag')).toHaveTextContent('点击数大于展示数');
    expect(records).toHaveTextContent('¥1,520.50');
    const asked = api.of('GET').find((c) => c.path === '/campaigns/c1/records')!;
    const days = (Date.parse(asked.query.get('to')!) - Date.parse(asked.query.get('from')!)) / 86_400_000;
    expect(days).toBe(29);
  });

  it('filters the campaigns by channel through the address', async () => {
    renderPage(member, <ChannelsPage />, '/channels');
    await rowOf('双11 达人种草');
    fireEvent.mouseDown(within(screen.getByTestId('campaign-channel-filter')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('小红书'));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('channel=ch-xhs'));
    await waitFor(() => expect(screen.queryByText('双11 达人种草')).not.toBeInTheDocument());
    const last = api
      .of('GET')
      .filter((c) => c.path === '/campaigns')
      .at(-1);
    expect(last?.query.get('channel_id')).toBe('ch-xhs');
  });
});
