// Lighthouse's performance category on a phone, for scripts/bench.sh: Lighthouse's default
// mobile settings (moto g power, 412x823; simulated throttling: slow 4G, 150 ms RTT,
// 1.6 Mbit/s down, 750 kbit/s up, CPU 4x), in Debian's Chromium, optionally signed in.
// Each page is audited RUNS times (a fresh Chromium per run); every figure is the median of
// the runs, each metric on its own.
// Usage: node perf.mjs [--runs 3] [--cookie 'id=…'] [--save DIR] URL...
//        (--save: every run's full report, DIR/<page>-<run>.json, for the Lighthouse viewer)
// Prints one line per run, then one line per page: PERF {"url":…,"score":…,"lcp_s":…,…}
import lighthouse from 'lighthouse';
import { launchChrome } from './chrome.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const urls = [];
let runs = 3;
let cookie = '';
let save = '';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Math.max(1, Math.min(15, Number(args[++i])));
  else if (args[i] === '--cookie') cookie = args[++i];
  else if (args[i] === '--save') save = args[++i];
  else urls.push(args[i]);
}
if (!urls.length) {
  console.error('usage: node perf.mjs [--runs N] [--cookie C] URL...');
  process.exit(2);
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

async function audit(url, run) {
  const chrome = await launchChrome();
  try {
    // Lighthouse's defaults are the mobile ones; named here so the report says what it ran.
    const flags = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance'],
      formFactor: 'mobile',
      throttlingMethod: 'simulate',
      extraHeaders: cookie ? { Cookie: cookie } : undefined,
    };
    const { lhr } = await lighthouse(url, flags);
    if (save) {
      mkdirSync(save, { recursive: true });
      const name = new URL(url).pathname.replace(/^\/$/, 'home').replace(/^\//, '').replace(/[^A-Za-z0-9]+/g, '-');
      writeFileSync(`${save}/${name}-${run}.json`, JSON.stringify(lhr));
    }
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const a = lhr.audits;
    const num = (id) => (a[id] && typeof a[id].numericValue === 'number' ? a[id].numericValue : null);
    const observed = a.metrics?.details?.items?.[0] ?? {};
    const lcpEl = a['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node;
    const t = lhr.configSettings.throttling;
    return {
      final: lhr.finalDisplayedUrl,
      score: lhr.categories.performance.score,
      fcp: num('first-contentful-paint'),
      lcp: num('largest-contentful-paint'),
      si: num('speed-index'),
      tbt: num('total-blocking-time'),
      tti: num('interactive'),
      cls: num('cumulative-layout-shift'),
      // Unthrottled, as Chromium actually painted on this host: the simulation starts from these.
      observedFcp: observed.observedFirstContentfulPaint ?? null,
      observedLcp: observed.observedLargestContentfulPaint ?? null,
      bytes: num('total-byte-weight'),
      lcpElement: lcpEl ? (lcpEl.selector || lcpEl.nodeLabel || '').slice(0, 60) : null,
      warnings: lhr.runWarnings ?? [],
      benchmarkIndex: lhr.environment?.benchmarkIndex ?? null,
      settings: `${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod}: RTT ${t.rttMs} ms, `
        + `${(t.throughputKbps / 1024).toFixed(1)} Mbit/s, CPU x${t.cpuSlowdownMultiplier}, `
        + `${lhr.configSettings.screenEmulation.width}x${lhr.configSettings.screenEmulation.height}`,
    };
  } finally {
    await chrome.kill();
  }
}

const s = (ms) => (ms == null ? '-' : `${(ms / 1000).toFixed(2)} s`);
for (const url of urls) {
  const rs = [];
  for (let i = 0; i < runs; i++) {
    const r = await audit(url, i + 1);
    if (new URL(r.final).pathname !== new URL(url).pathname) {
      throw new Error(`${url} ended on ${r.final} (signed out?)`);
    }
    rs.push(r);
    console.log(`  ${new URL(url).pathname} run ${i + 1}: score ${r.score}, FCP ${s(r.fcp)}, LCP ${s(r.lcp)} (${r.lcpElement ?? '?'}), `
      + `SI ${s(r.si)}, TBT ${Math.round(r.tbt)} ms, TTI ${s(r.tti)}, CLS ${r.cls?.toFixed(3)}, ${(r.bytes / 1024).toFixed(1)} KiB; `
      + `unthrottled FCP ${s(r.observedFcp)}, LCP ${s(r.observedLcp)}`
      + (i === 0 ? ` [${r.settings}; host benchmarkIndex ${r.benchmarkIndex}]` : ''));
    for (const w of r.warnings) console.log(`     warning: ${String(w).split('\n')[0]}`);
  }
  const m = (k) => median(rs.map((r) => r[k]));
  console.log('PERF ' + JSON.stringify({
    url,
    runs: rs.length,
    score: m('score'),
    scores: rs.map((r) => r.score),
    fcp_s: m('fcp') / 1000,
    lcp_s: m('lcp') / 1000,
    lcps_s: rs.map((r) => r.lcp / 1000),
    si_s: m('si') / 1000,
    tbt_ms: m('tbt'),
    tti_s: m('tti') == null ? null : m('tti') / 1000,
    cls: m('cls'),
    kib: m('bytes') / 1024,
    lcp_element: rs[0].lcpElement,
  }));
}
