import type { Gantt } from './api';
import { isPhaseRow, moveBody, toChart } from './ganttView';

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

  it('puts each phase as a summary row above its tasks, subtasks under their parent, loose tasks last', () => {
    const base = gantt.tasks[0]!;
    const task = (
      id: string,
      phase: string | null,
      parent: string | null,
      wbs: string,
      progress: number,
      summary = false,
    ) => ({
      ...base,
      id,
      phase_id: phase,
      parent_id: parent,
      wbs,
      title: id,
      progress,
      summary,
    });
    const phase = (id: string, position: number, name: string) => ({
      id,
      project_id: 'p',
      position,
      name,
      starts_on: '2026-12-01',
      ends_on: '2026-12-20',
    });
    const chart = toChart(
      {
        // the server's WBS order: phase 1's tasks, phase 2's, then tasks in no phase
        tasks: [
          task('a', 'ph1', null, '1.1', 40, true),
          task('a1', null, 'a', '1.1.1', 20),
          task('a2', null, 'a', '1.1.2', 60),
          task('b', 'ph2', null, '2.1', 100),
          task('loose', null, null, '4', 0),
        ],
        dependencies: [],
        phases: [phase('ph2', 1, '执行'), phase('ph1', 0, '策划'), phase('ph3', 2, '复盘')],
      },
      { showCritical: true },
    );
    expect(chart.tasks.map((t) => [t.id, t.parentId, t.wbs])).toEqual([
      ['phase:ph1', null, '1'],
      ['a', 'phase:ph1', '1.1'],
      ['a1', 'a', '1.1.1'],
      ['a2', 'a', '1.1.2'],
      ['phase:ph2', null, '2'],
      ['b', 'phase:ph2', '2.1'],
      ['phase:ph3', null, '3'],
      ['loose', null, '4'],
    ]);
    const first = chart.tasks[0]!;
    expect([first.title, first.start, first.end, first.critical]).toEqual(['策划', '2026-12-01', '2026-12-20', false]);
    expect(first.progress).toBe(40); // its leaf tasks' mean: (20 + 60) / 2
    expect(isPhaseRow(first.id)).toBe(true);
    expect(isPhaseRow('a')).toBe(false);
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
