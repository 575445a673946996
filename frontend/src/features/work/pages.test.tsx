import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { CollabPanelsContext, type CollabPanels } from '@/lib/collabContext';
import { TaskBoardPage } from './TaskBoardPage';
import { TaskListPage } from './TaskListPage';
import { api, assignee, json, pm, renderAt } from './testing';

// Full pages with tables and forms render slowly in jsdom on a busy 2-core machine.
configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

const routes = (
  <>
    <Route path="/projects/:projectId/tasks" element={<TaskListPage />} />
    <Route path="/projects/:projectId/board" element={<TaskBoardPage />} />
  </>
);

// The app's panel slot, stubbed: a page asks it for the discussion of a subject.
const panels: CollabPanels = {
  Discussion: ({ subjectType, subjectId }) => <div data-testid="discussion-slot">{`${subjectType}:${subjectId}`}</div>,
  ProjectActivity: () => null,
  TodayCheckIn: () => null,
};
const withPanels = (
  <Route
    path="/projects/:projectId/tasks"
    element={
      <CollabPanelsContext.Provider value={panels}>
        <TaskListPage />
      </CollabPanelsContext.Provider>
    }
  />
);

beforeEach(() => api.reset());

describe('TaskListPage', () => {
  it('lists tasks in WBS order under their phases, with markers and indentation', async () => {
    renderAt('/projects/p1/tasks', pm, routes);
    const list = await screen.findByTestId('task-list');
    await within(list).findByText('主图设计');
    const groups = within(list).getAllByTestId('phase-group');
    expect(groups.map((g) => g.textContent)).toEqual([
      expect.stringContaining('策划'),
      expect.stringContaining('执行'),
    ]);
    const rows = within(list).getAllByTestId('task-row');
    expect(rows.map((r) => r.querySelector('td')?.textContent)).toEqual(['1.1', '2.1', '2.1.1', '2.2']);
    expect(within(rows[3]!).getByTestId('milestone')).toBeInTheDocument();
    expect(within(rows[2]!).getByTestId('critical')).toBeInTheDocument();
    // The PM may add tasks.
    expect(screen.getByTestId('task-new')).toBeInTheDocument();
  });

  it('lets the assignee report progress inline: PATCH with the version read, and shows what moved', async () => {
    renderAt('/projects/p1/tasks', assignee, routes);
    const list = await screen.findByTestId('task-list');
    await within(list).findByText('促销机制');
    expect(screen.queryByTestId('task-new')).toBeNull();
    const rows = within(list).getAllByTestId('task-row');
    // Only the assignee's own task has an editable bar.
    expect(within(rows[1]!).getByTestId('task-progress').tagName).toBe('DIV');
    fireEvent.click(within(rows[0]!).getByTestId('task-progress'));
    fireEvent.click(await screen.findByTestId('progress-step-75'));
    await waitFor(() => expect(api.patches()).toHaveLength(1));
    expect(api.patches()[0]).toEqual({ method: 'PATCH', path: '/tasks/t-a', body: { progress: 75, version: 5 } });
    const notice = await screen.findByTestId('moved-list');
    expect(within(notice).getByText('大促开场')).toBeInTheDocument();
    expect(within(notice).getByTestId('moved-task')).toHaveAttribute('data-milestone', 'true');
  });

  it('filters by status', async () => {
    renderAt('/projects/p1/tasks', pm, routes);
    const list = await screen.findByTestId('task-list');
    await within(list).findByText('主图设计');
    fireEvent.mouseDown(within(screen.getByTestId('filter-status')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('受阻'));
    await waitFor(() => expect(within(list).getAllByTestId('task-row')).toHaveLength(1));
    expect(within(list).getByText('大促开场')).toBeInTheDocument();
    expect(within(list).getAllByTestId('phase-group')).toHaveLength(1);
  });

  it('opens a task from the URL and saves only what changed', async () => {
    renderAt('/projects/p1/tasks?task=t-a', pm, routes);
    const title = await screen.findByTestId('task-title');
    expect(title).toHaveValue('促销机制');
    fireEvent.change(title, { target: { value: '促销机制与价格' } });
    fireEvent.click(screen.getByTestId('task-submit'));
    await waitFor(() => expect(api.patches()).toHaveLength(1));
    expect(api.patches()[0]!.body).toEqual({ title: '促销机制与价格', version: 5 });
  });

  it('shows the task’s discussion (comments and files) under its form when it is opened', async () => {
    renderAt('/projects/p1/tasks?task=t-a', pm, withPanels);
    expect(await screen.findByTestId('discussion-slot')).toHaveTextContent('task:t-a');
    // Outside the form: saving the task sends none of the discussion's input.
    expect(screen.getByTestId('task-form')).not.toContainElement(screen.getByTestId('discussion-slot'));
  });

  it('has no discussion on a task not created yet', async () => {
    renderAt('/projects/p1/tasks', pm, withPanels);
    fireEvent.click((await screen.findAllByTestId('phase-add-task'))[0]!);
    expect(await screen.findByTestId('task-form')).toBeInTheDocument();
    expect(screen.queryByTestId('discussion-slot')).toBeNull();
  });

  it('puts a refused field under its form field', async () => {
    api.respond = (method) =>
      method === 'PATCH'
        ? json(
            {
              type: 'about:blank',
              title: 'Validation failed',
              status: 422,
              detail: '请检查',
              errors: [{ field: 'body.title', message: '名称太长了', type: 'invalid' }],
            },
            422,
          )
        : undefined;
    renderAt('/projects/p1/tasks?task=t-a', pm, routes);
    const title = await screen.findByTestId('task-title');
    fireEvent.change(title, { target: { value: '新名字' } });
    fireEvent.click(screen.getByTestId('task-submit'));
    expect(await screen.findAllByText('名称太长了')).not.toHaveLength(0);
  });
});

describe('TaskBoardPage', () => {
  it('moves a card to another column: PATCH status with the version', async () => {
    renderAt('/projects/p1/board', pm, routes);
    const todo = await screen.findByTestId('board-column-todo');
    const card = await within(todo).findByText('促销机制');
    // The summary task (素材) follows its subtasks and is not on the board.
    expect(screen.queryByText('素材')).toBeNull();
    expect(within(screen.getByTestId('board-column-blocked')).getByText('大促开场')).toBeInTheDocument();
    const data = new Map<string, string>();
    const dataTransfer = {
      setData: (k: string, v: string) => data.set(k, v),
      getData: (k: string) => data.get(k) ?? '',
      effectAllowed: 'all',
      dropEffect: 'none',
    };
    fireEvent.dragStart(card.closest('[data-testid="board-card"]')!, { dataTransfer });
    const done = screen.getByTestId('board-column-done');
    fireEvent.dragOver(done, { dataTransfer });
    fireEvent.drop(done, { dataTransfer });
    // Shown in its new column at once, then saved.
    expect(within(done).getByText('促销机制')).toBeInTheDocument();
    await waitFor(() => expect(api.patches()).toHaveLength(1));
    expect(api.patches()[0]).toEqual({ method: 'PATCH', path: '/tasks/t-a', body: { status: 'done', version: 5 } });
  });

  it("does not let a member drag someone else's card", async () => {
    renderAt('/projects/p1/board', assignee, routes);
    const todo = await screen.findByTestId('board-column-todo');
    const mine = (await within(todo).findByText('促销机制')).closest('[data-testid="board-card"]')!;
    const other = within(screen.getByTestId('board-column-blocked'))
      .getByText('大促开场')
      .closest('[data-testid="board-card"]')!;
    expect(mine).toHaveAttribute('draggable', 'true');
    expect(other).toHaveAttribute('draggable', 'false');
  });
});
