// Lighthouse's accessibility category for one page, in Debian's Chromium, optionally signed
// in (a session cookie) and at a given desktop size.
// Usage: node a11y.mjs URL [--cookie 'id=…'] [--width 1920 --height 1080]
// Prints the failing audits, then one line: A11Y {"url":…,"score":…,"failing":[…]}
import lighthouse from 'lighthouse';
import { launchChrome } from './chrome.mjs';

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const url = args[0];
if (!url) {
  console.error('usage: node a11y.mjs URL [--cookie C] [--width W --height H]');
  process.exit(2);
}
const width = Number(opt('--width', 1920));
const height = Number(opt('--height', 1080));
const cookie = opt('--cookie', '');

const chrome = await launchChrome();
try {
  const flags = {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['accessibility'],
    formFactor: 'desktop',
    screenEmulation: { mobile: false, width, height, deviceScaleFactor: 1, disabled: false },
    throttlingMethod: 'provided',
    extraHeaders: cookie ? { Cookie: cookie } : undefined,
  };
  const result = await lighthouse(url, flags);
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  const failing = Object.values(lhr.audits)
    .filter((a) => a.scoreDisplayMode === 'binary' && a.score === 0)
    .map((a) => a.id);
  for (const id of failing) {
    const a = lhr.audits[id];
    console.log(`  failing: ${id} — ${a.title}`);
    for (const item of (a.details?.items ?? []).slice(0, 5)) {
      console.log(`     ${item.node?.selector ?? ''} ${item.node?.explanation?.split('\n').slice(0, 2).join(' ') ?? ''}`);
    }
  }
  const score = Math.round(lhr.categories.accessibility.score * 100);
  console.log('A11Y ' + JSON.stringify({ url: lhr.finalDisplayedUrl, score, failing }));
} finally {
  await chrome.kill();
}
