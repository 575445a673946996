import { expect, test, type Page } from '@playwright/test';
import { loginAs, screenshot } from './helpers';

/**
 * The project's 资源 tab: the PM opens the running campaign, sees what it has booked (the demo
 * member over their week's hours, flagged red), books the demo venue for two days — days the
 * year-end show has it too, so the booking is saved with a conflict to look at — finds it in
 * the tab, and the workload page shows the member's red week. A retry releases the campaign's
 * earlier venue bookings first, so it starts clean.
 */

const API = '/api/v1';
const PROJECT = '2026Q4-品牌-年终种草计划';
const SHOW = '2026Q4-品牌-年终美妆展会';
const VENUE = '国家会展中心（上海）4.1 馆';

interface Page_<T> {
  items: T[];
}
interface Booking {
  id: string;
  project_id: string;
  project_name: string;
  resource_name: string;
  starts_on: string;
  ends_on: string;
}
interface Resource {
  id: string;
  name: string;
  kind: string;
  member_name: string | null;
}
interface Project {
  id: string;
  name: string;
  starts_on: string;
  ends_on: string;
}

async function call<T>(page: Page, method: 'GET' | 'DELETE', path: string): Promise<T | null> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'mems_csrf')?.value ?? '';
  const r = await page.request.fetch(`${API}${path}`, {
    method,
    headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf },
  });
  expect(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
  return r.status() === 204 ? null : ((await r.json()) as T);
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

test('the PM books the venue in the campaign’s 资源 tab and sees the conflicts; the workload shows the red week', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await loginAs(page, 'project_manager');
  const projects = (await call<Page_<Project>>(page, 'GET', '/projects?limit=50&offset=0'))!.items;
  const campaign = projects.find((p) => p.name === PROJECT)!;
  expect(campaign, PROJECT).toBeDefined();
  const venues = (await call<Page_<Resource>>(page, 'GET', '/resources?kind=venue&limit=50&offset=0'))!.items;
  const venue = venues.find((r) => r.name === VENUE)!;
  expect(venue, VENUE).toBeDefined();
  // Two days the show has the venue (seeded), within the campaign's dates; else the day after tomorrow.
  const venueBookings = (await call<Page_<Booking>>(
    page,
    'GET',
    `/resources/${venue.id}/allocations?limit=200&offset=0`,
  ))!.items;
  for (const earlier of venueBookings.filter((b) => b.project_id === campaign.id)) {
    await call(page, 'DELETE', `/allocations/${earlier.id}`);
  }
  const show = venueBookings.find((b) => b.project_name === SHOW);
  let first = show && show.starts_on >= campaign.starts_on ? show.starts_on : addDays(campaign.starts_on, 21);
  // Two working days (Monday to Thursday starts keep both off the weekend).
  while (![1, 2, 3, 4].includes(new Date(`${first}T00:00:00Z`).getUTCDay())) first = addDays(first, 1);
  const last = addDays(first, 1);
  expect(last <= campaign.ends_on, `${first} – ${last} within the campaign`).toBeTruthy();
  const overlapsShow = !!show && show.starts_on <= first && last <= show.ends_on;

  // The campaign from the project list, then its 资源 tab.
  await page.goto('/projects');
  await page.getByTestId('project-name').filter({ hasText: PROJECT }).first().click();
  await expect(page.getByTestId('project-title')).toContainText(PROJECT);
  await page.getByRole('tab', { name: '资源' }).click();
  const panel = page.getByTestId('project-resources');
  await expect(panel).toBeVisible();
  const member = panel.getByTestId('project-resources-person').locator('tr', { hasText: '陈晨' }).first();
  await expect(member.getByTestId('allocation-conflict').first()).toContainText('超出本周工时');
  await screenshot(page, 'resources-project-tab');

  // 分配资源: the venue, two days.
  await panel.getByTestId('project-allocate').click();
  const form = page.getByTestId('allocate-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('allocate-fixed-project')).toContainText(PROJECT);
  await form.getByTestId('allocate-resource').click();
  await page.keyboard.type('4.1 馆');
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: VENUE }).click();
  await expect(form.getByTestId('allocate-quantity')).toBeVisible();
  await expect(form.getByTestId('allocate-hours')).toHaveCount(0);
  const [start, end] = [form.getByPlaceholder(/开始日期|Start date/), form.getByPlaceholder(/结束日期|End date/)];
  await start.click();
  await start.fill(first);
  await start.press('Enter');
  await end.fill(last);
  await end.press('Enter');
  await form.getByTestId('allocate-quantity').fill('1');
  await form.getByTestId('allocate-note').fill('年终种草线下快闪');
  await screenshot(page, 'resources-book-venue');
  await page.getByTestId('allocate-submit').click();

  // Saved; if the show has the venue those days, the conflict is said at once and flagged in the row.
  if (overlapsShow) {
    const conflicts = page.getByTestId('allocation-conflicts');
    await expect(conflicts).toContainText('重复占用');
    await expect(conflicts).toContainText(VENUE);
    await screenshot(page, 'resources-book-venue-conflicts');
    await page.getByTestId('allocation-conflicts-ok').click();
  }
  const venues_ = panel.getByTestId('project-resources-venue');
  const row = venues_.locator('tr', { hasText: VENUE });
  await expect(row).toContainText('2 个工作日');
  await expect(row).toContainText('年终种草线下快闪');
  if (overlapsShow) {
    await expect(row.getByTestId('allocation-conflict')).toContainText(`场地被 ${SHOW} 项目占用`);
  }
  await screenshot(page, 'resources-project-tab-booked');

  // ?tab=resources opens the tab directly.
  await page.goto(`/projects/${campaign.id}?tab=resources`);
  await expect(page.getByTestId('project-resources-venue')).toContainText(VENUE);

  // The workload: the member's current week is red.
  const people = (await call<Page_<Resource>>(page, 'GET', '/resources?kind=person&limit=50&offset=0'))!.items;
  const chen = people.find((r) => r.member_name === '陈晨')!;
  await page.goto('/workload');
  const grid = page.getByTestId('workload-grid');
  await expect(grid).toBeVisible();
  await expect(grid.locator(`[data-testid^="cell-${chen.id}-"][data-level="over"]`).first()).toBeVisible();
  await expect(page.getByTestId('workload-over')).toContainText('陈晨');
  await screenshot(page, 'resources-workload');
});
