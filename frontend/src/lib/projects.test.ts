import zh from '@/i18n/zh-CN.json';
import {
  actionButtons,
  canWriteRetrospective,
  PROJECT_STATUS_COLORS,
  PROJECT_STATUSES,
  projectStatusColor,
  projectStatusLabelKey,
  showsRetrospective,
} from './projects';

function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], zh);
}

describe('project status tags', () => {
  it('names every status in Chinese', () => {
    expect(lookup(projectStatusLabelKey('approved'))).toBe('已批准');
    expect(lookup(projectStatusLabelKey('submitted'))).toBe('已提交');
    expect(lookup(projectStatusLabelKey('draft'))).toBe('草稿');
    for (const status of PROJECT_STATUSES) expect(typeof lookup(projectStatusLabelKey(status))).toBe('string');
  });

  it('gives each status its own colour: green for approved, red for rejected', () => {
    expect(projectStatusColor('approved')).toBe('green');
    expect(projectStatusColor('rejected')).toBe('red');
    expect(new Set(Object.values(PROJECT_STATUS_COLORS)).size).toBe(PROJECT_STATUSES.length);
  });

  it('falls back for a status it does not know', () => {
    expect(projectStatusColor('archived')).toBe('default');
    expect(projectStatusLabelKey('archived')).toBe('projects.status.unknown');
  });
});

describe('actionButtons', () => {
  it('shows exactly the allowed actions, forward moves first and cancelling last', () => {
    expect(actionButtons(['cancel', 'submit']).map((b) => b.action)).toEqual(['submit', 'cancel']);
    expect(actionButtons(['reopen', 'finish']).map((b) => b.action)).toEqual(['finish', 'reopen']);
    expect(actionButtons([])).toEqual([]);
  });

  it('ignores actions it has no button for (approve and reject happen in the approval inbox)', () => {
    expect(actionButtons(['approve', 'reject', 'start']).map((b) => b.action)).toEqual(['start']);
  });

  it('makes the way forward primary, cancel dangerous, and asks before the weighty ones', () => {
    const [submit, cancel] = actionButtons(['submit', 'cancel']);
    expect(submit).toEqual({ action: 'submit', primary: true, danger: false, confirm: true });
    expect(cancel).toEqual({ action: 'cancel', primary: false, danger: true, confirm: true });
    expect(actionButtons(['revise'])[0]).toMatchObject({ primary: false, confirm: false });
  });

  it('has a label and, where it asks, a question for every action', () => {
    for (const button of actionButtons([
      'submit',
      'withdraw',
      'revise',
      'start',
      'close',
      'reopen',
      'finish',
      'cancel',
    ])) {
      expect(typeof lookup(`projects.actions.${button.action}`)).toBe('string');
      expect(typeof lookup(`projects.actions.done.${button.action}`)).toBe('string');
      if (button.confirm) expect(typeof lookup(`projects.actions.confirm.${button.action}`)).toBe('string');
    }
    expect(lookup('projects.actions.submit')).toBe('提交立项');
  });
});

describe('retrospective rules', () => {
  it('is shown once work started and written only while active or closing, by a manager', () => {
    expect(showsRetrospective('draft')).toBe(false);
    expect(showsRetrospective('approved')).toBe(false);
    expect(showsRetrospective('active')).toBe(true);
    expect(showsRetrospective('closed')).toBe(true);
    expect(canWriteRetrospective('closing', true)).toBe(true);
    expect(canWriteRetrospective('closing', false)).toBe(false);
    expect(canWriteRetrospective('closed', true)).toBe(false);
  });
});
