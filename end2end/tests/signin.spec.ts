import { test, expect } from '@playwright/test';
import { accounts, hydrated, signIn, noHorizontalScroll } from './helpers';

test('an admin signs in and lands on the command center', async ({ page }) => {
  await signIn(page, ...accounts.admin);
  await expect(page).toHaveURL(/\/center$/);
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

test('five failures lock the account, even against the right password', async ({ page }) => {
  await page.goto('/signin');
  await hydrated(page);
  const error = page.getByTestId('signin-error');
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('用户名').fill(accounts.locked[0]);
    await page.getByLabel('密码').fill(`wrong-${i}`);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(error).toBeVisible();
    await expect(page.getByRole('button', { name: '登录' })).toBeEnabled();
    if ((await error.textContent())?.includes('锁定')) break;
  }
  await expect(error).toContainText('账号已锁定15分钟');
  await page.getByLabel('密码').fill(accounts.locked[1]);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(error).toContainText('账号已锁定15分钟');
  await expect(page).toHaveURL(/\/signin/);
});

test('a signed-out visitor asking for an admin page is sent to sign in and then back', async ({ page }) => {
  await page.goto('/center/admin/units');
  await expect(page).toHaveURL(/\/signin\?next=/);
  await hydrated(page);
  await page.getByLabel('用户名').fill(accounts.admin[0]);
  await page.getByLabel('密码').fill(accounts.admin[1]);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/center\/admin\/units$/);
  await expect(page.getByRole('heading', { name: '单位管理' })).toBeVisible();
});

test('unit staff land on the field desk and get 403 on admin pages', async ({ page }) => {
  await signIn(page, ...accounts.staff);
  await expect(page).toHaveURL(/\/field$/);
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
  await expect(page).toHaveURL(/\/field$/);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/field');
  await expect(page).toHaveURL(/\/signin\?next=/);
});
