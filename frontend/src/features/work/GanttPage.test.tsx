import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { GanttPage } from './GanttPage';
import { api, assignee, json, pm, renderAt } from './testing';

configure({ asyncUtilTimeout: 15_000 });
vi.setConfig({ testTimeout: 60_000 });

/*
 * The chart itself (SVAR, canvas-like layout) is tested with its own component; here it is a
 * stand-in that reports a drag and a drawn link, so the page's wiring to the API is what runs.
 */
vi.mock('./gantt/GanttChart', () => ({
  GanttChart: (props: {
    tasks: { id: string; title: string; critical: boolean }[];
    links: unknown[];
    readOnly?: boolean;
    onTaskMove?: (id: string, start: string, end: string) => void;
    onLinkCreate?: (a: string, b: string, type: 'FS') => void;
  }) => (
    <div data-testid="chart-stub" data-readonly={String(!!props.readOnly)}>
      {props.tasks.map((t) => (
        <span key={t.id} data-testid="chart-task" data-critical={String(t.critical)}>
          {t.title}
        </span>
      ))}
      <button type="button" onClick={() => props.onTaskMove?.('t-a', '2026-12-03', '2026-12-05')}>
        drag
      </button>
      <button type="button" onClick={() => props.onLinkCreate?.('t-c', 't-a', 'FS')}>
        link
      </button>
    </div>
  ),
}));

const routes = <Route path="/projects/:projectId/gantt" element={<GanttPage />} />;

beforeEach(() => api.reset());

describe('GanttPage', () => {
  it('saves a drag as the new dates with the version, and lists the tasks it moved', async () => {
    renderAt('/projects/p1/gantt', pm, routes);
    const chart = await screen.findByTestId('chart-stub');
    expect(chart).toHaveAttribute('data-readonly', 'false');
    expect(screen.getByTestId('slipped-milestone')).toHaveTextContent('大促开场');
    fireEvent.click(within(chart).getByText('drag'));
    await waitFor(() => expect(api.patches()).toHaveLength(1));
    expect(api.patches()[0]).toEqual({
      method: 'PATCH',
      path: '/tasks/t-a',
      // Moved whole (two days later at both ends): the new start alone, the length is kept.
      body: { starts_on: '2026-12-03', version: 5 },
    });
    expect(within(await screen.findByTestId('moved-list')).getByText('大促开场')).toBeInTheDocument();
    // The move refetches the plan.
    await waitFor(() => expect(api.calls.filter((c) => c.path === '/projects/p1/gantt').length).toBeGreaterThan(1));
  });

  it("shows a refused link's detail (a cycle)", async () => {
    api.respond = (method, path) =>
      method === 'POST' && path === '/projects/p1/dependencies'
        ? json(
            {
              type: 'about:blank',
              title: 'Validation failed',
              status: 422,
              detail: '这些依赖会形成循环：促销机制 → 大促开场 → 促销机制。',
              errors: [],
            },
            422,
          )
        : undefined;
    renderAt('/projects/p1/gantt', pm, routes);
    const chart = await screen.findByTestId('chart-stub');
    fireEvent.click(within(chart).getByText('link'));
    expect(await screen.findByTestId('gantt-problem')).toHaveTextContent('形成循环');
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({
      predecessor_id: 't-c',
      successor_id: 't-a',
      type: 'FS',
      lag_days: 0,
    });
  });

  it('is read-only for people who cannot change the plan, and turns the critical path off', async () => {
    renderAt('/projects/p1/gantt', assignee, routes);
    const chart = await screen.findByTestId('chart-stub');
    expect(chart).toHaveAttribute('data-readonly', 'true');
    expect(screen.queryByTestId('baseline-save')).toBeNull();
    const critical = () =>
      within(screen.getByTestId('chart-stub'))
        .getAllByTestId('chart-task')
        .filter((t) => t.dataset.critical === 'true');
    expect(critical()).toHaveLength(1);
    fireEvent.click(screen.getByTestId('gantt-critical'));
    await waitFor(() => expect(critical()).toHaveLength(0));
  });
});
