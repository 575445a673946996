import dayjs from 'dayjs';
import type { MovedTask, Phase, Task } from './api';
import {
  assigneeOptions,
  boardColumns,
  createBody,
  formValuesFrom,
  listRows,
  matchesFilter,
  mayEditPlan,
  mayReport,
  parentOptions,
  shiftDays,
  sortMoved,
  updateBody,
  wbsOrder,
} from './model';

let seq = 0;
function task(over: Partial<Task> & { id: string }): Task {
  seq += 1;
  return {
    project_id: 'p1',
    phase_id: null,
    parent_id: null,
    position: seq,
    title: over.id,
    description: null,
    assignee_member_id: null,
    assignee_name: null,
    not_before: null,
    starts_on: '2026-12-01',
    due_on: '2026-12-03',
    duration_days: 3,
    progress: 0,
    status: 'todo',
    priority: 'medium',
    milestone: false,
    estimate_hours: null,
    actual_hours: null,
    key_result_id: null,
    slack_days: 0,
    critical: false,
    completed_at: null,
    version: 1,
    ...over,
  };
}

const phase = (id: string, name = id): Phase => ({
  id,
  project_id: 'p1',
  position: 0,
  name,
  starts_on: '2026-12-01',
  ends_on: '2026-12-31',
});

describe('wbsOrder', () => {
  const phases = [phase('ph1'), phase('ph2')];
  const tasks = [
    task({ id: 'loose' }),
    task({ id: 'a', phase_id: 'ph1' }),
    task({ id: 'a1', phase_id: 'ph1', parent_id: 'a' }),
    task({ id: 'a1x', phase_id: 'ph1', parent_id: 'a1' }),
    task({ id: 'b', phase_id: 'ph2' }),
    task({ id: 'a2', phase_id: 'ph1', parent_id: 'a' }),
    task({ id: 'orphan', phase_id: 'gone' }),
  ];

  it('numbers tasks as the server does: phase n → n.1, subtasks n.1.1, loose tasks after the phases', () => {
    const ordered = wbsOrder(tasks, phases);
    expect(ordered.map((t) => [t.id, t.wbs, t.depth])).toEqual([
      ['a', '1.1', 0],
      ['a1', '1.1.1', 1],
      ['a1x', '1.1.1.1', 2],
      ['a2', '1.1.2', 1],
      ['b', '2.1', 0],
      ['loose', '3', 0],
      ['orphan', '4', 0],
    ]);
  });

  it('marks tasks with subtasks as summaries', () => {
    const summary = Object.fromEntries(wbsOrder(tasks, phases).map((t) => [t.id, t.summary]));
    expect(summary).toMatchObject({ a: true, a1: true, a1x: false, a2: false, b: false });
  });
});

describe('listRows', () => {
  const phases = [phase('ph1', '策划'), phase('ph2', '执行'), phase('ph3', '复盘')];
  const ordered = wbsOrder(
    [
      task({ id: 'a', phase_id: 'ph1', status: 'done', assignee_member_id: 'm1' }),
      task({ id: 'b', phase_id: 'ph1', assignee_member_id: 'm2' }),
      task({ id: 'c', phase_id: 'ph2', status: 'blocked', assignee_member_id: 'm1' }),
      task({ id: 'd' }),
    ],
    phases,
  );

  it('puts each phase as a group row before its tasks, counting done work, and the loose tasks last', () => {
    const rows = listRows(ordered, phases, {});
    expect(
      rows.map((r) => (r.kind === 'phase' ? `[${r.phase?.name ?? '-'} ${r.done}/${r.total}]` : r.task.id)),
    ).toEqual(['[策划 1/2]', 'a', 'b', '[执行 0/1]', 'c', '[复盘 0/0]', '[- 0/1]', 'd']);
  });

  it('drops groups with no matching task while filtering', () => {
    const rows = listRows(ordered, phases, { assignee: 'm1' });
    expect(rows.map((r) => (r.kind === 'phase' ? r.phase?.id : r.task.id))).toEqual(['ph1', 'a', 'ph2', 'c']);
    expect(listRows(ordered, phases, { phase: 'none' }).map((r) => (r.kind === 'task' ? r.task.id : 'group'))).toEqual([
      'group',
      'd',
    ]);
  });

  it('filters by status, assignee and phase together', () => {
    const t = ordered.find((x) => x.id === 'c')!;
    expect(matchesFilter(t, { statuses: ['blocked'], assignee: 'm1', phase: 'ph2' })).toBe(true);
    expect(matchesFilter(t, { statuses: ['todo', 'done'] })).toBe(false);
    expect(matchesFilter(t, { phase: 'ph1' })).toBe(false);
    expect(matchesFilter(t, { phase: 'none' })).toBe(false);
  });
});

describe('boardColumns', () => {
  it('groups by status and leaves cancelled tasks off the board', () => {
    const columns = boardColumns([
      { id: '1', status: 'todo' as const },
      { id: '2', status: 'done' as const },
      { id: '3', status: 'cancelled' as const },
      { id: '4', status: 'todo' as const },
      { id: '5', status: 'blocked' as const },
    ]);
    expect(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.map((x) => x.id)]))).toEqual({
      todo: ['1', '4'],
      in_progress: [],
      blocked: ['5'],
      done: ['2'],
    });
  });
});

describe('who may do what', () => {
  const pm = { membership_id: 'm-pm', permissions: ['projects:read', 'projects:write', 'work:write'] };
  const director = { membership_id: 'm-d', permissions: ['projects:read', 'projects:manage_all', 'work:write'] };
  const member = { membership_id: 'm1', permissions: ['projects:read', 'work:write'] };
  const viewer = { membership_id: 'm-v', permissions: ['projects:read'] };
  const own = { owner_member_id: 'm-pm', status: 'active' as const };

  it('lets the project manager of the project, directors and admins edit an open plan', () => {
    expect(mayEditPlan(pm, own)).toBe(true);
    expect(mayEditPlan(pm, { ...own, owner_member_id: 'other' })).toBe(false);
    expect(mayEditPlan(director, { ...own, owner_member_id: 'other' })).toBe(true);
    expect(mayEditPlan(member, own)).toBe(false);
    expect(mayEditPlan(director, { ...own, status: 'closed' })).toBe(false);
    expect(mayEditPlan(pm, { ...own, status: 'cancelled' })).toBe(false);
  });

  it('lets the assignee report on their own task', () => {
    expect(mayReport(member, { assignee_member_id: 'm1' })).toBe(true);
    expect(mayReport(member, { assignee_member_id: 'm2' })).toBe(false);
    expect(mayReport(viewer, { assignee_member_id: 'm-v' })).toBe(false);
  });

  it('offers the manager and the working roles as assignees, not reviewers or observers', () => {
    const options = assigneeOptions({
      owner_member_id: 'm-pm',
      owner_name: '张项目',
      members: [
        { member_id: 'm-pm', name: '张项目', role: 'manager' },
        { member_id: 'm1', name: '陈执行', role: 'contributor' },
        { member_id: 'm2', name: '周审', role: 'reviewer' },
        { member_id: 'm3', name: '吴核心', role: 'core' },
      ],
    });
    expect(options.map((o) => o.value)).toEqual(['m-pm', 'm1', 'm3']);
  });
});

describe('task form bodies', () => {
  it('creates with a duration, or a due date, or as a milestone with neither', () => {
    const values = {
      ...formValuesFrom(null, { phase_id: 'ph1' }),
      title: ' 主图设计 ',
      starts_on: dayjs('2026-12-01'),
      duration_days: 4,
      estimate_hours: 16,
    };
    expect(createBody(values)).toMatchObject({
      title: '主图设计',
      phase_id: 'ph1',
      starts_on: '2026-12-01',
      duration_days: 4,
      estimate_hours: '16',
      milestone: false,
    });
    expect(createBody(values)).not.toHaveProperty('due_on');
    const due = createBody({ ...values, length_mode: 'due', due_on: dayjs('2026-12-09') });
    expect(due).toMatchObject({ due_on: '2026-12-09' });
    expect(due).not.toHaveProperty('duration_days');
    const milestone = createBody({ ...values, milestone: true });
    expect(milestone).not.toHaveProperty('due_on');
    expect(milestone).not.toHaveProperty('duration_days');
    // A subtask takes its parent's phase: no phase is sent with a parent.
    expect(createBody({ ...values, parent_id: 'a' })).toMatchObject({ parent_id: 'a', phase_id: null });
  });

  it('sends only what changed, with the version', () => {
    const t = task({ id: 'x', title: '主图', version: 7, description: 'old' });
    const values = formValuesFrom(t);
    expect(updateBody(t, values, true)).toEqual({ version: 7 });
    expect(updateBody(t, { ...values, progress: 40, description: 'new' }, true)).toEqual({
      version: 7,
      progress: 40,
      description: 'new',
    });
  });

  it("keeps an assignee's save to the report's fields", () => {
    const t = task({ id: 'x', title: '主图', version: 3 });
    const values = { ...formValuesFrom(t), title: '改名', priority: 'high' as const, progress: 60, actual_hours: 5 };
    expect(updateBody(t, values, false)).toEqual({ version: 3, progress: 60, actual_hours: '5' });
    expect(updateBody(t, values, true)).toMatchObject({ title: '改名', priority: 'high', progress: 60 });
  });

  it('sends the due date with a new start, so the due date stays as shown', () => {
    const t = task({ id: 'x', starts_on: '2026-12-01', due_on: '2026-12-03' });
    const body = updateBody(t, { ...formValuesFrom(t), starts_on: dayjs('2026-12-02') }, true);
    expect(body).toMatchObject({ starts_on: '2026-12-02', due_on: '2026-12-03' });
  });

  it('offers no parent that is the task itself or below it', () => {
    const ordered = wbsOrder(
      [task({ id: 'a' }), task({ id: 'a1', parent_id: 'a' }), task({ id: 'b' }), task({ id: 'm', milestone: true })],
      [],
    );
    expect(parentOptions(ordered, 'a').map((o) => o.value)).toEqual(['b']);
    expect(parentOptions(ordered, null).map((o) => o.value)).toEqual(['a', 'a1', 'b']);
  });
});

describe('what a change moved', () => {
  const moved = (id: string, milestone: boolean, start: string): MovedTask => ({
    task_id: id,
    title: id,
    milestone,
    starts_on_before: '2026-12-01',
    starts_on: start,
    due_on_before: '2026-12-04',
    due_on: '2026-12-08',
  });

  it('lists milestones first, then by the new start', () => {
    expect(
      sortMoved([moved('b', false, '2026-12-05'), moved('m', true, '2026-12-09'), moved('a', false, '2026-12-03')]).map(
        (m) => m.task_id,
      ),
    ).toEqual(['m', 'a', 'b']);
  });

  it('counts the shift of the due date in calendar days', () => {
    expect(shiftDays(moved('a', false, '2026-12-03'))).toBe(4);
  });
});
