import { expect, test, type Page } from '@playwright/test';
import { loginAs, logout, screenshot } from './helpers';

/**
 * A two-step 立项 (above ¥500,000: director, then finance) told through notifications, against
 * the demo data: the project manager submits through the API; the director reads the project in
 * the approval drawer (dates, goals, description, budget lines, the submission first in the
 * history) and approves; finance finds it on its home's 待我审批 card and approves; the project
 * manager's bell then counts the outcome and leads to it. Afterwards the project is started and
 * moved to 收尾 without a retrospective, where 结项 is disabled and says why.
 */

test.describe.configure({ mode: 'serial' });

const API = '/api/v1';
const NAME = `2026Q4-电商-通知${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const DESCRIPTION = '年终全渠道促销，验证通知与审批抽屉';
const GOAL = '提升品牌知名度';
let projectId = '';
let approvalId = '';

/** A call as the logged-in page's user: the session cookie rides along, unsafe methods echo CSRF. */
async function call<T>(page: Page, method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'mems_csrf')?.value ?? '';
  const r = await page.request.fetch(`${API}${path}`, {
    method,
    data,
    headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf },
  });
  expect(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
  return (await r.json()) as T;
}

interface Page_<T> {
  items: T[];
}

async function moveProject(page: Page, action: string) {
  const p = await call<{ version: number }>(page, 'GET', `/projects/${projectId}`);
  await call(page, 'POST', `/projects/${projectId}/transitions`, { action, version: p.version });
}

test('the project manager submits a project above ¥500,000', async ({ page }) => {
  await loginAs(page, 'project_manager');
  const periods = await call<Page_<{ id: string; name: string }>>(page, 'GET', '/strategy-periods?limit=200');
  const q4 = periods.items.find((p) => p.name === '2026Q4');
  const goals = await call<Page_<{ id: string; title: string }>>(page, 'GET', '/goals?limit=200');
  const goal = goals.items.find((g) => g.title === GOAL);
  expect(q4 && goal).toBeTruthy();
  const created = await call<{ id: string }>(page, 'POST', '/projects', {
    name: NAME,
    type: 'promotion',
    template: 'builtin:holiday_promotion',
    description: DESCRIPTION,
    period_id: q4?.id,
    starts_on: '2026-12-01',
    ends_on: '2026-12-28',
    total_budget: '600000',
    goal_links: [{ objective_id: goal?.id }],
  });
  projectId = created.id;
  await moveProject(page, 'submit');
  const p = await call<{ approval: { id: string } }>(page, 'GET', `/projects/${projectId}`);
  approvalId = p.approval.id;
  await logout(page);
});

test('the director reads what is decided in the drawer and approves the first step', async ({ page }) => {
  await loginAs(page, 'director');
  // The bell counts the request that awaits the director (the demo's own request too).
  await expect(page.getByTestId('notification-count')).toContainText(/\d/);
  await page.goto(`/approvals?box=inbox&open=${approvalId}`);
  const drawer = page.getByTestId('approval-drawer');
  await expect(drawer).toContainText(NAME);
  await expect(drawer.getByTestId('approval-project-dates')).toHaveText('2026年12月1日 – 2026年12月28日');
  await expect(drawer.getByTestId('approval-project-goals')).toContainText(GOAL);
  await expect(drawer.getByTestId('approval-project-description')).toHaveText(DESCRIPTION);
  const budget = drawer.getByTestId('approval-project-budget');
  for (const category of ['平台广告', '信息流投放', '直播', '达人佣金', '优惠补贴']) {
    await expect(budget).toContainText(category);
  }
  await expect(budget).toContainText('¥600,000.00');
  // The history opens with the submission: who and when.
  const first = drawer.getByTestId('approval-history').locator('.ant-timeline-item').first();
  await expect(first).toContainText('张伟 提交了申请');
  await expect(first).toContainText(/2\d{3}-\d{2}-\d{2} \d{2}:\d{2}/);
  await screenshot(page, 'approval-drawer-details');
  await drawer.getByTestId('approval-approve').click();
  await expect(page.getByText('已批准').first()).toBeVisible();
  await logout(page);
});

test('finance finds it on its home’s 待我审批 card, told by the bell, and approves', async ({ page }) => {
  await loginAs(page, 'finance');
  const card = page.getByTestId('panel-approvals-inbox');
  await expect(card).toContainText('待我审批');
  const item = card.getByTestId('panel-approval').filter({ hasText: NAME });
  await expect(item).toBeVisible();
  // The card counts the whole inbox (the demo's budget change waits for finance too).
  const inbox = await call<{ total: number }>(page, 'GET', '/approvals?box=inbox&limit=1');
  expect(inbox.total).toBeGreaterThanOrEqual(1);
  await expect(card.getByTestId('panel-approvals-count')).toHaveText(String(inbox.total));
  await screenshot(page, 'finance-home-inbox');
  // The bell told finance too: the newest notification is this request, awaiting its step.
  await expect(page.getByTestId('notification-count')).toContainText(/[1-9]/);
  await page.getByTestId('notification-bell').click();
  const told = page.getByTestId('notification-drawer').getByTestId('notification-item').first();
  await expect(told).toContainText(`${NAME}」等待您审批`);
  await expect(told).toContainText('申请人：张伟；第 2/2 步等待您决定。');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('notification-drawer')).toBeHidden();

  await item.getByRole('link', { name: NAME }).click();
  const drawer = page.getByTestId('approval-drawer');
  await expect(drawer.getByTestId('approval-history')).toContainText('李静');
  await drawer.getByTestId('approval-approve').click();
  await expect(page.getByText('已批准').first()).toBeVisible();
  await page.getByTestId('nav-/').click();
  await expect(card.getByTestId('panel-approval').filter({ hasText: NAME })).toHaveCount(0);
  await logout(page);
});

test('the project manager’s bell counts the approval and leads to it', async ({ page }) => {
  await loginAs(page, 'project_manager');
  const bell = page.getByTestId('notification-bell');
  const before = Number(
    await page.getByTestId('notification-count').locator('.ant-scroll-number').getAttribute('title'),
  );
  expect(before).toBeGreaterThan(0);
  await expect(bell).toHaveAccessibleName(`通知，${before} 条未读`);
  await bell.click();
  const drawer = page.getByTestId('notification-drawer');
  const newest = drawer.getByTestId('notification-item').first();
  await expect(newest.getByTestId('notification-title')).toContainText('已批准：');
  await expect(newest.getByTestId('notification-title')).toContainText(NAME);
  await expect(newest).toHaveAttribute('data-unread', 'true');
  await expect(newest).toContainText('刘洋 已批准最后一步。');
  await screenshot(page, 'notifications-drawer');

  await newest.click();
  await expect(page).toHaveURL(new RegExp(`/approvals\\?box=mine&open=${approvalId}`));
  await expect(page.getByTestId('approval-drawer-state')).toHaveText('已批准');
  await expect(page.getByTestId('notification-count').locator('.ant-scroll-number')).toHaveAttribute(
    'title',
    String(before - 1),
  );
});

test('结项 stays disabled until the retrospective is written, and says so', async ({ page }) => {
  await loginAs(page, 'project_manager');
  await moveProject(page, 'start');
  await moveProject(page, 'close');
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByTestId('project-status')).toHaveText('收尾中');
  const finish = page.getByTestId('action-finish');
  await expect(finish).toBeDisabled();
  await page.getByTestId('action-finish-blocked').hover();
  await expect(page.getByRole('tooltip')).toHaveText('结项前需先填写复盘');
  await screenshot(page, 'project-finish-blocked');
  await expect(page.getByTestId('action-reopen')).toBeEnabled();
});
