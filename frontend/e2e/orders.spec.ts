import { expect, test } from '@playwright/test';
import { loginAs, logout, screenshot } from './helpers';

/**
 * 工单 against the demo data: the project manager raises a work order for the demo member (陈晨)
 * from the work-order page; it waits in the member's inbox with its SLA running, the member
 * accepts it and starts on it, and the project manager sees it accepted among the orders sent.
 */

test.describe.configure({ mode: 'serial' });

const TITLE = `双十一主视觉海报 ${Date.now().toString(36)}`;

test('a PM raises a work order and the assignee accepts it', async ({ page }) => {
  test.slow(); // three logins on a shared two-core machine
  await loginAs(page, 'project_manager');
  await page.goto('/work-orders');
  await expect(page.getByTestId('orders-page')).toHaveText('工单');

  await page.getByTestId('order-raise').click();
  const form = page.getByTestId('order-form');
  await form.getByTestId('order-title').fill(TITLE);
  await form.getByTestId('order-description').fill('尺寸 1080×1920，周五前给初稿');
  await form.getByTestId('order-assignee').click();
  // The list is long (and virtual): search for the person, as a user would.
  await page.keyboard.type('陈晨');
  await page.locator('.ant-select-dropdown:visible').getByText('陈晨', { exact: true }).click();
  await form.getByTestId('order-sla').fill('8');
  await form.getByTestId('order-priority').click();
  await page.locator('.ant-select-dropdown:visible').getByText('高', { exact: true }).click();
  await page.getByTestId('order-submit').click();

  // Raised: it is among the orders sent, waiting for acceptance, the SLA counting down.
  await expect(page).toHaveURL(/box=sent/);
  const sent = page.getByTestId('order-row').filter({ hasText: TITLE });
  await expect(sent).toBeVisible();
  await expect(sent.getByTestId('order-status')).toHaveText('待接单');
  await expect(sent.getByTestId('order-sla-countdown')).toHaveText(/^剩余 (7 小时 5\d|8 小时 0) 分$/);
  await expect(sent.getByTestId('order-action-cancel')).toBeVisible();
  await expect(sent.getByTestId('order-action-accept')).toHaveCount(0);
  const code = (await sent.getAttribute('data-order-code')) ?? '';
  expect(code).toMatch(/^WO-\d+$/);
  await screenshot(page, 'orders-pm-sent');
  await logout(page);

  // The member finds it in the inbox (the menu leads there) and accepts it, then starts on it.
  await loginAs(page, 'member');
  await page.getByTestId('nav-/work-orders').click();
  await expect(page.getByTestId('orders-page')).toBeVisible();
  const inbox = page.locator(`[data-order-code="${code}"]`);
  await expect(inbox).toContainText(TITLE);
  await expect(inbox).toContainText('张伟');
  await screenshot(page, 'orders-member-inbox');
  await inbox.getByTestId('order-action-accept').click();
  await expect(page.getByText(`已接单 ${code}`)).toBeVisible();
  await expect(inbox.getByTestId('order-status')).toHaveText('已接单');
  await expect(inbox.getByTestId('order-action-accept')).toHaveCount(0);
  await inbox.getByTestId('order-action-start').click();
  await expect(inbox.getByTestId('order-status')).toHaveText('处理中');
  await expect(inbox.getByTestId('order-action-complete')).toBeVisible();
  await logout(page);

  // The project manager sees it taken up.
  await loginAs(page, 'project_manager');
  await page.goto('/work-orders?box=sent');
  const back = page.locator(`[data-order-code="${code}"]`);
  await expect(back.getByTestId('order-status')).toHaveText('处理中');
  await expect(back).toContainText('陈晨');
});
