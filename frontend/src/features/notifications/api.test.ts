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

  it('opens work asked of me in my inbox, and answers to my requests among those I sent', () => {
    const link = (kind: string) => notificationLink({ kind, link_type: 'work_order', link_id: 'w1' });
    expect(link('work_order.requested')).toBe('/work-orders?box=inbox');
    expect(link('work_order.cancelled')).toBe('/work-orders?box=inbox');
    expect(link('work_order.accepted')).toBe('/work-orders?box=sent');
    expect(link('work_order.done')).toBe('/work-orders?box=sent');
  });

  it('opens a project, and leads nowhere for what it does not know', () => {
    expect(notificationLink({ kind: 'x', link_type: 'project', link_id: 'p1' })).toBe('/projects/p1');
    // A reminder or a mention names only the task: /tasks/:id finds its project.
    expect(notificationLink({ kind: 'task.overdue', link_type: 'task', link_id: 't1' })).toBe('/tasks/t1');
    expect(notificationLink({ kind: 'x', link_type: 'budget', link_id: 'b1' })).toBeNull();
    expect(notificationLink({ kind: 'x', link_type: null, link_id: null })).toBeNull();
  });
});
