import { test, expect } from '@playwright/test';
import { accounts, hydrated, noHorizontalScroll, signIn } from './helpers';
import { shot } from './story';

// The duty roster (值班): the center's leader plans a township's shift on the month calendar;
// the township's duty officer checks in on a phone with its location and writes the handover
// note; the center sees the check-in, the place and the note, and who is on duty now.
test.skip(({ isMobile }) => isMobile, 'the story opens its own phone context');

/** `YYYY-MM-DDTHH:MM` in the center's time (UTC+8), as a datetime-local input takes it. */
function local(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}

test('a township officer checks in on the phone and hands over; the center sees both', async ({ page, browser }) => {
  // A one-hour shift that began five minutes ago: check-in and handover are both open.
  const starts = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
  await signIn(page, ...accounts.leader, '/center/duty');
  await expect(page).toHaveURL(/\/center\/duty$/);
  await hydrated(page);
  const plan = page.getByTestId('duty-plan');
  await plan.getByTestId('plan-unit').selectOption({ label: '莲花镇人民政府' });
  await plan.getByTestId('plan-post').selectOption({ label: '值班员' });
  await plan.getByTestId('plan-person').selectOption({ label: '测试网格员' });
  await plan.getByTestId('plan-starts').fill(local(starts));
  await plan.getByTestId('plan-ends').fill(local(starts + 3600_000));
  await plan.getByRole('button', { name: '排班' }).click();
  const row = page.getByTestId('duty-row').filter({ hasText: '测试网格员' }).first();
  await expect(row).toBeVisible();
  await expect(row.getByTestId('duty-state')).toHaveText('待签到');
  await expect(page.getByTestId('duty-now')).toContainText('测试网格员');
  await shot(page, '1280-duty-planned');

  // The phone: a fix from its GPS, then the check-in.
  const ctx = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    geolocation: { latitude: 28.934512, longitude: 118.961234 },
    permissions: ['geolocation'],
  });
  const phone = await ctx.newPage();
  await signIn(phone, ...accounts.staff, '/field');
  await hydrated(phone);
  await phone.getByTestId('open-duty').click();
  await expect(phone).toHaveURL(/\/field\/duty$/);
  const card = phone.getByTestId('duty-card').first();
  await expect(card.getByTestId('duty-state')).toHaveText('待签到');
  await card.getByRole('button', { name: /获取当前位置/ }).click();
  await expect(card).toContainText('28.934512, 118.961234');
  await noHorizontalScroll(phone);
  await shot(phone, '360-duty-check-in');
  await card.getByRole('button', { name: '到岗签到' }).click();
  await expect(card.getByTestId('duty-state')).toHaveText('在岗');
  await card.locator('textarea[name=note]').fill('接报 2 起，均已派单；耿山村积水点需下一班回访。');
  await card.getByRole('button', { name: '提交交班记录' }).click();
  await expect(card.getByTestId('duty-state')).toHaveText('已交班');
  await expect(card).toContainText('耿山村积水点需下一班回访');
  await shot(phone, '360-duty-handed-over');
  await ctx.close();

  // The center: the row shows the check-in with its place, and the note.
  await page.reload();
  await hydrated(page);
  const done = page.getByTestId('duty-row').filter({ hasText: '测试网格员' }).first();
  await expect(done.getByTestId('duty-state')).toHaveText('已交班');
  await expect(done).toContainText('28.9345, 118.9612');
  await expect(done).toContainText('耿山村积水点需下一班回访');
  await expect(page.getByTestId('duty-calendar')).toContainText('测试网格员');
  await noHorizontalScroll(page);
  await shot(page, '1280-duty-handed-over');
});
