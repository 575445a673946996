import {
  addDaysIso,
  baselineBox,
  dayOffset,
  daysBetween,
  fromSvarLinkType,
  isNonWorkingDay,
  linkKey,
  movedDates,
  parseDay,
  parseLinkKey,
  svarDays,
  toSvarLinks,
  toSvarLinkType,
  toSvarTasks,
} from './model';
import type { GanttTask } from './model';
import { dateFormatters } from './format';

function task(overrides: Partial<GanttTask> & Pick<GanttTask, 'id'>): GanttTask {
  return {
    parentId: null,
    wbs: '1',
    title: overrides.id,
    start: '2026-03-02',
    end: '2026-03-06',
    progress: 0,
    milestone: false,
    critical: false,
    assigneeName: null,
    ...overrides,
  };
}

describe('toSvarTasks', () => {
  it('makes parents expanded summary rows and gives bars an exclusive end', () => {
    const [phase, leaf, milestone] = toSvarTasks([
      task({ id: 'phase', wbs: '1' }),
      task({ id: 'leaf', parentId: 'phase', wbs: '1.1', assigneeName: '王芳', progress: 140 }),
      task({ id: 'gate', parentId: 'phase', wbs: '1.2', milestone: true, start: '2026-03-09', end: '2026-03-09' }),
    ]);
    expect(phase).toMatchObject({ id: 'phase', parent: 0, type: 'summary', open: true });
    expect(leaf).toMatchObject({ parent: 'phase', type: 'task', assigneeName: '王芳', progress: 100, wbs: '1.1' });
    expect(leaf?.open).toBeUndefined();
    // due 2026-03-06 (inclusive) → the bar ends at the start of 2026-03-07
    expect(leaf?.end).toEqual(new Date(2026, 2, 7));
    expect(leaf?.startDay).toBe('2026-03-02');
    expect(leaf?.endDay).toBe('2026-03-06');
    expect(milestone).toMatchObject({ type: 'milestone', start: new Date(2026, 2, 9), end: new Date(2026, 2, 9) });
  });

  it('shows a task whose parent is missing at the top level, and a parent flagged milestone as a summary', () => {
    const [orphan, parent] = toSvarTasks([
      task({ id: 'orphan', parentId: 'gone' }),
      task({ id: 'p', milestone: true }),
      task({ id: 'c', parentId: 'p' }),
    ]);
    expect(orphan?.parent).toBe(0);
    expect(parent?.type).toBe('summary');
  });

  it('draws an end before the start as a one-day bar', () => {
    const [bad] = toSvarTasks([task({ id: 'bad', start: '2026-03-05', end: '2026-03-01' })]);
    expect(bad?.end).toEqual(new Date(2026, 2, 6));
  });
});

describe('links', () => {
  it('maps the four dependency types both ways', () => {
    expect(toSvarLinkType('FS')).toBe('e2s');
    expect(toSvarLinkType('SS')).toBe('s2s');
    expect(toSvarLinkType('FF')).toBe('e2e');
    expect(toSvarLinkType('SF')).toBe('s2e');
    for (const type of ['FS', 'SS', 'FF', 'SF'] as const) expect(fromSvarLinkType(toSvarLinkType(type))).toBe(type);
    expect(fromSvarLinkType('x2y')).toBeNull();
  });

  it('marks a link critical only when both of its tasks are, and drops links to unknown tasks', () => {
    const tasks = [task({ id: 'a', critical: true }), task({ id: 'b', critical: true }), task({ id: 'c' })];
    const links = toSvarLinks(
      [
        { id: 'ab', predecessorId: 'a', successorId: 'b', type: 'FS', lagDays: 2 },
        { id: 'bc', predecessorId: 'b', successorId: 'c', type: 'SS', lagDays: 0 },
        { id: 'bx', predecessorId: 'b', successorId: 'x', type: 'FS', lagDays: 0 },
      ],
      tasks,
    );
    expect(links).toEqual([
      { id: 'crit~ab', source: 'a', target: 'b', type: 'e2s', lag: 2, critical: true },
      { id: 'link~bc', source: 'b', target: 'c', type: 's2s', lag: 0, critical: false },
    ]);
  });

  it('gets our link id back from SVAR’s, even when the id holds a tilde', () => {
    expect(parseLinkKey(linkKey('9f1c~x', true))).toBe('9f1c~x');
    expect(parseLinkKey(linkKey('42', false))).toBe('42');
    expect(parseLinkKey('plain')).toBe('plain');
  });
});

describe('movedDates', () => {
  const t = { start: '2026-03-02', end: '2026-03-06', milestone: false };

  it('moves both dates when the bar is dragged', () => {
    expect(movedDates(t, 3, { start: true, end: true })).toEqual({ start: '2026-03-05', end: '2026-03-09' });
    expect(movedDates(t, -2, { start: true, end: true })).toEqual({ start: '2026-02-28', end: '2026-03-04' });
  });

  it('moves one edge on resize, never past the other', () => {
    expect(movedDates(t, 2, { start: false, end: true })).toEqual({ start: '2026-03-02', end: '2026-03-08' });
    expect(movedDates(t, -1, { start: true, end: false })).toEqual({ start: '2026-03-01', end: '2026-03-06' });
    expect(movedDates(t, -9, { start: false, end: true })).toEqual({ start: '2026-03-02', end: '2026-03-02' });
    expect(movedDates(t, 9, { start: true, end: false })).toEqual({ start: '2026-03-06', end: '2026-03-06' });
  });

  it('moves a milestone whole', () => {
    const m = { start: '2026-03-09', end: '2026-03-09', milestone: true };
    expect(movedDates(m, 1, { start: false, end: true })).toEqual({ start: '2026-03-10', end: '2026-03-10' });
  });
});

describe('svarDays', () => {
  it('turns SVAR’s exclusive end back into the inclusive due date', () => {
    expect(svarDays(new Date(2026, 2, 2), new Date(2026, 2, 7), false)).toEqual({
      start: '2026-03-02',
      end: '2026-03-06',
    });
    expect(svarDays(new Date(2026, 2, 9), new Date(2026, 2, 9), true)).toEqual({
      start: '2026-03-09',
      end: '2026-03-09',
    });
    expect(svarDays(new Date(2026, 2, 9), new Date(2026, 2, 9), false)).toEqual({
      start: '2026-03-09',
      end: '2026-03-09',
    });
  });
});

describe('calendar arithmetic', () => {
  it('adds and counts calendar days across month and year ends', () => {
    expect(addDaysIso('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDaysIso('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween(parseDay('2026-01-01'), parseDay('2027-01-01'))).toBe(365);
    expect(() => parseDay('2026/01/01')).toThrow();
  });

  it('shades weekends and listed holidays only', () => {
    const holidays = new Set(['2026-10-01']);
    expect(isNonWorkingDay(parseDay('2026-03-07'), holidays)).toBe(true); // Saturday
    expect(isNonWorkingDay(parseDay('2026-03-08'), holidays)).toBe(true); // Sunday
    expect(isNonWorkingDay(parseDay('2026-03-09'), holidays)).toBe(false); // Monday
    expect(isNonWorkingDay(parseDay('2026-10-01'), holidays)).toBe(true); // Thursday, National Day
  });

  it('places days and baselines on a linear day axis', () => {
    const chartStart = parseDay('2026-03-01');
    expect(dayOffset(chartStart, '2026-03-11', 28)).toBe(280);
    expect(baselineBox({ startDay: '2026-03-05', baselineStart: '2026-03-03', baselineEnd: '2026-03-04' }, 10)).toEqual(
      { left: -20, width: 20 },
    );
    expect(baselineBox({ startDay: '2026-03-05', baselineStart: null, baselineEnd: '2026-03-04' }, 10)).toBeNull();
  });
});

describe('date labels', () => {
  it('are Chinese by default style and English on request', () => {
    const zh = dateFormatters('zh-CN');
    expect(zh.gridDay('2026-03-09')).toBe('2026/03/09');
    expect(zh.month(new Date(2026, 2, 1))).toBe('2026年3月');
    expect(zh.year(new Date(2026, 0, 1))).toBe('2026年');
    expect(dateFormatters('en').gridDay('2026-03-09')).toBe('03/09/2026');
    expect(zh.gridDay('')).toBe('—');
  });
});
