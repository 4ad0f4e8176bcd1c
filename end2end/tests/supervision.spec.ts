import { test, expect, Page } from '@playwright/test';
import { accounts, hydrated, noHorizontalScroll, signIn } from './helpers';
import { shot, unitPhone } from './story';

// Supervision (督办): the supervision office at a desk (this project's page), the unit that
// holds an overdue case on its phone. The demo's overdue case — a rooftop extension in 浮石社区,
// with the district's enforcement bureau for twenty days — climbs the whole ladder once, and
// the week's bulletin names it.
test.skip(({ isMobile }) => isMobile, 'the story opens its own phone context');

const TITLE = '浮石社区楼顶违法搭建阳光房';

function inboxItem(page: Page) {
  return page.getByTestId('inbox-item').filter({ hasText: TITLE });
}

function listRow(page: Page) {
  return page.getByTestId('supervision-row').filter({ hasText: TITLE });
}

test('an overdue case is reminded, listed, resolved and ticked off, live on the unit phone', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const unit = await unitPhone(browser, accounts.enforce);
  await expect(inboxItem(unit)).toBeVisible();

  // The scheduler reminded the unit at the deadline and, a day later, proposed listing.
  await signIn(page, ...accounts.supervisor, '/center/supervision?stage=proposed');
  await expect(page).toHaveURL(/\/center\/supervision\?stage=proposed/);
  await hydrated(page);
  await expect(listRow(page)).toHaveAttribute('data-stage', 'proposed');
  await shot(page, '1280-supervision-proposed');
  await listRow(page).getByRole('link').last().click();
  await expect(page).toHaveURL(/:\d+\/center\/cases\/\d+$/);
  await hydrated(page);
  const card = page.getByTestId('supervision-card');
  await expect(card.getByTestId('supervision-stage')).toHaveAttribute('data-stage', 'proposed');
  await expect(page.getByTestId('timeline').locator('li[data-kind="reminded"]')).toHaveCount(1);

  // 催办: the unit's phone shows it without a reload.
  await card.getByTestId('supervise-remind').locator('summary').click();
  await card.locator('form[data-command="remind"] textarea[name=text]').fill('请于本周五前拆除并上报整改照片');
  await card.locator('form[data-command="remind"]').getByRole('button', { name: '催办' }).click();
  await expect(page.getByTestId('timeline').locator('li[data-kind="reminded"]')).toHaveCount(2);
  await expect(inboxItem(unit).getByTestId('inbox-supervision')).toHaveText('已催办');
  await expect(inboxItem(unit).getByTestId('inbox-supervision-words')).toContainText('请于本周五前拆除并上报整改照片', { timeout: 2_000 });
  await noHorizontalScroll(unit);
  await shot(unit, '360-supervision-inbox-reminded');

  // 挂牌督办: with a deadline and a responsible leader; it is on the list.
  await card.getByTestId('supervise-list').locator('summary').click();
  const listing = card.locator('form[data-command="list"]');
  await listing.locator('input[name=leader]').fill('王建国 副区长');
  await listing.locator('textarea[name=reason]').fill('超期二十日未办结，群众反复投诉');
  await listing.getByRole('button', { name: '挂牌督办' }).click();
  await expect(card.getByTestId('supervision-stage')).toHaveAttribute('data-stage', 'listed');
  await expect(inboxItem(unit).getByTestId('inbox-supervision')).toHaveText('挂牌督办', { timeout: 2_000 });
  await shot(page, '1280-supervision-case-listed');
  const caseUrl = page.url();
  await page.goto('/center/supervision');
  await hydrated(page);
  await expect(listRow(page)).toHaveAttribute('data-stage', 'listed');
  await expect(listRow(page)).toContainText('王建国 副区长');
  await shot(page, '1280-supervision-list');

  // 通报: this week's bulletin, drafted from the records, names the listed case; published,
  // it reaches the unit's phone at once.
  await page.getByRole('link', { name: '督办通报' }).first().click();
  await expect(page).toHaveURL(/\/center\/supervision\/bulletins$/);
  await hydrated(page);
  const draft = page.getByTestId('bulletin-draft');
  await expect(draft.locator('select[name=period] option').first()).toHaveAttribute('value', /^week-/);
  await draft.getByRole('button', { name: '根据记录生成草稿' }).click();
  await expect(page).toHaveURL(/\/center\/supervision\/bulletins\/\d+$/);
  await hydrated(page);
  const doc = page.getByTestId('bulletin');
  await expect(doc.getByTestId('bulletin-status')).toHaveAttribute('data-published', 'false');
  const listedLine = doc.getByTestId('bulletin-listed-case').filter({ hasText: TITLE });
  await expect(listedLine).toHaveAttribute('data-state', 'open');
  await expect(listedLine).toContainText('王建国 副区长');
  await expect(doc.getByTestId('bulletin-unit').filter({ hasText: '区综合行政执法局' })).toBeVisible();
  await page.getByTestId('bulletin-comment').fill('区综合行政执法局挂牌件须于期限内办结并上报。');
  await page.getByTestId('bulletin-save').click();
  await expect(doc.getByTestId('bulletin-comment-text')).toHaveText('区综合行政执法局挂牌件须于期限内办结并上报。');
  await shot(page, '1280-bulletin-draft');
  await page.getByTestId('bulletin-publish').click();
  await expect(doc.getByTestId('bulletin-status')).toHaveAttribute('data-published', 'true');
  await expect(page.getByTestId('bulletin-editor')).toHaveCount(0);
  await expect(unit.getByTestId('bulletin-arrived')).toBeVisible({ timeout: 2_000 });
  await shot(unit, '360-bulletin-arrived');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.center-nav')).toBeHidden();
  await shot(page, '1280-bulletin-print');
  await page.emulateMedia({ media: 'screen' });

  // Tick-off needs a result: the unit resolves on its phone, then the office checks and ticks off.
  await inboxItem(unit).getByRole('link').click();
  await hydrated(unit);
  await expect(unit.getByTestId('supervision-card').getByTestId('supervision-stage')).toHaveAttribute('data-stage', 'listed');
  await noHorizontalScroll(unit);
  await shot(unit, '360-supervision-case-listed');
  const resolve = unit.getByTestId('case-actions').locator('form[data-command="resolve"]');
  await resolve.locator('textarea[name=result]').fill('阳光房已拆除，现场恢复原状，照片已上传。');
  await resolve.getByRole('button', { name: '办结事件' }).click();
  await expect(unit.getByTestId('case-status')).toHaveAttribute('data-status', 'resolved');

  await page.goto(caseUrl);
  await hydrated(page);
  await card.getByTestId('supervise-tick_off').locator('summary').click();
  await card.locator('form[data-command="tick_off"] textarea[name=note]').fill('现场核查：已拆除到位');
  await card.locator('form[data-command="tick_off"]').getByRole('button', { name: '销号' }).click();
  await expect(card.getByTestId('supervision-stage')).toHaveAttribute('data-stage', 'ticked_off');
  await page.goto('/center/supervision');
  await hydrated(page);
  await expect(listRow(page)).toHaveCount(0);
  await page.goto('/center/supervision?stage=ticked_off');
  await hydrated(page);
  await expect(listRow(page)).toHaveAttribute('data-stage', 'ticked_off');
  // The unit reads the published bulletin on its phone.
  await unit.goto('/field/bulletins');
  await hydrated(unit);
  await unit.getByTestId('field-bulletin').first().click();
  await hydrated(unit);
  await expect(unit.getByTestId('bulletin').getByTestId('bulletin-comment-text')).toHaveText('区综合行政执法局挂牌件须于期限内办结并上报。');
  await expect(unit.getByTestId('bulletin-listed-case').filter({ hasText: TITLE })).toBeVisible();
  await noHorizontalScroll(unit);
  await shot(unit, '360-bulletin');
  await unit.context().close();
});
