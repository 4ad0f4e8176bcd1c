// Largest Contentful Paint of the portal on a simulated slow-4G phone.
// Debian's Chromium driven by playwright-core from end2end/node_modules; 360x740 viewport,
// 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up, CPU slowed 4x, cache disabled.
// Usage: node bench/lcp.mjs BASE_URL [RUNS]   (BASE_URL must be on 127.0.0.1)
// Prints one line per run, then one JSON line prefixed with "RESULT ".
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'end2end', 'package.json'));
const { chromium } = require('playwright-core');

const base = (process.argv[2] ?? '').replace(/\/$/, '');
const runs = Math.max(1, Math.min(20, Number(process.argv[3] ?? 5)));
if (new URL(base).hostname !== '127.0.0.1') {
  console.error('lcp.mjs only talks to 127.0.0.1');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
  timeout: 60_000,
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN',
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

    const resp = await page.goto(`${base}/`, { waitUntil: 'load', timeout: 60_000 });
    if (!resp || resp.status() !== 200) throw new Error(`portal answered ${resp ? resp.status() : 'nothing'}`);
    await page.waitForTimeout(3000);
    const m = await page.evaluate(() => new Promise((resolve) => {
      let last = null;
      new PerformanceObserver((list) => { for (const e of list.getEntries()) last = e; })
        .observe({ type: 'largest-contentful-paint', buffered: true });
      setTimeout(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const res = performance.getEntriesByType('resource');
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        const el = last && last.element;
        resolve({
          lcp: last ? last.startTime : null,
          lcpElement: el ? `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''}` : (last && last.url) || null,
          fcp: fcp ? fcp.startTime : null,
          ttfb: nav ? nav.responseStart : null,
          domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
          load: nav ? nav.loadEventEnd : null,
          wasmEnd: (res.find((r) => r.name.endsWith('.wasm')) || {}).responseEnd ?? null,
          transferBytes: (nav ? nav.transferSize : 0) + res.reduce((a, r) => a + (r.transferSize || 0), 0),
          resources: res.map((r) => `${new URL(r.name).pathname} ${Math.round(r.transferSize)}B ${Math.round(r.responseEnd)}ms`),
        });
      }, 200);
    }));
    await context.close();
    if (m.lcp == null) throw new Error('no largest-contentful-paint entry');
    results.push(m);
    console.log(`  run ${i + 1}: LCP ${(m.lcp / 1000).toFixed(3)} s (${m.lcpElement}), FCP ${(m.fcp / 1000).toFixed(3)} s, `
      + `TTFB ${Math.round(m.ttfb)} ms, load ${(m.load / 1000).toFixed(3)} s, wasm fetched ${m.wasmEnd == null ? '-' : (m.wasmEnd / 1000).toFixed(3) + ' s'}, `
      + `${(m.transferBytes / 1024).toFixed(1)} KiB transferred`);
    if (i === 0) for (const r of m.resources) console.log(`         ${r}`);
  }
} finally {
  await browser.close();
}

const lcps = results.map((r) => r.lcp);
console.log('RESULT ' + JSON.stringify({
  runs: results.length,
  median_s: median(lcps) / 1000,
  max_s: Math.max(...lcps) / 1000,
  min_s: Math.min(...lcps) / 1000,
  fcp_median_s: median(results.map((r) => r.fcp)) / 1000,
  load_median_s: median(results.map((r) => r.load)) / 1000,
  wasm_fetched_median_s: results.every((r) => r.wasmEnd != null) ? median(results.map((r) => r.wasmEnd)) / 1000 : null,
  transfer_kib: results[0].transferBytes / 1024,
}));
