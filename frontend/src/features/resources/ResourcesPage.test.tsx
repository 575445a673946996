import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResourcesPage } from './ResourcesPage';
import { api, booking, json, keeper, looker, overCapacity, planner, renderPage } from './testing';

beforeEach(() => api.reset());

const rowOf = async (name: string) => (await screen.findByText(name)).closest('tr')!;

describe('ResourcesPage', () => {
  it('lists the catalogue with each kind’s figures, active ones only at first', async () => {
    renderPage(keeper, <ResourcesPage />, '/resources');
    const chen = await rowOf('陈晨');
    expect(chen).toHaveTextContent('人员');
    expect(chen).toHaveTextContent('内容运营 · 40 小时/周 · ¥150.00/小时');
    expect(await rowOf('国家会展中心 4.1 馆')).toHaveTextContent('上海市青浦区 · 可容纳 3000 人');
    const vendor = await rowOf('星河会展');
    expect(within(vendor).getByTestId('contract-state')).toHaveTextContent('合同已于 2020年6月30日 到期');
    // A booked resource is retired, not deleted.
    expect(within(vendor).queryByTestId('resource-delete')).not.toBeInTheDocument();
    expect(within(await rowOf('国家会展中心 4.1 馆')).getByTestId('resource-delete')).toBeInTheDocument();
    expect(
      api
        .of('GET')
        .find((c) => c.path === '/resources')
        ?.query.get('active'),
    ).toBe('true');
  });

  it('filters by kind and search through the address', async () => {
    const user = userEvent.setup();
    renderPage(keeper, <ResourcesPage />, '/resources');
    await rowOf('陈晨');
    await user.click(within(screen.getByTestId('resource-kinds')).getByText('场地'));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('kind=venue'));
    await waitFor(() => expect(screen.queryByText('陈晨')).not.toBeInTheDocument());
    const search = screen.getByTestId('resource-search');
    fireEvent.change(search, { target: { value: '会展' } });
    fireEvent.keyDown(search, { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() =>
      expect(
        api
          .of('GET')
          .filter((c) => c.path === '/resources')
          .at(-1)
          ?.query.get('q'),
      ).toBe('会展'),
    );
    await user.click(screen.getByTestId('resource-with-retired'));
    await waitFor(() =>
      expect(
        api
          .of('GET')
          .filter((c) => c.path === '/resources')
          .at(-1)
          ?.query.has('active'),
      ).toBe(false),
    );
  });

  it('creates a venue with its own fields only', async () => {
    const user = userEvent.setup();
    renderPage(keeper, <ResourcesPage />, '/resources');
    await rowOf('陈晨');
    await user.click(screen.getByTestId('resource-create'));
    await user.click(await screen.findByText('场地', { selector: '.ant-dropdown-menu-title-content' }));
    const form = await screen.findByTestId('resource-form');
    expect(within(form).queryByTestId('resource-rate')).not.toBeInTheDocument();
    fireEvent.change(screen.getByTestId('resource-name'), { target: { value: ' 二号厅 ' } });
    fireEvent.change(within(form).getByLabelText('地址'), { target: { value: '北京市朝阳区' } });
    await user.click(screen.getByTestId('resource-submit'));
    await waitFor(() => expect(api.of('POST')).toHaveLength(1));
    expect(api.of('POST')[0]).toMatchObject({
      path: '/resources',
      body: { kind: 'venue', name: '二号厅', address: '北京市朝阳区' },
    });
  });

  it('puts the server’s refusal under the field it names', async () => {
    const user = userEvent.setup();
    api.respond = (method, path) =>
      method === 'POST' && path === '/resources'
        ? json(
            {
              type: 'urn:mems:problem:duplicate',
              title: '已存在',
              status: 409,
              detail: '已存在名为“国家会展中心 4.1 馆”的场地资源。',
              errors: [{ field: 'name', message: '已存在', type: 'duplicate' }],
            },
            409,
          )
        : undefined;
    renderPage(keeper, <ResourcesPage />, '/resources');
    await rowOf('陈晨');
    await user.click(screen.getByTestId('resource-create'));
    await user.click(await screen.findByText('场地', { selector: '.ant-dropdown-menu-title-content' }));
    fireEvent.change(await screen.findByTestId('resource-name'), { target: { value: '国家会展中心 4.1 馆' } });
    await user.click(screen.getByTestId('resource-submit'));
    const form = await screen.findByTestId('resource-form');
    await waitFor(() => expect(within(form).getByText('已存在')).toBeInTheDocument());
  });

  it('retires a resource at the version read', async () => {
    const user = userEvent.setup();
    renderPage(keeper, <ResourcesPage />, '/resources');
    await user.click(within(await rowOf('星河会展')).getByTestId('resource-retire'));
    await waitFor(() => expect(document.querySelector('.ant-popconfirm')).not.toBeNull());
    const confirm = document.querySelector<HTMLElement>('.ant-popconfirm')!;
    await user.click(within(confirm).getByRole('button', { name: '停 用' }));
    await waitFor(() => expect(api.of('PATCH')).toHaveLength(1));
    expect(api.of('PATCH')[0]).toMatchObject({ path: '/resources/r-xinghe', body: { active: false, version: 1 } });
  });

  it('shows a resource’s bookings, and planners release one', async () => {
    const user = userEvent.setup();
    renderPage(planner, <ResourcesPage />, '/resources');
    await user.click(within(await rowOf('陈晨')).getByTestId('resource-open'));
    const drawer = await screen.findByTestId('resource-allocations');
    expect(await within(drawer).findByText('P2026-005 · 2026Q4-品牌-年终种草计划')).toBeInTheDocument();
    expect(drawer).toHaveTextContent('6 小时/天，共 30 小时');
    expect(drawer).toHaveTextContent('¥4,500.00');
    expect(screen.getByTestId('resource-allocate')).toBeInTheDocument();
    await user.click(within(drawer).getByTestId('allocation-release'));
    await user.click(await screen.findByRole('button', { name: '释 放' }));
    await waitFor(() => expect(api.of('DELETE')).toMatchObject([{ path: '/allocations/a1' }]));
  });

  it('books a person for a project and shows the conflicts the booking causes', async () => {
    const user = userEvent.setup();
    api.respond = (method, path, body) => {
      if (path === '/projects') {
        return json({
          items: [
            { id: 'p1', code: 'P2026-005', name: '年终种草计划', starts_on: '2026-11-01', ends_on: '2026-12-31' },
          ],
          total: 1,
          limit: 200,
          offset: 0,
        });
      }
      if (method === 'POST' && path === '/projects/p1/allocations') {
        return json({ ...booking, ...(body as object), conflicts: [overCapacity] }, 201);
      }
      return undefined;
    };
    renderPage(planner, <ResourcesPage />, '/resources');
    await user.click(within(await rowOf('陈晨')).getByTestId('resource-row-allocate'));
    fireEvent.mouseDown(within(await screen.findByTestId('allocate-project')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('P2026-005 · 年终种草计划'));
    const [first, last] = within(screen.getByTestId('allocate-form')).getAllByPlaceholderText(/date/i);
    // The project chosen, its dates come first; the days are then narrowed.
    expect(first).toHaveValue('2026-11-01');
    expect(last).toHaveValue('2026-12-31');
    await user.click(first!);
    await user.clear(first!);
    await user.type(first!, '2026-11-30{enter}');
    await user.clear(last!);
    await user.type(last!, '2026-12-04{enter}');
    fireEvent.change(screen.getByTestId('allocate-hours'), { target: { value: '4' } });
    await user.click(screen.getByTestId('allocate-submit'));
    await waitFor(() => expect(api.of('POST')).toHaveLength(1));
    expect(api.of('POST')[0]).toMatchObject({
      path: '/projects/p1/allocations',
      body: { resource_id: 'r-chen', starts_on: '2026-11-30', ends_on: '2026-12-04', hours_per_day: '4' },
    });
    const conflicts = await screen.findByTestId('allocation-conflicts');
    expect(conflicts).toHaveTextContent('超负荷');
    expect(conflicts).toHaveTextContent('陈晨 在 2026年11月30日 这一周排了 50 小时，超出可用的 40 小时');
  });

  it('lets those who only look read the catalogue, without changing it', async () => {
    renderPage(looker, <ResourcesPage />, '/resources');
    await rowOf('陈晨');
    expect(screen.queryByTestId('resource-create')).not.toBeInTheDocument();
    expect(screen.queryByTestId('resource-edit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('resource-row-allocate')).not.toBeInTheDocument();
  });
});
