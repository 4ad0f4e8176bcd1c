// Takes screenshots of every page at phone and desk width, for looking at them.
// Usage: BASE_URL=http://127.0.0.1:3200 ADMIN=user:pass STAFF=user:pass node screens.mjs OUTDIR
import { chromium } from 'playwright-core';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3100';
const out = process.argv[2] ?? '/tmp/screens';
const [adminUser, adminPass] = (process.env.ADMIN ?? 'e2e.admin:e2e-admin-password').split(':');
const [staffUser, staffPass] = (process.env.STAFF ?? 'e2e.staff:e2e-staff-password').split(':');
const [opUser, opPass] = (process.env.OPERATOR ?? 'e2e.operator:e2e-operator-password').split(':');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });

async function shoot(width, user, pass, paths) {
  const ctx = await browser.newContext({ viewport: { width, height: width < 500 ? 740 : 800 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  if (user) {
    await page.goto(`${base}/signin`);
    await page.waitForSelector('html[data-hydrated]');
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', pass);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/(center|field)/);
  }
  for (const p of paths) {
    await page.goto(`${base}${p}`);
    await page.waitForTimeout(700);
    const name = `${out}/${width}-${(user ?? 'anon')}-${p.replace(/[^a-z0-9]+/gi, '_') || 'root'}.png`;
    await page.screenshot({ path: name, fullPage: true });
    console.log(name);
  }
  await ctx.close();
}

for (const w of [360, 1280]) {
  await shoot(w, null, null, ['/', '/signin', '/nope', '/suggest', '/suggest?c=1', '/suggest/list', '/suggest/list?c=1', '/suggest/track']);
  await shoot(w, opUser, opPass, ['/center/campaigns', '/center/campaigns/2', '/center/campaigns/2?waiting=1', '/center/suggestions/5', '/center/suggestions/7', '/center/suggestions/1']);
  await shoot(w, adminUser, adminPass, ['/center', '/center/admin/areas', '/center/admin/units', '/center/admin/users', '/center/admin/import', '/center/admin/audit']);
  await shoot(w, staffUser, staffPass, ['/field', '/center/admin/users']);
}
await browser.close();
