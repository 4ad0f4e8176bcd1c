import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:3300';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const [w, h, scale] of [[1920, 1080, 1], [3840, 2160, 1]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: scale });
  const page = await ctx.newPage();
  await page.goto(base + '/signin');
  await page.fill('input[name=username]', 's.op');
  await page.fill('input[name=password]', 'shot-operator-pw');
  await page.click('button[type=submit]');
  await page.waitForURL(u => !u.pathname.startsWith('/signin'));
  await page.goto(base + '/center/screen');
  await page.waitForSelector('html[data-hydrated="true"]');
  await page.waitForSelector('[data-testid=screen-counters]');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/shots/screen-${w}.png` });
  const sz = await page.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth, document.querySelectorAll('*').length]);
  console.log(w, h, 'scroll', sz);
  await ctx.close();
}
await browser.close();
