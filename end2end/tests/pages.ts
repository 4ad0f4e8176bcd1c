// Every page of every surface, for every role that may open it: the load-rate check
// (loads.spec.ts) and the accessibility check (a11y.spec.ts) walk the same list.
import { expect, BrowserContext, Page } from '@playwright/test';
import { accounts, hydrated, signIn } from './helpers';

export type Role = keyof typeof accounts | 'resident';
/** [what the page is, its path]. */
export type Entry = [string, string];

/** The first link on `listPath` whose href matches `pattern` (the case or record it opens). */
export async function firstLink(page: Page, listPath: string, pattern: RegExp): Promise<string | undefined> {
  return (await allLinks(page, listPath, pattern))[0];
}

export async function allLinks(page: Page, listPath: string, pattern: RegExp): Promise<string[]> {
  await page.goto(listPath);
  await hydrated(page);
  const hrefs = await page.locator('a[href]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
  return [...new Set(hrefs.filter((h) => pattern.test(h)))];
}

const DESK_CASE = /^\/center\/cases\/\d+$/;
const FIELD_CASE = /^\/field\/cases\/\d+$/;

/** One case on the desk in each state a case page draws differently. */
async function deskCases(page: Page): Promise<Entry[]> {
  const found: Entry[] = [];
  const states: Entry[] = [
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

/** A new tab in `ctx`, signed in as `role`. */
export async function staffPage(ctx: BrowserContext, role: keyof typeof accounts): Promise<Page> {
  const page = await ctx.newPage();
  await signIn(page, accounts[role][0], accounts[role][1]);
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  return page;
}

export const DESK_ROLES = ['operator', 'commander', 'supervisor', 'leader', 'admin'] as const;
export const PHONE_ROLES = ['staff', 'village', 'railway'] as const;

/** The desk pages `role` may open (found with `page`, signed in as that role). */
export async function deskPages(page: Page, role: (typeof DESK_ROLES)[number]): Promise<Entry[]> {
  const pages: Entry[] = [
    ['center home 中心首页', '/center'],
    ['case register 事件列表', '/center/cases'],
    ['command screen 指挥大屏', '/center/screen'],
    ['supervision list 督办清单', '/center/supervision'],
    ['supervision bulletins 督办通报', '/center/supervision/bulletins'],
    ['evaluation 单位考评', '/center/evaluation'],
    ['risk warnings 风险预警', '/center/risk'],
    ['first-time resolution 初次化解成功率', '/center/mediation'],
    ['duty roster 值班排班', '/center/duty'],
    ['emergency reports 突发事件报送', '/center/emergency'],
    ['hazard register 安全隐患清单', '/center/hazards'],
    ['record a hazard 登记隐患', '/center/hazards/new'],
  ];
  const hazard = await firstLink(page, '/center/hazards', /^\/center\/hazards\/\d+$/);
  expect(hazard, 'a hazard is listed').toBeTruthy();
  pages.push(['hazard 隐患详情', hazard!]);
  const emergency = await firstLink(page, '/center/emergency', /^\/center\/emergency\/\d+$/);
  expect(emergency, 'an emergency is listed').toBeTruthy();
  pages.push(['emergency 报送详情', emergency!]);
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
  return pages;
}

export const PORTAL_PAGES: Entry[] = [
  ['home 首页', '/'],
  ['report a problem 我要反映', '/report'],
  ['track a case 进度查询', '/track'],
  ['suggest 民生实事建议', '/suggest'],
  ['track a suggestion 建议查询', '/suggest/track'],
  ['published suggestions 建议公示', '/suggest/list'],
  ['staff sign-in 工作人员登录', '/signin'],
];

/** The phone pages a field `role` may open, with up to three cases from its inbox. */
export async function phonePages(page: Page, role: (typeof PHONE_ROLES)[number]): Promise<Entry[]> {
  const cases = await allLinks(page, '/field', FIELD_CASE);
  expect(cases.length, `${role} holds a case in the inbox`).toBeGreaterThan(0);
  // A township's emergency, when its unit reports on one (the demo's townships do).
  const emergency = await firstLink(page, '/field/emergency', /^\/field\/emergency\/\d+$/);
  // A hazard of the unit's, when it has one (the demo's townships do).
  const hazard = await firstLink(page, '/field/hazards', /^\/field\/hazards\/\d+$/);
  return [
    ...(emergency ? [['emergency 突发事件报送详情', emergency] as Entry] : []),
    ...(hazard ? [['hazard 隐患详情', hazard] as Entry] : []),
    ['our hazards 本单位隐患', '/field/hazards'],
    ['record a hazard 登记隐患', '/field/hazards/new'],
    ['inbox 待办', '/field'],
    ['report from the field 上报', '/field/report'],
    ['suggestions to answer 建议答复', '/field/suggestions'],
    ['bulletins 通报', '/field/bulletins'],
    ['evaluation 考评', '/field/evaluation'],
    ['cases in our area 辖区事件', '/field/area'],
    ['my duty 我的值班', '/field/duty'],
    ['emergency reports 突发事件报送', '/field/emergency'],
    ...cases.slice(0, 3).map((c): Entry => [`case ${c.split('/').pop()} 事件`, c]),
  ];
}

/** A center leader on a phone. */
export const LEADER_PHONE_PAGES: Entry[] = [['command overview 指挥总览', '/field/overview']];
