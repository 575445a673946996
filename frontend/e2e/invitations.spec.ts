import { expect, test, type Page } from '@playwright/test';
import { login, loginAs, logout, screenshot } from './helpers';

/** Latin words (3+ letters): none may show in the Chinese UI's messages. */
const ENGLISH = /[A-Za-z]{3,}/;
const OTHER_ORG_ADMIN = 'admin@xinghe.mems'; // 星河咨询, made by scripts/e2e_second_org.py

async function openAddMember(page: Page, name: string, email: string, password: string) {
  await page.getByTestId('nav-/admin/members').click();
  await expect(page.getByTestId('members-page')).toHaveText('成员管理');
  await page.getByTestId('member-add').click();
  await page.getByTestId('member-name').fill(name);
  await page.getByTestId('member-email').fill(email);
  await page.getByTestId('member-password').fill(password);
}

test('adding someone already in the organisation is refused in Chinese, with no English', async ({ page }) => {
  await loginAs(page, 'admin');
  await openAddMember(page, '重复的人', 'pm@demo.mems', 'whatever-1234');
  const posted = page.waitForRequest((r) => r.url().endsWith('/api/v1/members') && r.method() === 'POST');
  await page.getByTestId('member-create-submit').click();
  // The SPA asks for the UI's language, and the server answers the 409 in it.
  expect((await posted).headers()['accept-language']).toBe('zh-CN');

  const modal = page.locator('.ant-modal');
  const alert = modal.getByTestId('problem-alert');
  await expect(alert).toContainText('该邮箱已是本组织成员');
  await expect(alert).toContainText('邮箱：已是成员');
  expect(await alert.textContent()).not.toMatch(ENGLISH);
  // The field itself says so too, in Chinese.
  await expect(modal.locator('.ant-form-item-explain-error')).toHaveText('已是成员');
  await screenshot(page, 'members-duplicate-zh');
});

test('someone with an account elsewhere is invited, accepts, switches organisation and changes the password', async ({
  page,
}) => {
  test.slow(); // five logins, two organisations: the longest journey of the suite
  const stamp = Date.now();
  const email = `guest-${stamp}@xinghe.mems`;
  const password = 'guest-pass-1234';
  const newPassword = 'guest-pass-5678';

  // 星河咨询's admin gives the person an account there.
  await login(page, OTHER_ORG_ADMIN);
  await expect(page.getByTestId('header-org')).toHaveText('星河咨询');
  await openAddMember(page, '赵敏', email, password);
  await page.getByTestId('member-create-submit').click();
  await expect(page.getByTestId('member-added')).toContainText('成员已添加');
  await logout(page);

  // 花漾美妆's admin adds the same e-mail: the answer does not say it had an account.
  await loginAs(page, 'admin');
  await openAddMember(page, '赵敏（外部顾问）', email, 'not-used-1234');
  await page.getByTestId('member-role').click();
  await page.locator('.ant-select-item-option', { hasText: '财务' }).click();
  await page.getByTestId('member-create-submit').click();
  const notice = page.getByTestId('member-added');
  await expect(notice).toContainText('如果该邮箱已有 MEMS 账号，对方登录后接受邀请即可加入');
  await expect(notice).toContainText('否则账号已创建，请把初始密码告诉对方');
  await expect(page.getByTestId('members-table')).not.toContainText(email);
  await page.getByRole('tab', { name: '邀请' }).click();
  const invited = page.getByTestId('invitations-table').getByRole('row', { name: new RegExp(email) });
  await expect(invited).toContainText('待接受');
  await expect(invited).toContainText('财务');
  await screenshot(page, 'members-invitations');
  await logout(page);

  // The person logs in to their own organisation and finds the invitation.
  await login(page, email, password);
  await expect(page.getByTestId('header-org')).toHaveText('星河咨询');
  const banner = page.getByTestId('invitation-banner');
  await expect(banner).toContainText('花漾美妆 (Demo Beauty Co.) 的 王磊 邀请你以「财务」身份加入');
  await screenshot(page, 'invitation-banner');
  await banner.getByTestId('invitation-accept').click();
  const joined = page.getByTestId('invitation-joined');
  await expect(joined).toContainText('你已加入 花漾美妆 (Demo Beauty Co.)');
  await expect(banner).toHaveCount(0);

  // Switching logs out and opens the login for that organisation, e-mail and 组织标识 filled in.
  await joined.getByTestId('invitation-switch').click();
  await expect(page.getByTestId('login-page')).toBeVisible();
  await expect(page.getByTestId('login-org')).toHaveValue('demo');
  await expect(page.getByTestId('login-email')).toHaveValue(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('home-finance')).toBeVisible();
  await expect(page.getByTestId('header-org')).toHaveText('花漾美妆 (Demo Beauty Co.)');
  await expect(page.getByTestId('header-role')).toHaveText('财务');

  // 修改密码 from the user menu: a wrong current password is named in the UI's language.
  await page.getByTestId('account').click();
  await expect(page.getByTestId('menu-password')).toBeVisible();
  await page.getByTestId('menu-password').click();
  await expect(page.getByTestId('password-page')).toContainText('修改密码');
  await page.getByTestId('password-current').fill('not-my-password');
  await page.getByTestId('password-new').fill(newPassword);
  await page.getByTestId('password-confirm').fill(newPassword);
  await page.getByTestId('password-submit').click();
  // The previous message animates out while the next one appears: only the one staying counts.
  const explain = page
    .getByTestId('password-form')
    .locator('.ant-form-item-explain-error:not(.ant-form-show-help-item-leave)');
  await expect(explain).toHaveText('密码错误');

  // Switching the UI to English switches the server's messages too.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-option-en').click();
  const posted = page.waitForRequest((r) => r.url().endsWith('/api/v1/me/password'));
  await page.getByTestId('password-submit').click();
  expect((await posted).headers()['accept-language']).toBe('en');
  await expect(explain).toHaveText('wrong password');
  await page.getByTestId('language-switch').click();
  await page.getByTestId('language-option-zh-CN').click();

  await page.getByTestId('password-current').fill(password);
  await page.getByTestId('password-submit').click();
  await expect(page.getByTestId('password-changed')).toContainText('其他浏览器和设备上的登录已全部退出');
  await screenshot(page, 'password-changed');
  await logout(page);

  // The new password logs in (to the default organisation: no 组织标识 given).
  await login(page, email, newPassword);
  await expect(page.getByTestId('header-user')).toHaveText(/赵敏/);

  // The inviting admin sees the invitation accepted.
  await logout(page);
  await loginAs(page, 'admin');
  await page.goto('/admin/members?tab=invitations');
  await page.getByTestId('invitations-filter').getByText('全部').click();
  await expect(page.getByTestId('invitations-table').getByRole('row', { name: new RegExp(email) })).toContainText(
    '已接受',
  );
});
