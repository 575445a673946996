import {
  barPercent,
  dayCentre,
  dayNumber,
  dayString,
  daysBetween,
  labelLanes,
  milestoneState,
  monthTicks,
  phaseColor,
  PHASE_COLORS,
  relativeTime,
  segment,
  timelineSpan,
} from './layout';

// December 2026: 31 days, so one day is 100/31 percent of the strip.
const december = timelineSpan(['2026-12-01', '2026-12-31']);
const day = 100 / 31;

describe('days', () => {
  it('counts calendar days without time zones, across months and years', () => {
    expect(dayNumber('2026-12-31') - dayNumber('2026-12-01')).toBe(30);
    expect(dayNumber('2027-01-01') - dayNumber('2026-12-31')).toBe(1);
    expect(dayString(dayNumber('2026-02-28') + 1)).toBe('2026-03-01');
  });

  it('spans the earliest to the latest day given, in any order', () => {
    const span = timelineSpan(['2026-12-10', '2026-11-28', '2027-01-03']);
    expect(dayString(span.first)).toBe('2026-11-28');
    expect(dayString(span.last)).toBe('2027-01-03');
  });
});

describe('segment', () => {
  it('places a phase from its first day to the end of its last day', () => {
    const first = segment('2026-12-01', '2026-12-07', december);
    expect(first.left).toBe(0);
    expect(first.width).toBeCloseTo(7 * day);
    const second = segment('2026-12-08', '2026-12-31', december);
    expect(second.left).toBeCloseTo(7 * day);
    expect(second.left + second.width).toBeCloseTo(100);
  });

  it('clips a phase to the strip and gives an inverted one no width', () => {
    const clipped = segment('2026-11-20', '2026-12-02', december);
    expect(clipped.left).toBe(0);
    expect(clipped.width).toBeCloseTo(2 * day);
    expect(segment('2026-12-10', '2026-12-05', december).width).toBe(0);
  });
});

describe('dayCentre', () => {
  it('puts a milestone or today in the middle of its day, and nowhere outside the strip', () => {
    expect(dayCentre('2026-12-01', december)).toBeCloseTo(day / 2);
    expect(dayCentre('2026-12-16', december)).toBeCloseTo(15.5 * day);
    expect(dayCentre('2026-12-31', december)).toBeCloseTo(100 - day / 2);
    expect(dayCentre('2026-11-30', december)).toBeNull();
    expect(dayCentre('2027-01-01', december)).toBeNull();
  });
});

describe('monthTicks', () => {
  it('labels the first day and each first of a month after it', () => {
    const span = timelineSpan(['2026-11-10', '2027-01-20']);
    const ticks = monthTicks(span);
    expect(ticks.map((tick) => tick.day)).toEqual(['2026-11-10', '2026-12-01', '2027-01-01']);
    expect(ticks[1]!.left).toBeCloseTo((21 / 72) * 100);
  });

  it("leaves out a tick that would print over today's label", () => {
    const span = timelineSpan(['2026-11-17', '2027-01-12']);
    const today = dayCentre('2026-11-30', span);
    expect(monthTicks(span).map((tick) => tick.day)).toEqual(['2026-11-17', '2026-12-01', '2027-01-01']);
    expect(monthTicks(span, today).map((tick) => tick.day)).toEqual(['2026-11-17', '2027-01-01']);
  });

  it('drops a first of month that would print over the first label', () => {
    const ticks = monthTicks(timelineSpan(['2026-11-30', '2027-01-31']));
    expect(ticks.map((tick) => tick.day)).toEqual(['2026-11-30', '2027-01-01']);
  });
});

describe('milestoneState', () => {
  const end = '2026-12-31';
  it('is done once done, late when past due or after the planned end, otherwise open', () => {
    expect(milestoneState({ due_on: '2026-12-01', status: 'done' }, '2026-12-10', end)).toBe('done');
    expect(milestoneState({ due_on: '2026-12-09', status: 'in_progress' }, '2026-12-10', end)).toBe('late');
    expect(milestoneState({ due_on: '2026-12-10', status: 'todo' }, '2026-12-10', end)).toBe('open');
    expect(milestoneState({ due_on: '2027-01-05', status: 'todo' }, '2026-12-10', end)).toBe('late');
  });
});

describe('labelLanes', () => {
  it('stacks close labels into the next lane and reuses a lane once there is room', () => {
    expect(labelLanes([0, 5, 10, 30, 32], 14, 3)).toEqual([0, 1, 2, 0, 1]);
  });

  it('puts a label that fits nowhere in the lane whose last label is farthest left', () => {
    expect(labelLanes([0, 1, 2, 3], 14, 3)).toEqual([0, 1, 2, 0]);
  });
});

describe('daysBetween', () => {
  it('counts days forward and backward', () => {
    expect(daysBetween('2026-11-30', '2027-01-12')).toBe(43);
    expect(daysBetween('2026-12-10', '2026-12-01')).toBe(-9);
  });
});

describe('bars and colours', () => {
  it('scales against the largest value and never divides by zero', () => {
    expect(barPercent(3, 6)).toBe(50);
    expect(barPercent(6, 6)).toBe(100);
    expect(barPercent(0, 0)).toBe(0);
    expect(barPercent(2, 0)).toBe(0);
  });

  it('cycles phase colours', () => {
    expect(phaseColor(0)).toBe(PHASE_COLORS[0]);
    expect(phaseColor(PHASE_COLORS.length + 1)).toBe(PHASE_COLORS[1]);
  });
});

describe('relativeTime', () => {
  const now = new Date('2026-12-10T08:00:00Z');
  it('says how long ago in the largest unit that fits, in Chinese by default', () => {
    expect(relativeTime('2026-12-10T07:57:00Z', now)).toBe('3分钟前');
    expect(relativeTime('2026-12-10T05:00:00Z', now)).toBe('3小时前');
    expect(relativeTime('2026-12-07T08:00:00Z', now)).toBe('3天前');
    expect(relativeTime('2026-12-10T07:59:50Z', now, 'en')).toBe('now');
    expect(relativeTime('2026-12-10T06:00:00Z', now, 'en')).toBe('2 hours ago');
  });
});
