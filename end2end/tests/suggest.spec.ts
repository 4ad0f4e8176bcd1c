import { test, expect, Page, APIRequestContext } from '@playwright/test';
import { accounts, hydrated, noHorizontalScroll, signIn, unique } from './helpers';

// The livelihood-project call (民生实事项目征集). Residents use the phone project's 360 px
// page (and a 360 px context of their own where the desk project runs); staff use the desk.

/** A mobile number nobody else in this run uses (the per-phone limit counts per number). */
function phoneNumber() {
  return '13' + String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
}

/** With E2E_SCREENS=DIR, saves a full-page screenshot. */
async function shot(page: Page, name: string) {
  const dir = process.env.E2E_SCREENS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

async function fillSuggestion(page: Page, s: { name: string; content: string; category?: string; phone?: string }) {
  await page.getByLabel('项目名称').fill(s.name);
  await page.getByLabel('可量化内容').fill(s.content);
  await page.getByLabel('项目概述').fill('群众反映强烈，受益面广。');
  await page.getByLabel('所属领域').selectOption(s.category ?? '交通出行');
  if (s.phone) {
    await page.getByLabel('电话', { exact: true }).fill(s.phone);
    await page.getByLabel(/我同意/).check();
  }
}

/** The receipt on the page: code and secret. */
async function receipt(page: Page) {
  await expect(page.getByTestId('receipt')).toBeVisible();
  return {
    code: (await page.getByTestId('receipt-code').innerText()).trim(),
    secret: (await page.getByTestId('receipt-secret').innerText()).trim(),
  };
}

async function expectTracked(page: Page, code: string, secret: string, status: string) {
  await page.goto(`/suggest/track?code=${code}`);
  await page.getByLabel('密码', { exact: true }).fill(secret);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('suggest-track-result').getByTestId('suggestion-status')).toHaveText(status);
}

test('with JavaScript on, a resident sees similar suggestions, submits and follows the receipt', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto('/suggest');
  await hydrated(page);
  await expect(page.getByTestId('campaign-intro')).toContainText('征集进行中，截止到');
  await noHorizontalScroll(page);

  // While the name is typed, the seeded suggestion about chargers shows up as similar.
  await page.getByLabel('项目名称').fill('增设电动自行车充电口');
  await expect(page.getByTestId('similar')).toContainText('增设电动自行车充电桩');

  const name = `校园周边人行道改造${unique(testInfo.project.name)}`;
  await fillSuggestion(page, { name, content: '改造5所学校周边人行道3公里', phone: phoneNumber() });
  await shot(page, `suggest-form-${testInfo.project.name}`);
  // Hydrated, the form goes to the server function, not as a page load.
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/public/suggest/submit'));
  await page.getByRole('button', { name: '提交建议' }).click();
  expect((await sent).status()).toBe(200);
  const r = await receipt(page);
  expect(r.code).toMatch(/^J\d{6}[A-Z0-9]{6}$/);
  await shot(page, `suggest-receipt-${testInfo.project.name}`);

  await expectTracked(page, r.code, r.secret, '已提交');
  await expect(page.getByTestId('suggest-history')).toContainText('建议已提交');
  await context.close();
});

// Issue 19: a resident who does not know the address /suggest finds the call from the home page.
for (const js of [true, false]) {
  test(`a resident finds the open call from the home page and submits (JavaScript ${js ? 'on' : 'off'})`, async ({ browser }, testInfo) => {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 }, isMobile: js, hasTouch: js });
    const page = await context.newPage();
    await page.goto('/');
    if (js) await hydrated(page);
    const call = page.getByTestId('portal-call');
    await expect(call).toHaveAttribute('data-phase', 'open');
    await expect(call).toContainText('征集进行中，截止到');
    const count = async () => Number((await call.getByTestId('call-received').innerText()).match(/\d+/)![0]);
    const before = await count();
    await noHorizontalScroll(page);
    if (js) await shot(page, `portal-call-${testInfo.project.name}`);

    await call.getByRole('link', { name: '我要提建议' }).click();
    await expect(page).toHaveURL(/\/suggest\?c=\d+$/);
    if (js) await hydrated(page);
    const name = `老旧小区加装电梯${unique(testInfo.project.name)}${js ? 'js' : 'nojs'}`;
    await fillSuggestion(page, { name, content: '为8个老旧小区加装电梯20部', category: '城乡建设', phone: phoneNumber() });
    await page.getByRole('button', { name: '提交建议' }).click();
    await receipt(page);

    // The home page's count is the public list's: one more now.
    await page.goto('/');
    expect(await count()).toBe(before + 1);
    await context.close();
  });
}

test('with JavaScript off, a resident submits and follows the receipt at 360 px', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('/suggest');
  const name = `村口公交候车亭${unique(testInfo.project.name)}`;
  await fillSuggestion(page, { name, content: '新建12个公交候车亭', category: '交通出行', phone: phoneNumber() });
  await page.getByRole('button', { name: '提交建议' }).click();
  const r = await receipt(page);
  await noHorizontalScroll(page);

  await page.getByRole('link', { name: '查询建议办理情况' }).first().click();
  await page.getByLabel('密码', { exact: true }).fill(r.secret);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('suggest-track-result').getByTestId('suggestion-status')).toHaveText('已提交');
  await shot(page, `suggest-track-nojs-${testInfo.project.name}`);
  await context.close();
});

for (const js of [true, false]) {
  test(`a suggestion without a quantity is refused with its reason and nothing is stored (JavaScript ${js ? 'on' : 'off'})`, async ({ browser }, testInfo) => {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto('/suggest');
    if (js) await hydrated(page);
    const name = `多建一些停车位${unique(testInfo.project.name)}${js ? 'js' : 'nojs'}`;
    await fillSuggestion(page, { name, content: '希望多建一些停车位' });
    const sent = js ? page.waitForResponse((r) => r.url().endsWith('/api/public/suggest/submit')) : null;
    await page.getByRole('button', { name: '提交建议' }).click();
    if (sent) expect((await sent).status()).toBe(422);
    await expect(page.getByRole('alert')).toContainText('需要写明数量');
    await expect(page.getByLabel('项目名称')).toHaveValue(name);
    await expect(page.getByLabel('可量化内容')).toHaveValue('希望多建一些停车位');
    await expect(page.getByTestId('receipt')).toHaveCount(0);
    await shot(page, `suggest-error-${js ? 'js' : 'nojs'}-${testInfo.project.name}`);

    await page.goto('/suggest/list');
    await expect(page.getByTestId('suggestion-list')).toBeVisible();
    await expect(page.getByText(name)).toHaveCount(0);
    await context.close();
  });
}

test('after the window closes the form refuses politely and shows the results', async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desk-1280', 'an admin sets up the closed call at the desk');
  await signIn(page, ...accounts.admin, '/center/campaigns');
  await hydrated(page);
  const title = `已结束的征集${unique(testInfo.project.name)}`;
  const form = page.getByTestId('campaign-form');
  await form.getByLabel('年度').fill('2026');
  await form.getByLabel('标题').fill(title);
  await form.getByLabel('开始日期').fill('2025-11-08');
  await form.getByLabel('截止日期（含当日）').fill('2025-11-28');
  await form.getByRole('button', { name: '保存' }).click();
  const link = page.getByTestId('campaign-table').getByRole('link', { name: title });
  await expect(link).toBeVisible();
  const id = (await link.getAttribute('href'))!.split('/').pop();

  for (const js of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } });
    const resident = await context.newPage();
    await resident.goto(`/suggest?c=${id}`);
    await expect(resident.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(resident.getByTestId('campaign-closed')).toContainText('本次征集已经结束');
    await expect(resident.getByTestId('suggest-form')).toHaveCount(0);
    await expect(resident.getByTestId('adopted-list')).toBeVisible();
    if (!js) await shot(resident, 'suggest-closed');
    await context.close();
  }
});

async function submitByApi(request: APIRequestContext, campaign: string, name: string, content: string) {
  const fields: Record<string, string> = { campaign, name, content, overview: '老城区停车难', category: '交通出行', area_id: '', person: '', phone: phoneNumber(), consent: 'yes', website: '' };
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) form[`input[${k}]`] = v;
  const r = await request.post('/api/public/suggest/submit', { form });
  expect(r.status()).toBe(200);
  return (await r.json()) as { code: string; secret: string };
}

async function review(page: Page, kind: string, fill?: () => Promise<void>) {
  const box = page.getByTestId(`action-${kind}`);
  await expect(box).toBeVisible();
  if (fill) await fill();
  await box.getByRole('button').click();
}

test('staff review, merge a duplicate, answer, shortlist, vote and publish; the public list shows it', async ({ page, request, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desk-1280', 'staff work at the desk');
  await signIn(page, ...accounts.operator, '/center/campaigns');
  await hydrated(page);
  const call = page.getByTestId('campaign-table').getByRole('link', { name: /2027年度区政府民生实事项目征集/ });
  const campaign = (await call.getAttribute('href'))!.split('/').pop()!;
  const u = unique(testInfo.project.name);
  const original = await submitByApi(request, campaign, `老城区新增公共停车位${u}`, '新增600个公共停车位');
  const dup = await submitByApi(request, campaign, `新增公共停车位${u}`, '新增300个停车位');

  // The queue's "not yet handled" view lists both; open the duplicate.
  await call.click();
  await page.getByTestId('waiting-tab').click();
  await expect(page.getByTestId('queue-table')).toContainText(dup.code);
  await shot(page, 'review-queue');
  await page.getByRole('link', { name: dup.code }).click();
  await hydrated(page);
  await review(page, 'merge', async () => {
    await page.getByTestId('action-merge').getByLabel('并入').selectOption({ label: `${original.code} 老城区新增公共停车位${u}` });
  });
  await expect(page.getByTestId('suggestion-status').first()).toHaveText('已合并');

  await page.goto(`/center/campaigns/${campaign}?waiting=1`);
  await page.getByRole('link', { name: original.code }).click();
  await hydrated(page);
  await review(page, 'assign', () => page.getByTestId('action-assign').getByLabel('评估部门').selectOption({ label: '区铁路轨道交通建设管理中心' }).then(() => {}));
  await expect(page.getByTestId('suggestion-status').first()).toHaveText('部门评估中');

  // The department it was assigned to answers on its phone.
  const unitContext = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const unitPhone = await unitContext.newPage();
  await signIn(unitPhone, ...accounts.railway, '/field/suggestions');
  await hydrated(unitPhone);
  const card = unitPhone.getByTestId('unit-suggestion').filter({ hasText: original.code });
  await expect(card).toBeVisible();
  await card.getByLabel('评估结论').selectOption('accepted');
  await card.getByLabel('原因').fill('纳入停车设施专项规划，具备实施条件');
  await card.getByLabel(/估算投资/).fill('3600');
  await card.getByLabel('实施期限').fill('2027年内');
  await shot(unitPhone, 'unit-answer');
  await card.getByRole('button', { name: '部门答复' }).click();
  await expect(card).toHaveCount(0);
  await noHorizontalScroll(unitPhone);
  await unitContext.close();

  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('suggestion-status').first()).toHaveText('评估可行');
  await review(page, 'shortlist');
  await expect(page.getByTestId('suggestion-status').first()).toHaveText('候选项目');
  await review(page, 'vote', async () => {
    const box = page.getByTestId('action-vote');
    await box.getByLabel('赞成').fill('150');
    await box.getByLabel('反对').fill('20');
    await box.getByLabel('弃权').fill('10');
  });
  await expect(page.getByTestId('suggestion-status').first()).toHaveText('票决通过');
  await expect(page.getByTestId('suggestion-history')).toContainText('人大代表票决');
  await shot(page, 'review-detail');

  await page.goto(`/center/campaigns/${campaign}`);
  await hydrated(page);
  await page.getByTestId('publish-adopted').click();
  await expect(page.getByTestId('published-count')).toBeVisible();
  await shot(page, 'review-campaign');

  // The resident sees it among the adopted projects, and the duplicate's submitter sees the merge.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const resident = await context.newPage();
  await resident.goto(`/suggest/list?c=${campaign}`);
  await expect(resident.getByTestId('adopted-list')).toContainText(`老城区新增公共停车位${u}`);
  await shot(resident, 'suggest-list');
  await expectTracked(resident, dup.code, dup.secret, '已合并');
  await expect(resident.getByTestId('suggest-history')).toContainText(original.code);
  await expectTracked(resident, original.code, original.secret, '已列入民生实事');
  await context.close();
});

test('a burst from one address gets 429 with a clear message, never a 5xx, and nothing partial is stored', async ({ request, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desk-1280', 'one burst per run is enough; it uses up the address budget');
  await page.goto('/suggest');
  const campaign = await page.locator('input[name=campaign]').getAttribute('value');
  const tag = `突发${unique(testInfo.project.name)}`;
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => {
    const form: Record<string, string> = {};
    const fields: Record<string, string> = { campaign: campaign!, name: `${tag}项目${i}`, content: '新增3处', overview: '测试', category: '教育', area_id: '', person: '', phone: phoneNumber(), consent: 'yes', website: '' };
    for (const [k, v] of Object.entries(fields)) form[`input[${k}]`] = v;
    return request.post('/api/public/suggest/submit', { form });
  }));
  const statuses = answers.map((a) => a.status());
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  const accepted = statuses.filter((s) => s === 200).length;
  const limited = answers.filter((a) => a.status() === 429);
  expect(accepted + limited.length).toBe(30);
  expect(limited.length).toBeGreaterThan(0);
  expect(limited[0].headers()['retry-after']).toMatch(/^\d+$/);

  // The same refusal, as a resident without JavaScript sees it.
  const posted = await request.post('/suggest', { form: { campaign: campaign!, name: `${tag}表单`, content: '新增3处', overview: '测试', category: '教育', area_id: '', person: '', phone: '', consent: '', website: '' } });
  expect(posted.status()).toBe(429);
  expect(await posted.text()).toContain('提交过于频繁');

  // Exactly the accepted ones are listed; the refused left nothing behind.
  await page.goto(`/suggest/list?c=${campaign}&category=${encodeURIComponent('教育')}`);
  await expect(page.getByTestId('suggestion-list').locator('li', { hasText: tag })).toHaveCount(accepted);
});
