import { expect, test, type Page } from '@playwright/test';
import { loginAs, logout, screenshot } from './helpers';

/**
 * The new-project wizard builds the name from a picker per part of the naming convention: the
 * period from the chosen period, the brand line from its values, the campaign typed. A name
 * already used by a live project is refused as it is typed, in Chinese; a raw name (the
 * advanced option) is checked the same way, naming the part at fault and its allowed values.
 */

const CAMPAIGN = `会员日${Date.now().toString(36)}`;
const TAKEN = '2026Q4-电商-双十一大促'; // a demo campaign, active

async function pick(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

test('the wizard builds the name from pickers, says a name is taken, and guides a raw name', async ({ page }) => {
  await loginAs(page, 'project_manager');
  await page.getByTestId('nav-/projects').click();
  await page.getByTestId('project-new').click();
  await page.getByTestId('template-card').filter({ hasText: '节日促销' }).click();
  await page.getByTestId('wizard-next').click();

  // The project's period decides the name's period: 2026Q4 (or the year around it).
  await pick(page, 'project-period', '2026Q4');
  const period = page.getByTestId('name-part-period');
  await expect(period).toContainText('2026Q4');
  await period.click();
  const periodOptions = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await expect(periodOptions).toHaveText(['2026Q4', '2026']);
  await page.keyboard.press('Escape');

  // The brand line is a select of its values; the campaign is typed.
  await page.getByTestId('name-part-brand_line').click();
  const lines = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await expect(lines).toContainText(['品牌', '电商', '新品', '渠道', '私域']);
  await lines.filter({ hasText: '电商' }).first().click();
  await page.getByTestId('name-part-campaign').fill('双十一大促');
  await expect(page.getByTestId('name-preview')).toContainText(TAKEN);

  // Already used by a live project: said as it is typed, in Chinese, and the wizard stops.
  const check = page.getByTestId('name-check');
  const taken = check.locator('[data-testid="name-check-issue"][data-type="duplicate"]');
  await expect(taken).toHaveText('该名称已被使用：未取消的项目不能重名');
  await screenshot(page, 'wizard-name-taken');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByText('请换一个名称：该名称已被其他项目使用')).toBeVisible();

  await page.getByTestId('name-part-campaign').fill(CAMPAIGN);
  await expect(check.locator('[data-state="ok"]')).toBeVisible();
  await expect(check).toContainText('名称符合命名规范');
  const name = `2026Q4-电商-${CAMPAIGN}`;
  await expect(page.getByTestId('name-preview')).toContainText(name);
  await screenshot(page, 'wizard-name-pickers');

  // The raw name, as an advanced option: the check names the part at fault and what it may hold.
  await page.getByTestId('name-raw-toggle').click();
  const raw = page.getByTestId('project-name-input');
  await expect(raw).toHaveValue(name);
  await raw.fill('2026Q4-美妆-双十二');
  const choice = check.locator('[data-testid="name-check-issue"][data-part="brand_line"]');
  await expect(choice).toContainText('品牌线不能是“美妆”');
  await expect(choice.getByTestId('name-check-allowed')).toContainText(['品牌', '电商', '新品', '渠道', '私域']);
  await raw.fill(`2027Q1-私域-${CAMPAIGN}`);
  const mismatch = check.locator('[data-testid="name-check-issue"][data-type="period_mismatch"]');
  await expect(mismatch).toContainText('期间“2027Q1”与项目的期间不符');
  await expect(mismatch.getByTestId('name-check-allowed')).toHaveText(['2026Q4', '2026']);
  await screenshot(page, 'wizard-name-raw-guided');

  // Back to the pickers: they take the parts of the raw name.
  await raw.fill(`2026Q4-私域-${CAMPAIGN}`);
  await expect(check.locator('[data-state="ok"]')).toBeVisible();
  await page.getByTestId('name-raw-toggle').click();
  await expect(page.getByTestId('name-part-brand_line')).toContainText('私域');
  await expect(page.getByTestId('name-preview')).toContainText(`2026Q4-私域-${CAMPAIGN}`);

  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-goals')).toBeVisible();
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('review-name')).toHaveText(`2026Q4-私域-${CAMPAIGN}`);
  await page.getByTestId('wizard-create').click();
  await expect(page.getByTestId('project-title')).toHaveText(`2026Q4-私域-${CAMPAIGN}`);
  await logout(page);
});
