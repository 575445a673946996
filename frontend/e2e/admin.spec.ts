import { expect, test } from '@playwright/test';
import { loginAs, screenshot } from './helpers';

test('an admin creates a member, finds it in the list and in the audit log', async ({ page }) => {
  const stamp = Date.now();
  const email = `e2e-${stamp}@demo.mems`;
  const name = `测试成员${stamp % 10000}`;

  await loginAs(page, 'admin');
  await page.getByTestId('nav-/admin/members').click();
  await expect(page.getByTestId('members-page')).toHaveText('成员管理');

  await page.getByTestId('member-add').click();
  await page.getByTestId('member-name').fill(name);
  await page.getByTestId('member-email').fill(email);
  await page.getByTestId('member-password').fill('e2e-pass-1234');
  // Keep the default role (执行人员) but check it is what the modal offers.
  await expect(page.getByTestId('member-create-form')).toContainText('执行人员');
  await page.getByTestId('member-create-submit').click();
  await expect(page.getByText('成员已添加')).toBeVisible();

  const row = page.getByTestId('members-table').getByRole('row', { name: new RegExp(email) });
  await expect(row).toBeVisible();
  await expect(row).toContainText(name);
  await expect(row).toContainText('已启用');
  // Ant Design speaks Chinese too (zh_CN locale): the page-size picker says 条/页.
  await expect(page.locator('.ant-pagination')).toContainText('条/页');
  await screenshot(page, 'admin-members');

  // Search narrows the list down to the new member.
  const search = page.getByRole('searchbox', { name: '搜索姓名或邮箱' });
  await search.fill(email);
  await search.press('Enter');
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId('members-table').locator('tbody tr.ant-table-row')).toHaveCount(1);

  await page.getByTestId('nav-/admin/audit-logs').click();
  await expect(page.getByTestId('audit-page')).toHaveText('审计日志');
  const table = page.getByTestId('audit-table');
  // The newest entries are the membership and the user just created, by this admin.
  const membershipRow = table.locator('tbody tr.ant-table-row').filter({ hasText: '成员' }).first();
  await expect(membershipRow).toContainText('王磊');
  await expect(membershipRow).toContainText('创建');

  // Filter to users and open the newest: its "after" holds the new e-mail address.
  // The filter searches its options (there are more types than the list shows at once).
  await page.getByTestId('audit-entity-filter').click();
  await page.keyboard.type('用户账号');
  await page.locator('.ant-select-item-option', { hasText: '用户账号' }).click();
  await expect(page).toHaveURL(/entity_type=users/);
  const userRow = table.locator('tbody tr.ant-table-row').first();
  await expect(userRow).toContainText('用户账号');
  await userRow.getByRole('button', { name: '查看变更' }).click();
  await expect(page.locator('[data-testid^="audit-diff-"]').last()).toContainText(email);
  await screenshot(page, 'admin-audit');
});

test('an admin creates an API token, sees the secret once, and revokes it', async ({ page }) => {
  const name = `集成令牌-${Date.now() % 100000}`;
  await loginAs(page, 'admin');
  await page.getByTestId('nav-/admin/api-tokens').click();
  await expect(page.getByTestId('api-tokens-page')).toHaveText('API 令牌');

  await page.getByTestId('token-create').click();
  await page.getByTestId('token-name').fill(name);
  await page.getByTestId('token-scopes').click();
  // The list outgrows the dropdown's window; type to find the scope, as a user would.
  await page.keyboard.type('members:read');
  await page.locator('.ant-select-item-option', { hasText: 'members:read' }).click();
  await page.getByTestId('token-name').click(); // closes the scope dropdown
  await page.getByTestId('token-create-submit').click();

  const secret = page.getByTestId('token-secret');
  await expect(secret).toBeVisible();
  expect((await secret.inputValue()).length).toBeGreaterThan(20);
  await expect(page.getByText('令牌只显示这一次')).toBeVisible();
  await screenshot(page, 'admin-token-secret');
  await page.getByTestId('token-secret-done').click();

  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('有效');
  await page.getByTestId(`token-revoke-${name}`).click();
  await page.getByRole('button', { name: /确\s*定/ }).click();
  await expect(row).toContainText('已吊销');
});

test('an admin renames the organisation and the header follows', async ({ page }) => {
  await loginAs(page, 'admin');
  await page.getByTestId('nav-/admin/settings').click();
  await expect(page.getByTestId('settings-page')).toHaveText('组织设置');
  const nameInput = page.getByTestId('settings-name');
  const original = await nameInput.inputValue();
  expect(original).not.toBe('');

  await nameInput.fill('花漾美妆（改名测试）');
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  await expect(page.getByTestId('header-org')).toHaveText('花漾美妆（改名测试）');

  // Saving again works: the form picked up the new version after the first save.
  await nameInput.fill(original);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('header-org')).toHaveText(original);
});
