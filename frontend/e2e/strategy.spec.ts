import { expect, test, type Locator, type Page } from '@playwright/test';
import { loginAs, screenshot } from './helpers';

/**
 * The strategy page against the demo data: period 2026, top goal 提升品牌知名度 with two KPIs
 * owned by the director, two department goals, and 达人合作 (owned by the member) with no KPI.
 * The tests run in order and build on each other (one fresh database per run).
 */

const TOP_GOAL = '提升品牌知名度';
const FLAGGED_GOAL = '达人合作：签约30位美妆达人';
const SEEDED_KPIS = [
  '社交媒体曝光量增长30%',
  '新增粉丝5万人',
  '短视频平均CTR达到3.5%',
  '双十一期间单次获客成本降至45元',
];
const NEW_KPI = '签约美妆达人数';

const goalRow = (page: Page, title: string) => page.getByTestId('goal-row').filter({ hasText: title });
const kpiRow = (page: Page, name: string) => page.getByRole('row', { name: new RegExp(name) });

async function percentOf(locator: Locator): Promise<number> {
  const text = (await locator.locator('.ant-progress-text').innerText()).trim();
  const value = Number(text.replace('%', ''));
  expect(Number.isFinite(value), `percent in "${text}"`).toBe(true);
  return value;
}

async function openStrategy(page: Page) {
  await page.getByTestId('nav-/strategy').click();
  await expect(page.getByTestId('strategy-page')).toHaveText('战略目标');
  await expect(page.getByTestId('period-select')).toContainText('2026');
  await expect(goalRow(page, TOP_GOAL)).toBeVisible();
}

test('the director sees the goal tree and checks in a new value that lifts the progress', async ({ page }) => {
  await loginAs(page, 'director');
  await openStrategy(page);

  // The whole tree of 2026: four goals with level tags, owners and progress bars.
  await expect(page.getByTestId('goal-row')).toHaveCount(4);
  await expect(goalRow(page, TOP_GOAL).getByTestId('goal-level')).toHaveText('公司');
  await expect(goalRow(page, TOP_GOAL).getByTestId('goal-owner')).toContainText('李静');
  await expect(goalRow(page, '内容营销部：打造爆款短视频').getByTestId('goal-level')).toHaveText('部门');
  await expect(goalRow(page, TOP_GOAL).getByTestId('goal-progress').locator('.ant-progress')).toBeVisible();
  for (const name of SEEDED_KPIS) await expect(kpiRow(page, name)).toBeVisible();

  // The goal nobody measures is flagged, and counted in the summary.
  await expect(goalRow(page, FLAGGED_GOAL).getByTestId('goal-unmeasured')).toHaveText('未设置KPI');
  await expect(goalRow(page, FLAGGED_GOAL).getByTestId('goal-level')).toHaveText('个人');
  await expect(goalRow(page, FLAGGED_GOAL).getByTestId('goal-progress')).toHaveText('暂无进度');
  await expect(page.getByTestId('strategy-unmeasured-count')).toContainText('1');

  // A KPI reads baseline → target, the current value with grouping and the last check-in.
  const fans = kpiRow(page, '新增粉丝5万人');
  await expect(fans.getByTestId('kpi-range')).toHaveText('0 → 50,000人');
  await expect(fans.getByTestId('kpi-current')).toHaveText('38,200人');
  await expect(fans.getByTestId('kpi-last-check-in')).toHaveText('最近打卡 2026年11月20日');
  await expect(fans.getByTestId('kpi-direction')).toContainText('增长');
  await expect(kpiRow(page, '双十一期间单次获客成本降至45元').getByTestId('kpi-direction')).toContainText('降低');
  await expect(kpiRow(page, '双十一期间单次获客成本降至45元').getByTestId('kpi-current')).toHaveText('¥52.00');
  await screenshot(page, 'strategy-director');

  const attainmentBefore = await percentOf(fans.getByTestId('kpi-attainment'));
  const topBefore = await percentOf(goalRow(page, TOP_GOAL).getByTestId('goal-progress'));
  expect(attainmentBefore).toBe(76);

  await fans.getByTestId('kpi-check-in').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('新增粉丝5万人');
  await dialog.getByTestId('check-in-value').fill('45000');
  await dialog.getByTestId('check-in-note').fill('双十一直播带来大量新粉');
  // The form previews the attainment the value would give.
  await expect(dialog.getByTestId('check-in-preview')).toContainText('90%');
  await screenshot(page, 'strategy-check-in');
  await dialog.getByTestId('check-in-submit').click();
  await expect(page.getByText('已记录，进度已更新')).toBeVisible();
  await expect(dialog).toBeHidden();

  // The tree is refetched: the KPI and the goal above it moved up.
  await expect(fans.getByTestId('kpi-current')).toHaveText('45,000人');
  await expect(fans.getByTestId('kpi-attainment').locator('.ant-progress-text')).toHaveText('90%');
  await expect.poll(() => percentOf(goalRow(page, TOP_GOAL).getByTestId('goal-progress'))).toBeGreaterThan(topBefore);
  await screenshot(page, 'strategy-after-check-in');

  // The history lists the new value first, with the note and who recorded it.
  await fans.getByTestId('kpi-history').click();
  const history = page.getByTestId('check-in-history-table');
  await expect(history.locator('tbody tr.ant-table-row')).toHaveCount(4);
  const newest = history.locator('tbody tr.ant-table-row').first();
  await expect(newest).toContainText('45,000人');
  await expect(newest).toContainText('双十一直播带来大量新粉');
  await expect(newest).toContainText('李静');
  await screenshot(page, 'strategy-history');
});

test('a member reads the tree but cannot change it nor check in on KPIs of others', async ({ page }) => {
  await loginAs(page, 'member');
  await openStrategy(page);
  await expect(page.getByTestId('goal-row')).toHaveCount(4);
  await expect(goalRow(page, FLAGGED_GOAL).getByTestId('goal-unmeasured')).toBeVisible();
  for (const name of SEEDED_KPIS) {
    await expect(kpiRow(page, name)).toBeVisible();
    await expect(kpiRow(page, name).getByTestId('kpi-check-in')).toHaveCount(0);
    // Reading the history is open to everyone.
    await expect(kpiRow(page, name).getByTestId('kpi-history')).toBeVisible();
  }
  for (const testId of ['period-add', 'goal-add', 'goal-add-kpi', 'goal-add-child', 'goal-edit', 'kpi-edit']) {
    await expect(page.getByTestId(testId)).toHaveCount(0);
  }
  await screenshot(page, 'strategy-member');
});

test('the director adds a KPI to the flagged goal; the server refuses inconsistent values field by field', async ({
  page,
}) => {
  await loginAs(page, 'director');
  await openStrategy(page);
  await goalRow(page, FLAGGED_GOAL).getByTestId('goal-add-kpi').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('kpi-goal')).toContainText(FLAGGED_GOAL);
  // The goal's owner is proposed as the KPI's owner.
  await expect(dialog.getByTestId('kpi-owner')).toContainText('陈晨');

  await dialog.getByTestId('kpi-name-input').fill(NEW_KPI);
  await dialog.getByLabel('单位').fill('位');
  await dialog.getByTestId('kpi-baseline').fill('0');
  await dialog.getByTestId('kpi-target').fill('0');
  await dialog.getByTestId('kpi-submit').click();
  // Target equal to the baseline: the message sits under the target field.
  const targetItem = dialog.locator('.ant-form-item').filter({ has: page.getByTestId('kpi-target') });
  await expect(targetItem.locator('.ant-form-item-explain-error')).toHaveText('目标值不能等于基线值');

  // A target above the baseline for a KPI that should go down: the direction is at fault.
  await dialog.getByTestId('kpi-target').fill('30');
  await dialog.getByTestId('kpi-direction-input').getByText('越低越好').click();
  await dialog.getByTestId('kpi-submit').click();
  const directionItem = dialog.locator('.ant-form-item').filter({ has: page.getByTestId('kpi-direction-input') });
  await expect(directionItem.locator('.ant-form-item-explain-error')).toContainText('与方向不符');
  await screenshot(page, 'strategy-kpi-errors');

  await dialog.getByTestId('kpi-direction-input').getByText('越高越好').click();
  await dialog.getByTestId('kpi-submit').click();
  await expect(page.getByText('KPI 已添加')).toBeVisible();
  await expect(dialog).toBeHidden();

  const row = kpiRow(page, NEW_KPI);
  await expect(row.getByTestId('kpi-range')).toHaveText('0 → 30位');
  await expect(row.getByTestId('kpi-current')).toHaveText('—');
  await expect(row.getByTestId('kpi-last-check-in')).toHaveText('尚未打卡');
  await expect(row).toContainText('陈晨');
  // Measured now: the flag is gone.
  await expect(goalRow(page, FLAGGED_GOAL).getByTestId('goal-unmeasured')).toHaveCount(0);
  await expect(page.getByTestId('strategy-unmeasured-count')).toContainText('0');
});

test('a member checks in on the KPI they own, and only on that one', async ({ page }) => {
  await loginAs(page, 'member');
  await openStrategy(page);
  for (const name of SEEDED_KPIS) await expect(kpiRow(page, name).getByTestId('kpi-check-in')).toHaveCount(0);
  const own = kpiRow(page, NEW_KPI);
  await own.getByTestId('kpi-check-in').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('check-in-value').fill('12');
  await dialog.getByTestId('check-in-submit').click();
  await expect(page.getByText('已记录，进度已更新')).toBeVisible();
  await expect(own.getByTestId('kpi-current')).toHaveText('12位');
  await expect(own.getByTestId('kpi-attainment').locator('.ant-progress-text')).toHaveText('40%');
  await expect(goalRow(page, FLAGGED_GOAL).getByTestId('goal-progress').locator('.ant-progress-text')).toHaveText(
    '40%',
  );
});

test('the director opens a new year and gives it a first goal', async ({ page }) => {
  await loginAs(page, 'director');
  await openStrategy(page);
  await page.getByTestId('period-add').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('period-name').fill('2027');
  // The name fills in the kind and the dates.
  await expect(dialog.getByTestId('period-starts-on')).toHaveValue('2027-01-01');
  await expect(dialog.getByTestId('period-ends-on')).toHaveValue('2027-12-31');
  await dialog.getByTestId('period-submit').click();
  await expect(page.getByText('战略周期已创建')).toBeVisible();

  // The new period is selected, and it is empty.
  await expect(page.getByTestId('period-select')).toContainText('2027');
  await expect(page).toHaveURL(/period=/);
  await expect(page.getByTestId('strategy-no-goals')).toContainText('2027 还没有目标');
  await screenshot(page, 'strategy-new-period');

  await page.getByTestId('goal-add').first().click();
  const goalDialog = page.getByRole('dialog');
  await goalDialog.getByTestId('goal-title-input').fill('2027 品牌焕新');
  await goalDialog.getByTestId('goal-submit').click();
  await expect(page.getByText('目标已添加')).toBeVisible();
  await expect(goalRow(page, '2027 品牌焕新').getByTestId('goal-level')).toHaveText('公司');
  await expect(goalRow(page, '2027 品牌焕新').getByTestId('goal-unmeasured')).toBeVisible();

  // Switching back to 2026 shows its tree again.
  await page.getByTestId('period-select').click();
  await page
    .locator('.ant-select-item-option')
    .filter({ hasText: /^2026年度$/ })
    .click();
  await expect(goalRow(page, TOP_GOAL)).toBeVisible();
});

test("the director's home shows the year's goal progress", async ({ page }) => {
  await loginAs(page, 'director');
  const panel = page.getByTestId('panel-strategy');
  await expect(panel).toContainText('战略目标进度');
  await expect(panel).toContainText(TOP_GOAL);
  await expect(panel.getByTestId('panel-strategy-progress').locator('.ant-progress')).toBeVisible();
  await panel.getByTestId('panel-strategy-link').click();
  await expect(page.getByTestId('strategy-page')).toBeVisible();
});
