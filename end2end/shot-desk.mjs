import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:3300';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const [w, h, path, name, mobile] of [[1280, 900, '/center', 'desk', false], [360, 740, '/field/overview', 'phone-overview', true], [360, 740, '/field', 'phone-field', true], [1280, 900, '/center/cases?open=1', 'list-open', false]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, isMobile: mobile, hasTouch: mobile });
  const page = await ctx.newPage();
  await page.goto(base + '/signin');
  await page.fill('input[name=username]', 's.leader');
  await page.fill('input[name=password]', 'shot-leader-pw');
  await page.click('button[type=submit]');
  await page.waitForURL(u => !u.pathname.startsWith('/signin'));
  await page.goto(base + path);
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
  console.log(name, await page.evaluate(() => document.documentElement.scrollWidth - innerWidth));
  await ctx.close();
}
await browser.close();
