import { expect, test } from '@playwright/test';
import { loginAs, logout, screenshot, type DemoRole } from './helpers';

const ADMIN_PATHS = ['/admin/members', '/admin/api-tokens', '/admin/audit-logs', '/admin/settings'];

test('a member sees their own home, no admin items, and can log out', async ({ page }) => {
  await loginAs(page, 'member');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('home-member')).toHaveText('我的工作');
  await expect(page.getByTestId('header-role')).toHaveText('执行人员');
  await expect(page.getByTestId('nav-menu')).toBeVisible();
  for (const path of ADMIN_PATHS) await expect(page.getByTestId(`nav-${path}`)).toHaveCount(0);
  await expect(page.getByTestId('nav-menu')).not.toContainText('成员管理');
  await expect(page.getByTestId('nav-/projects')).toBeVisible();
  await expect(page.getByTestId('panel-own-goals')).toContainText('达人合作：签约30位美妆达人');
  await screenshot(page, 'home-member');

  // An admin page typed into the address bar is refused, not half-rendered.
  await page.goto('/admin/audit-logs');
  await expect(page.getByText('无权访问')).toBeVisible();

  await page.goto('/');
  await logout(page);
  // The session is really gone: the app goes back to the login page.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});

test('the director lands on the marketing cockpit', async ({ page }) => {
  await loginAs(page, 'director');
  await expect(page.getByTestId('home-director')).toHaveText('营销驾驶舱');
  await expect(page.getByTestId('panel-approvals-inbox')).toBeVisible();
  await expect(page.getByTestId('nav-/approvals')).toBeVisible();
  for (const path of ADMIN_PATHS) await expect(page.getByTestId(`nav-${path}`)).toHaveCount(0);
  await screenshot(page, 'home-director');

  await expect(page.getByTestId('nav-/teams')).toBeVisible();
  await logout(page);
});

const OTHER_HOMES: { role: DemoRole; heading: string }[] = [
  { role: 'admin', heading: '管理后台' },
  { role: 'project_manager', heading: '我的项目' },
  { role: 'finance', heading: '预算与成本' },
  { role: 'viewer', heading: '只读看板' },
];

for (const { role, heading } of OTHER_HOMES) {
  test(`${role} has a home page of its own`, async ({ page }) => {
    await loginAs(page, role);
    await expect(page.getByTestId(`home-${role}`)).toHaveText(heading);
    await screenshot(page, `home-${role}`);
    await logout(page);
  });
}

test('the header language switch turns the whole app into English', async ({ page }) => {
  await loginAs(page, 'project_manager');
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-option-en').click();
  await expect(page.getByTestId('home-project_manager')).toHaveText('My projects');
  await expect(page.getByTestId('header-role')).toHaveText('Project manager');
  await expect(page.getByTestId('logout')).toHaveText(/Sign out/);
  await screenshot(page, 'home-project_manager-en');
  // Back to Chinese for whoever uses this browser next.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-option-zh-CN').click();
  await expect(page.getByTestId('home-project_manager')).toHaveText('我的项目');
});
