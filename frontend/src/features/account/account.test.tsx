import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import '@/i18n';
import { AppProviders } from '@/app/providers';
import { createQueryClient } from '@/app/queryClient';
import { routes } from '@/app/router';
import type { Me } from '@/lib/roles';

type Handler = (request: Request) => Response | Promise<Response> | undefined;

function json(status: number, body: unknown, contentType = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

const finance: Me = {
  user: { id: 'u1', email: 'finance@demo.mems', name: '刘芳', locale: 'zh-CN' },
  org: {
    id: 'o1',
    name: '另一家公司',
    slug: 'other',
    timezone: 'Asia/Shanghai',
    locale: 'zh-CN',
    currency: 'CNY',
    created_at: '2026-11-27T00:00:00Z',
    updated_at: '2026-11-27T00:00:00Z',
    version: 1,
  },
  membership_id: 'm1',
  role: 'finance',
  permissions: [],
  via: 'session',
};

const invitation = {
  id: 'i1',
  org_id: 'o2',
  org_name: '花漾美妆',
  role: 'finance',
  invited_by_name: '王磊',
  created_at: '2026-11-28T00:00:00Z',
  expires_at: '2026-12-12T00:00:00Z',
};

function renderAt(path: string, handler: Handler) {
  const requests: Request[] = [];
  vi.stubGlobal('fetch', (input: Request) => {
    requests.push(input);
    const url = new URL(input.url).pathname;
    const answer = handler(input);
    if (answer) return Promise.resolve(answer);
    if (url === '/api/v1/me') return Promise.resolve(json(200, finance));
    if (url === '/api/v1/me/invitations') return Promise.resolve(json(200, []));
    return Promise.resolve(json(200, { items: [], total: 0, limit: 20, offset: 0 }));
  });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProviders queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { router, requests };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('change password', () => {
  it('refuses a confirmation that differs, without asking the server', async () => {
    const { requests } = renderAt('/account/password', () => undefined);
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('password-current'), 'demo1234');
    await user.type(screen.getByTestId('password-new'), 'new-pass-5678');
    await user.type(screen.getByTestId('password-confirm'), 'new-pass-567');
    await user.click(screen.getByTestId('password-submit'));
    expect(await screen.findByText('两次输入的新密码不一致')).toBeInTheDocument();
    expect(requests.some((r) => r.url.endsWith('/api/v1/me/password'))).toBe(false);
  });

  it('puts a wrong current password under its field, then says other sessions were signed out', async () => {
    let attempt = 0;
    const { requests } = renderAt('/account/password', (request) => {
      if (!request.url.endsWith('/api/v1/me/password')) return undefined;
      attempt += 1;
      if (attempt === 1) {
        return json(
          422,
          {
            type: 'urn:mems:problem:validation-failed',
            title: '输入校验未通过',
            status: 422,
            detail: '当前密码不正确。',
            errors: [{ field: 'current_password', message: '密码错误', type: 'mismatch' }],
          },
          'application/problem+json',
        );
      }
      return new Response(null, { status: 204 });
    });
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('password-current'), 'wrong-one');
    await user.type(screen.getByTestId('password-new'), 'new-pass-5678');
    await user.type(screen.getByTestId('password-confirm'), 'new-pass-5678');
    await user.click(screen.getByTestId('password-submit'));
    expect(await screen.findByText('密码错误')).toBeInTheDocument();
    const sent = requests.find((r) => r.url.endsWith('/api/v1/me/password'));
    expect(await sent?.clone().json()).toEqual({ current_password: 'wrong-one', new_password: 'new-pass-5678' });

    await user.clear(screen.getByTestId('password-current'));
    await user.type(screen.getByTestId('password-current'), 'demo1234');
    await user.click(screen.getByTestId('password-submit'));
    expect(await screen.findByTestId('password-changed')).toHaveTextContent('其他浏览器和设备上的登录已全部退出');
  });

  it('is reachable from the user menu', async () => {
    const { router } = renderAt('/', () => undefined);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('account'));
    await user.click(await screen.findByTestId('menu-password'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/account/password'));
    expect(await screen.findByTestId('password-page')).toHaveTextContent('修改密码');
  });
});

describe('invitation banner', () => {
  it('invites in Chinese, accepts, and offers to switch to the joined organisation', async () => {
    let open = [invitation];
    const { router, requests } = renderAt('/', (request) => {
      const url = new URL(request.url).pathname;
      if (url === '/api/v1/me/invitations') return json(200, open);
      if (url === '/api/v1/me/invitations/i1/accept') {
        open = [];
        return json(200, { ...finance.org, id: 'o2', name: '花漾美妆', slug: 'demo' });
      }
      if (url === '/api/v1/auth/logout') return new Response(null, { status: 204 });
      return undefined;
    });
    const banner = await screen.findByTestId('invitation-banner');
    expect(banner).toHaveTextContent('花漾美妆 的 王磊 邀请你以「财务」身份加入');
    const user = userEvent.setup();
    await user.click(screen.getByTestId('invitation-accept'));
    const joined = await screen.findByTestId('invitation-joined');
    expect(joined).toHaveTextContent('你已加入 花漾美妆');
    expect(joined).toHaveTextContent('demo');
    await waitFor(() => expect(screen.queryByTestId('invitation-banner')).not.toBeInTheDocument());
    expect(requests.some((r) => r.method === 'POST' && r.url.endsWith('/accept'))).toBe(true);

    await user.click(screen.getByTestId('invitation-switch'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(router.state.location.search).toContain('org=demo');
    expect(await screen.findByTestId('login-org')).toHaveValue('demo');
    expect(screen.getByTestId('login-email')).toHaveValue('finance@demo.mems');
  });
});
