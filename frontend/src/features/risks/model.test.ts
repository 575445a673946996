import dayjs from 'dayjs';
import type { ProjectDetail } from './api';
import { actionsFor, ownerChoices, raiseBody, riskLevel } from './model';

describe('issue log model', () => {
  it('grades a risk score (probability × impact)', () => {
    expect([1, 4, 5, 9, 10, 16, 20, 25].map(riskLevel)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'extreme',
      'extreme',
    ]);
  });

  it('offers the steps each status allows', () => {
    expect(actionsFor('open')).toEqual(['resolve', 'close']);
    expect(actionsFor('in_progress')).toEqual(['resolve', 'close']);
    expect(actionsFor('resolved')).toEqual(['close', 'reopen']);
    expect(actionsFor('closed')).toEqual(['reopen']);
  });

  it('offers as owners the manager and those who work on the project, once each', () => {
    const project = {
      owner_member_id: 'pm',
      owner_name: '张经理',
      members: [
        { member_id: 'pm', name: '张经理', role: 'manager' },
        { member_id: 'a', name: '王执行', role: 'contributor' },
        { member_id: 'b', name: '李核心', role: 'core' },
        { member_id: 'c', name: '赵观察', role: 'observer' },
        { member_id: 'd', name: '钱评审', role: 'reviewer' },
      ],
    } as unknown as ProjectDetail;
    expect(ownerChoices(project)).toEqual([
      { value: 'pm', label: '张经理' },
      { value: 'a', label: '王执行' },
      { value: 'b', label: '李核心' },
    ]);
    expect(ownerChoices(undefined)).toEqual([]);
  });

  it('sends scores for risks only, and dates as days', () => {
    const base = { title: ' 主播取消 ', severity: 'high' as const, probability: 3, impact: 4 };
    expect(raiseBody({ ...base, kind: 'risk', due_on: dayjs('2026-12-05') })).toEqual({
      kind: 'risk',
      title: '主播取消',
      description: null,
      severity: 'high',
      probability: 3,
      impact: 4,
      owner_member_id: null,
      due_on: '2026-12-05',
      task_id: null,
    });
    const issue = raiseBody({ ...base, kind: 'issue', owner_member_id: 'a', task_id: 't' });
    expect([issue.probability, issue.impact, issue.due_on, issue.owner_member_id, issue.task_id]).toEqual([
      null,
      null,
      null,
      'a',
      't',
    ]);
  });
});
