import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import '@/i18n';
import type { WorkCalendar } from './calendarModel';
import { WorkCalendarEditor } from './WorkCalendarEditor';

// Ant Design forms and tables render slowly in jsdom on a busy 2-core machine.
configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

const calendar: WorkCalendar = {
  year: new Date().getFullYear(),
  weekend: [5, 6],
  china_holidays: true,
  china_years: [2025, 2026, 2027],
  revision: 3,
  days: [
    { day: `${new Date().getFullYear()}-10-01`, working: false, name: '国庆节', source: 'china' },
    { day: `${new Date().getFullYear()}-06-30`, working: false, name: '公司年会', source: 'org' },
  ],
};

let calls: { method: string; path: string; body: unknown }[] = [];

function renderEditor(canManage: boolean) {
  calls = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const body: unknown =
      request.method === 'GET'
        ? undefined
        : await request
            .clone()
            .json()
            .catch(() => undefined);
    calls.push({ method: request.method, path: url.pathname, body });
    if (url.pathname === '/api/v1/calendar') return Response.json(calendar);
    if (request.method === 'PUT' && url.pathname === '/api/v1/calendar/settings') {
      return Response.json({ ...calendar, ...(body as object), revision: 4 });
    }
    if (request.method === 'DELETE' && url.pathname.startsWith('/api/v1/calendar/days/')) {
      return Response.json({ ...calendar, days: calendar.days.filter((d) => d.source !== 'org') });
    }
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AntApp>
        <WorkCalendarEditor canManage={canManage} />
      </AntApp>
    </QueryClientProvider>,
  );
}

describe('WorkCalendarEditor', () => {
  it('saves the weekend and the public-holiday switch with the revision read', async () => {
    renderEditor(true);
    const weekend = await screen.findByTestId('calendar-weekend');
    const save = screen.getByTestId('calendar-save');
    expect(save).toBeDisabled();
    fireEvent.click(within(weekend).getByLabelText('周六'));
    fireEvent.click(save);
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ weekend: [6], china_holidays: true, revision: 3 });
  });

  it('lists the year’s days and removes only the company’s own', async () => {
    renderEditor(true);
    const table = await screen.findByTestId('calendar-days');
    await within(table).findByText('公司年会');
    expect(within(table).getAllByTestId('calendar-day-remove')).toHaveLength(1);
    fireEvent.click(within(table).getByTestId('calendar-day-remove'));
    await waitFor(() => expect(document.querySelector('.ant-popconfirm-buttons')).not.toBeNull());
    const confirm = document.querySelector<HTMLElement>('.ant-popconfirm-buttons')!;
    fireEvent.click(within(confirm).getByRole('button', { name: /删\s*除/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    expect(calls.find((c) => c.method === 'DELETE')!.path).toBe(`/api/v1/calendar/days/${calendar.year}-06-30`);
  });

  it('is read-only without org:manage', async () => {
    renderEditor(false);
    const weekend = await screen.findByTestId('calendar-weekend');
    expect(within(weekend).getByLabelText('周六')).toBeDisabled();
    expect(screen.queryByTestId('calendar-save')).toBeNull();
    expect(screen.queryByTestId('calendar-day-form')).toBeNull();
  });
});
