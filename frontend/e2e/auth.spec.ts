import { expect, test } from '@playwright/test';
import { DEMO_USERS, login, screenshot } from './helpers';

test('opening / without a session shows the login page', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('login-page')).toBeVisible();
  // zh-CN is the default language.
  await expect(page.getByTestId('login-title')).toHaveText('登录');
  await expect(page.getByTestId('login-submit')).toHaveText(/登\s*录/);
  await screenshot(page, 'login');
});

test('a wrong password shows the error and stays on the login page', async ({ page }) => {
  await login(page, DEMO_USERS.viewer, 'not-the-password');
  const error = page.getByTestId('login-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('邮箱或密码错误');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('login-page')).toBeVisible();
  await screenshot(page, 'login-error');
});

test('the language switch turns the login page into English and remembers it', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-option-en').click();
  await expect(page.getByTestId('login-title')).toHaveText('Sign in');
  await page.reload();
  await expect(page.getByTestId('login-title')).toHaveText('Sign in');
  expect(await page.evaluate(() => localStorage.getItem('mems.lang'))).toBe('en');
});
