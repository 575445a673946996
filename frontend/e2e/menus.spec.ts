import { expect, test } from '@playwright/test';
import { DEMO_USERS, loginAs, logout, screenshot, type DemoRole } from './helpers';

/**
 * Every role's menu holds only pages that work: no 即将上线 entry, every item opens a real
 * page (not 404, not a placeholder), and the home's figure cards show numbers, never a dash.
 */
for (const role of Object.keys(DEMO_USERS) as DemoRole[]) {
  test(`${role}: every menu entry works and the home shows real figures`, async ({ page }) => {
    await loginAs(page, role);
    const menu = page.getByTestId('nav-menu');
    await expect(menu).toBeVisible();
    await expect(menu).not.toContainText('即将上线');

    // The figure cards: loaded, and each holds a real value (a count, or the org's settings).
    const values = page.locator('[data-testid^="kpi-"] .ant-statistic-content-value');
    await expect(page.locator('[data-testid^="kpi-"] .ant-skeleton')).toHaveCount(0);
    const count = await values.count();
    expect(count).toBeGreaterThan(0);
    for (const text of await values.allInnerTexts()) {
      expect(text.trim()).not.toBe('');
      expect(text.trim()).not.toBe('—');
    }
    if (role !== 'admin') {
      // Counts, or a share such as 预算透明度's 99.8 (%).
      for (const text of await values.allInnerTexts()) expect(text.trim()).toMatch(/^[\d,]+(\.\d+)?$/);
    }
    await expect(page.locator('main')).not.toContainText('即将上线');
    await screenshot(page, `home-${role}`);

    const paths = await menu
      .locator('[data-testid^="nav-/"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.slice('nav-'.length)));
    expect(paths.length).toBeGreaterThan(1);
    for (const path of paths) {
      await page.getByTestId(`nav-${path}`).click();
      await expect(page).toHaveURL(new RegExp(path === '/' ? '/$' : path.replace(/\//g, '\\/')));
      await expect(page.locator('main h3').first()).toBeVisible();
      await expect(page.locator('main')).not.toContainText('页面不存在');
      await expect(page.locator('main')).not.toContainText('无权访问');
      await expect(page.locator('main')).not.toContainText('即将上线');
    }
    await logout(page);
  });
}
