import type { Gantt } from './api';
import { moveBody, toChart } from './ganttView';

describe('the Gantt mapping', () => {
  const gantt = {
    tasks: [
      {
        id: 't1',
        phase_id: null,
        parent_id: null,
        wbs: '1',
        title: '主图',
        assignee_member_id: 'm1',
        assignee_name: '陈执行',
        starts_on: '2026-12-01',
        due_on: '2026-12-03',
        duration_days: 3,
        progress: 50,
        status: 'in_progress',
        priority: 'high',
        milestone: false,
        summary: false,
        slack_days: 0,
        critical: true,
        version: 4,
        baseline_starts_on: '2026-11-30',
        baseline_due_on: '2026-12-02',
      },
    ],
    dependencies: [{ id: 'd1', predecessor_id: 't1', successor_id: 't2', type: 'FS', lag_days: 2 }],
  } as Pick<Gantt, 'tasks' | 'dependencies'>;

  it("maps the endpoint's tasks and links onto the chart's props", () => {
    const chart = toChart(gantt, { showCritical: true });
    expect(chart.tasks[0]).toEqual({
      id: 't1',
      parentId: null,
      wbs: '1',
      title: '主图',
      start: '2026-12-01',
      end: '2026-12-03',
      progress: 50,
      milestone: false,
      critical: true,
      assigneeName: '陈执行',
      baselineStart: '2026-11-30',
      baselineEnd: '2026-12-02',
    });
    expect(chart.links).toEqual([{ id: 'd1', predecessorId: 't1', successorId: 't2', type: 'FS', lagDays: 2 }]);
  });

  it('marks nothing critical with the critical path off', () => {
    expect(toChart(gantt, { showCritical: false }).tasks[0]!.critical).toBe(false);
  });

  it('moves a whole bar (or a milestone) by its start, so it keeps its working days; a resize sends what moved', () => {
    const bar = { milestone: false, version: 2, starts_on: '2026-12-01', due_on: '2026-12-03' };
    expect(moveBody({ ...bar, milestone: true, due_on: '2026-12-01' }, '2026-12-10', '2026-12-10')).toEqual({
      starts_on: '2026-12-10',
      version: 2,
    });
    // Dragged three days: Friday to Sunday would be one working day; the start alone keeps three.
    expect(moveBody(bar, '2026-12-04', '2026-12-06')).toEqual({ starts_on: '2026-12-04', version: 2 });
    expect(moveBody(bar, '2026-12-01', '2026-12-08')).toEqual({ due_on: '2026-12-08', version: 2 });
    expect(moveBody(bar, '2026-12-02', '2026-12-03')).toEqual({
      starts_on: '2026-12-02',
      due_on: '2026-12-03',
      version: 2,
    });
  });
});
