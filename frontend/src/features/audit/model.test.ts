import { diffRows, enumKey, linkOf, pageOf, valueKind, type AuditLog } from './model';

const entry = (over: Partial<AuditLog>): AuditLog => ({
  id: 'a1',
  created_at: '2026-11-20T02:00:00Z',
  actor_user_id: null,
  actor_name: '王管理',
  action: 'update',
  entity_type: 'projects',
  entity_id: 'p1',
  entity_label: '2026Q4-电商-双十一大促',
  parent_type: null,
  parent_id: null,
  before: null,
  after: null,
  request_id: null,
  ...over,
});

describe('linkOf', () => {
  it('opens the object itself when it has a page', () => {
    expect(linkOf(entry({}))).toBe('/projects/p1');
    expect(linkOf(entry({ entity_type: 'objectives', entity_id: 'g1' }))).toBe('/strategy?goal=g1');
    expect(linkOf(entry({ entity_type: 'approval_requests', entity_id: 'r1' }))).toBe('/approvals?box=all&open=r1');
    expect(linkOf(entry({ entity_type: 'memberships', entity_label: '陈执行' }))).toBe(
      `/admin/members?q=${encodeURIComponent('陈执行')}`,
    );
  });

  it('falls back to the object it belongs to, then to the project its snapshot names', () => {
    expect(linkOf(entry({ entity_type: 'key_results', parent_type: 'objectives', parent_id: 'g1' }))).toBe(
      '/strategy?goal=g1',
    );
    expect(linkOf(entry({ entity_type: 'team_members', parent_type: 'teams', parent_id: 't1' }))).toBe('/teams');
    expect(linkOf(entry({ entity_type: 'retrospectives', after: { project_id: 'p9', summary: '好' } }))).toBe(
      '/projects/p9',
    );
    expect(linkOf(entry({ entity_type: 'key_result_check_ins', parent_type: 'key_results', parent_id: 'k' }))).toBe(
      null,
    );
    expect(pageOf('projects', null)).toBeNull();
  });
});

describe('diffRows', () => {
  it('shows only what an update changed, without bookkeeping columns', () => {
    const rows = diffRows({
      action: 'update',
      before: { total_budget: '800000.00', name: 'a', version: 1 },
      after: { total_budget: '900000.00', name: 'a', version: 2, updated_at: 'x' },
    });
    expect(rows).toEqual([{ field: 'total_budget', before: '800000.00', after: '900000.00' }]);
  });

  it('shows what a create set and a delete removed, leaving out empty fields', () => {
    const created = diffRows({
      action: 'create',
      before: null,
      after: { id: 'x', org_id: 'o', name: '品牌部', description: null, created_at: 'y' },
    });
    expect(created).toEqual([{ field: 'name', before: null, after: '品牌部' }]);
    const deleted = diffRows({ action: 'delete', before: { name: '品牌部', member_ids: [] }, after: null });
    expect(deleted.map((r) => r.field)).toEqual(['name']);
  });
});

describe('valueKind and enumKey', () => {
  it('recognises people, teams, days, moments and decimals', () => {
    expect(valueKind('owner_member_id', 'm1')).toBe('member');
    expect(valueKind('lead_member_id', 'm1')).toBe('member');
    expect(valueKind('owner_team_id', 't1')).toBe('team');
    expect(valueKind('starts_on', '2026-10-01')).toBe('day');
    expect(valueKind('decided_at', '2026-11-20T02:00:00+00:00')).toBe('moment');
    expect(valueKind('total_budget', '800000.00')).toBe('decimal');
    expect(valueKind('is_active', false)).toBe('boolean');
    expect(valueKind('note', null)).toBe('empty');
    expect(valueKind('settings', { a: 1 })).toBe('json');
    expect(valueKind('name', '品牌部')).toBe('text');
  });

  it('names enumerated values through the UI translations', () => {
    expect(enumKey('projects', 'status', 'active')).toBe('projects.status.active');
    expect(enumKey('approval_requests', 'status', 'x')).toBeNull();
    expect(enumKey('memberships', 'role', 'director')).toBe('roles.director');
    expect(enumKey('objectives', 'level', 'team')).toBe('strategy.levels.team');
    expect(enumKey('teams', 'name', 'x')).toBeNull();
  });
});
