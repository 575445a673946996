import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS, login, screenshot } from './helpers';

interface OwnTask {
  id: string;
  title: string;
  progress: number;
}

type Headers = Record<string, string>;

async function bearer(request: APIRequestContext, email: string): Promise<Headers> {
  const r = await request.post('/api/v1/auth/token', { data: { email, password: DEMO_PASSWORD } });
  expect(r.ok(), await r.text()).toBe(true);
  return { Authorization: `Bearer ${((await r.json()) as { access_token: string }).access_token}` };
}

/**
 * A new member for this attempt (so a retry never finds the first attempt's check-in), on the
 * demo member's team, with one task from the project manager. Returns their e-mail and name.
 */
async function aFreshMemberWithATask(request: APIRequestContext): Promise<{ email: string; name: string }> {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const email = `checkin-${tag}@demo.mems`;
  const name = `打卡${tag}`;
  const admin = await bearer(request, DEMO_USERS.admin);
  const added = await request.post('/api/v1/members', {
    headers: admin,
    data: { email, name, role: 'member', password: DEMO_PASSWORD },
  });
  expect(added.status(), await added.text()).toBe(202);
  const found = (await (await request.get('/api/v1/members', { headers: admin, params: { q: email } })).json()) as {
    items: { id: string; email: string }[];
  };
  const memberId = found.items.find((m) => m.email === email)!.id;

  // Onto the team the demo member is in, so the roll-call shows them.
  const demo = (await (
    await request.get('/api/v1/me', { headers: await bearer(request, DEMO_USERS.member) })
  ).json()) as {
    membership_id: string;
  };
  const teams = (await (await request.get('/api/v1/teams', { headers: admin, params: { limit: 100 } })).json()) as {
    items: { id: string; member_ids: string[]; version: number }[];
  };
  const team = teams.items.find((t) => t.member_ids.includes(demo.membership_id));
  if (team) {
    const joined = await request.patch(`/api/v1/teams/${team.id}`, {
      headers: admin,
      data: { member_ids: [...team.member_ids, memberId], version: team.version },
    });
    expect(joined.ok(), await joined.text()).toBe(true);
  }

  // Onto the running campaign's team, so the project manager may give them a task.
  const pm = await bearer(request, DEMO_USERS.project_manager);
  const projects = (await (
    await request.get('/api/v1/projects', { headers: pm, params: { status: 'active' } })
  ).json()) as { items: { id: string }[] };
  const projectId = projects.items[0].id;
  const project = (await (await request.get(`/api/v1/projects/${projectId}`, { headers: pm })).json()) as {
    members: { member_id: string; role: string }[];
    version: number;
  };
  const staffed = await request.put(`/api/v1/projects/${projectId}/members`, {
    headers: pm,
    data: {
      members: [
        ...project.members.map(({ member_id, role }) => ({ member_id, role })),
        { member_id: memberId, role: 'contributor' },
      ],
      version: project.version,
    },
  });
  expect(staffed.ok(), await staffed.text()).toBe(true);
  const task = await request.post(`/api/v1/projects/${projectId}/tasks`, {
    headers: pm,
    data: { title: '整理直播脚本', assignee_member_id: memberId, priority: 'medium', milestone: false },
  });
  expect(task.ok(), await task.text()).toBe(true);
  return { email, name };
}

test('a member checks in and updates a task’s progress', async ({ page, request }) => {
  const person = await aFreshMemberWithATask(request);
  await login(page, person.email);
  await expect(page.getByTestId('home-member')).toBeVisible();

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
