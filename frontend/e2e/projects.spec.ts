import { expect, test, type Page } from '@playwright/test';
import { loginAs, logout, screenshot } from './helpers';

/**
 * The project journey against the demo data: the project manager creates a project from the
 * 节日促销 template (the naming convention first refuses the name), links it to a goal and
 * submits it; the director approves it from the approval inbox; the project manager then sees
 * it approved and listed under its goal in the strategy tree. The tests build on each other.
 */

test.describe.configure({ mode: 'serial' });

const TOP_GOAL = '提升品牌知名度';
const BAD_NAME = '双十一大促';
const NAME = `2026Q4-电商-e2e${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const COMMENT = '同意立项，注意控制投放节奏';

async function openProjects(page: Page) {
  await page.getByTestId('nav-/projects').click();
  await expect(page.getByTestId('projects-page')).toHaveText('项目管理');
}

test('the project manager creates a project from a template, fixing the name, and submits it', async ({ page }) => {
  await loginAs(page, 'project_manager');
  await openProjects(page);
  await page.getByTestId('project-new').click();
  await expect(page.getByTestId('wizard-page')).toHaveText('新建项目');

  // Step 1: the templates, built-in ones included.
  const holiday = page.getByTestId('template-card').filter({ hasText: '节日促销' });
  await expect(holiday).toBeVisible();
  await holiday.click();
  await expect(holiday).toHaveAttribute('aria-pressed', 'true');
  await screenshot(page, 'project-wizard-templates');
  await page.getByTestId('wizard-next').click();

  // Step 2: a name that ignores the convention is refused as it is typed, naming the part at
  // fault, with the rule (typed as a raw name: the advanced option beside the part pickers).
  const check = page.getByTestId('name-check');
  await expect(check).toContainText('{期间}-{品牌线}-{活动名}');
  await page.getByTestId('name-raw-toggle').click();
  await page.getByTestId('project-name-input').fill(BAD_NAME);
  await expect(check.locator('[data-state="bad"]')).toBeVisible();
  await expect(check).toContainText('期间应为年份或季度');
  await expect(check).toContainText('{期间}-{品牌线}-{活动名}');
  await expect(check).toContainText('2026Q4-品牌-双十一大促');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByText('请先按命名规范修改项目名称')).toBeVisible();
  await screenshot(page, 'project-wizard-bad-name');

  await page.getByTestId('project-name-input').fill(NAME);
  await expect(check.locator('[data-state="ok"]')).toBeVisible();
  await expect(check).toContainText('名称符合命名规范');
  // The template filled the type and dates; the quarter is picked from the start date.
  await expect(page.getByTestId('project-type')).toContainText('促销活动');
  await expect(page.getByTestId('project-period')).toContainText('2026');
  await page.getByTestId('project-budget-input').fill('200000');
  await screenshot(page, 'project-wizard-basics');
  await page.getByTestId('wizard-next').click();

  // Step 3: link the goal it serves.
  await expect(page.getByTestId('wizard-goals')).toBeVisible();
  await page.getByTestId('goal-links-select').click();
  await page.keyboard.type(TOP_GOAL);
  await page.locator('.ant-select-item-option').filter({ hasText: TOP_GOAL }).first().click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('goal-link-row')).toHaveCount(1);
  await expect(page.getByTestId('goal-link-row')).toContainText(TOP_GOAL);
  await screenshot(page, 'project-wizard-goals');
  await page.getByTestId('wizard-next').click();

  // Step 4: review, then create.
  await expect(page.getByTestId('review-name')).toHaveText(NAME);
  await expect(page.getByTestId('review-budget')).toHaveText('¥200,000.00');
  await expect(page.getByTestId('review-goals')).toContainText(TOP_GOAL);
  await screenshot(page, 'project-wizard-review');
  await page.getByTestId('wizard-create').click();

  // The new draft with the template's phases and starter tasks.
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('project-title')).toHaveText(NAME);
  await expect(page.getByTestId('project-status')).toHaveText('草稿');
  await expect(page.getByTestId('project-budget')).toHaveText('¥200,000.00');
  await expect(page.getByTestId('project-goal-links')).toContainText(TOP_GOAL);
  // A draft's goals can still be changed from the overview.
  await page.getByTestId('goal-links-edit').click();
  await expect(page.getByTestId('goal-links-edit-select')).toContainText(TOP_GOAL);
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /取\s*消/ })
    .click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await page.getByRole('tab', { name: '阶段与任务' }).click();
  await expect(page.getByTestId('project-phase').first()).toBeVisible();
  await screenshot(page, 'project-detail-phases');

  // Submitting asks first, then opens the initiation approval.
  await expect(page.getByTestId('action-start')).toHaveCount(0);
  await page.getByTestId('action-submit').click();
  await page.getByTestId('action-confirm').click();
  await expect(page.getByText('已提交立项，等待审批')).toBeVisible();
  await expect(page.getByTestId('project-status')).toHaveText('已提交');
  await expect(page.getByTestId('action-withdraw')).toBeVisible();
  await page.getByRole('tab', { name: '立项审批' }).click();
  await expect(page.getByTestId('approval-state')).toHaveText('审批中');
  await screenshot(page, 'project-detail-submitted');

  // The project manager's home lists it, and the request waiting for approval.
  await page.getByTestId('nav-/').click();
  await expect(page.getByTestId('panel-projects')).toContainText(NAME);
  await expect(page.getByTestId('panel-approvals-mine')).toContainText(NAME);
  await logout(page);
});

test('the director approves the project from the approval inbox', async ({ page }) => {
  await loginAs(page, 'director');
  await expect(page.getByTestId('panel-approvals-inbox')).toContainText(NAME);
  await page.getByTestId('nav-/approvals').click();
  await expect(page.getByTestId('approvals-page')).toHaveText('审批中心');
  const row = page.getByTestId('approval-row').filter({ hasText: NAME });
  await expect(row).toBeVisible();
  await expect(row).toContainText('立项审批');
  await expect(row).toContainText('¥200,000.00');
  await expect(row).toContainText('张伟');
  await expect(row.getByTestId('approval-state')).toHaveText('审批中');

  await row.getByTestId('approval-open').click();
  const drawer = page.getByTestId('approval-drawer');
  await expect(drawer).toContainText(NAME);
  // A rejection needs a comment.
  await drawer.getByTestId('approval-reject').click();
  await expect(drawer).toContainText('驳回时请填写意见');
  await drawer.getByTestId('approval-comment').fill(COMMENT);
  await screenshot(page, 'approval-drawer');
  await drawer.getByTestId('approval-approve').click();
  await expect(page.getByText('已批准').first()).toBeVisible();
  await expect(page.getByTestId('approval-row').filter({ hasText: NAME })).toHaveCount(0);

  // It is in the full list, approved.
  await page.getByTestId('approvals-tab-all').click();
  const approved = page.getByTestId('approval-row').filter({ hasText: NAME });
  await expect(approved.getByTestId('approval-state')).toHaveText('已批准');
  await logout(page);
});

test('the project manager sees the project approved and under its goal in the strategy tree', async ({ page }) => {
  await loginAs(page, 'project_manager');
  const card = page.getByTestId('panel-project').filter({ hasText: NAME });
  await expect(card.getByTestId('project-status')).toHaveText('已批准');
  await card.getByRole('link', { name: NAME }).click();

  await expect(page.getByTestId('project-title')).toHaveText(NAME);
  await expect(page.getByTestId('project-status')).toHaveText('已批准');
  await expect(page.getByTestId('project-registered')).toHaveText(/已立项/);
  await expect(page.getByTestId('action-start')).toBeVisible();
  await page.getByRole('tab', { name: '立项审批' }).click();
  await expect(page.getByTestId('approval-state')).toHaveText('已批准');
  await expect(page.getByTestId('approval-history')).toContainText('李静');
  await expect(page.getByTestId('approval-history')).toContainText(COMMENT);
  await screenshot(page, 'project-detail-approved');

  // The list shows it, and filters by status (the seeded draft is not approved).
  await openProjects(page);
  await expect(page.getByTestId('projects-table')).toContainText(NAME);
  await screenshot(page, 'projects-list');
  await page.goto('/projects?status=approved');
  await expect(page.getByTestId('projects-table')).toContainText(NAME);
  await expect(page.getByTestId('projects-table')).not.toContainText('2026Q4-渠道-年货节预热');

  // The strategy tree lists the project under the goal it serves.
  await page.getByTestId('nav-/strategy').click();
  await expect(page.getByTestId('strategy-page')).toHaveText('战略目标');
  const topGoal = page
    .getByTestId('goal-node')
    .filter({ has: page.getByTestId('goal-title').getByText(TOP_GOAL, { exact: true }) })
    .first();
  const linked = topGoal.getByTestId('goal-project').filter({ hasText: NAME });
  await expect(linked).toBeVisible();
  await expect(linked.getByTestId('goal-project-status')).toHaveText('已批准');
  await screenshot(page, 'strategy-linked-projects');
  await linked.getByTestId('goal-project-name').click();
  await expect(page.getByTestId('project-title')).toHaveText(NAME);
});
