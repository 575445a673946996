import dayjs from 'dayjs';
import { durationParts, orderedActions, raiseBody, slaState } from './model';

const NOW = new Date('2026-11-30T08:00:00Z');

describe('slaState', () => {
  it('counts down while the order is open, then counts the time over', () => {
    const open = { status: 'accepted' as const, sla_breached: false };
    expect(slaState({ ...open, sla_due_at: '2026-11-30T10:30:00Z' }, NOW)).toEqual({ kind: 'left', minutes: 150 });
    expect(slaState({ ...open, sla_due_at: '2026-11-30T07:00:00Z', sla_breached: true }, NOW)).toEqual({
      kind: 'over',
      minutes: 60,
    });
  });

  it('tells met from breached once resolved, and nothing without an SLA', () => {
    expect(slaState({ status: 'done', sla_breached: false, sla_due_at: '2026-11-29T00:00:00Z' }, NOW)).toEqual({
      kind: 'met',
    });
    expect(slaState({ status: 'verified', sla_breached: true, sla_due_at: '2026-11-29T00:00:00Z' }, NOW)).toEqual({
      kind: 'breached',
    });
    expect(slaState({ status: 'requested', sla_breached: false, sla_due_at: null }, NOW)).toEqual({ kind: 'none' });
  });
});

describe('durationParts', () => {
  it('splits minutes into days, hours and minutes', () => {
    expect(durationParts(0)).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(durationParts(75)).toEqual({ days: 0, hours: 1, minutes: 15 });
    expect(durationParts(1440 * 2 + 180 + 5)).toEqual({ days: 2, hours: 3, minutes: 5 });
  });
});

describe('orderedActions', () => {
  it('puts the way forward before refusing or cancelling', () => {
    expect(orderedActions(['reject', 'accept'])).toEqual(['accept', 'reject']);
    expect(orderedActions(['cancel'])).toEqual(['cancel']);
    expect(orderedActions([])).toEqual([]);
  });
});

describe('raiseBody', () => {
  it('sends one assignee, the due time as an instant, and drops blanks', () => {
    const due = dayjs('2026-12-01T18:00:00+08:00');
    expect(
      raiseBody({
        title: '  设计主视觉 ',
        description: '   ',
        target: 'team',
        assignee_member_id: 'm1',
        assignee_team_id: 't1',
        due_at: due,
        sla_hours: 24,
        priority: 'high',
      }),
    ).toEqual({
      title: '设计主视觉',
      description: null,
      assignee_member_id: null,
      assignee_team_id: 't1',
      project_id: null,
      due_at: '2026-12-01T10:00:00.000Z',
      sla_hours: 24,
      priority: 'high',
    });
    expect(raiseBody({ title: 'x', target: 'member', assignee_member_id: 'm1', priority: 'low' })).toMatchObject({
      assignee_member_id: 'm1',
      assignee_team_id: null,
      due_at: null,
      sla_hours: null,
    });
  });
});
