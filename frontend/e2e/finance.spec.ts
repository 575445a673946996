import { expect, test, type Page } from '@playwright/test';
import { loginAs, logout, screenshot } from './helpers';

/**
 * Issue 10's journey: the PM asks for a new venue line on the running campaign (预算申请, more
 * than ¥50,000 added, so finance decides after the director); finance approves it from its
 * home; the PM records venue costs until the line crosses 80 % and is warned at once; the
 * director sees the line on their home's overspend card. Names carry a suffix so a retry on
 * the same database starts clean.
 */

const API = '/api/v1';
const PROJECT = '2026Q4-品牌-年终种草计划';
const SUFFIX = `${Date.now() % 100000}`;
const LINE = `外场场地-${SUFFIX}`;
test.describe.configure({ mode: 'serial' });

let projectId = '';

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

interface Request_ {
  id: string;
  state: string;
  approval_request_id: string;
  requested_by_member_id: string;
}

interface Summary {
  lines: { id: string; name: string; state: string; budget: string; level: string; used_percent: string | null }[];
}

test('the PM asks for a venue line and the director, then finance, approve it', async ({ page }) => {
  test.setTimeout(120_000);
  await loginAs(page, 'project_manager');
  const found = await call<{ items: { id: string; name: string }[] }>(page, 'GET', '/projects?limit=50&offset=0');
  projectId = found.items.find((p) => p.name === PROJECT)?.id ?? '';
  expect(projectId, PROJECT).not.toBe('');
  // A retry may find its own earlier request still waiting: take it back first.
  const earlier = await call<{ items: Request_[] }>(page, 'GET', `/projects/${projectId}/budget-requests`);
  for (const r of earlier.items.filter((x) => x.state === 'pending')) {
    await call(page, 'POST', `/budget-requests/${r.id}/withdraw`);
  }

  await page.goto(`/projects/${projectId}?tab=budget`);
  await expect(page.getByTestId('budget-panel')).toBeVisible();
  await page.getByTestId('budget-request-open').click();
  const drawer = page.getByTestId('budget-request-drawer');
  await expect(drawer).toBeVisible();
  await drawer.getByTestId('request-add-line').click();
  await drawer.getByTestId('request-added-0-category').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '场地' }).first().click();
  await drawer.getByTestId('request-added-0-name').fill(LINE);
  await drawer.getByTestId('request-added-0-amount').fill('60000');
  await drawer.getByTestId('request-reason').fill('年货节外场快闪活动场地');
  // More than ¥50,000 added: the director, then finance.
  await expect(drawer.getByTestId('request-total-added')).toContainText('60,000');
  await expect(drawer.getByTestId('request-steps')).toContainText('财务');
  await screenshot(page, 'finance-budget-request');
  await drawer.getByTestId('budget-request-submit').click();
  await expect(page.getByTestId('budget-request-pending')).toBeVisible();

  const mine = await call<{ items: Request_[] }>(page, 'GET', `/projects/${projectId}/budget-requests`);
  const request = mine.items.find((x) => x.state === 'pending');
  expect(request).toBeDefined();
  await logout(page);

  // The director approves the first step (the drawer from the approvals page).
  await loginAs(page, 'director');
  await page.goto(`/approvals?box=inbox&open=${request!.approval_request_id}`);
  const approval = page.getByTestId('approval-drawer');
  await expect(approval.getByTestId('approval-budget-request')).toContainText(LINE);
  await approval.getByTestId('approval-approve').click();
  await expect(page.getByText('已批准').first()).toBeVisible();
  await logout(page);

  // Finance finds it on its home and approves: the line is granted.
  await loginAs(page, 'finance');
  const card = page.getByTestId('panel-approvals-inbox');
  const item = card.getByTestId('panel-approval').filter({ hasText: PROJECT }).first();
  await expect(item).toBeVisible();
  await page.goto(`/approvals?box=inbox&open=${request!.approval_request_id}`);
  await expect(approval.getByTestId('approval-budget-request')).toContainText(LINE);
  await screenshot(page, 'finance-approves-budget');
  await approval.getByTestId('approval-approve').click();
  await expect(page.getByText('已批准').first()).toBeVisible();
  const summary = await call<Summary>(page, 'GET', `/projects/${projectId}/budget`);
  const line = summary.lines.find((l) => l.name === LINE);
  expect(line?.state).toBe('approved');
  expect(line?.budget).toBe('60000.00');
  await logout(page);
});

test('the PM records venue costs until the line crosses 80 % and is warned; the director sees it', async ({ page }) => {
  test.setTimeout(120_000);
  expect(projectId).not.toBe('');
  await loginAs(page, 'project_manager');
  await page.goto(`/projects/${projectId}?tab=budget`);
  await expect(page.getByTestId('budget-panel')).toBeVisible();

  async function record(amount: string, description: string) {
    await page.getByTestId('cost-record').first().click();
    const form = page.getByRole('dialog');
    await form.getByTestId('cost-line').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: LINE }).click();
    await form.getByTestId('cost-amount').fill(amount);
    await form.getByTestId('cost-description').fill(description);
    await form.getByRole('button', { name: /保\s*存|记\s*录|确\s*定/ }).click();
    await expect(form).toBeHidden();
  }

  await record('30000', '场地定金');
  let summary = await call<Summary>(page, 'GET', `/projects/${projectId}/budget`);
  expect(summary.lines.find((l) => l.name === LINE)?.level).toBe('ok'); // 50 %
  await record('19000', '场地尾款');
  // 49,000 of 60,000: 81.7 %, past the warning line — told at once.
  await expect(page.getByText(/预算预警/).first()).toBeVisible();
  await expect(page.getByText(LINE).first()).toBeVisible();
  summary = await call<Summary>(page, 'GET', `/projects/${projectId}/budget`);
  expect(summary.lines.find((l) => l.name === LINE)?.level).toBe('warn');
  await screenshot(page, 'finance-venue-warning');
  // The bell has it too.
  await page.getByTestId('notification-bell').click();
  await expect(page.getByTestId('notification-drawer')).toContainText(LINE);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('notification-drawer')).toBeHidden();
  await logout(page);

  await loginAs(page, 'director');
  const over = page.getByTestId('panel-overspend');
  await expect(over).toContainText(PROJECT);
  await expect(over).toContainText(LINE);
  await screenshot(page, 'director-overspend');
});
