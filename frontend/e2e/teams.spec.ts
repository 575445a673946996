import { expect, test } from '@playwright/test';
import { loginAs, screenshot } from './helpers';

test('an admin forms a team with a lead and members, and a goal is given to it', async ({ page }) => {
  const name = `私域运营组${Date.now() % 10000}`;
  await loginAs(page, 'admin');
  await page.getByTestId('nav-/teams').click();
  await expect(page.getByTestId('teams-page')).toHaveText('团队');

  // The demo's departments are there, with their leads and members.
  const table = page.getByTestId('teams-table');
  const content = table.getByRole('row', { name: /内容组/ });
  await expect(content).toContainText('吴倩');
  await expect(content).toContainText('共 3 人');

  await page.getByTestId('team-add').click();
  await expect(page.getByRole('dialog')).toContainText('新建团队');
  await page.getByTestId('team-name').fill(name);
  await page.getByTestId('team-description').fill('微信社群与会员运营');
  await page.getByTestId('team-lead').click();
  await page.keyboard.type('孙悦');
  await page.locator('.ant-select-item-option', { hasText: '孙悦' }).click();
  await page.getByTestId('team-members').click();
  await page.keyboard.type('周航');
  await page.locator('.ant-select-item-option', { hasText: '周航' }).click();
  await page.keyboard.press('Escape');
  // Choosing the lead put them among the members too.
  await expect(page.getByTestId('team-form')).toContainText('孙悦');
  await screenshot(page, 'teams-create');
  await page.getByTestId('team-submit').click();
  await expect(page.getByText(`已创建团队“${name}”`)).toBeVisible();

  const row = table.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('微信社群与会员运营');
  await expect(row).toContainText('孙悦');
  await expect(row).toContainText('周航');
  await expect(row).toContainText('共 2 人');
  await screenshot(page, 'teams');

  // The strategy page's goal editor hands a goal to the new team.
  await page.getByTestId('nav-/strategy').click();
  const goal = page.getByTestId('goal-row').filter({ hasText: '达人合作：签约30位美妆达人' });
  await goal.getByTestId('goal-edit').click();
  await page.getByTestId('goal-form').getByText('团队', { exact: true }).click();
  await page.getByTestId('goal-owner-team-select').click();
  await page.locator('.ant-select-item-option', { hasText: name }).click();
  await page.getByTestId('goal-submit').click();
  await expect(goal.getByTestId('goal-owner-team')).toHaveText(name);
  // The demo's department goals are owned by their teams.
  await expect(
    page.getByTestId('goal-row').filter({ hasText: '活动部：双十一大促引流' }).getByTestId('goal-owner-team'),
  ).toHaveText('电商部');
  await screenshot(page, 'strategy-team-owner');

  // A campaign's 执行团队 is shown on its page.
  await page.getByTestId('nav-/projects').click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.getByRole('link', { name: '2026Q4-电商-双十一大促' }).first().click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(page.locator('main')).toContainText('电商部');
});
