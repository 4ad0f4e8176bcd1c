import { test, expect } from '@playwright/test';
import { accounts, hydrated, noHorizontalScroll, signIn } from './helpers';
import { shot, unitPhone } from './story';

// Evaluation (考评): a leader reads last month's ranking, follows a figure to the cases
// behind it, the supervision office closes the month, and a unit reads its own scores on
// its phone. The demo's history is the record.
test.skip(({ isMobile }) => isMobile, 'the story opens its own phone context');

function lastMonth(): string {
  // The center's calendar is UTC+8.
  const now = new Date(Date.now() + 8 * 3600_000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `month-${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

test('last month is ranked from the records, drills down to its cases, closes, and reaches the unit', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const period = lastMonth();
  await signIn(page, ...accounts.leader, `/center/evaluation?period=${period}`);
  await expect(page).toHaveURL(/\/center\/evaluation\?period=/);
  await hydrated(page);
  await expect(page.getByTestId('evaluation-period')).toHaveValue(period);
  const rows = page.getByTestId('evaluation-row');
  expect(await rows.count()).toBeGreaterThan(1);
  await expect(page.getByTestId('evaluation-status')).toHaveAttribute('data-frozen', 'false');
  await shot(page, '1280-evaluation');

  // The first unit's resolved-on-time figure: the cases listed are as many as its denominator.
  const cell = rows.first().locator('td[data-dimension="resolved_on_time"]');
  const link = cell.getByTestId('evaluation-drill');
  const [num, den] = (await link.innerText()).split('/').map((x) => Number(x.trim()));
  expect(den).toBeGreaterThan(0);
  await link.click();
  await expect(page).toHaveURL(/\/center\/evaluation\/drill\?/);
  await hydrated(page);
  const drill = page.getByTestId('drill');
  await expect(drill).toHaveAttribute('data-base', String(den));
  await expect(drill).toHaveAttribute('data-counted', String(num));
  await expect(drill.getByTestId('drill-base').getByTestId('drill-case')).toHaveCount(Math.min(den, 2000));
  await expect(drill.getByTestId('drill-base').locator('[data-hit="true"]')).toHaveCount(Math.min(num, 2000));
  await shot(page, '1280-evaluation-drill');

  // The supervision office closes the month: the scores stay as they were.
  const supervisor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(supervisor, ...accounts.supervisor, `/center/evaluation?period=${period}`);
  await hydrated(supervisor);
  await expect(supervisor.getByTestId('evaluation-row').first()).toBeVisible();
  const before = await supervisor.getByTestId('evaluation-total').allInnerTexts();
  expect(before.length).toBeGreaterThan(1);
  await supervisor.getByTestId('evaluation-freeze').click();
  await expect(supervisor.getByTestId('evaluation-status')).toHaveAttribute('data-frozen', 'true');
  await expect(supervisor.getByTestId('evaluation-freeze')).toHaveCount(0);
  expect(await supervisor.getByTestId('evaluation-total').allInnerTexts()).toEqual(before);
  await supervisor.close();

  // The enforcement bureau reads its own line on its phone, and nobody else's.
  const unit = await unitPhone(browser, accounts.enforce);
  await unit.goto(`/field/evaluation?period=${period}`);
  await hydrated(unit);
  const own = unit.getByTestId('evaluation-own');
  await expect(own).toHaveAttribute('data-unit', '区综合行政执法局');
  await expect(own.getByTestId('evaluation-total')).not.toHaveText('');
  await noHorizontalScroll(unit);
  await shot(unit, '360-evaluation-own');
  await unit.context().close();
});
