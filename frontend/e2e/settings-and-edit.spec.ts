import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { loginAs, logout, screenshot } from './helpers';

/**
 * The admin adds a brand line to the naming convention and sees the preview and a name tried
 * against it; the approval flows say what they need; then the project manager edits the
 * seeded draft's budget. The e2e database is shared by every spec of a run: the convention
 * only gains a value here (projects.spec.ts relies on its labels, pattern and 电商), and the
 * approval flows are not saved.
 */

test.describe.configure({ mode: 'serial' });

const BRAND = `直播${Date.now() % 10000}`;
const DRAFT = '2026Q4-渠道-年货节预热';
const SUBMITTED = '2026Q4-品牌-年终美妆展会';
const SHOTS = '/tmp/mems-shots2/';

/** The usual screenshot, and a copy of what is on screen for a person checking this work. */
async function shot(page: Page, name: string) {
  await screenshot(page, name);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

test('the admin adds a brand line to the naming convention and sees the preview', async ({ page }) => {
  await loginAs(page, 'admin');
  await page.getByTestId('nav-/admin/settings').click();
  await expect(page.getByTestId('settings-page')).toHaveText('组织设置');

  const editor = page.getByTestId('naming-convention');
  await expect(page.getByTestId('naming-preview-form')).toHaveText('{期间}-{品牌线}-{活动名}');
  await expect(page.getByTestId('naming-preview-example')).toHaveText('2026Q4-品牌-双十一大促');
  const brandLine = editor.locator('tr[data-row-key="brand_line"]');
  await expect(brandLine.getByTestId('naming-value')).toContainText(['品牌', '电商', '新品', '渠道']);

  await brandLine.getByTestId('naming-value-input').fill(BRAND);
  await brandLine.getByTestId('naming-value-add').click();
  await expect(brandLine.getByTestId('naming-value').filter({ hasText: BRAND })).toBeVisible();
  await expect(page.getByTestId('naming-unsaved')).toBeVisible();
  await page.getByTestId('naming-save').click();
  await expect(page.getByText('命名规范已保存')).toBeVisible();
  await expect(page.getByTestId('naming-unsaved')).toHaveCount(0);
  // Saved: the row comes back from the server with the new value, the preview is unchanged.
  await expect(brandLine.getByTestId('naming-value').filter({ hasText: BRAND })).toBeVisible();
  await expect(page.getByTestId('naming-preview-form')).toHaveText('{期间}-{品牌线}-{活动名}');
  await expect(page.getByTestId('naming-preview-example')).toHaveText('2026Q4-品牌-双十一大促');

  // A name with the new brand line now follows the convention; one without a brand line does not.
  await page.getByTestId('naming-try-input').fill(`2026Q4-${BRAND}-年终直播`);
  await page.getByTestId('naming-try').click();
  await expect(page.getByTestId('naming-try-result').locator('[data-state="ok"]')).toBeVisible();
  // The parts it was read as, by their labels, not their keys.
  await expect(page.getByTestId('naming-try-parts')).toHaveText(` · 期间=2026Q4, 品牌线=${BRAND}, 活动名=年终直播`);
  await expect(brandLine.getByTestId('naming-part-label')).toHaveText('品牌线');
  await editor.scrollIntoViewIfNeeded();
  await shot(page, 'settings-naming-convention');
  await page.getByTestId('naming-try-input').fill('年终直播');
  await page.getByTestId('naming-try').click();
  await expect(page.getByTestId('naming-try-result')).toContainText(
    '期间应为年份或季度（如 2026 或 2026Q4），而不是“年终直播”',
  );
  // A brand line that is not one: the part by its label, with the values it may hold.
  await page.getByTestId('naming-try-input').fill('2026Q4-美妆-双十二');
  await page.getByTestId('naming-try').click();
  const issue = page.getByTestId('naming-try-result').getByTestId('name-check-issue');
  await expect(issue).toContainText('品牌线不能是“美妆”');
  await expect(issue.getByTestId('name-check-allowed')).toContainText(['品牌', '电商', '新品', '渠道', '私域', BRAND]);

  // The approval flows: the default project initiation flow, and a flow where every step has
  // an amount is refused before anything is sent.
  const initiation = page.getByTestId('flow-project_initiation');
  await expect(initiation).toContainText('立项审批');
  await expect(initiation.getByTestId('flow-step')).toHaveCount(2);
  await expect(initiation.getByTestId('flow-step').first()).toContainText('营销总监');
  await expect(page.getByTestId('approval-flows')).toContainText('正在审批中的申请仍按发起时的步骤进行');
  await initiation.getByTestId('flow-step-amount').first().fill('1000');
  await initiation.getByTestId('flow-save-project_initiation').click();
  await expect(initiation.getByTestId('flow-error')).toContainText('至少需要一个不设金额条件的步骤');
  await page.getByTestId('approval-flows').scrollIntoViewIfNeeded();
  await shot(page, 'settings-approval-flows');
  await logout(page);
});

test('the project manager edits the draft project budget and sees the new value', async ({ page }) => {
  await loginAs(page, 'project_manager');

  // A submitted project: the money and the manager are locked while approvers decide.
  await page.goto(`/projects?q=${encodeURIComponent(SUBMITTED)}`);
  await page.getByTestId('project-name').filter({ hasText: SUBMITTED }).click();
  await expect(page.getByTestId('project-title')).toHaveText(SUBMITTED);
  await page.getByTestId('project-edit').click();
  await expect(page.getByTestId('project-edit-locked')).toContainText('预算、币种和负责人已锁定');
  await expect(page.getByTestId('project-edit-budget')).toBeDisabled();
  await shot(page, 'project-edit-locked');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /取\s*消/ })
    .click();
  await expect(page.getByRole('dialog')).toBeHidden();

  await page.goto(`/projects?q=${encodeURIComponent(DRAFT)}`);
  await page.getByTestId('project-name').filter({ hasText: DRAFT }).click();
  await expect(page.getByTestId('project-title')).toHaveText(DRAFT);
  await expect(page.getByTestId('project-status')).toHaveText('草稿');
  await expect(page.getByTestId('project-budget')).toHaveText('¥200,000.00');

  await page.getByTestId('project-edit').click();
  await expect(page.getByTestId('project-edit-name')).toHaveValue(DRAFT);
  await expect(page.getByTestId('project-edit-locked')).toHaveCount(0);
  const budget = page.getByTestId('project-edit-budget');
  await expect(budget).toBeEnabled();
  await budget.fill('250000');
  await shot(page, 'project-edit-modal');
  await page.getByTestId('project-edit-save').click();
  await expect(page.getByText('项目已更新')).toBeVisible();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByTestId('project-budget')).toHaveText('¥250,000.00');
  await expect(page.getByTestId('project-status')).toHaveText('草稿');
});
