// The load-rate check: every page of every surface, for every role that may open it, loaded
// again and again; every load must reach hydration. A page that loads "most of the time" is
// a broken page (a server panic cut the streamed HTML off, a chunk never came, …).
// LOAD_RATE_LOADS sets the loads per page (20 by default). The table is printed and written
// to target/load-rate-<project>.md.
import { test, expect, ConsoleMessage, Page, Request } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { DESK_ROLES, Entry, LEADER_PHONE_PAGES, PHONE_ROLES, PORTAL_PAGES, Role, deskPages, phonePages, staffPage } from './pages';

const LOADS = Number(process.env.LOAD_RATE_LOADS ?? 20);
// Long enough for a debug build on two busy cores; a page that takes longer is not loading.
const LOAD_TIMEOUT = 20_000;

type Row = { surface: string; page: string; role: Role; path: string; loads: number; hydrated: number; failures: string[] };

/** Loads `target` `loads` times in one tab; each load must hydrate, on the page asked for. */
async function loadRate(page: Page, target: string, loads: number): Promise<{ hydrated: number; failures: string[] }> {
  let ok = 0;
  const failures: string[] = [];
  // What the browser said during a load, so that a failed one reports its cause.
  let said: string[] = [];
  const onConsole = (m: ConsoleMessage) => { if (m.type() === 'error') said.push(`console: ${m.text()}`); };
  const onPageError = (e: Error) => said.push(`page error: ${e.message}`);
  const onFailed = (r: Request) => said.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('requestfailed', onFailed);
  for (let i = 0; i < loads; i++) {
    said = [];
    try {
      await page.goto(target, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
      await page.waitForSelector('html[data-hydrated="true"]', { timeout: LOAD_TIMEOUT });
      const at = new URL(page.url());
      if (at.pathname + at.search !== target) throw new Error(`landed on ${at.pathname}${at.search}`);
      ok++;
    } catch (e) {
      const heard = said.length ? ` [${said.slice(0, 4).join(' | ')}]` : '';
      failures.push(`load ${i + 1}: ${(e as Error).message.split('\n')[0]}${heard}`);
    }
  }
  page.off('console', onConsole);
  page.off('pageerror', onPageError);
  page.off('requestfailed', onFailed);
  return { hydrated: ok, failures };
}

const rows: Row[] = [];

// A page several roles open gets its LOADS for the first role and one load for each other
// role: every page is loaded again and again, and every role's version of it hydrates, in a
// walk short enough for CI.
const walked = new Set<string>();

async function check(page: Page, surface: string, role: Role, pages: Entry[]) {
  for (const [name, target] of pages) {
    const loads = walked.has(target) ? 1 : LOADS;
    walked.add(target);
    const r = await loadRate(page, target, loads);
    rows.push({ surface, page: name, role, path: target, loads, ...r });
  }
}

function report(project: string) {
  const lines = [
    '| surface | page | role | path | hydrated / loads |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.surface} | ${r.page} | ${r.role} | \`${r.path}\` | ${r.hydrated}/${r.loads} |`),
  ];
  const text = lines.join('\n') + '\n';
  const file = path.join(__dirname, '..', '..', 'target', `load-rate-${project}.md`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`\nLoad rate (${project}), written to ${file}:\n${text}`);
  const failed = rows.filter((r) => r.hydrated < r.loads);
  expect(failed.map((r) => `${r.surface} ${r.page} as ${r.role} (${r.path}): ${r.failures.slice(0, 3).join('; ')}`)).toEqual([]);
}

test.describe.configure({ timeout: 0 });

test('desk pages load and hydrate every time, for every center role', async ({ browser }, info) => {
  test.skip(info.project.name !== 'desk-1280', 'the desk is checked at desk width');
  rows.length = 0;
  walked.clear();
  for (const role of DESK_ROLES) {
    const ctx = await browser.newContext();
    const page = await staffPage(ctx, role);
    const pages = await deskPages(page, role);
    await check(page, 'desk', role, pages);
    await ctx.close();
  }
  report(info.project.name);
});

test('portal and phone pages load and hydrate every time, for residents and every field role', async ({ browser }, info) => {
  test.skip(info.project.name !== 'phone-360', 'the portal and the field are checked on a phone');
  rows.length = 0;
  walked.clear();
  const resident = await browser.newContext({ ...info.project.use });
  await check(await resident.newPage(), 'portal', 'resident', PORTAL_PAGES);
  await resident.close();

  for (const role of PHONE_ROLES) {
    const ctx = await browser.newContext({ ...info.project.use });
    const page = await staffPage(ctx, role);
    await check(page, 'phone', role, await phonePages(page, role));
    await ctx.close();
  }
  // A center leader on a phone.
  const leader = await browser.newContext({ ...info.project.use });
  await check(await staffPage(leader, 'leader'), 'phone', 'leader', LEADER_PHONE_PAGES);
  await leader.close();
  report(info.project.name);
});
