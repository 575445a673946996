import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ProjectResources } from './ProjectResources';
import {
  api,
  boxes,
  boxesForSeeding,
  campaign,
  chen,
  chenForSeeding,
  hall,
  hallForSeeding,
  hallTaken,
  json,
  looker,
  overCapacity,
  person,
  planner,
  renderPage,
} from './testing';

beforeEach(() => {
  api.reset();
  api.resources = [chen, hall, boxes];
  api.projectAllocations = [chenForSeeding, hallForSeeding, boxesForSeeding];
  api.conflicts = [overCapacity, hallTaken];
});

/** The table row of the booking of `name`. */
async function rowOf(name: string) {
  const cells = await screen.findAllByTestId('allocation-resource');
  const cell = cells.find((c) => c.textContent === name);
  if (!cell) throw new Error(`no booking of ${name}`);
  return cell.closest('tr')!;
}

/** Picks `title` in the antd select with the given test id. */
async function choose(testId: string, title: string) {
  fireEvent.mouseDown(within(await screen.findByTestId(testId)).getByRole('combobox'));
  fireEvent.click(await screen.findByTitle(title));
}

describe('ProjectResources', () => {
  it('lists the bookings by kind, each with its figures and its conflicts flagged', async () => {
    renderPage(planner, <ProjectResources project={campaign} mayManage />);
    const people = await screen.findByTestId('project-resources-person');
    expect(within(people).getByText('人员')).toBeInTheDocument();
    const chenRow = await rowOf('陈晨');
    expect(chenRow).toHaveTextContent('6 小时/天，共 30 小时');
    expect(chenRow).toHaveTextContent('2026年11月30日 – 2026年12月4日');
    expect(chenRow).toHaveTextContent('5 个工作日');
    expect(chenRow).toHaveTextContent('负责小红书笔记');
    expect(chenRow).toHaveTextContent('¥4,500.00');
    await waitFor(() => expect(chenRow).toHaveTextContent('种草内容排期'));
    await waitFor(() =>
      expect(within(chenRow).getByTestId('allocation-conflict')).toHaveTextContent(
        '超出本周工时（第 49 周，50/40 小时）',
      ),
    );

    const hallRow = await rowOf('国家会展中心 4.1 馆');
    expect(hallRow.closest('section')).toHaveAttribute('data-testid', 'project-resources-venue');
    expect(within(hallRow).getByTestId('allocation-conflict')).toHaveTextContent(
      '场地被 2026Q4-品牌-年终美妆展会 项目占用',
    );

    const boxesRow = await rowOf('年终礼盒');
    expect(boxesRow).toHaveTextContent('200 套');
    expect(boxesRow).toHaveTextContent('¥16,000.00');
    expect(within(boxesRow).queryByTestId('allocation-conflict')).not.toBeInTheDocument();

    expect(screen.getByTestId('project-resources-conflicted')).toHaveTextContent('2 项分配存在冲突');
    // The conflicts asked for cover the days the project booked.
    const asked = api.calls.find((c) => c.path === '/resource-conflicts')!;
    expect([asked.query.get('from'), asked.query.get('to')]).toEqual(['2026-11-30', '2026-12-10']);
  });

  it('shows planned costs only to those who read budgets', async () => {
    renderPage(looker, <ProjectResources project={campaign} mayManage={false} />);
    await rowOf('陈晨');
    expect(screen.queryByText('计划成本')).not.toBeInTheDocument();
    expect(screen.queryByText('¥4,500.00')).not.toBeInTheDocument();
  });

  it('lets only a manager of an open project with resources:allocate book and change', async () => {
    renderPage(planner, <ProjectResources project={campaign} mayManage />);
    await rowOf('陈晨');
    expect(screen.getByTestId('project-allocate')).toBeInTheDocument();
    expect(screen.getAllByTestId('allocation-edit')).toHaveLength(3);
    expect(screen.getAllByTestId('allocation-release')).toHaveLength(3);
  });

  it.each([
    ['a planner who does not manage the project', planner, false, campaign],
    ['a manager without resources:allocate', person('m-pm', ['resources:read', 'budget:read']), true, campaign],
    ['a manager of a closed project', planner, true, { ...campaign, status: 'closed' as const }],
  ])('shows %s the bookings without changing them', async (_, me, mayManage, project) => {
    renderPage(me, <ProjectResources project={project} mayManage={mayManage} />);
    await rowOf('陈晨');
    expect(screen.queryByTestId('project-allocate')).not.toBeInTheDocument();
    expect(screen.queryByTestId('allocation-edit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('allocation-release')).not.toBeInTheDocument();
  });

  it('books over the project’s dates: hours for a person, a quantity for the others; then shows the conflicts', async () => {
    const user = userEvent.setup();
    api.respond = (method, path, body) =>
      method === 'POST' && path === '/projects/p1/allocations'
        ? json({ ...chenForSeeding, id: 'a5', ...(body as object), conflicts: [overCapacity] }, 201)
        : undefined;
    renderPage(planner, <ProjectResources project={campaign} mayManage />);
    await user.click(await screen.findByTestId('project-allocate'));
    const form = await screen.findByTestId('allocate-form');
    expect(within(form).getByTestId('allocate-fixed-project')).toHaveTextContent(
      'P2026-005 · 2026Q4-品牌-年终种草计划',
    );
    const [first, last] = within(form).getAllByPlaceholderText(/date/i);
    expect(first).toHaveValue('2026-11-16');
    expect(last).toHaveValue('2026-12-31');
    // Nothing chosen yet: neither hours nor quantity.
    expect(within(form).queryByTestId('allocate-hours')).not.toBeInTheDocument();
    expect(within(form).queryByTestId('allocate-quantity')).not.toBeInTheDocument();

    await choose('allocate-resource', '国家会展中心 4.1 馆');
    expect(await within(form).findByTestId('allocate-quantity')).toBeInTheDocument();
    expect(within(form).queryByTestId('allocate-hours')).not.toBeInTheDocument();

    await choose('allocate-resource', '陈晨 · 内容运营');
    expect(await within(form).findByTestId('allocate-hours')).toBeInTheDocument();
    expect(within(form).queryByTestId('allocate-quantity')).not.toBeInTheDocument();
    fireEvent.change(within(form).getByTestId('allocate-hours'), { target: { value: '4' } });
    await choose('allocate-task', '达人探店');
    await user.click(screen.getByTestId('allocate-submit'));

    await waitFor(() => expect(api.of('POST')).toHaveLength(1));
    expect(api.of('POST')[0]).toMatchObject({
      path: '/projects/p1/allocations',
      body: {
        resource_id: 'r-chen',
        starts_on: '2026-11-16',
        ends_on: '2026-12-31',
        hours_per_day: '4',
        task_id: 't2',
      },
    });
    expect(api.of('POST')[0]?.body).not.toHaveProperty('quantity');
    const conflicts = await screen.findByTestId('allocation-conflicts');
    expect(conflicts).toHaveTextContent('陈晨 在 2026年11月30日 这一周排了 50 小时，超出可用的 40 小时');
    // The bookings are read again (the new one and its conflicts show in the table).
    await waitFor(() =>
      expect(api.of('GET').filter((c) => c.path === '/projects/p1/allocations').length).toBeGreaterThan(1),
    );
  });

  it('asks a material for its quantity', async () => {
    const user = userEvent.setup();
    renderPage(planner, <ProjectResources project={campaign} mayManage />);
    await user.click(await screen.findByTestId('project-allocate'));
    await choose('allocate-resource', '年终礼盒');
    await user.click(screen.getByTestId('allocate-submit'));
    expect(await screen.findByText('物料需要填写数量')).toBeInTheDocument();
    expect(api.of('POST')).toHaveLength(0);
  });

  it('changes a booking at the version read, sending what changed', async () => {
    const user = userEvent.setup();
    renderPage(planner, <ProjectResources project={campaign} mayManage />);
    await user.click(within(await rowOf('国家会展中心 4.1 馆')).getByTestId('allocation-edit'));
    const form = await screen.findByTestId('allocate-form');
    expect(within(form).queryByTestId('allocate-resource')).not.toBeInTheDocument();
    expect(within(form).queryByTestId('allocate-hours')).not.toBeInTheDocument();
    const [first, last] = within(form).getAllByPlaceholderText(/date/i);
    expect(first).toHaveValue('2026-12-02');
    expect(last).toHaveValue('2026-12-03');
    fireEvent.change(within(form).getByTestId('allocate-quantity'), { target: { value: '1' } });
    await user.click(screen.getByTestId('allocate-submit'));
    await waitFor(() => expect(api.of('PATCH')).toHaveLength(1));
    expect(api.of('PATCH')[0]).toEqual(
      expect.objectContaining({ path: '/allocations/a3', body: { quantity: '1', version: 2 } }),
    );
    expect(await screen.findByText('已保存“国家会展中心 4.1 馆”的分配')).toBeInTheDocument();
  });

  it('releases a booking', async () => {
    const user = userEvent.setup();
    renderPage(planner, <ProjectResources project={campaign} mayManage />);
    await user.click(within(await rowOf('陈晨')).getByTestId('allocation-release'));
    await user.click(await screen.findByRole('button', { name: '释 放' }));
    await waitFor(() => expect(api.of('DELETE')).toMatchObject([{ path: '/allocations/a1' }]));
  });

  it('says so when nothing is booked', async () => {
    api.projectAllocations = [];
    renderPage(planner, <ProjectResources project={campaign} mayManage />);
    expect(await screen.findByText(/还没有分配资源/)).toBeInTheDocument();
    expect(api.calls.some((c) => c.path === '/resource-conflicts')).toBe(false);
  });
});
