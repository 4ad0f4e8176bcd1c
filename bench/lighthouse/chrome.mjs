// Debian's Chromium (or CHROME_PATH) for a Lighthouse run: headless, Chinese first, as the
// center's browsers are set.
import * as chromeLauncher from 'chrome-launcher';

export function launchChrome() {
  return chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--lang=zh-CN'],
  });
}
