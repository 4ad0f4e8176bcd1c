import { test, expect } from '@playwright/test';
import { accounts, hydrated, noHorizontalScroll } from './helpers';
import { shot, unitPhone } from './story';

// Access by area: 莲花镇's township government reads every case of its township on the
// phone, including those another unit handles, and can act on none of those.
test.skip(({ isMobile }) => isMobile, 'the story opens its own phone context');

test('a township reads its area’s cases on the phone, read-only where it does not hold them', async ({ browser }) => {
  const town = await unitPhone(browser, accounts.staff);
  await town.getByTestId('open-area').click();
  await expect(town).toHaveURL(/\/field\/area$/);
  await hydrated(town);
  await expect(town.getByTestId('area-name')).toContainText('莲花镇');
  const rows = town.getByTestId('area-case');
  expect(await rows.count()).toBeGreaterThan(0);
  await noHorizontalScroll(town);
  await shot(town, '360-area');
  // A case another unit leads: it opens, with no action for this township.
  const other = rows.filter({ hasNotText: '莲花镇人民政府' }).first();
  await expect(other).toBeVisible();
  await other.getByRole('link').click();
  await expect(town).toHaveURL(/\/field\/cases\/\d+$/);
  await hydrated(town);
  await expect(town.getByTestId('case-status')).toBeVisible();
  await expect(town.getByTestId('read-only')).toBeVisible();
  await expect(town.getByTestId('case-actions')).toHaveCount(0);
  await shot(town, '360-area-case');
  // Filtered by status, the list keeps to it.
  await town.goto('/field/area?status=closed');
  await hydrated(town);
  const closed = town.getByTestId('area-case');
  if ((await closed.count()) > 0) {
    await expect(closed.first().locator('.badge').first()).toContainText('归档');
  } else {
    await expect(town.getByTestId('area-empty')).toBeVisible();
  }
  await town.context().close();
});
