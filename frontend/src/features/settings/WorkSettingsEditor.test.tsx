import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import '@/i18n';
import type { WorkSettings } from './api';
import { WorkSettingsEditor } from './WorkSettingsEditor';

// Ant Design forms render slowly in jsdom on a busy 2-core machine.
configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

const stored: WorkSettings = { checkin_grace_days: 1, issue_director_after_days: 2, revision: 0 };

let puts: unknown[] = [];
let gets = 0;
let answer: (body: Record<string, unknown>) => Response;

const problem = (status: number, body: object) =>
  new Response(JSON.stringify({ status, ...body }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

function renderEditor(canManage: boolean) {
  puts = [];
  gets = 0;
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname !== '/api/v1/work-settings')
      return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
    if (request.method === 'PUT') {
      const body = (await request.clone().json()) as Record<string, unknown>;
      puts.push(body);
      return answer(body);
    }
    gets += 1;
    return Response.json(stored);
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AntApp>
        <WorkSettingsEditor canManage={canManage} />
      </AntApp>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  answer = (body) => Response.json({ ...body, revision: 1 });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('WorkSettingsEditor', () => {
  it('saves both rules as whole numbers with the revision read, once one is changed', async () => {
    renderEditor(true);
    const grace = await screen.findByTestId('work-settings-grace');
    await waitFor(() => expect(grace).toHaveValue('1'));
    expect(screen.getByTestId('work-settings-director-after')).toHaveValue('2');
    const save = screen.getByTestId('work-settings-save');
    expect(save).toBeDisabled();
    fireEvent.change(grace, { target: { value: '3' } });
    await waitFor(() => expect(save).toBeEnabled());
    fireEvent.click(save);
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({ checkin_grace_days: 3, issue_director_after_days: 2, revision: 0 });
    expect(await screen.findByText('工作规则已保存')).toBeInTheDocument();
  });

  it('asks for a number of days before sending anything', async () => {
    renderEditor(true);
    const after = await screen.findByTestId('work-settings-director-after');
    await waitFor(() => expect(after).toHaveValue('2'));
    fireEvent.change(after, { target: { value: '' } });
    fireEvent.click(screen.getByTestId('work-settings-save'));
    expect(await screen.findByText('请填写天数')).toBeInTheDocument();
    expect(puts).toEqual([]);
  });

  it('puts the server’s refusal under the field it names', async () => {
    answer = () =>
      problem(422, {
        type: 'urn:mems:problem:validation-failed',
        title: '输入无效',
        detail: '输入无效：checkin_grace_days',
        errors: [{ field: 'checkin_grace_days', message: '应小于或等于 30', type: 'less_than_equal' }],
      });
    renderEditor(true);
    const grace = await screen.findByTestId('work-settings-grace');
    await waitFor(() => expect(grace).toHaveValue('1'));
    fireEvent.change(grace, { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('work-settings-save'));
    expect(await screen.findByText('应小于或等于 30')).toBeInTheDocument();
  });

  it('reloads what someone else saved meanwhile and says so', async () => {
    answer = () =>
      problem(409, {
        type: 'urn:mems:problem:stale-version',
        title: '冲突',
        detail: '已被他人修改',
        current_revision: 1,
      });
    renderEditor(true);
    const grace = await screen.findByTestId('work-settings-grace');
    await waitFor(() => expect(grace).toHaveValue('1'));
    const before = gets;
    fireEvent.change(grace, { target: { value: '4' } });
    fireEvent.click(screen.getByTestId('work-settings-save'));
    expect(await screen.findByText('工作规则已被他人修改，已加载最新设置，请确认后再保存')).toBeInTheDocument();
    await waitFor(() => expect(gets).toBeGreaterThan(before));
  });

  it('shows the rules read-only to those who may not change them', async () => {
    renderEditor(false);
    const grace = await screen.findByTestId('work-settings-grace');
    await waitFor(() => expect(grace).toHaveValue('1'));
    expect(grace).toBeDisabled();
    expect(screen.getByTestId('work-settings-director-after')).toBeDisabled();
    expect(screen.queryByTestId('work-settings-save')).toBeNull();
  });
});
