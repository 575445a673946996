import { notificationLink } from './api';

describe('notificationLink', () => {
  it('opens a request awaiting me in my inbox, and a decided one among my requests', () => {
    expect(notificationLink({ kind: 'approval.awaiting', link_type: 'approval_request', link_id: 'a1' })).toBe(
      '/approvals?box=inbox&open=a1',
    );
    expect(notificationLink({ kind: 'approval.rejected', link_type: 'approval_request', link_id: 'a1' })).toBe(
      '/approvals?box=mine&open=a1',
    );
  });

  it('opens the work order itself, over my inbox for work asked of me and over what I sent for answers', () => {
    const link = (kind: string) => notificationLink({ kind, link_type: 'work_order', link_id: 'w1' });
    expect(link('work_order.requested')).toBe('/work-orders?box=inbox&open=w1');
    expect(link('work_order.cancelled')).toBe('/work-orders?box=inbox&open=w1');
    expect(link('work_order.verified')).toBe('/work-orders?box=inbox&open=w1');
    expect(link('work_order.accepted')).toBe('/work-orders?box=sent&open=w1');
    expect(link('work_order.rejected')).toBe('/work-orders?box=sent&open=w1');
    expect(link('work_order.done')).toBe('/work-orders?box=sent&open=w1');
    // A mention in the order's discussion: the order, whichever side I am on.
    expect(link('comment.mention')).toBe('/work-orders?open=w1');
  });

  it('opens an issue or risk in its project’s log, whether assigned, overdue, escalated or mentioned', () => {
    for (const kind of ['issue.assigned', 'issue.overdue', 'issue.escalated']) {
      expect(notificationLink({ kind, link_type: 'work_issue', link_id: 'i1' })).toBe('/issues/i1');
    }
    expect(notificationLink({ kind: 'comment.mention', link_type: 'issue', link_id: 'i1' })).toBe('/issues/i1');
  });

  it('opens a project or a task, and leads nowhere for what it does not know', () => {
    expect(notificationLink({ kind: 'comment.mention', link_type: 'project', link_id: 'p1' })).toBe('/projects/p1');
    expect(notificationLink({ kind: 'budget.warn', link_type: 'project_budget', link_id: 'p1' })).toBe(
      '/projects/p1?tab=budget',
    );
    // A reminder or a mention names only the task: /tasks/:id finds its project.
    expect(notificationLink({ kind: 'task.overdue', link_type: 'task', link_id: 't1' })).toBe('/tasks/t1');
    expect(notificationLink({ kind: 'task.due_soon', link_type: 'task', link_id: 't1' })).toBe('/tasks/t1');
    expect(notificationLink({ kind: 'comment.mention', link_type: 'task', link_id: 't1' })).toBe('/tasks/t1');
    expect(notificationLink({ kind: 'comment.mention', link_type: 'cost', link_id: 'c1' })).toBe('/costs/c1');
    expect(notificationLink({ kind: 'alert.fired', link_type: 'alert', link_id: 'al1' })).toBe('/alerts/al1');
    // Many alerts at once for one reader: one digest, which leads to the alert center.
    expect(notificationLink({ kind: 'alert.digest', link_type: null, link_id: null })).toBe('/alerts');
    expect(notificationLink({ kind: 'x', link_type: 'budget', link_id: 'b1' })).toBeNull();
    expect(notificationLink({ kind: 'x', link_type: null, link_id: null })).toBeNull();
  });

  it('escapes ids in the address', () => {
    expect(notificationLink({ kind: 'issue.assigned', link_type: 'work_issue', link_id: 'a/b' })).toBe('/issues/a%2Fb');
    expect(notificationLink({ kind: 'work_order.done', link_type: 'work_order', link_id: 'a&b' })).toBe(
      '/work-orders?box=sent&open=a%26b',
    );
  });

  // Every (kind, link type) the server sends (grep `notifications.notify` in backend/mems): each leads somewhere.
  const SENT: [string, string][] = [
    ['approval.awaiting', 'approval_request'],
    ['approval.approved', 'approval_request'],
    ['approval.rejected', 'approval_request'],
    ['task.due_soon', 'task'],
    ['task.overdue', 'task'],
    ['work_order.requested', 'work_order'],
    ['work_order.accepted', 'work_order'],
    ['work_order.rejected', 'work_order'],
    ['work_order.started', 'work_order'],
    ['work_order.done', 'work_order'],
    ['work_order.verified', 'work_order'],
    ['work_order.cancelled', 'work_order'],
    ['issue.assigned', 'work_issue'],
    ['issue.overdue', 'work_issue'],
    ['issue.escalated', 'work_issue'],
    ['comment.mention', 'project'],
    ['comment.mention', 'task'],
    ['comment.mention', 'work_order'],
    ['comment.mention', 'issue'],
    ['comment.mention', 'cost'],
    ['budget.warn', 'project_budget'],
    ['budget.critical', 'project_budget'],
    ['alert.fired', 'alert'],
  ];
  it.each(SENT)('leads somewhere for %s about a %s', (kind, linkType) => {
    expect(notificationLink({ kind, link_type: linkType, link_id: 'x1' })).toMatch(/^\/[a-z-]+/);
  });
});
