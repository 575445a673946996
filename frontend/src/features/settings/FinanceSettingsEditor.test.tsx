import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import '@/i18n';
import type { FinanceSettings } from './api';
import { FinanceSettingsEditor } from './FinanceSettingsEditor';

configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

const stored: FinanceSettings = { warn_percent: '80.00', critical_percent: '100.00', default: true, revision: 0 };

let puts: unknown[] = [];
let answer: (body: Record<string, unknown>) => Response;

function renderEditor(canManage: boolean) {
  puts = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname !== '/api/v1/finance-settings')
      return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
    if (request.method === 'PUT') {
      const body = (await request.clone().json()) as Record<string, unknown>;
      puts.push(body);
      return answer(body);
    }
    return Response.json(stored);
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AntApp>
        <FinanceSettingsEditor canManage={canManage} />
      </AntApp>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  answer = (body) => Response.json({ ...body, default: false, revision: 2 });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('FinanceSettingsEditor', () => {
  it('saves both thresholds as percents with the revision read', async () => {
    renderEditor(true);
    const warn = await screen.findByTestId('finance-settings-warn');
    await waitFor(() => expect(warn).toHaveValue('80.00'));
    const save = screen.getByTestId('finance-settings-save');
    expect(save).toBeDisabled();
    fireEvent.change(warn, { target: { value: '70' } });
    await waitFor(() => expect(save).toBeEnabled());
    fireEvent.click(save);
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({ warn_percent: '70.00', critical_percent: '100.00', revision: 0 });
    expect(await screen.findByText('预算预警阈值已保存')).toBeInTheDocument();
  });

  it('refuses a critical threshold below the warning before sending anything', async () => {
    renderEditor(true);
    const critical = await screen.findByTestId('finance-settings-critical');
    await waitFor(() => expect(critical).toHaveValue('100.00'));
    fireEvent.change(critical, { target: { value: '50' } });
    fireEvent.click(screen.getByTestId('finance-settings-save'));
    expect(await screen.findByText('超支线不能低于预警线')).toBeInTheDocument();
    expect(puts).toEqual([]);
  });

  it('puts a server field error on its field', async () => {
    answer = () =>
      new Response(
        JSON.stringify({
          status: 422,
          type: 'urn:mems:problem:validation-failed',
          title: 'Validation failed',
          detail: '预警阈值高于严重阈值。',
          errors: [{ field: 'warn_percent', message: '预警阈值高于严重阈值。', type: 'above_critical' }],
        }),
        { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
      );
    renderEditor(true);
    const warn = await screen.findByTestId('finance-settings-warn');
    await waitFor(() => expect(warn).toHaveValue('80.00'));
    fireEvent.change(warn, { target: { value: '90' } });
    fireEvent.click(screen.getByTestId('finance-settings-save'));
    expect(await screen.findByText('预警阈值高于严重阈值。')).toBeInTheDocument();
  });

  it('shows a reader the thresholds without a way to change them', async () => {
    renderEditor(false);
    const warn = await screen.findByTestId('finance-settings-warn');
    await waitFor(() => expect(warn).toHaveValue('80.00'));
    expect(warn).toBeDisabled();
    expect(screen.queryByTestId('finance-settings-save')).toBeNull();
  });
});
