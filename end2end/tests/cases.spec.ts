import { test, expect, Browser, Locator, Page } from '@playwright/test';
import { accounts, hydrated, noHorizontalScroll, signIn, unique } from './helpers';
import { phone, residentReports, shot, wallPhoto } from './story';

// The operator works at a desk (this project's page); residents and unit staff each get
// their own phone-sized browser, so one run of the desk project covers both layouts.
test.skip(({ isMobile }) => isMobile, 'the case stories open their own phone contexts');

const LEAD = '莲花镇人民政府';
const VILLAGE = '耿山村村委会';
const RAILWAY = '区铁路轨道交通建设管理中心';

/** The form for `command` in the case's action panel (opened if it sits in a fold). */
async function actionForm(page: Page, command: string): Promise<Locator> {
  const panel = page.getByTestId('case-actions');
  const selector = `form[data-command="${command}"]`;
  const form = panel.locator(selector);
  const fold = panel.locator('details', { has: page.locator(selector) });
  if ((await fold.count()) > 0 && !(await fold.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await fold.locator('summary').click();
  }
  await expect(form).toBeVisible();
  return form;
}

async function act(page: Page, command: string, fill?: (form: Locator) => Promise<void>) {
  const form = await actionForm(page, command);
  if (fill) await fill(form);
  await form.locator('button[type=submit]').click();
}

function status(page: Page) {
  return page.locator('.case-head').getByTestId('case-status');
}

function assignment(page: Page, unit: string) {
  return page.getByTestId('assignments').locator(`li[data-unit="${unit}"]`).getByTestId('assignment-status');
}

/** Opens a case page and waits until it can be clicked. */
async function open(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByTestId('case-code')).toBeVisible();
}

/** The operator finds a case by a word of its text in the register and opens it. */
async function operatorOpens(page: Page, token: string): Promise<string> {
  await page.goto(`/center/cases?q=${encodeURIComponent(token)}`);
  const table = page.getByTestId('case-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await shot(page, '1280-case-list');
  await table.locator('tbody tr a').first().click();
  await expect(page).toHaveURL(/:\d+\/center\/cases\/\d+$/);
  await hydrated(page);
  await expect(page.getByTestId('case-code')).toBeVisible();
  return page.url();
}

async function dispatch(page: Page, lead: string, cooperating: string[]) {
  await act(page, 'dispatch', async (form) => {
    await form.getByTestId('lead-unit').selectOption({ label: lead });
    for (const unit of cooperating) {
      await form.locator('label.check', { hasText: unit }).locator('input[name=cooperating]').check();
    }
  });
  await expect(status(page)).toHaveAttribute('data-status', 'dispatched');
  await expect(page.getByTestId('assignments').locator('li')).toHaveCount(1 + cooperating.length);
}

/** Unit staff sign in on a phone and open the case from their inbox. */
async function staffOpens(browser: Browser, who: readonly [string, string], token: string): Promise<Page> {
  const page = await phone(browser);
  await signIn(page, ...who);
  await expect(page).toHaveURL(/:\d+\/field$/);
  await expect(page.getByTestId('inbox')).toBeVisible();
  await shot(page, `360-field-inbox-${who[0]}`);
  await page.getByTestId('inbox').getByRole('link', { name: new RegExp(token) }).click();
  await expect(page).toHaveURL(/:\d+\/field\/cases\/\d+$/);
  await hydrated(page);
  await expect(page.getByTestId('case-code')).toBeVisible();
  return page;
}

async function sign(page: Page, unit: string) {
  await act(page, 'sign');
  await expect(assignment(page, unit)).toHaveText('已签收');
}

async function progress(page: Page, unit: string, text: string, photo = true) {
  await act(page, 'progress', async (form) => {
    await form.locator('textarea[name=text]').fill(text);
    if (photo) {
      await form.locator('input[type=file][name=files]').setInputFiles({ name: `${unit}.jpg`, mimeType: 'image/jpeg', buffer: await wallPhoto(page) });
    }
  });
  await expect(assignment(page, unit)).toHaveText('办理中');
  const entry = page.getByTestId('timeline').locator('li[data-kind="progressed"]', { hasText: text });
  await expect(entry).toBeVisible();
  if (photo) {
    // The unit's own photo is served back to it.
    const img = entry.locator('img');
    await expect(img).toHaveCount(1);
    const served = await page.request.get((await img.getAttribute('src'))!);
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toBe('image/jpeg');
  }
  // The form is emptied, so a second tap cannot send the same report again.
  await expect(page.getByTestId('case-actions').locator('form[data-command="progress"] textarea[name=text]')).toHaveValue('');
}

async function resolve(page: Page, result: string) {
  await act(page, 'resolve', (form) => form.locator('textarea[name=result]').fill(result));
  await expect(status(page)).toHaveAttribute('data-status', 'resolved');
}

async function verify(page: Page, caseUrl: string) {
  await open(page, caseUrl);
  await expect(status(page)).toHaveAttribute('data-status', 'resolved');
  await act(page, 'verify');
  await expect(status(page)).toHaveAttribute('data-status', 'follow_up');
}

/** The resident looks the case up with the receipt and rates it. */
async function residentRates(resident: Page, receipt: { code: string; secret: string }, satisfied: boolean) {
  await resident.goto(`/track?code=${receipt.code}`);
  await hydrated(resident);
  await expect(resident.locator('input[name=code]')).toHaveValue(receipt.code);
  await resident.locator('input[name=secret]').fill(receipt.secret);
  await resident.getByRole('button', { name: '查询' }).click();
  const result = resident.getByTestId('track-result');
  await expect(result.getByTestId('case-status')).toHaveAttribute('data-status', 'follow_up');
  const rate = result.getByTestId('rate');
  await expect(rate).toBeVisible();
  await noHorizontalScroll(resident);
  await shot(resident, `360-track-rate-${satisfied ? 'yes' : 'no'}`);
  await rate.getByRole('button', { name: satisfied ? /(^|\s)满意$/ : /不满意$/ }).click();
  await expect(result.getByTestId('case-status')).toHaveAttribute('data-status', satisfied ? 'closed' : 'reopened');
  await expect(result.getByTestId('rate')).toHaveCount(0);
}

test('railway cracks: a resident reports, a 1+1+X task force handles it on phones, the resident rates it and it is archived', async ({ page, browser }, info) => {
  test.setTimeout(240_000);
  const u = unique(info.project.name);
  const resident = await phone(browser);
  const receipt = await residentReports(resident,
    `杭衢高铁施工致耿山村多户房屋墙面、围墙开裂 ${u}\n隧道爆破后，村里十几户人家的墙面和院墙出现裂缝，最宽处能塞进一根手指，担心下雨后倒塌。`);

  // The center: find the new case in the register and dispatch it, 1 lead + 2 cooperating.
  await signIn(page, ...accounts.operator, '/center/cases');
  await expect(page).toHaveURL(/:\d+\/center\/cases$/);
  const caseUrl = await operatorOpens(page, u);
  await expect(page.getByTestId('case-code')).toHaveText(receipt.code);
  await expect(status(page)).toHaveAttribute('data-status', 'received');
  await expect(page.getByTestId('case-facts')).toContainText('工程施工损害');
  await expect(page.getByTestId('case-facts')).toContainText('耿山村');
  await expect(page.getByTestId('case-facts').locator('img')).toHaveCount(1);
  await shot(page, '1280-case-received');
  await dispatch(page, LEAD, [VILLAGE, RAILWAY]);
  await shot(page, '1280-case-dispatched');
  for (const unit of [LEAD, VILLAGE, RAILWAY]) await expect(assignment(page, unit)).toHaveText('待签收');

  // Each unit signs on its phone and reports what it did, with a photo.
  const lead = await staffOpens(browser, accounts.staff, u);
  await noHorizontalScroll(lead);
  await shot(lead, '360-field-case-to-sign');
  await sign(lead, LEAD);
  await progress(lead, LEAD, '镇村干部已入户查看，逐户登记受损情况，共12户。');
  await shot(lead, '360-field-case-working');

  const village = await staffOpens(browser, accounts.village, u);
  await sign(village, VILLAGE);
  await progress(village, VILLAGE, '村两委与受损农户逐户沟通，农户同意先鉴定后修复。');
  await act(village, 'finish_part');
  await expect(assignment(village, VILLAGE)).toHaveText('已完成');

  const railway = await staffOpens(browser, accounts.railway, u);
  await sign(railway, RAILWAY);
  await expect(status(railway)).toHaveAttribute('data-status', 'in_progress');
  await progress(railway, RAILWAY, '已委托第三方完成房屋安全技术鉴定，施工单位承担修复费用。');
  await act(railway, 'finish_part');
  await expect(assignment(railway, RAILWAY)).toHaveText('已完成');
  await noHorizontalScroll(railway);
  await shot(railway, '360-field-case-part-done');

  // The lead resolves once the others are done.
  await open(lead, lead.url());
  await expect(lead.getByTestId('case-actions').locator('form[data-command="finish_part"]')).toHaveCount(0);
  await shot(lead, '360-field-case-lead-resolves');
  await resolve(lead, '12户受损房屋墙面、围墙已全部修复，农户签字确认。');
  await expect(lead.getByTestId('case-actions').locator('form')).toHaveCount(0);

  await verify(page, caseUrl);
  await residentRates(resident, receipt, true);

  // The center sees the whole story, in order, and the case archived.
  await open(page, caseUrl);
  await expect(status(page)).toHaveAttribute('data-status', 'closed');
  for (const unit of [LEAD, VILLAGE, RAILWAY]) await expect(assignment(page, unit)).toHaveText('已完成');
  const kinds = await page.getByTestId('timeline').locator(':scope > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')));
  expect(kinds.reverse()).toEqual([
    'received', 'triaged', 'dispatched',
    'signed', 'progressed',
    'signed', 'progressed', 'part_finished',
    'signed', 'all_signed', 'progressed', 'part_finished',
    'resolved', 'verified', 'follow_up_started', 'follow_up_recorded', 'closed',
  ]);
  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('li[data-kind="dispatched"]')).toContainText(`牵头：${LEAD}`);
  await expect(timeline.locator('li[data-kind="dispatched"]')).toContainText(`${VILLAGE}、${RAILWAY}`);
  await expect(timeline.locator('li[data-kind="progressed"] img')).toHaveCount(3);
  await expect(timeline.locator('li[data-kind="received"]')).toContainText('反映人');
  await expect(timeline.locator('li[data-kind="closed"]')).toContainText('反映人满意，归档');
  await expect(page.getByTestId('case-actions').locator('form[data-command="reopen"]')).toHaveCount(1);

  await shot(page, '1280-case-closed');
  await page.goto(`/center/cases?q=${u}&status=closed`);
  await expect(page.getByTestId('case-table').locator('tbody tr')).toHaveCount(1);
  for (const p of [resident, lead, village, railway]) await p.context().close();
});

test('an unsatisfied rating sends the case back to be handled again', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  const u = unique(info.project.name);
  const resident = await phone(browser);
  const receipt = await residentReports(resident, `耿山村村道旁围墙被施工车辆撞出裂缝 ${u}`);

  await signIn(page, ...accounts.operator, '/center/cases');
  await expect(page).toHaveURL(/:\d+\/center\/cases$/);
  const caseUrl = await operatorOpens(page, u);
  await dispatch(page, LEAD, []);

  const lead = await staffOpens(browser, accounts.staff, u);
  await sign(lead, LEAD);
  await expect(status(lead)).toHaveAttribute('data-status', 'in_progress');
  await resolve(lead, '已要求施工单位用水泥修补裂缝。');

  await verify(page, caseUrl);
  await residentRates(resident, receipt, false);
  await expect(resident.getByTestId('public-timeline')).toContainText('您评价：不满意');

  await open(page, caseUrl);
  await expect(status(page)).toHaveAttribute('data-status', 'reopened');
  await expect(page.getByTestId('timeline').locator('li[data-kind="reopened"]')).toContainText('反映人不满意，重新办理');
  // A reopened case is dispatched again, as a new round.
  await actionForm(page, 'dispatch');
  await dispatch(page, LEAD, [RAILWAY]);
  await expect(page.getByTestId('timeline').locator('li[data-kind="dispatched"]').first()).toContainText('第2轮');
  for (const p of [resident, lead]) await p.context().close();
});

test('a unit that is not responsible returns the case with a reason; nobody may resolve while a unit has not signed', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  const u = unique(info.project.name);
  // The operator registers a hotline call on the desk form.
  await signIn(page, ...accounts.operator, '/center/cases/new');
  await expect(page).toHaveURL(/:\d+\/center\/cases\/new$/);
  await hydrated(page);
  const form = page.getByTestId('intake-form');
  await form.locator('select[name=channel]').selectOption('hotline12345');
  await form.locator('select[name=urgency]').selectOption('urgent');
  await form.getByTestId('category').selectOption({ label: '工程施工损害' });
  await form.locator('input[name=title]').fill(`西山下村农田灌渠被施工便道截断 ${u}`);
  await form.locator('textarea[name=description]').fill('12345转来：高铁施工便道压断灌渠，下游30亩稻田无法灌溉。');
  await form.getByTestId('area').selectOption({ label: '莲花镇 / 西山下村' });
  await form.locator('input[name=address]').fill('西山下村南侧便道');
  await form.locator('input[name=reporter_name]').fill('王女士');
  await form.locator('input[name=reporter_phone]').fill('13800005678');
  await shot(page, '1280-intake-form');
  await form.getByRole('button', { name: '登记' }).click();
  await expect(page).toHaveURL(/:\d+\/center\/cases\/\d+$/);
  const caseUrl = page.url();
  const caseId = caseUrl.split('/').pop()!;
  await expect(status(page)).toHaveAttribute('data-status', 'received');
  await expect(page.getByTestId('case-facts')).toContainText('12345');
  // The reporter's contact is masked; showing it in full is a deliberate, recorded act.
  const contact = page.getByTestId('case-facts').getByTestId('contact');
  await expect(contact.getByTestId('contact-masked')).toHaveText('王** 138****5678');
  await contact.getByRole('button', { name: '显示完整信息' }).click();
  await expect(contact.getByTestId('contact-full')).toHaveText('王女士 13800005678');
  await expect(contact).toContainText('已记入审计日志');
  await dispatch(page, LEAD, [RAILWAY]);

  // The lead signs; with the railway centre still unsigned, it is offered no way to resolve…
  const lead = await staffOpens(browser, accounts.staff, u);
  await sign(lead, LEAD);
  await expect(assignment(lead, RAILWAY)).toHaveText('待签收');
  await expect(lead.getByTestId('case-actions').locator('form[data-command="progress"]')).toHaveCount(1);
  await expect(lead.getByTestId('case-actions').locator('form[data-command="resolve"]')).toHaveCount(0);
  // …and a hand-made request to resolve is refused by the server all the same.
  const refused = await lead.request.post('/api/cases/act', {
    headers: { 'Sec-Fetch-Site': 'same-origin' },
    multipart: { id: caseId, command: 'resolve', result: '已处理' },
  });
  expect(refused.status()).toBe(409);
  expect(await refused.text()).toContain('WaitingForSignatures');

  // The railway centre returns it: not its road. The case goes back to the desk with the reason.
  const reason = '经核实，该便道为地方道路改造工程所建，不属于铁路建设项目。';
  const railway = await staffOpens(browser, accounts.railway, u);
  await expect(railway.getByTestId('case-actions').locator('form[data-command="resolve"]')).toHaveCount(0);
  await act(railway, 'return', (f) => f.locator('textarea[name=reason]').fill(reason));
  await expect(status(railway)).toHaveAttribute('data-status', 'triage');
  await expect(railway.getByTestId('status-reason')).toHaveText(reason);
  await expect(assignment(railway, RAILWAY)).toHaveText('已退回');
  await expect(railway.getByTestId('case-actions').locator('form')).toHaveCount(0);
  await shot(railway, '360-field-case-returned');

  await open(lead, lead.url());
  await expect(assignment(lead, LEAD)).toHaveText('已撤回');
  await expect(lead.getByTestId('case-actions').locator('form')).toHaveCount(0);

  await open(page, caseUrl);
  await expect(status(page)).toHaveAttribute('data-status', 'triage');
  await expect(page.getByTestId('status-reason')).toHaveText(reason);
  await expect(page.getByTestId('timeline').locator('li[data-kind="returned"]')).toContainText(`${RAILWAY} 退回：${reason}`);
  await actionForm(page, 'dispatch');
  await shot(page, '1280-case-returned');
  for (const p of [lead, railway]) await p.context().close();
});
