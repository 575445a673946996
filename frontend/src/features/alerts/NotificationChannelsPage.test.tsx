import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NotificationChannelsPage } from './NotificationChannelsPage';
import { admin, api, director, renderPage } from './testing';

beforeEach(() => api.reset());

const rowOf = async (name: string) => (await screen.findByText(name)).closest('tr')!;

describe('NotificationChannelsPage', () => {
  it('lists each channel with its target cut by the server, its kind and minimum severity', async () => {
    renderPage(director, <NotificationChannelsPage />, '/settings/notification-channels');
    const bot = await rowOf('市场部飞书群');
    expect(within(bot).getByTestId('notice-target')).toHaveTextContent('https://open.feishu.cn/…');
    expect(bot).toHaveTextContent('飞书');
    expect(bot).toHaveTextContent('已签名');
    expect(bot).toHaveTextContent('警告及以上');
    const mail = await rowOf('总监邮件');
    expect(within(mail).getByTestId('notice-target')).toHaveTextContent('boss@demo.mems');
    expect(mail).toHaveTextContent('严重');
  });

  it('hides allow_private from someone who is not an admin, and never sends it', async () => {
    const user = userEvent.setup();
    renderPage(director, <NotificationChannelsPage />, '/settings/notification-channels');
    await user.click(await screen.findByTestId('notice-create'));
    const form = await screen.findByTestId('notice-form');
    expect(within(form).queryByTestId('notice-allow-private')).not.toBeInTheDocument();
    // Feishu's signing secret is explained where it is typed.
    expect(form).toHaveTextContent('签名校验');
    fireEvent.change(within(form).getByTestId('notice-name'), { target: { value: '运营群' } });
    fireEvent.change(within(form).getByTestId('notice-url'), {
      target: { value: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc' },
    });
    fireEvent.change(within(form).getByTestId('notice-secret'), { target: { value: 'feishu-sign-secret' } });
    await user.click(screen.getByTestId('notice-submit'));
    await waitFor(() => expect(api.of('POST', '/notification-channels')).toHaveLength(1));
    expect(api.of('POST', '/notification-channels')[0]!.body).toEqual({
      name: '运营群',
      kind: 'feishu',
      url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc',
      secret: 'feishu-sign-secret',
      min_severity: 'warning',
      allow_private: false,
      active: true,
    });
  });

  it('lets an admin allow a private address', async () => {
    const user = userEvent.setup();
    renderPage(admin, <NotificationChannelsPage />, '/settings/notification-channels');
    await user.click(await screen.findByTestId('notice-create'));
    const form = await screen.findByTestId('notice-form');
    fireEvent.mouseDown(within(screen.getByTestId('notice-kind')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('Webhook（签名）'));
    fireEvent.change(within(form).getByTestId('notice-name'), { target: { value: '内网网关' } });
    fireEvent.change(within(form).getByTestId('notice-url'), { target: { value: 'http://10.0.0.8/hook' } });
    await user.click(within(form).getByTestId('notice-allow-private'));
    await user.click(screen.getByTestId('notice-submit'));
    await waitFor(() => expect(api.of('POST', '/notification-channels')).toHaveLength(1));
    expect(api.of('POST', '/notification-channels')[0]!.body).toMatchObject({
      kind: 'webhook',
      url: 'http://10.0.0.8/hook',
      allow_private: true,
    });
  });

  it('keeps the stored URL unless a new one is typed', async () => {
    const user = userEvent.setup();
    renderPage(director, <NotificationChannelsPage />, '/settings/notification-channels');
    await user.click(within(await rowOf('市场部飞书群')).getByTestId('notice-edit'));
    const form = await screen.findByTestId('notice-form');
    expect(form).toHaveTextContent('当前：https://open.feishu.cn/…');
    expect(within(form).getByTestId('notice-url')).toHaveValue('');
    fireEvent.mouseDown(within(screen.getByTestId('notice-min-severity')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('严重'));
    await user.click(screen.getByTestId('notice-submit'));
    await waitFor(() => expect(api.of('PATCH')).toHaveLength(1));
    expect(api.of('PATCH')[0]).toMatchObject({ path: '/notification-channels/n-feishu' });
    expect(api.of('PATCH')[0]!.body).toEqual({ min_severity: 'critical', version: 3 });
  });

  it('sends a test and shows the delivery log with its answers', async () => {
    const user = userEvent.setup();
    renderPage(director, <NotificationChannelsPage />, '/settings/notification-channels');
    await user.click(within(await rowOf('市场部飞书群')).getByTestId('notice-test'));
    await waitFor(() => expect(api.of('POST', '/notification-channels/n-feishu/test')).toHaveLength(1));
    const log = await screen.findByTestId('notice-deliveries');
    const failed = (await within(log).findByText('测试消息')).closest('tr')!;
    expect(within(failed).getByTestId('delivery-status')).toHaveTextContent('失败');
    expect(failed).toHaveTextContent('400');
    expect(failed).toHaveTextContent('sign match fail');
    const sent = within(log).getByText('预警触发').closest('tr')!;
    expect(within(sent).getByTestId('delivery-status')).toHaveTextContent('已送达');
    expect(within(sent).getByRole('link')).toHaveAttribute('href', '/alerts/a-ctr');
    // A round that failed in a way that may pass: waiting for the next, which the hover times
    // in the organisation's zone (Shanghai), with the last answer.
    const retrying = within(log).getByText('预警恢复').closest('tr')!;
    const tag = within(retrying).getByTestId('delivery-status');
    expect(tag).toHaveTextContent('待重试');
    await user.hover(tag);
    const hint = await screen.findByText(/第 1 轮发送失败，将于 .*13:31/);
    expect(hint).toHaveTextContent('2026');
    expect(await screen.findByText('http 503', { selector: 'div' })).toBeInTheDocument();
  });
});
