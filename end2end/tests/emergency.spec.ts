import { test, expect } from '@playwright/test';
import { accounts, hydrated, noHorizontalScroll, signIn, unique } from './helpers';
import { shot } from './story';

// Emergency reports (紧急信息报送): the leader sets one-minute deadlines for floods; the
// township's duty officer has the phone open; an operator registers a 12345 flood call in the
// township. The township files the quick report from the phone within its minute; the written
// report it lets run past its deadline — the scheduler flags it missed, live — and files it
// late. The center sees both, the second marked late, and the leader checks it.
test.skip(({ isMobile }) => isMobile, 'the story opens its own phone context');

test('a township files the quick report in time and the written one late; the center sees both', async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  const u = unique(info.project.name);
  await signIn(page, ...accounts.leader, '/center/emergency');
  await expect(page).toHaveURL(/\/center\/emergency$/);
  await hydrated(page);
  const rules = page.getByTestId('deadline-rules');
  const form = rules.getByTestId('deadline-form');
  await form.locator('select[name=category]').selectOption({ label: '防汛防台' });
  await form.locator('input[name=quick]').fill('1');
  await form.locator('input[name=written]').fill('1');
  await form.getByRole('button', { name: '保存时限' }).click();
  await expect(rules.locator('tbody tr').filter({ hasText: '防汛防台' })).toContainText('全部级别');

  // The township's duty officer, on a phone, on the inbox.
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const phone = await ctx.newPage();
  await signIn(phone, ...accounts.staff, '/field');
  await hydrated(phone);

  // The operator registers the call.
  const desk = await browser.newPage();
  await signIn(desk, ...accounts.operator, '/center/cases/new');
  await hydrated(desk);
  const intake = desk.getByTestId('intake-form');
  await intake.locator('select[name=channel]').selectOption('hotline12345');
  await intake.locator('select[name=urgency]').selectOption('urgent');
  await intake.getByTestId('category').selectOption({ label: '防汛防台' });
  await intake.locator('input[name=title]').fill(`耿山村河段漫堤 ${u}`);
  await intake.locator('textarea[name=description]').fill('12345转来：耿山村河段漫堤，农田被淹，有村民被困。');
  await intake.getByTestId('area').selectOption({ label: '莲花镇 / 耿山村' });
  await intake.getByRole('button', { name: '登记' }).click();
  await expect(desk).toHaveURL(/\/center\/cases\/\d+$/);
  const caseId = desk.url().split('/').pop()!;
  // The month the emergency was opened in, in the center's time (UTC+8).
  const month = 'month-' + new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
  // The case page says what is owed.
  const card = desk.getByTestId('case-emergency');
  await expect(card.getByTestId('due-quick')).toHaveAttribute('data-state', 'Waiting');

  // The phone rings and says a report is due, without a reload; the quick report, within
  // the minute.
  const arrived = phone.getByTestId('emergency-arrived');
  await expect(arrived).toBeVisible();
  await expect(phone.getByTestId('inbox-announce')).toContainText(u);
  await arrived.getByRole('link').click();
  await expect(phone).toHaveURL(new RegExp(`/field/emergency/${caseId}$`));
  await hydrated(phone);
  const file = phone.getByTestId('file-form');
  await expect(file.getByTestId('file-stage')).toHaveValue('quick');
  await file.locator('textarea[name=summary]').fill('耿山村河段漫堤，约 30 亩农田被淹，3 户村民被困，无人员伤亡。');
  await file.locator('input[name=place]').fill('莲花镇耿山村村口河段');
  await file.locator('input[name=injured]').fill('0');
  await file.locator('textarea[name=measures]').fill('镇应急分队到场转移群众，设置警戒。');
  await noHorizontalScroll(phone);
  await shot(phone, '360-emergency-quick');
  await file.getByRole('button', { name: '提交报告' }).click();
  const state = phone.getByTestId('emergency-state');
  await expect(state.getByTestId('due-quick')).toHaveAttribute('data-state', 'OnTime');

  // The written report runs past its minute: the scheduler flags it, and the phone shows it.
  await expect(state.getByTestId('due-written')).toHaveAttribute('data-state', 'Missed', { timeout: 90_000 });
  await expect(file.getByTestId('file-stage')).toHaveValue('written');
  await file.locator('input[name=injured]').fill('1');
  await file.locator('textarea[name=summary]').fill('漫堤河段已封堵，被困 3 户 11 人全部转移，1 人轻伤送医。');
  await file.getByRole('button', { name: '提交报告' }).click();
  await expect(state.getByTestId('due-written')).toHaveAttribute('data-state', 'Late');
  await expect(phone.getByTestId('version')).toHaveCount(2);
  await noHorizontalScroll(phone);
  await shot(phone, '360-emergency-written-late');
  // The unit's list has it, with both reports' states.
  await phone.getByRole('link', { name: /突发事件报送/ }).first().click();
  await expect(phone).toHaveURL(/\/field\/emergency$/);
  const item = phone.getByTestId('emergency-card').filter({ hasText: u });
  await expect(item.getByTestId('due-quick')).toHaveAttribute('data-state', 'OnTime');
  await expect(item.getByTestId('due-written')).toHaveAttribute('data-state', 'Late');
  // The township's own evaluation carries its emergency record, and only its own.
  await phone.goto(`/field/evaluation?period=${month}`);
  await hydrated(phone);
  await expect(phone.getByTestId('tally-row')).toHaveCount(1);
  await expect(phone.getByTestId('tally-row')).toContainText('莲花镇人民政府');
  await noHorizontalScroll(phone);
  await shot(phone, '360-evaluation-emergencies');
  await ctx.close();

  // The center: both reports, the second marked late; the leader checks it.
  await page.goto(`/center/emergency/${caseId}`);
  await hydrated(page);
  const versions = page.getByTestId('version');
  await expect(versions).toHaveCount(2);
  const written = page.locator('[data-testid=version][data-stage=written]');
  await expect(written.getByTestId('late')).toHaveText('迟报');
  await expect(page.locator('[data-testid=version][data-stage=quick]').getByTestId('late')).toHaveCount(0);
  await expect(page.getByTestId('emergency-state').getByTestId('due-written')).toHaveAttribute('data-state', 'Late');
  await noHorizontalScroll(page);
  await shot(page, '1280-emergency-detail');
  await written.getByTestId('check-form').getByRole('button', { name: '审核通过' }).click();
  await expect(written).toContainText('已审核');

  // The board lists it with the township's late report counted.
  await page.goto('/center/emergency');
  await hydrated(page);
  const row = page.getByTestId('emergency-row').filter({ hasText: u });
  await expect(row.getByTestId('due-written')).toHaveAttribute('data-state', 'Late');
  const town = page.getByTestId('tally-row').filter({ hasText: '莲花镇人民政府' });
  await expect(town).toBeVisible();
  await shot(page, '1280-emergency-board');
  // The month's evaluation shows the township's record beside the scores, the late report counted.
  await page.goto(`/center/evaluation?period=${month}`);
  await hydrated(page);
  const record = page.getByTestId('tally-row').filter({ hasText: '莲花镇人民政府' });
  await expect(record.locator('td').nth(2)).not.toHaveText('0');
  await shot(page, '1280-evaluation-emergencies');
  await page.goto('/center/emergency');
  await hydrated(page);
  // The flood deadlines back to the defaults for the rest of the suite.
  await page.getByTestId('deadline-rules').locator('tbody tr').filter({ hasText: '防汛防台' }).getByRole('button', { name: '删除' }).click();
  await expect(page.getByTestId('deadline-rules').locator('tbody tr').filter({ hasText: '防汛防台' })).toHaveCount(0);
});
