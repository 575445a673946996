import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { AppProviders } from './providers';
import { createQueryClient } from './queryClient';
import { routes } from './router';

type Handler = (request: Request) => Response | Promise<Response>;

function json(status: number, body: unknown, contentType = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

const unauthorized = () =>
  json(
    401,
    { type: 'urn:mems:problem:unauthorized', title: 'Authentication required', status: 401, detail: 'Log in first.' },
    'application/problem+json',
  );

function me(role: Me['role']): Me {
  return {
    user: { id: 'u1', email: `${role}@demo.mems`, name: '测试用户', locale: 'zh-CN' },
    org: {
      id: 'o1',
      name: '花漾美妆',
      slug: 'demo',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      currency: 'CNY',
      created_at: '2026-11-27T00:00:00Z',
      updated_at: '2026-11-27T00:00:00Z',
      version: 1,
    },
    membership_id: 'm1',
    role,
    permissions:
      role === 'admin'
        ? ['members:read', 'members:manage', 'audit:read', 'org:manage', 'api_tokens:manage']
        : ['members:read'],
    via: 'session',
  };
}

function renderApp(path: string, handler: Handler) {
  vi.stubGlobal('fetch', (input: Request) => Promise.resolve(handler(input)));
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProviders queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return router;
}

// Pages load lazily; transforming their modules the first time is slow in jsdom, so it
// happens before the tests, whose `findBy…` waits are short.
beforeAll(async () => {
  await Promise.all([
    import('@/features/auth/LoginPage'),
    import('@/features/home/HomePage'),
    import('@/features/members/MembersPage'),
    import('@/features/audit/AuditLogPage'),
  ]);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('app shell', () => {
  it('sends a visitor without a session to the login page', async () => {
    const router = renderApp('/admin/members', () => unauthorized());
    expect(await screen.findByTestId('login-page')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(screen.getByTestId('login-title')).toHaveTextContent('登录');
  });

  it('shows the server error of a failed login and stays on the login page', async () => {
    const router = renderApp('/login', (request) => {
      if (request.url.endsWith('/api/v1/auth/login')) {
        return json(
          401,
          {
            type: 'urn:mems:problem:unauthorized',
            title: 'Login failed',
            status: 401,
            detail: 'Wrong e-mail or password.',
          },
          'application/problem+json',
        );
      }
      return unauthorized();
    });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('login-email'));
    await user.paste('viewer@demo.mems');
    await user.click(screen.getByTestId('login-password'));
    await user.paste('wrong-password');
    await user.click(screen.getByTestId('login-submit'));
    const alert = await screen.findByTestId('login-error');
    expect(alert).toHaveTextContent('邮箱或密码错误');
    expect(alert).toHaveTextContent('Wrong e-mail or password.');
    expect(router.state.location.pathname).toBe('/login');
  });

  it.each([
    ['director', '营销驾驶舱'],
    ['member', '我的工作'],
    ['finance', '预算与成本'],
  ] as const)('renders the %s home page for that role', async (role, heading) => {
    // The cards' own calls stay unanswered: the page's heading shows, whatever they would say
    // (a 401 from one of them would end the session while the lazy page is still loading).
    renderApp('/', (request) =>
      request.url.endsWith('/api/v1/me') ? json(200, me(role)) : new Promise<Response>(() => undefined),
    );
    expect(await screen.findByTestId(`home-${role}`)).toHaveTextContent(heading);
    expect(screen.getByTestId('header-role')).toBeInTheDocument();
  });

  it('refuses an admin page to a role without the permission', async () => {
    renderApp('/admin/audit-logs', (request) =>
      request.url.endsWith('/api/v1/me') ? json(200, me('member')) : unauthorized(),
    );
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
  });

  it('goes to the login page when a later call finds the session gone', async () => {
    const router = renderApp('/admin/members', (request) => {
      if (request.url.endsWith('/api/v1/me')) return json(200, me('admin'));
      return unauthorized(); // e.g. the session expired between /me and the list
    });
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(await screen.findByTestId('login-page')).toBeInTheDocument();
    // The guard remembers where the person was going, for after the next login.
    expect(router.state.location.state).toEqual({ from: '/admin/members' });
  });
});
