import { expect, Browser, Page } from '@playwright/test';
import { hydrated, noHorizontalScroll, signIn } from './helpers';

// Steps shared by the stories that follow a case from the resident to the units.

/** With E2E_SCREENS=DIR, saves a full-page screenshot of the key pages for looking at. */
export async function shot(page: Page, name: string) {
  const dir = process.env.E2E_SCREENS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

export async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  // A story's phones are not the test's page: what breaks on them would otherwise go unseen.
  page.on('pageerror', (e) => console.log(`[phone ${page.url()}] page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.log(`[phone ${page.url()}] console error: ${m.text()}`); });
  return page;
}

/** A small real JPEG (a wall with a crack), drawn by the browser itself. */
export async function wallPhoto(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 160;
    c.height = 120;
    const g = c.getContext('2d')!;
    g.fillStyle = '#d9d3c7';
    g.fillRect(0, 0, 160, 120);
    g.strokeStyle = '#333';
    g.lineWidth = 3;
    g.beginPath();
    g.moveTo(40, 0);
    g.lineTo(75, 45);
    g.lineTo(62, 80);
    g.lineTo(110, 120);
    g.stroke();
    return c.toDataURL('image/jpeg', 0.8).split(',')[1];
  });
  return Buffer.from(b64, 'base64');
}

/** A resident reports on /report from a phone and keeps the receipt. */
export async function residentReports(resident: Page, description: string) {
  await resident.goto('/report');
  await hydrated(resident);
  const form = resident.getByTestId('report-form');
  await form.locator('select[name=category]').selectOption({ label: '工程施工损害' });
  await form.locator('textarea[name=description]').fill(description);
  await form.locator('select[name=area_id]').selectOption({ label: '莲花镇 / 耿山村' });
  await form.locator('input[name=address]').fill('莲花镇耿山村12号');
  await form.locator('input[name=files]').setInputFiles({ name: '墙面裂缝.jpg', mimeType: 'image/jpeg', buffer: await wallPhoto(resident) });
  await form.locator('input[name=reporter_name]').fill('耿大伯');
  await form.locator('input[name=reporter_phone]').fill('13905701234');
  await form.locator('input[name=consent]').check();
  await noHorizontalScroll(resident);
  await shot(resident, '360-report-form');
  await form.getByRole('button', { name: '提交' }).click();
  await expect(resident.getByTestId('receipt')).toBeVisible();
  await shot(resident, '360-report-receipt');
  const code = (await resident.getByTestId('receipt-code').textContent())!.trim();
  const secret = (await resident.getByTestId('receipt-secret').textContent())!.trim();
  expect(code).toMatch(/^\d{6}[2-9A-Z]{6}$/);
  expect(secret).toMatch(/^[2-9A-Z]{8}$/);
  return { code, secret };
}


/** A unit's phone, signed in and showing its live inbox. */
export async function unitPhone(browser: Browser, who: readonly [string, string]): Promise<Page> {
  const page = await phone(browser);
  await signIn(page, ...who);
  await expect(page).toHaveURL(/:\d+\/field$/);
  await hydrated(page);
  await expect(page.getByTestId('live')).toHaveAttribute('data-connected', 'true');
  return page;
}

/** On a hydrated case page, the commander launches a palm command: `lead` leads, exactly
 * `cooperating` help; waits for the board, since leaving earlier takes the launch with the page. */
export async function launchCommand(page: Page, lead: string, cooperating: string[]) {
  const form = page.getByTestId('case-actions').locator('form.dispatch');
  await form.getByTestId('as-command').check();
  const ticked = form.locator('input[name=cooperating]:checked');
  while ((await ticked.count()) > 0) await ticked.first().uncheck();
  await form.getByTestId('lead-unit').selectOption({ label: lead });
  for (const unit of cooperating) await form.locator('label.check', { hasText: unit }).locator('input[name=cooperating]').check();
  await form.getByRole('button', { name: '掌上指挥' }).click();
  await expect(page.getByTestId('command-board')).toBeVisible();
}
