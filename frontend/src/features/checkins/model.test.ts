import type { CheckIn, OwnTask } from './api';
import { checkInBody, initialValues, shiftDay, turnout } from './model';

const task = (id: string, progress: number, status: string): OwnTask => ({
  id,
  project_id: 'p1',
  title: `任务${id}`,
  progress,
  status,
  starts_on: '2026-11-30',
  due_on: '2026-12-02',
});

describe('check-in form model', () => {
  const tasks = [task('a', 0, 'todo'), task('b', 40, 'in_progress'), task('c', 10, 'blocked')];

  it('starts from the check-in made and the tasks as they stand', () => {
    const made = { done: '写完', next: null, blockers: '等素材', version: 2 } as CheckIn;
    const values = initialValues(made, tasks);
    expect(values).toEqual({
      done: '写完',
      next: '',
      blockers: '等素材',
      tasks: {
        a: { progress: 0, status: 'todo' },
        b: { progress: 40, status: 'in_progress' },
        c: { progress: 10, status: 'blocked' },
      },
    });
    expect(initialValues(null, []).done).toBe('');
  });

  it('sends only the tasks the person changed, and a status only when they changed it', () => {
    const values = initialValues(null, tasks);
    values.done = '  完成海报初稿  ';
    values.next = '   ';
    values.tasks.a = { progress: 30, status: 'todo' };
    values.tasks.c = { progress: 10, status: 'in_progress' };
    expect(checkInBody(values, tasks)).toEqual({
      done: '完成海报初稿',
      next: null,
      blockers: null,
      task_updates: [
        { task_id: 'a', progress: 30 },
        { task_id: 'c', progress: 10, status: 'in_progress' },
      ],
    });
  });

  it('sends the version read when changing a check-in', () => {
    const values = { ...initialValues(null, []), done: '改' };
    expect(checkInBody(values, [], 3).version).toBe(3);
    expect(checkInBody(values, []).version).toBeUndefined();
  });

  it('moves through days across month and year ends', () => {
    expect(shiftDay('2026-12-01', -1)).toBe('2026-11-30');
    expect(shiftDay('2026-12-31', 1)).toBe('2027-01-01');
    expect(shiftDay('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('gives a team’s turnout as a share', () => {
    expect(turnout(3, 1)).toBe(75);
    expect(turnout(0, 0)).toBe(0);
    expect(turnout(2, 1)).toBe(67);
  });
});
