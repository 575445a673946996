import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SourcesPage } from './SourcesPage';
import { api, json, manager, member, renderPage } from './testing';

beforeEach(() => api.reset());

const rowOf = async (name: string) => (await screen.findByText(name)).closest('tr')!;

async function openSource(name: string) {
  await userEvent.setup().click(within(await rowOf(name)).getByTestId('source-open'));
  return screen.findByTestId('source-drawer');
}

describe('SourcesPage', () => {
  it('lists the sources with their kind, channel, currency and last delivery in the org’s time', async () => {
    renderPage(manager, <SourcesPage />, '/channels/sources');
    const hook = await rowOf('抖音巨量推送');
    expect(hook).toHaveTextContent('Webhook');
    await waitFor(() => expect(hook).toHaveTextContent('抖音'));
    expect(hook).toHaveTextContent('接收中');
    expect(hook).toHaveTextContent('2026-11-30 10:05');
    const meta = await rowOf('Meta 海外投放');
    expect(meta).toHaveTextContent('Meta');
    expect(meta).toHaveTextContent('USD（1 USD = 7.1 CNY）');
    expect(meta).toHaveTextContent('从未');
    expect(await rowOf('数据中台')).toHaveTextContent('已暂停');
  });

  it('shows a manager the webhook URL, reveals the secret on request and signs the example with the URL', async () => {
    renderPage(manager, <SourcesPage />, '/channels/sources');
    const drawer = await openSource('抖音巨量推送');
    const url = `${window.location.origin}/api/v1/hooks/s-hook`;
    expect(within(drawer).getByTestId('source-url')).toHaveTextContent(url);
    expect(within(drawer).queryByTestId('source-secret-value')).not.toBeInTheDocument();
    expect(api.calls.some((c) => c.path.endsWith('/secret'))).toBe(false);
    await userEvent.setup().click(within(drawer).getByTestId('secret-reveal'));
    expect(await within(drawer).findByTestId('source-secret-value')).toHaveTextContent('old-secret-0123456789');
    expect(api.of('GET').filter((c) => c.path === '/data-sources/s-hook/secret')).toHaveLength(1);
    const example = within(drawer).getByTestId('signing-example');
    expect(example).toHaveTextContent(`curl -X POST '${url}'`);
    expect(example).toHaveTextContent('X-MEMS-Signature: sha256=$SIG');
  });

  it('regenerates a secret after a warning that old signatures stop working', async () => {
    const user = userEvent.setup();
    renderPage(manager, <SourcesPage />, '/channels/sources');
    const drawer = await openSource('抖音巨量推送');
    await user.click(within(drawer).getByTestId('secret-rotate'));
    await waitFor(() => expect(document.querySelector('.ant-popconfirm')).not.toBeNull());
    const confirm = document.querySelector<HTMLElement>('.ant-popconfirm')!;
    expect(confirm).toHaveTextContent('用旧密钥签名的推送将立即被拒绝');
    await user.click(within(confirm).getByRole('button', { name: '重新生成' }));
    await waitFor(() => expect(api.of('POST')).toMatchObject([{ path: '/data-sources/s-hook/secret' }]));
    expect(await within(drawer).findByTestId('source-secret-value')).toHaveTextContent('rotated-secret-0123456789');
  });

  it('gives Meta sources the verify token and no made-up app secret', async () => {
    renderPage(manager, <SourcesPage />, '/channels/sources');
    const drawer = await openSource('Meta 海外投放');
    expect(within(drawer).queryByTestId('secret-rotate')).not.toBeInTheDocument();
    await userEvent.setup().click(within(drawer).getByTestId('secret-reveal'));
    expect(await within(drawer).findByTestId('source-verify-token')).toHaveTextContent('vt-123');
    expect(within(drawer).getByTestId('source-url')).toHaveTextContent('/api/v1/hooks/meta/s-meta');
  });

  it('hides the secret, its reveal and rotation, and every change from a member', async () => {
    renderPage(member, <SourcesPage />, '/channels/sources');
    const drawer = await openSource('抖音巨量推送');
    expect(within(drawer).queryByTestId('secret-reveal')).not.toBeInTheDocument();
    expect(within(drawer).queryByTestId('secret-rotate')).not.toBeInTheDocument();
    expect(within(drawer).getByTestId('secret-managers-only')).toBeInTheDocument();
    expect(screen.queryByTestId('source-create')).not.toBeInTheDocument();
    expect(screen.queryByTestId('source-edit')).not.toBeInTheDocument();
    expect(api.calls.some((c) => c.path.endsWith('/secret'))).toBe(false);
  });

  it('lists a source’s last deliveries with what was written and flagged', async () => {
    renderPage(member, <SourcesPage />, '/channels/sources');
    const drawer = await openSource('抖音巨量推送');
    const table = within(drawer).getByTestId('source-batches');
    const done = (await within(table).findByText('已完成')).closest('tr')!;
    expect(done).toHaveTextContent('1,200');
    expect(within(done).getByTestId('batch-flagged')).toHaveTextContent('3');
    expect(within(table).getByText('处理中')).toBeInTheDocument();
    expect(within(table).getByText('失败')).toBeInTheDocument();
    expect(within(table).getAllByTestId('batch-flagged')).toHaveLength(1);
    const asked = api.of('GET').find((c) => c.path === '/channel-data/batches');
    expect(asked?.query.get('source_id')).toBe('s-hook');
  });

  it('creates a webhook source, leaving the secret to the server when none is given', async () => {
    const user = userEvent.setup();
    renderPage(manager, <SourcesPage />, '/channels/sources');
    await rowOf('抖音巨量推送');
    await user.click(screen.getByTestId('source-create'));
    fireEvent.change(await screen.findByTestId('source-name'), { target: { value: ' 快手磁力推送 ' } });
    await user.click(screen.getByTestId('source-submit'));
    await waitFor(() => expect(api.of('POST')).toHaveLength(1));
    expect(api.of('POST')[0]).toMatchObject({
      path: '/data-sources',
      body: { name: '快手磁力推送', kind: 'webhook', channel_id: null, currency: 'CNY', rate: '1' },
    });
    expect(api.of('POST')[0]!.body).not.toHaveProperty('secret');
  });

  it('links an upload source to the upload page, for who may send channel data', async () => {
    renderPage(manager, <SourcesPage />, '/channels/sources');
    const upload = await rowOf('巨量引擎报表');
    expect(upload).toHaveTextContent('上传');
    expect(within(await rowOf('抖音巨量推送')).queryByTestId('source-upload')).not.toBeInTheDocument();
    fireEvent.click(within(upload).getByTestId('source-upload'));
    expect(screen.getByTestId('where')).toHaveTextContent('/channels/upload?source=s-upload');
  });

  it('hides the upload link from who may not send channel data', async () => {
    renderPage(member, <SourcesPage />, '/channels/sources');
    expect(within(await rowOf('巨量引擎报表')).queryByTestId('source-upload')).not.toBeInTheDocument();
  });

  it('creates an upload source', async () => {
    const user = userEvent.setup();
    renderPage(manager, <SourcesPage />, '/channels/sources');
    await rowOf('抖音巨量推送');
    await user.click(screen.getByTestId('source-create'));
    fireEvent.change(await screen.findByTestId('source-name'), { target: { value: '小红书蒲公英报表' } });
    fireEvent.mouseDown(within(screen.getByTestId('source-kind')).getByRole('combobox'));
    fireEvent.click((await screen.findAllByTitle('上传')).at(-1)!);
    // Files are signed by no one: no secret to give.
    expect(screen.queryByTestId('source-secret')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('source-submit'));
    await waitFor(() => expect(api.of('POST')).toHaveLength(1));
    expect(api.of('POST')[0]).toMatchObject({
      path: '/data-sources',
      body: { name: '小红书蒲公英报表', kind: 'upload' },
    });
  });

  it('puts a refused name under its field', async () => {
    const user = userEvent.setup();
    api.respond = (method, path) =>
      method === 'POST' && path === '/data-sources'
        ? json(
            {
              type: 'urn:mems:problem:duplicate',
              title: '已存在',
              status: 409,
              detail: '已存在名为“抖音巨量推送”的数据源。',
              errors: [{ field: 'name', message: '名称已被使用', type: 'duplicate' }],
            },
            409,
          )
        : undefined;
    renderPage(manager, <SourcesPage />, '/channels/sources');
    await rowOf('抖音巨量推送');
    await user.click(screen.getByTestId('source-create'));
    fireEvent.change(await screen.findByTestId('source-name'), { target: { value: '抖音巨量推送' } });
    await user.click(screen.getByTestId('source-submit'));
    const form = await screen.findByTestId('source-form');
    await waitFor(() => expect(within(form).getByText('名称已被使用')).toBeInTheDocument());
  });
});
