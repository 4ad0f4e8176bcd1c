import { test, expect, Page } from '@playwright/test';
import { spawn, execFileSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// A wall is left open for days: its DOM and memory stay the same however many changes it
// is pushed, and after the server restarts it reconnects and catches up by itself. This
// spec runs its own server (on its own port and database) so it can stop and start it.
test.skip(({ isMobile }) => isMobile, 'the wall is a desktop screen');

const PUSHES = Number(process.env.WALL_PUSHES ?? 10_000);
const ROOT = path.join(__dirname, '..', '..');
const BIN = process.env.E2E_SERVER ? path.resolve(ROOT, process.env.E2E_SERVER) : path.join(ROOT, 'target', 'debug', 'server');
const PORT = 3190;
const BASE = `http://127.0.0.1:${PORT}`;

function serverEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: `sqlite://${dir}/wall.db`,
    FILES_DIR: `${dir}/files`,
    RUST_LOG: 'warn',
    LEPTOS_OUTPUT_NAME: 'shezhi',
    LEPTOS_SITE_ROOT: path.join(ROOT, process.env.E2E_SITE_ROOT ?? 'target/site'),
    LEPTOS_SITE_PKG_DIR: 'pkg',
    LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
  };
}

async function start(dir: string): Promise<ChildProcess> {
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const server = spawn(BIN, [], { env: serverEnv(dir), stdio: ['ignore', log, log] });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return server;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not start: ${fs.readFileSync(path.join(dir, 'server.log'), 'utf8')}`);
}

async function stop(server: ChildProcess) {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

/** DOM elements and live JS heap after a garbage collection. */
async function footprint(page: Page): Promise<{ nodes: number; heap: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  return { nodes, heap: usedSize };
}

async function register(page: Page, n: number) {
  const r = await page.request.post(`${BASE}/api/cases/register`, {
    headers: { origin: BASE, 'sec-fetch-site': 'same-origin' },
    multipart: { channel: 'hotline12345', urgency: 'normal', category: 'noise', title: `大屏耐久测试 ${n}`, description: `夜间噪音扰民，第 ${n} 次推送。` },
  });
  expect(r.ok(), `registration ${n}: ${r.status()} ${await r.text()}`).toBeTruthy();
}

test('a wall open for 10,000 changes keeps its DOM and memory, and catches up after a server restart', async ({ browser }) => {
  test.setTimeout(1_200_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shezhi-wall-'));
  const env = serverEnv(dir);
  execFileSync(BIN, ['seed-demo'], { env, stdio: 'ignore' });
  for (const [role, user, pw] of [['leader', 'wall.leader', 'wall-leader-password'], ['operator', 'wall.operator', 'wall-operator-password']]) {
    execFileSync(BIN, ['user', 'add', '--role', role, '--username', user, '--name', `大屏${role}`, '--unit', '区社会治理中心', '--own-password'], { env, input: pw });
  }
  let server = await start(dir);
  try {
    const signedIn = async (user: string, pw: string, to: string) => {
      const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await ctx.newPage();
      await page.goto(`${BASE}/signin?next=${encodeURIComponent(to)}`);
      await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
      await page.getByLabel('用户名').fill(user);
      await page.getByLabel('密码').fill(pw);
      await page.getByRole('button', { name: '登录' }).click();
      await expect(page).toHaveURL(new RegExp(`${to.replace(/\//g, '\\/')}$`));
      return page;
    };
    const wall = await signedIn('wall.leader', 'wall-leader-password', '/center/screen');
    const operator = await signedIn('wall.operator', 'wall-operator-password', '/center');
    await expect(wall.getByTestId('live')).toHaveAttribute('data-connected', 'true');
    const today = Number(await wall.getByTestId('count-today').getAttribute('data-value'));
    await register(operator, 0);
    await expect(wall.getByTestId('count-today')).toHaveAttribute('data-value', String(today + 1), { timeout: 2_000 });
    const before = await footprint(wall);

    // PUSHES more changes, four at a time, as a busy day would bring them.
    const started = Date.now();
    let next = 1;
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        while (next <= PUSHES) await register(operator, next++);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    await expect(wall.getByTestId('count-today')).toHaveAttribute('data-value', String(today + 1 + PUSHES), { timeout: 10_000 });
    const after = await footprint(wall);
    console.log(`wall after ${PUSHES} changes in ${seconds.toFixed(0)} s: DOM ${before.nodes} → ${after.nodes} elements, JS heap ${(before.heap / 1e6).toFixed(1)} → ${(after.heap / 1e6).toFixed(1)} MB`);
    expect(after.nodes, 'the DOM does not grow with the changes').toBe(before.nodes);
    expect(after.heap, 'nor does the memory').toBeLessThan(before.heap * 1.5 + 4e6);

    // The server restarts: the wall says it is reconnecting, then catches up with what
    // happened while it was away, without a reload.
    await stop(server);
    await expect(wall.getByTestId('live')).toHaveAttribute('data-connected', 'false', { timeout: 10_000 });
    server = await start(dir);
    await register(operator, PUSHES + 1);
    await expect(wall.getByTestId('live')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
    await expect(wall.getByTestId('count-today')).toHaveAttribute('data-value', String(today + 2 + PUSHES), { timeout: 5_000 });
    const log = fs.readFileSync(path.join(dir, 'server.log'), 'utf8');
    expect(log, 'no panic in the server').not.toContain('panicked');
  } finally {
    await stop(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
