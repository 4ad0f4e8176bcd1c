// The load-rate check: every page of every surface, for every role that may open it, loaded
// again and again; every load must reach hydration. A page that loads "most of the time" is
// a broken page (a server panic cut the streamed HTML off, a chunk never came, …).
// LOAD_RATE_LOADS sets the loads per page (20 by default). The table is printed and written
// to target/load-rate-<project>.md.
import { test, expect, Page, BrowserContext } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { accounts, hydrated, signIn } from './helpers';

const LOADS = Number(process.env.LOAD_RATE_LOADS ?? 20);
// Long enough for a debug build on two busy cores; a page that takes longer is not loading.
const LOAD_TIMEOUT = 20_000;

type Role = keyof typeof accounts | 'resident';
type Row = { surface: string; page: string; role: Role; path: string; hydrated: number; failures: string[] };

/** Loads `target` LOADS times in one tab; each load must hydrate, on the page asked for. */
async function loadRate(page: Page, target: string): Promise<{ hydrated: number; failures: string[] }> {
  let ok = 0;
  const failures: string[] = [];
  for (let i = 0; i < LOADS; i++) {
    try {
      await page.goto(target, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
      await page.waitForSelector('html[data-hydrated="true"]', { timeout: LOAD_TIMEOUT });
      const at = new URL(page.url());
      if (at.pathname + at.search !== target) throw new Error(`landed on ${at.pathname}${at.search}`);
      ok++;
    } catch (e) {
      failures.push(`load ${i + 1}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { hydrated: ok, failures };
}

/** The first link on `listPath` whose href matches `pattern` (the case or record it opens). */
async function firstLink(page: Page, listPath: string, pattern: RegExp): Promise<string | undefined> {
  await page.goto(listPath);
  await hydrated(page);
  const hrefs = await page.locator('a[href]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
  return hrefs.find((h) => pattern.test(h));
}

async function allLinks(page: Page, listPath: string, pattern: RegExp): Promise<string[]> {
  await page.goto(listPath);
  await hydrated(page);
  const hrefs = await page.locator('a[href]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
  return [...new Set(hrefs.filter((h) => pattern.test(h)))];
}

const DESK_CASE = /^\/center\/cases\/\d+$/;
const FIELD_CASE = /^\/field\/cases\/\d+$/;

/** One case on the desk in each state a case page draws differently. */
async function deskCases(page: Page): Promise<[string, string][]> {
  const found: [string, string][] = [];
  const states: [string, string][] = [
    ['case: received 受理', '/center/cases?status=received'],
    ['case: dispatched 派单', '/center/cases?status=dispatched'],
    ['case: in progress 办理', '/center/cases?status=in_progress'],
    ['case: palm command 掌上指挥', `/center/cases?q=${encodeURIComponent('杭衢高铁')}`],
    ['case: resolved 办结', '/center/cases?status=resolved'],
    ['case: follow-up 回访', '/center/cases?status=follow_up'],
    ['case: closed 归档', '/center/cases?status=closed'],
  ];
  for (const [label, list] of states) {
    const href = await firstLink(page, list, DESK_CASE);
    expect(href, `the demo data has a case for "${label}" (${list})`).toBeTruthy();
    found.push([label, href!]);
  }
  return found;
}

async function staffContext(ctx: BrowserContext, role: keyof typeof accounts): Promise<Page> {
  const page = await ctx.newPage();
  await signIn(page, accounts[role][0], accounts[role][1]);
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  return page;
}

const rows: Row[] = [];

async function check(page: Page, surface: string, role: Role, pages: [string, string][]) {
  for (const [name, target] of pages) {
    const r = await loadRate(page, target);
    rows.push({ surface, page: name, role, path: target, ...r });
  }
}

function report(project: string) {
  const lines = [
    `| surface | page | role | path | hydrated / ${LOADS} |`,
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.surface} | ${r.page} | ${r.role} | \`${r.path}\` | ${r.hydrated}/${LOADS} |`),
  ];
  const text = lines.join('\n') + '\n';
  const file = path.join(__dirname, '..', '..', 'target', `load-rate-${project}.md`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`\nLoad rate (${project}), written to ${file}:\n${text}`);
  const failed = rows.filter((r) => r.hydrated < LOADS);
  expect(failed.map((r) => `${r.surface} ${r.page} as ${r.role} (${r.path}): ${r.failures.slice(0, 3).join('; ')}`)).toEqual([]);
}

test.describe.configure({ timeout: 0 });

test('desk pages load and hydrate every time, for every center role', async ({ browser }, info) => {
  test.skip(info.project.name !== 'desk-1280', 'the desk is checked at desk width');
  rows.length = 0;
  const roles: (keyof typeof accounts)[] = ['operator', 'commander', 'supervisor', 'leader', 'admin'];
  for (const role of roles) {
    const ctx = await browser.newContext();
    const page = await staffContext(ctx, role);
    const pages: [string, string][] = [
      ['center home 中心首页', '/center'],
      ['case register 事件列表', '/center/cases'],
      ['command screen 指挥大屏', '/center/screen'],
      ['supervision list 督办清单', '/center/supervision'],
      ['supervision bulletins 督办通报', '/center/supervision/bulletins'],
      ['evaluation 单位考评', '/center/evaluation'],
      ['risk warnings 风险预警', '/center/risk'],
      ['first-time resolution 初次化解成功率', '/center/mediation'],
    ];
    const warning = await firstLink(page, '/center/risk', /^\/center\/risk\/\d+$/);
    expect(warning, 'a warning is listed').toBeTruthy();
    pages.push(['risk warning 预警详情', warning!]);
    if (role === 'operator' || role === 'commander') {
      pages.push(['case intake 事件登记', '/center/cases/new']);
      pages.push(...(await deskCases(page)));
    } else if (role !== 'admin') {
      const railway = await firstLink(page, `/center/cases?q=${encodeURIComponent('杭衢高铁')}`, DESK_CASE);
      expect(railway).toBeTruthy();
      pages.push(['case: palm command 掌上指挥', railway!]);
    }
    if (role === 'operator' || role === 'leader') {
      pages.push(['livelihood calls 民生实事征集', '/center/campaigns']);
      const call = await firstLink(page, '/center/campaigns', /^\/center\/campaigns\/\d+$/);
      expect(call, 'a livelihood call is listed').toBeTruthy();
      pages.push(['suggestion queue 建议审核', call!]);
      const suggestion = await firstLink(page, call!, /^\/center\/suggestions\/\d+$/);
      expect(suggestion, 'the call lists a suggestion').toBeTruthy();
      pages.push(['suggestion review 建议详情', suggestion!]);
    }
    if (role === 'admin') {
      pages.push(
        ['areas 区域', '/center/admin/areas'],
        ['units 单位', '/center/admin/units'],
        ['staff 人员', '/center/admin/users'],
        ['categories 事件类别', '/center/admin/categories'],
        ['risk rules 预警规则', '/center/admin/risk'],
        ['roster import 花名册导入', '/center/admin/import'],
        ['audit trail 审计日志', '/center/admin/audit'],
      );
    }
    await check(page, 'desk', role, pages);
    await ctx.close();
  }
  report(info.project.name);
});

test('portal and phone pages load and hydrate every time, for residents and every field role', async ({ browser }, info) => {
  test.skip(info.project.name !== 'phone-360', 'the portal and the field are checked on a phone');
  rows.length = 0;
  const resident = await browser.newContext({ ...info.project.use });
  await check(await resident.newPage(), 'portal', 'resident', [
    ['home 首页', '/'],
    ['report a problem 我要反映', '/report'],
    ['track a case 进度查询', '/track'],
    ['suggest 民生实事建议', '/suggest'],
    ['track a suggestion 建议查询', '/suggest/track'],
    ['published suggestions 建议公示', '/suggest/list'],
    ['staff sign-in 工作人员登录', '/signin'],
  ]);
  await resident.close();

  for (const role of ['staff', 'village', 'railway'] as const) {
    const ctx = await browser.newContext({ ...info.project.use });
    const page = await staffContext(ctx, role);
    const cases = await allLinks(page, '/field', FIELD_CASE);
    expect(cases.length, `${role} holds a case in the inbox`).toBeGreaterThan(0);
    await check(page, 'phone', role, [
      ['inbox 待办', '/field'],
      ['report from the field 上报', '/field/report'],
      ['suggestions to answer 建议答复', '/field/suggestions'],
      ['bulletins 通报', '/field/bulletins'],
      ['evaluation 考评', '/field/evaluation'],
      ['cases in our area 辖区事件', '/field/area'],
      ...cases.slice(0, 3).map((c): [string, string] => [`case ${c.split('/').pop()} 事件`, c]),
    ]);
    await ctx.close();
  }
  // A center leader on a phone.
  const leader = await browser.newContext({ ...info.project.use });
  const leaderPage = await staffContext(leader, 'leader');
  await check(leaderPage, 'phone', 'leader', [['command overview 指挥总览', '/field/overview']]);
  await leader.close();
  report(info.project.name);
});
