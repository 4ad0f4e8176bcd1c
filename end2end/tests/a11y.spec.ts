// Accessibility as a test (issue 19): axe-core checks every page of every surface, for every
// role that may open it (the list in pages.ts), against WCAG 2.1 A and AA, with no exceptions
// list. Each project runs it at its own width (360 px and 1280 px); the wall runs at 1920 px.
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { hydrated } from './helpers';
import { DESK_ROLES, Entry, LEADER_PHONE_PAGES, PHONE_ROLES, PORTAL_PAGES, deskPages, phonePages, staffPage } from './pages';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const HYDRATE_TIMEOUT = 30_000;

/** Each violation on `path` as one line: rule, impact, how many elements, the first ones. */
async function violations(page: Page, path: string, whole = true): Promise<string[]> {
  await page.goto(path);
  // The tests here have no time limit (a walk is long), so a page that never hydrates must
  // fail by itself, with its name, instead of waiting for ever.
  if (whole) {
    try {
      await page.waitForSelector('html[data-hydrated="true"]', { timeout: HYDRATE_TIMEOUT });
    } catch {
      return [`${path}: never hydrated within ${HYDRATE_TIMEOUT / 1000} s`];
    }
  }
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return result.violations.map(
    (v) => `${path}: ${v.id} (${v.impact}) on ${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`,
  );
}

async function scan(page: Page, pages: Entry[]): Promise<string[]> {
  const found: string[] = [];
  for (const [, path] of pages) found.push(...(await violations(page, path)));
  return found;
}

test.describe.configure({ timeout: 0 });

test('every page a resident opens meets WCAG 2.1 AA', async ({ page }) => {
  const found = await scan(page, PORTAL_PAGES);
  // A page not found is whole as sent, with no app to hydrate.
  found.push(...(await violations(page, '/no-such-page', false)));
  // In English too: the language switch is on every page and its active state is styled.
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  found.push(...(await violations(page, '/')));
  await page.getByRole('link', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', /zh/);
  expect(found).toEqual([]);
});

test('every desk page meets WCAG 2.1 AA, for every center role', async ({ browser }, info) => {
  const found: string[] = [];
  for (const role of DESK_ROLES) {
    const ctx = await browser.newContext({ ...info.project.use });
    const page = await staffPage(ctx, role);
    found.push(...(await scan(page, await deskPages(page, role))).map((v) => `${role} ${v}`));
    await ctx.close();
  }
  expect(found).toEqual([]);
});

test('every phone page meets WCAG 2.1 AA, for every field role and a leader', async ({ browser }, info) => {
  const found: string[] = [];
  for (const role of PHONE_ROLES) {
    const ctx = await browser.newContext({ ...info.project.use });
    const page = await staffPage(ctx, role);
    found.push(...(await scan(page, await phonePages(page, role))).map((v) => `${role} ${v}`));
    await ctx.close();
  }
  const leader = await browser.newContext({ ...info.project.use });
  found.push(...(await scan(await staffPage(leader, 'leader'), LEADER_PHONE_PAGES)).map((v) => `leader ${v}`));
  await leader.close();
  expect(found).toEqual([]);
});

test('the command screen on the wall meets WCAG 2.1 AA at 1920 px', async ({ browser }, info) => {
  test.skip(info.project.name !== 'desk-1280', 'the wall is one screen, checked once');
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await staffPage(ctx, 'leader');
  expect(await violations(page, '/center/screen')).toEqual([]);
  await ctx.close();
});
