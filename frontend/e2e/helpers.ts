import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo1234';

export const DEMO_USERS = {
  admin: 'admin@demo.mems',
  director: 'director@demo.mems',
  project_manager: 'pm@demo.mems',
  member: 'member@demo.mems',
  finance: 'finance@demo.mems',
  viewer: 'viewer@demo.mems',
} as const;

export type DemoRole = keyof typeof DEMO_USERS;

const screenshotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));

export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await expect(page.getByTestId('login-page')).toBeVisible();
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

export async function loginAs(page: Page, role: DemoRole) {
  await login(page, DEMO_USERS[role]);
  await expect(page.getByTestId(`home-${role}`)).toBeVisible();
}

export async function logout(page: Page) {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-page')).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
}

/** Full-page screenshot into e2e/screenshots/ (gitignored), for a human to look at. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  // Let fonts and antd's entrance animations settle so the picture is what a person sees.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}
