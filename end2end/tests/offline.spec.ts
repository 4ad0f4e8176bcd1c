import { test, expect, Browser, Page, APIRequestContext } from '@playwright/test';
import { accounts, hydrated, signIn, unique } from './helpers';
import { phone, shot, wallPhoto } from './story';

// A grid worker without signal: what the phone writes offline is kept on its disk (IndexedDB),
// survives the tab being closed, and reaches the center once, and only once, when the network
// is back; /field opens offline from the service worker's copy and says how old it is.
test.skip(({ isMobile }) => isMobile, 'the story opens its own phone and desk contexts');

const RAILWAY = '区铁路轨道交通建设管理中心';
const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };

/** Registers a case at the desk and dispatches it to the railway centre; returns its id. */
async function caseForRailway(desk: APIRequestContext, title: string): Promise<number> {
  const options = await (await desk.post('/api/cases/options', { headers: SAME_ORIGIN, form: {} })).json();
  const railway = options.units.find((u: { name: string }) => u.name === RAILWAY).id;
  const registered = await desk.post('/api/cases/register', {
    headers: SAME_ORIGIN,
    multipart: {
      channel: 'hotline12345',
      urgency: 'normal',
      category: options.categories[0].code,
      description: `${title}\n铁路桥下排水沟堵塞，雨天积水。`,
      reporter_name: '村民',
      reporter_phone: '13905709876',
    },
  });
  expect(registered.ok(), await registered.text()).toBeTruthy();
  const id = (await registered.json()).id as number;
  const dispatched = await desk.post('/api/cases/act', { headers: SAME_ORIGIN, multipart: { id: String(id), command: 'dispatch', lead: String(railway) } });
  expect(dispatched.ok(), await dispatched.text()).toBeTruthy();
  return id;
}

function inboxItem(page: Page, id: number) {
  return page.locator(`li[data-testid="inbox-item"][data-case="${id}"]`);
}

/**
 * Waits until the service worker keeps this address and every file its kept copy names (the
 * copy may differ from the page on screen, which came here from the sign-in page in place).
 */
async function kept(page: Page) {
  const missing = () =>
    page.evaluate(async () => {
      const copy = await caches.match(location.href);
      if (!copy) return -1;
      const pkg = [...(await copy.text()).matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)].map((m) => m[1]);
      return (await Promise.all(pkg.map(async (u) => ((await caches.match(u)) ? 0 : 1)))).reduce((a, b) => a + b, 0);
    });
  await expect.poll(missing, { timeout: 30_000 }).toBe(0);
}

/**
 * Whether the service worker keeps the other phone pages' code (the field surface's split file,
 * `split_field_*.wasm`), which the inbox fetches once it is shown (`fetch_field_pages_later`).
 */
async function keepsFieldCode(page: Page) {
  return page.evaluate(async () => {
    const cache = await caches.open('shezhi-field-v1');
    return (await cache.keys()).some((r) => /\/split_field_[^/]*\.wasm$/.test(new URL(r.url).pathname));
  });
}

/** The operator at a desk, signed in. */
async function operatorDesk(browser: Browser): Promise<Page> {
  const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(desk, ...accounts.operator, '/center');
  await expect(desk).toHaveURL(/\/center/);
  return desk;
}

/** The railway centre's phone, signed in on its inbox. */
async function railwayPhone(browser: Browser): Promise<Page> {
  const railway = await phone(browser);
  await signIn(railway, ...accounts.railway);
  await expect(railway).toHaveURL(/:\d+\/field$/);
  await hydrated(railway);
  return railway;
}

/** Signs for the case in the inbox, then opens it. */
async function signAndOpen(railway: Page, id: number) {
  await inboxItem(railway, id).getByRole('button', { name: '签收', exact: true }).click();
  await expect(inboxItem(railway, id).getByTestId('sign-countdown')).toHaveCount(0);
  await inboxItem(railway, id).getByRole('link').click();
  await expect(railway).toHaveURL(new RegExp(`/field/cases/${id}$`));
  await hydrated(railway);
}

test('a phone without signal keeps a report with a photo and a signature through a closed tab, and the center gets each once', async ({ browser }, info) => {
  test.setTimeout(150_000);
  const u = unique(info.project.name);
  const desk = await operatorDesk(browser);
  const worked = await caseForRailway(desk.request, `桥下积水 ${u}`);
  const toSign = await caseForRailway(desk.request, `涵洞堵塞 ${u}`);

  // Online: the railway's phone signs the first case and opens it.
  const railway = await railwayPhone(browser);
  await kept(railway);
  // The inbox came with its own code only; the other phone pages' code follows, kept as well.
  await expect.poll(() => keepsFieldCode(railway), { timeout: 30_000 }).toBe(true);
  await signAndOpen(railway, worked);
  await kept(railway);

  // No signal. A case dispatched now cannot reach the phone: what it shows is its own copy.
  const context = railway.context();
  await context.setOffline(true);
  const late = await caseForRailway(desk.request, `新派案件 ${u}`);
  const report = railway.getByTestId('case-actions').locator('form[data-command="progress"]');
  await report.locator('textarea[name=text]').fill(`无信号时写的进展 ${u}`);
  await report.locator('input[type=file][name=files]').setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: await wallPhoto(railway) });
  await report.getByRole('button', { name: '上报进展' }).click();
  await expect(railway.getByTestId('outbox')).toContainText('1');

  // The inbox opens from the phone's copy, says it is offline and how old it is; the second
  // case is signed there.
  await railway.goto('/field');
  await hydrated(railway);
  await expect(railway.getByTestId('inbox-stale')).toBeVisible();
  await expect(inboxItem(railway, toSign)).toBeVisible();
  await expect(inboxItem(railway, late)).toHaveCount(0);
  // The newest inbox the phone read, not the older one of the kept page: the first case is signed.
  await expect(inboxItem(railway, worked)).toBeVisible();
  await expect(inboxItem(railway, worked).getByTestId('sign-countdown')).toHaveCount(0);
  await expect(railway.getByTestId('outbox')).toContainText('1');
  await inboxItem(railway, toSign).getByRole('button', { name: '签收', exact: true }).click();
  await expect(inboxItem(railway, toSign).getByTestId('sign-queued')).toBeVisible();
  await expect(railway.getByTestId('outbox')).toContainText('2');
  await expect(railway.getByRole('button', { name: '退出登录' })).toBeDisabled();
  await shot(railway, '360-offline-inbox');

  // The tab is closed; a new one opens /field, still without signal: both wait on the disk.
  await railway.close();
  const reopened = await context.newPage();
  await reopened.goto('/field');
  await hydrated(reopened);
  await expect(reopened.getByTestId('inbox-stale')).toBeVisible();
  await expect(reopened.getByTestId('outbox')).toContainText('2');
  await expect(inboxItem(reopened, toSign).getByTestId('sign-queued')).toBeVisible();
  await expect(inboxItem(reopened, worked).getByTestId('sign-countdown')).toHaveCount(0);
  await shot(reopened, '360-offline-reopened');

  // The signal comes back, but the answer to the first send is lost on the way: the phone
  // sends it again under the same key, and the server files it once.
  let lost = 0;
  await reopened.route('**/api/cases/act', async (route) => {
    if (lost === 0) {
      lost += 1;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await context.setOffline(false);
  await expect(reopened.getByTestId('outbox')).toBeHidden({ timeout: 30_000 });
  expect(lost).toBe(1);
  await expect(reopened.getByTestId('inbox-stale')).toBeHidden({ timeout: 15_000 });
  await expect(inboxItem(reopened, late)).toBeVisible({ timeout: 15_000 });
  await expect(reopened.getByTestId('outbox-refused')).toHaveCount(0);

  // The center sees the report with its photo once, and the signature once.
  await desk.goto(`/center/cases/${worked}`);
  await hydrated(desk);
  const reports = desk.getByTestId('timeline').locator('li[data-kind="progressed"]', { hasText: `无信号时写的进展 ${u}` });
  await expect(reports).toHaveCount(1);
  await expect(reports.locator('img')).toHaveCount(1);
  await desk.goto(`/center/cases/${toSign}`);
  await hydrated(desk);
  await expect(desk.getByTestId('timeline').locator('li[data-kind="signed"]')).toHaveCount(1);
  await shot(desk, '1280-offline-signed-once');

  // Signing out forgets the kept pages: the next person on this phone cannot open them offline.
  await reopened.getByRole('button', { name: '退出登录' }).click();
  await expect(reopened).not.toHaveURL(/\/field/);
  for (const path of ['/field', `/field/cases/${worked}`]) {
    await expect.poll(() => reopened.evaluate(async (p) => !!(await caches.match(p)), path)).toBe(false);
  }
  await context.close();
  await desk.context().close();
});

test('a report kept while the session lapsed waits for the worker to sign in again, then goes once', async ({ browser }, info) => {
  test.setTimeout(120_000);
  const u = unique(info.project.name);
  const desk = await operatorDesk(browser);
  const id = await caseForRailway(desk.request, `路灯不亮 ${u}`);

  const railway = await railwayPhone(browser);
  await signAndOpen(railway, id);

  const context = railway.context();
  await context.setOffline(true);
  const report = railway.getByTestId('case-actions').locator('form[data-command="progress"]');
  await report.locator('textarea[name=text]').fill(`会话过期前写的进展 ${u}`);
  await report.getByRole('button', { name: '上报进展' }).click();
  await expect(railway.getByTestId('outbox')).toContainText('1');
  // Hours out of signal: the session has ended by the time the network is back.
  await context.clearCookies();
  await context.setOffline(false);
  await expect(railway.getByTestId('outbox-sign-in')).toBeVisible({ timeout: 30_000 });
  await expect(railway.getByTestId('outbox')).toContainText('1');
  await shot(railway, '360-offline-signed-out');

  await railway.getByTestId('outbox-sign-in').click();
  await expect(railway).toHaveURL(/\/signin/);
  await hydrated(railway);
  await railway.getByLabel('用户名').fill(accounts.railway[0]);
  await railway.getByLabel('密码').fill(accounts.railway[1]);
  await railway.getByRole('button', { name: '登录' }).click();
  await expect(railway).toHaveURL(/:\d+\/field$/);
  await expect(railway.getByTestId('outbox')).toBeHidden({ timeout: 30_000 });

  await desk.goto(`/center/cases/${id}`);
  await hydrated(desk);
  await expect(desk.getByTestId('timeline').locator('li[data-kind="progressed"]', { hasText: `会话过期前写的进展 ${u}` })).toHaveCount(1);
  await context.close();
  await desk.context().close();
});

test('a page of a new release lets go of what the phone kept of the last one, and keeps its own', async ({ browser }) => {
  const railway = await railwayPhone(browser);
  await kept(railway);
  const old = '/pkg/~0000000000000000';
  // What an earlier release left: one of its files, and a kept page that names it.
  await railway.evaluate(async (old) => {
    const cache = await caches.open('shezhi-field-v1');
    await cache.put(`${old}/shezhi.wasm`, new Response('old code'));
    await cache.put('/field/bulletins', new Response(`<link rel="stylesheet" href="${old}/shezhi.css">`, { headers: { 'Content-Type': 'text/html' } }));
  }, old);
  // This page (of the release being served) asks the worker to keep it, as every field page does.
  await railway.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration('/field');
    const urls = [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];
    (reg!.active || reg!.waiting || reg!.installing)!.postMessage({ type: 'warm', urls });
  });
  const leftOver = () =>
    railway.evaluate(async (old) => {
      const cache = await caches.open('shezhi-field-v1');
      return [await cache.match(`${old}/shezhi.wasm`), await cache.match('/field/bulletins')].filter(Boolean).length;
    }, old);
  await expect.poll(leftOver, { timeout: 15_000 }).toBe(0);
  await kept(railway);
  await railway.context().close();
});
