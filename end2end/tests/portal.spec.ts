import { test, expect } from '@playwright/test';
import { clickMap, hydrated, noHorizontalScroll } from './helpers';
import { shot } from './story';

test('resident sees the portal in Chinese and can switch to English and back', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', /zh/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('有事找中心，一站式受理');
  await expect(page.getByRole('link', { name: '12345' })).toBeVisible();
  await noHorizontalScroll(page);
  await hydrated(page);

  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('One place for every problem');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('link', { name: 'Staff sign-in' })).toBeVisible();

  await page.getByRole('link', { name: '中文' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('有事找中心，一站式受理');
});

test('the portal works with the language cookie and without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('One place for every problem');
  await context.close();
});

test('an unknown page answers 404 with a way home', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
  await expect(page.getByRole('link', { name: '返回首页' })).toBeVisible();
});

test('the app is installable: manifest and icons are served', async ({ request }) => {
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.short_name).toBe('社治');
  for (const icon of manifest.icons) {
    expect((await request.get(icon.src)).status()).toBe(200);
  }
});

// The public forms work with JavaScript off: each posts to its own page (never a GET: the
// secret stays out of the address) and the server answers with the page around the outcome.
test('without JavaScript a resident reports a problem with a photo, then follows it with the receipt', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('/report');
  const form = page.getByTestId('report-form');
  // Refused first (a blank description, which the browser's own check lets through): the
  // refusal is shown and what was typed is kept.
  await form.locator('select[name=category]').selectOption({ label: '工程施工损害' });
  await form.locator('textarea[name=description]').fill('   ');
  await form.locator('select[name=area_id]').selectOption({ label: '莲花镇 / 耿山村' });
  await form.locator('input[name=reporter_name]').fill('耿大伯');
  await form.locator('input[name=consent]').check();
  await form.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('receipt')).toHaveCount(0);
  await expect(form.locator('input[name=reporter_name]')).toHaveValue('耿大伯');
  await expect(form.locator('select[name=area_id] option:checked')).toHaveText('莲花镇 / 耿山村');
  await expect(form.locator('input[name=consent]')).toBeChecked();
  await shot(page, `report-refused-nojs-${testInfo.project.name}`);

  // With consent and a photo it is received; the receipt is on the answer page.
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0xff, 0xd9]);
  const description = `铁路施工后院墙开裂 ${testInfo.project.name} ${Date.now()}`;
  await form.locator('textarea[name=description]').fill(description);
  await form.locator('input[name=files]').setInputFiles({ name: '墙面.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await form.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  expect(page.url()).not.toContain('secret');
  const code = (await page.getByTestId('receipt-code').innerText()).trim();
  const secret = (await page.getByTestId('receipt-secret').innerText()).trim();
  expect(code).toMatch(/^\d{6}[2-9A-Z]{6}$/);
  await shot(page, `report-receipt-nojs-${testInfo.project.name}`);

  // Following it: a wrong secret is refused, the right one shows the case.
  await page.getByTestId('receipt').getByRole('link', { name: '查询办理进度' }).click();
  const track = page.getByTestId('track-form');
  await expect(track.locator('input[name=code]')).toHaveValue(code);
  await track.locator('input[name=secret]').fill('WRONGSEC');
  await track.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('track-result')).toHaveCount(0);
  await track.locator('input[name=secret]').fill(secret);
  await track.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('track-result')).toContainText(code);
  await expect(page.getByTestId('public-timeline')).toContainText('已受理');
  expect(page.url()).not.toContain(secret);
  await noHorizontalScroll(page);
  await shot(page, `track-nojs-${testInfo.project.name}`);
  await context.close();
});

test('the report and track pages lead to each other', async ({ page }) => {
  await page.goto('/report');
  await page.getByTestId('cross-link').getByRole('link', { name: '查询办理进度' }).click();
  await expect(page).toHaveURL(/\/track$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('查询办理进度');
  await page.getByTestId('cross-link').getByRole('link', { name: '我要反映问题' }).click();
  await expect(page).toHaveURL(/\/report$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我要反映问题');
});

test('a resident picks the place on the map or by the words of the address', async ({ page }, info) => {
  await page.goto('/report');
  await hydrated(page);
  const form = page.getByTestId('report-form');
  const area = form.locator('select[name=area_id]').locator('option:checked');
  // A click on the map: the point is kept and its township chosen.
  await clickMap(page, { lng: 118.959, lat: 28.979 });
  await expect(page.getByTestId('map-picked')).toContainText('樟潭街道');
  await expect(area).toHaveText('樟潭街道');
  await expect(form.locator('input[name=lat]')).toHaveValue(/^28\.97/);
  // The address names a village: one tap chooses it.
  await form.locator('input[name=address]').fill('耿山村文化礼堂旁');
  await form.getByTestId('address-matches').getByRole('button', { name: '莲花镇 / 耿山村' }).click();
  await expect(area).toHaveText('莲花镇 / 耿山村');
  // A point off the district's land (the map's corner) is refused with its reason; nothing moves.
  await clickMap(page, { x: 4, y: 4 });
  await expect(page.getByTestId('map-picked')).toContainText('不在本区范围内');
  await expect(area).toHaveText('莲花镇 / 耿山村');
  await expect(form.locator('input[name=lat]')).toHaveValue(/^28\.97/);
  await noHorizontalScroll(page);
  await shot(page, `${info.project.name}-report-map`);
});
