// An operator's day with the keyboard alone (issue 19): the help, a new case registered and
// dispatched without the mouse, the caller's earlier cases under the phone field, search, the
// next case of the list, and the list that remembers its filters.
import { test, expect, Page } from '@playwright/test';
import { accounts, clickMap, hydrated, signIn, unique } from './helpers';
import { shot } from './story';

/** The focused element's `name`. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '');
}

/** Tab until the field called `name` has the focus. */
async function tabTo(page: Page, name: string) {
  for (let i = 0; i < 40; i++) {
    if ((await focusedName(page)) === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}`);
}

/** In the focused select, arrow down until an option matching `label` is chosen; its text. */
async function arrowTo(page: Page, label: RegExp): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const chosen = await page.evaluate(() => {
      const s = document.activeElement as HTMLSelectElement;
      return s.value ? s.options[s.selectedIndex].text : '';
    });
    if (label.test(chosen)) return chosen;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no option matching ${label}`);
}

const said = (page: Page) => page.getByTestId('shortcut-status');

test('an operator registers with the keyboard alone and a map click, dispatches and walks cases', async ({ page }, info) => {
  test.skip(info.project.name !== 'desk-1280', 'the desk keyboard is a desk matter');
  test.setTimeout(120_000);
  const u = unique(info.project.name);
  const phone = `139${String(Date.now() % 1e8).padStart(8, '0')}`;
  await signIn(page, ...accounts.operator);
  await expect(page).toHaveURL(/:\d+\/center$/);
  // Signing in moves within the app: the desk's frame has arrived once its button shows.
  await expect(page.getByTestId('shortcuts-open')).toBeVisible();

  // The help: `?` opens it with the focus inside, Esc closes it.
  await page.keyboard.press('?');
  const help = page.getByTestId('shortcuts-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('登记新事件');
  await shot(page, '1280-shortcuts-help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // `n`: the intake form, the focus in its first field.
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/:\d+\/center\/cases\/new$/);
  await hydrated(page);
  await expect.poll(() => focusedName(page)).toBe('channel');
  await tabTo(page, 'category');
  const category = await arrowTo(page, /.+/);
  await tabTo(page, 'title');
  // Letters that are shortcuts elsewhere stay text in a field.
  await page.keyboard.type(`路灯不亮 n j d / ${u}`);
  await expect(page.locator('input[name=title]')).toHaveValue(`路灯不亮 n j d / ${u}`);
  await tabTo(page, 'description');
  await page.keyboard.type('村口两盏路灯连续三晚不亮，老人夜里出门不便。');
  // The place: the address's words name the village; Tab and Enter choose it.
  await tabTo(page, 'address');
  await page.keyboard.type('西山下村南侧便道');
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveText('莲花镇 / 西山下村');
  await page.keyboard.press('Enter');
  const area = page.getByTestId('area').locator('option:checked');
  await expect(area).toHaveText('莲花镇 / 西山下村');
  // One click on the map sets the point; it lies in the village's township, so the village stays.
  await clickMap(page, { lng: 119.02, lat: 29.06 });
  await expect(page.getByTestId('map-picked')).toContainText('已选： 莲花镇');
  await expect(area).toHaveText('莲花镇 / 西山下村');
  await expect(page.locator('input[name=lat]')).toHaveValue(/^29\.0[56]/);
  await shot(page, '1280-intake-map');
  await tabTo(page, 'reporter_name');
  await page.keyboard.type('李大爷');
  await tabTo(page, 'reporter_phone');
  await page.keyboard.type(phone);
  // A number never heard before says so under the field.
  await expect(page.getByTestId('caller-history')).toContainText('此号码此前没有报过事件');
  // Ctrl+Enter registers, as the button would.
  await page.keyboard.press('Control+Enter');
  await expect(page).toHaveURL(/:\d+\/center\/cases\/\d+$/);
  await hydrated(page);
  const id = page.url().split('/').pop()!;
  const code = (await page.getByTestId('case-code').textContent())!.trim();
  await expect(page.getByTestId('case-facts')).toContainText(category.trim());
  await expect(page.getByTestId('case-facts')).toContainText('西山下村');

  // `d`: the dispatch form's lead unit; Ctrl+S dispatches.
  await page.keyboard.press('d');
  await expect.poll(() => focusedName(page)).toBe('lead');
  const lead = await arrowTo(page, /.+/);
  await page.keyboard.press('Control+s');
  await expect(page.locator('.case-head').getByTestId('case-status')).toHaveAttribute('data-status', 'dispatched');
  await expect(page.getByTestId('assignments')).toContainText(lead.trim());
  // Nothing left to dispatch: the live region says so.
  await page.keyboard.press('d');
  await expect(said(page)).toHaveText('此页没有派单表单');

  // The same caller again: their earlier case is under the phone field, a keystroke away.
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/:\d+\/center\/cases\/new$/);
  await expect.poll(() => focusedName(page)).toBe('channel');
  await tabTo(page, 'reporter_phone');
  await page.keyboard.type(phone);
  const history = page.getByTestId('caller-history');
  await expect(history).toContainText('此号码此前报过 1 件事件');
  await expect(history.getByRole('link', { name: code })).toHaveAttribute('href', `/center/cases/${id}`);
  await expect(history).toContainText('李**');
  await shot(page, '1280-intake-caller-history');

  // `/`: the list's search; the search finds the case; `j` opens it, then there is no next.
  // Esc leaves the field, so the next letters are shortcuts again.
  await page.keyboard.press('Escape');
  await expect.poll(() => focusedName(page)).toBe('');
  await page.keyboard.press('/');
  await expect(page).toHaveURL(/:\d+\/center\/cases(\?.*)?$/);
  await expect.poll(() => focusedName(page)).toBe('q');
  await page.keyboard.type(u);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`[?&]q=${u}`));
  await hydrated(page);
  await expect(page.getByTestId('case-table').locator('tbody tr')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`/center/cases/${id}$`));
  await hydrated(page);
  await page.keyboard.press('j');
  await expect(said(page)).toHaveText('列表中没有下一件事件');

  // The desk's link to the list opens it as it was left; "clear" forgets it.
  const listLink = page.locator('nav.center-nav').getByRole('link', { name: '事件列表' });
  await expect(listLink).toHaveAttribute('href', `/center/cases?q=${u}`);
  await listLink.click();
  await expect(page).toHaveURL(new RegExp(`/center/cases\\?q=${u}$`));
  await hydrated(page);
  await page.getByRole('link', { name: '清空条件' }).click();
  await expect(page).toHaveURL(/\/center\/cases$/);
  await expect(listLink).toHaveAttribute('href', '/center/cases');
});
