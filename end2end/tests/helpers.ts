import { expect, Page } from '@playwright/test';

/** Waits until the page is hydrated, so clicks reach the app rather than bare HTML. */
export async function hydrated(page: Page) {
  // Bounded by itself: the page walks run without a test time limit.
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}

export async function signIn(page: Page, username: string, password: string, next?: string) {
  await page.goto(next ? `/signin?next=${encodeURIComponent(next)}` : '/signin');
  await hydrated(page);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** On the change-password page (where a one-time password leads): replaces `current`. */
export async function changeOwnPassword(page: Page, current: string, next: string) {
  await expect(page).toHaveURL(/\/account\/password/);
  await hydrated(page);
  await page.getByLabel('当前密码').fill(current);
  await page.getByLabel('新密码（至少10位）').fill(next);
  await page.getByLabel('再次输入新密码').fill(next);
  await page.getByRole('button', { name: '保存新密码' }).click();
}

export const accounts = {
  admin: ['e2e.admin', 'e2e-admin-password'],
  operator: ['e2e.operator', 'e2e-operator-password'],
  staff: ['e2e.staff', 'e2e-staff-password'],
  locked: ['e2e.locked', 'e2e-locked-password'],
  village: ['e2e.village', 'e2e-village-password'],
  railway: ['e2e.railway', 'e2e-railway-password'],
  enforce: ['e2e.enforce', 'e2e-enforce-password'],
  commander: ['e2e.commander', 'e2e-commander-password'],
  supervisor: ['e2e.supervisor', 'e2e-supervisor-password'],
  leader: ['e2e.leader', 'e2e-leader-password'],
} as const;

/** A suffix unique to this run and project, so both viewports can create their own records. */
export function unique(projectName: string) {
  return `${projectName.replace(/[^a-z0-9]/g, '')}${Date.now().toString(36)}`;
}

export async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
}

/**
 * Clicks the place picker's district map (opening it first) at a longitude and latitude, or at
 * a point of the map's own box (`{ x, y }` in its viewBox units). The projection is the
 * server's own, read from the map it serves.
 */
export async function clickMap(page: Page, at: { lng: number; lat: number } | { x: number; y: number }) {
  const picker = page.getByTestId('map-picker');
  if (!(await picker.evaluate((d) => (d as HTMLDetailsElement).open))) await picker.locator('summary').click();
  const svg = picker.locator('svg.place-map');
  await expect(svg).toBeVisible();
  const answer = await page.request.post('/api/public/place_map', { headers: { 'Sec-Fetch-Site': 'same-origin' }, form: {} });
  expect(answer.ok()).toBe(true);
  const { frame } = (await answer.json()).map;
  const [x, y] = 'x' in at ? [at.x, at.y] : [(at.lng - frame.west) * frame.per_lng, (frame.north - at.lat) * frame.per_lat];
  // The box is drawn whole and centred in the element (SVG's `xMidYMid meet`).
  const box = (await svg.boundingBox())!;
  const scale = Math.min(box.width / frame.width, box.height / frame.height);
  const left = (box.width - frame.width * scale) / 2;
  const top = (box.height - frame.height * scale) / 2;
  await svg.click({ position: { x: left + x * scale, y: top + y * scale } });
}
