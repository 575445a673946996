import { expect, test } from '@playwright/test';
import { loginAs, screenshot } from './helpers';

test('the audit log names objects in Chinese, links to them and shows a before/after table', async ({ page }) => {
  const name = `品牌公关组${Date.now() % 10000}`;
  await loginAs(page, 'admin');

  // Make a change worth reading: create a team, then rename it.
  await page.getByTestId('nav-/teams').click();
  await page.getByTestId('team-add').click();
  await page.getByTestId('team-name').fill(`${name}（筹）`);
  await page.getByTestId('team-submit').click();
  await expect(page.getByText(`已创建团队“${name}（筹）”`)).toBeVisible();
  await page.getByTestId(`team-edit-${name}（筹）`).click();
  await page.getByTestId('team-name').fill(name);
  await page.getByTestId('team-submit').click();
  await expect(page.getByText(`已保存团队“${name}”`)).toBeVisible();

  await page.getByTestId('nav-/admin/audit-logs').click();
  await expect(page.getByTestId('audit-page')).toHaveText('审计日志');
  const table = page.getByTestId('audit-table');

  // No table names anywhere: the types are in Chinese.
  await expect(table.getByTestId('audit-type').first()).toBeVisible();
  for (const type of await table.getByTestId('audit-type').allInnerTexts()) {
    expect(type).not.toMatch(/^[a-z_]+$/);
  }

  // The filter offers the object types by their Chinese names, not link tables.
  await page.getByTestId('audit-entity-filter').click();
  const options = page.locator('.ant-select-item-option');
  await expect(options.filter({ hasText: '项目' }).first()).toBeVisible();
  await expect(options.filter({ hasText: '目标' }).first()).toBeVisible();
  await expect(options.filter({ hasText: '团队成员' })).toHaveCount(0);
  await options.filter({ hasText: /^团队$/ }).click();
  await expect(page).toHaveURL(/entity_type=teams/);

  // The rename: 更新 of 团队 <name>, linked, with a 名称 row before → after, in China time.
  const row = table.locator('tbody tr.ant-table-row').filter({ hasText: '更新' }).first();
  await expect(row).toContainText('王磊');
  await expect(row.getByTestId('audit-type')).toHaveText('团队');
  await expect(row.getByTestId('audit-object-link')).toHaveText(name);
  await expect(row.getByTestId('audit-time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await row.getByTestId('audit-expand').click();
  const diff = page.locator('[data-testid^="audit-diff-"]').first();
  await expect(diff).toContainText('字段');
  await expect(diff).toContainText('变更前');
  await expect(diff).toContainText('变更后');
  const nameRow = diff.locator('tbody tr').filter({ hasText: '名称' });
  await expect(nameRow).toContainText(`${name}（筹）`);
  await expect(nameRow).toContainText(name);
  await screenshot(page, 'audit-team-rename');

  // A project row links to the project's page.
  await page.getByTestId('audit-entity-filter').click();
  await page
    .locator('.ant-select-item-option')
    .filter({ hasText: /^项目$/ })
    .click();
  const project = table.getByTestId('audit-object-link').first();
  await expect(project).toHaveText(/2026Q/);
  await project.click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
});
