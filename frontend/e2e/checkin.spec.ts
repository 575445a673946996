import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS, loginAs, screenshot } from './helpers';

interface OwnTask {
  id: string;
  title: string;
  progress: number;
}

/** A task for the demo member, made through the API by the project manager (if the demo has none). */
async function ensureAMemberTask(request: APIRequestContext): Promise<void> {
  const bearer = async (email: string) => {
    const r = await request.post('/api/v1/auth/token', { data: { email, password: DEMO_PASSWORD } });
    expect(r.ok()).toBe(true);
    return { Authorization: `Bearer ${((await r.json()) as { access_token: string }).access_token}` };
  };
  const member = await bearer(DEMO_USERS.member);
  const day = (await (await request.get('/api/v1/checkins/me/today', { headers: member })).json()) as {
    tasks: OwnTask[];
  };
  if (day.tasks.length > 0) return;
  const pm = await bearer(DEMO_USERS.project_manager);
  const me = (await (await request.get('/api/v1/me', { headers: member })).json()) as { membership_id: string };
  const projects = (await (
    await request.get('/api/v1/projects', { headers: pm, params: { status: 'active' } })
  ).json()) as { items: { id: string; owner_member_id: string }[] };
  const project = projects.items[0];
  const r = await request.post(`/api/v1/projects/${project.id}/tasks`, {
    headers: pm,
    data: { title: '整理直播脚本', assignee_member_id: me.membership_id, priority: 'medium', milestone: false },
  });
  expect(r.ok(), await r.text()).toBe(true);
}

test('a member checks in and updates a task’s progress', async ({ page, request }) => {
  await ensureAMemberTask(request);
  await loginAs(page, 'member');

  await page.getByTestId('nav-/checkins').click();
  await expect(page.getByTestId('checkins-page')).toBeVisible();
  const card = page.getByTestId('checkin-card');
  await expect(card.getByTestId('checkin-state')).toHaveText('未打卡');

  // The person's first open task, as the server has it.
  const before = (await (await page.request.get('/api/v1/checkins/me/today')).json()) as { tasks: OwnTask[] };
  const task = before.tasks[0];
  const target = task.progress >= 90 ? task.progress - 10 : task.progress + 10;
  const row = card.getByTestId('checkin-task').filter({ hasText: task.title });
  await expect(row).toBeVisible();

  await card.getByTestId('checkin-done').fill('完成直播脚本初稿，已发给主播确认');
  await card.getByTestId('checkin-next').fill('明天对接场地');
  const progress = row.getByRole('spinbutton');
  await progress.fill(String(target));
  await progress.blur();
  await screenshot(page, 'checkin-form');
  await card.getByTestId('checkin-submit').click();

  await expect(page.getByText('打卡成功')).toBeVisible();
  await expect(card.getByTestId('checkin-state')).toHaveText('已打卡');
  await expect(card.getByTestId('checkin-summary')).toContainText('完成直播脚本初稿');
  await expect(card.getByTestId('checkin-summary-tasks')).toHaveText('更新了 1 个任务');

  // The task's progress was saved with the check-in.
  const after = (await (await page.request.get('/api/v1/checkins/me/today')).json()) as {
    checkin: { task_updates: { task_id: string; progress: number }[] };
    tasks: OwnTask[];
  };
  expect(after.checkin.task_updates).toEqual([{ task_id: task.id, progress: target, status: null }]);
  expect(after.tasks.find((t) => t.id === task.id)?.progress).toBe(target);

  // Today's check-in is in the person's history, and on their team's roll-call.
  await expect(page.getByTestId('checkin-history')).toContainText('完成直播脚本初稿');
  await page.getByRole('tab', { name: '团队打卡情况' }).click();
  const me = (await (await page.request.get('/api/v1/me')).json()) as { user: { name: string } };
  const rollCall = (await (await page.request.get('/api/v1/checkins/status')).json()) as {
    teams: { team_name: string }[];
  };
  if (rollCall.teams.length === 0) {
    await expect(page.getByTestId('rollcall-empty')).toBeVisible();
  } else {
    const team = page.getByTestId('rollcall-team').filter({ hasText: rollCall.teams[0].team_name });
    await expect(team.getByTestId('rollcall-checked-in')).toContainText(me.user.name);
    await expect(team.getByTestId('rollcall-missing')).not.toContainText(me.user.name);
  }
  await screenshot(page, 'checkin-roll-call');
});
