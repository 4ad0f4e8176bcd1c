import { test, expect } from '@playwright/test';
import { accounts, changeOwnPassword, hydrated, signIn, noHorizontalScroll, unique } from './helpers';

test('an admin signs in and lands on the command center', async ({ page }) => {
  await signIn(page, ...accounts.admin);
  await expect(page).toHaveURL(/:\d+\/center$/);
  await expect(page.getByTestId('who')).toContainText('测试管理员');
  // The demo has 16 resident and 11 rotating departments; other specs may add units.
  const count = async (id: string) => Number(await page.getByTestId(id).locator('.stat-value').textContent());
  await expect(page.getByTestId('stat-resident')).toBeVisible();
  expect(await count('stat-resident')).toBeGreaterThanOrEqual(16);
  expect(await count('stat-rotating')).toBeGreaterThanOrEqual(11);
  await noHorizontalScroll(page);
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await signIn(page, accounts.operator[0], 'not-the-password');
  await expect(page.getByTestId('signin-error')).toHaveText('用户名或密码不正确。');
  await expect(page).toHaveURL(/\/signin/);
});

test('failed sign-ins slow the name down for a few seconds, never lock it', async ({ page }) => {
  await page.goto('/signin');
  await hydrated(page);
  const error = page.getByTestId('signin-error');
  const submit = page.getByRole('button', { name: '登录' });
  let text = '';
  for (let i = 0; i < 8 && !text.includes('秒后再试'); i++) {
    await page.getByLabel('用户名').fill(accounts.locked[0]);
    await page.getByLabel('密码').fill(`wrong-${i}`);
    await submit.click();
    await expect(error).toBeVisible();
    await expect(submit).toBeEnabled();
    text = (await error.textContent()) ?? '';
  }
  // After three failures the next attempt must wait, and the page says how long.
  const seconds = Number(/请在(\d+)秒后再试/.exec(text)?.[1]);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(60);
  await expect(page).toHaveURL(/\/signin/);
  // Once the wait is over the owner is in: nobody can keep an account closed.
  await page.waitForTimeout(seconds * 1000 + 300);
  await page.getByLabel('密码').fill(accounts.locked[1]);
  await submit.click();
  await expect(page).toHaveURL(/:\d+\/field$/);
});

test('anyone signed in changes their password, before and after hydration', async ({ page, browser }, testInfo) => {
  // An account of this run's own (made by an admin, so the owner must choose a password first).
  const name = `pw.${unique(testInfo.project.name)}`;
  await signIn(page, ...accounts.admin, '/center/admin/users');
  const userForm = page.getByTestId('user-form');
  await userForm.getByLabel('用户名').fill(name);
  await userForm.getByLabel('姓名').fill('改密测试员');
  await userForm.getByLabel('角色').selectOption('operator');
  await userForm.getByLabel('初始密码（至少10位）').fill('one-time-password-1');
  await userForm.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('users-table')).toContainText(name);

  // Hydrated: the first sign-in leads to the change; other pages lead back to it.
  const context = await browser.newContext();
  const owner = await context.newPage();
  await signIn(owner, name, 'one-time-password-1');
  await expect(owner).toHaveURL(/\/account\/password\?next=/);
  await expect(owner.getByTestId('must-change')).toBeVisible();
  await owner.goto('/center/cases');
  await expect(owner).toHaveURL(/\/account\/password\?next=\/center\/cases/);
  await hydrated(owner);
  await owner.getByLabel('当前密码').fill('one-time-password-1');
  await owner.getByLabel('新密码（至少10位）').fill('first-own-password');
  await owner.getByLabel('再次输入新密码').fill('first-own-passwordx');
  await owner.getByRole('button', { name: '保存新密码' }).click();
  await expect(owner.getByRole('alert')).toHaveText('两次输入的新密码不一致。');
  await changeOwnPassword(owner, 'one-time-password-1', 'first-own-password');
  await expect(owner).toHaveURL(/:\d+\/center\/cases$/);
  await context.close();

  // Without JavaScript: the same form posts to its server function and the server redirects.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto('/signin');
  await noJs.getByLabel('用户名').fill(name);
  await noJs.getByLabel('密码').fill('first-own-password');
  await noJs.getByRole('button', { name: '登录' }).click();
  await expect(noJs).toHaveURL(/:\d+\/center$/);
  await noJs.goto('/account/password');
  await noJs.getByLabel('当前密码').fill('first-own-password');
  await noJs.getByLabel('新密码（至少10位）').fill('second-own-password');
  await noJs.getByLabel('再次输入新密码').fill('second-own-password');
  await noJs.getByRole('button', { name: '保存新密码' }).click();
  await expect(noJs).toHaveURL(/:\d+\/center$/);
  await plain.close();

  // The old password is gone, the new one works.
  const again = await browser.newContext();
  const later = await again.newPage();
  await signIn(later, name, 'second-own-password');
  await expect(later).toHaveURL(/:\d+\/center$/);
  await again.close();
});

test('a signed-out visitor asking for an admin page is sent to sign in and then back', async ({ page }) => {
  await page.goto('/center/admin/units');
  await expect(page).toHaveURL(/\/signin\?next=/);
  await hydrated(page);
  await page.getByLabel('用户名').fill(accounts.admin[0]);
  await page.getByLabel('密码').fill(accounts.admin[1]);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/:\d+\/center\/admin\/units$/);
  await expect(page.getByRole('heading', { name: '单位管理' })).toBeVisible();
});

test('unit staff land on the field desk and get 403 on admin pages', async ({ page }) => {
  await signIn(page, ...accounts.staff);
  await expect(page).toHaveURL(/:\d+\/field$/);
  await expect(page.getByTestId('field-profile')).toContainText('莲花镇人民政府');
  await noHorizontalScroll(page);
  const response = await page.goto('/center/admin/users');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
  const api = await page.request.post('/api/admin/users/list', { headers: { 'Sec-Fetch-Site': 'same-origin' } });
  expect(api.status()).toBe(403);
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, ...accounts.staff);
  await expect(page).toHaveURL(/:\d+\/field$/);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/:\d+\/$/);
  await page.goto('/field');
  await expect(page).toHaveURL(/\/signin\?next=/);
});
