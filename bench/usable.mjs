// When a phone page is usable: first paints from the server's HTML, then the moment the app
// has hydrated (html[data-hydrated="true"], set by app/src/ui/shell.rs once everything before
// it is hydrated; the end-to-end tests wait for the same mark before they click), and which
// wasm files the page fetched to get there. Lighthouse's simulated throttling cannot see that
// mark, so this probe applies the throttling Lighthouse itself uses for its "devtools"
// method, the applied equivalent of its simulated slow 4G: 562.5 ms per request
// (150 ms RTT x 3.75), 1.47 Mbit/s down, 675 kbit/s up, CPU slowed 4x; moto g power screen
// (412x823, DPR 1.75), empty cache (a fresh browser context per run: a first visit), then
// the same page opened again in that context (a second visit: what the browser kept).
// Debian's Chromium driven by playwright-core from end2end/node_modules.
// Usage: node bench/usable.mjs [--runs 3] [--cookie 'name=value'] [--out PREFIX] URL...
//        (URLs on 127.0.0.1)
// Prints one line per run and one per page; with --out, the I-th page's medians and the wasm
// files it fetched go to PREFIX-I.json.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { writeFileSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'end2end', 'package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const urls = [];
let runs = 3;
let cookie = '';
let out = '';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Math.max(1, Math.min(20, Number(args[++i])));
  else if (args[i] === '--cookie') cookie = args[++i];
  else if (args[i] === '--out') out = args[++i];
  else urls.push(args[i]);
}
if (!urls.length || urls.some((u) => new URL(u).hostname !== '127.0.0.1')) {
  console.error('usage: node bench/usable.mjs [--runs N] [--cookie C] URL...   (only 127.0.0.1)');
  process.exit(2);
}

// Lighthouse's constants (throttling.mobileSlow4G, devtools method) and moto g power screen.
const NET = { offline: false, latency: 150 * 3.75, downloadThroughput: (1.6 * 1024 * 0.9 * 1024) / 8, uploadThroughput: (750 * 0.9 * 1024) / 8 };
const CPU = 4;
const LIMIT = 120_000;

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// Runs in the page before its own scripts: notes when the hydration mark appears.
const initScript = () => {
  const note = () => {
    if (window.__hydratedAt == null && document.documentElement?.getAttribute('data-hydrated') === 'true') {
      window.__hydratedAt = performance.now();
    }
  };
  // The <html> element does not exist yet when this runs: watch the whole document.
  new MutationObserver(note).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
};

const collect = () => new Promise((resolve) => {
  let last = null;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) last = e; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  setTimeout(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    // What the page needed to start: what it fetched after (the inbox's background fetch of the
    // other phone pages' code) is not on the way to being usable.
    const until = window.__hydratedAt ?? Infinity;
    const res = performance.getEntriesByType('resource').filter((r) => r.startTime <= until);
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const el = last && last.element;
    resolve({
      hydrated: window.__hydratedAt ?? null,
      lcp: last ? last.startTime : null,
      lcpElement: el ? `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''}` : null,
      fcp: fcp ? fcp.startTime : null,
      ttfb: nav ? nav.responseStart : null,
      load: nav ? nav.loadEventEnd : null,
      transferBytes: (nav ? nav.transferSize : 0) + res.reduce((a, r) => a + (r.transferSize || 0), 0),
      wasmEnd: Math.max(0, ...res.filter((r) => r.name.endsWith('.wasm')).map((r) => r.responseEnd)),
      wasm: [...new Set(res.map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.wasm')))],
      wasmTransfer: res.filter((r) => r.name.endsWith('.wasm')).reduce((a, r) => a + (r.transferSize || 0), 0),
    });
  }, 300);
});

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
  timeout: 60_000,
});

// One visit in the context: throttled as a cheap phone on slow 4G, until the page has
// hydrated (or died, or the limit passed), then what it took.
async function visit(context, url) {
  const page = await context.newPage();
  const errors = [];
  let failed;
  const panicked = new Promise((resolve) => { failed = resolve; });
  page.on('pageerror', (e) => { errors.push(String(e).split('\n')[0]); failed(); });
  page.on('console', (m) => { if (m.type() === 'error' && m.text().startsWith('panicked at')) errors.push(m.text().split('\n').slice(0, 2).join(' ')); });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NET);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });

  const resp = await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
  if (!resp || resp.status() !== 200) throw new Error(`${url} answered ${resp ? resp.status() : 'nothing'}`);
  if (new URL(page.url()).pathname !== new URL(url).pathname) throw new Error(`${url} ended on ${page.url()} (signed out?)`);
  // A page that has not hydrated in LIMIT, or whose app died first (a panic: it never
  // will), is a figure (a miss), not a broken probe.
  const done = await Promise.race([
    page.waitForSelector('html[data-hydrated="true"]', { timeout: LIMIT, state: 'attached' }).then(() => true, () => false),
    panicked.then(() => page.waitForTimeout(2000)).then(() => false),
  ]);
  await page.waitForTimeout(500);
  const m = await page.evaluate(collect);
  await page.close();
  if (!done) m.hydrated = Infinity;
  else if (m.hydrated == null) throw new Error(`${url}: the hydration mark appeared before the probe could time it`);
  m.errors = errors;
  return m;
}

const s = (ms) => (ms == null ? '-' : ms > LIMIT ? `> ${LIMIT / 1000} s` : `${(ms / 1000).toFixed(3)} s`);
try {
  for (const url of urls) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({
        viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true, locale: 'zh-CN',
        // The field pages' offline worker would fetch the second visit's page outside the
        // page's throttling: without it, what the second visit gains is the browser's cache.
        serviceWorkers: 'block',
      });
      if (cookie) {
        const eq = cookie.indexOf('=');
        // For the whole site (a cookie given by URL would be scoped to its path).
        await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), domain: new URL(url).hostname, path: '/' }]);
      }
      await context.addInitScript(initScript);
      const m = await visit(context, url);
      // The same phone opens the page again: the page itself comes over the line again, the
      // code it names is what the browser kept from the first visit.
      const again = await visit(context, url);
      await context.close();
      m.again = again.hydrated;
      m.againWasmBytes = again.wasmTransfer;
      m.errors.push(...again.errors);
      if (m.errors.length) console.log(`     page errors: ${m.errors.join(' | ')}`);
      m.wasm.sort();
      m.nWasm = m.wasm.length;
      results.push(m);
      console.log(`  ${new URL(url).pathname} run ${i + 1}: hydrated ${s(m.hydrated)}, FCP ${s(m.fcp)}, LCP ${s(m.lcp)} (${m.lcpElement}), `
        + `TTFB ${Math.round(m.ttfb)} ms, last wasm in ${s(m.wasmEnd)} (${m.wasm.length} files), ${(m.transferBytes / 1024).toFixed(1)} KiB in all; `
        + `again: hydrated ${s(m.again)}, ${(m.againWasmBytes / 1024).toFixed(1)} KiB of wasm over the line`);
    }
    const med = (k) => median(results.map((r) => r[k]));
    const summary = {
      url,
      runs: results.length,
      // JSON has no infinity: a page not hydrated within the limit reads as the limit plus one.
      hydrated_s: Math.min(med('hydrated'), LIMIT + 1000) / 1000,
      hydrated_max_s: Math.min(Math.max(...results.map((r) => r.hydrated)), LIMIT + 1000) / 1000,
      again_s: Math.min(med('again'), LIMIT + 1000) / 1000,
      again_max_s: Math.min(Math.max(...results.map((r) => r.again)), LIMIT + 1000) / 1000,
      again_wasm_kib: med('againWasmBytes') / 1024,
      fcp_s: med('fcp') / 1000,
      lcp_s: med('lcp') / 1000,
      wasm_end_s: med('wasmEnd') / 1000,
      wasm_files: med('nWasm'),
      transfer_kib: med('transferBytes') / 1024,
      wasm: [...new Set(results.flatMap((r) => r.wasm))].sort(),
      errors: [...new Set(results.flatMap((r) => r.errors))],
    };
    console.log(`  ${new URL(url).pathname}: median hydrated ${s(summary.hydrated_s * 1000)} (max ${s(summary.hydrated_max_s * 1000)}), `
      + `FCP ${s(summary.fcp_s * 1000)}, LCP ${s(summary.lcp_s * 1000)}, ${summary.wasm.length} wasm files; `
      + `again: median hydrated ${s(summary.again_s * 1000)} (max ${s(summary.again_max_s * 1000)})`);
    if (out) writeFileSync(`${out}-${urls.indexOf(url) + 1}.json`, JSON.stringify(summary));
  }
} finally {
  await browser.close();
}
