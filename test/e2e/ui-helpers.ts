import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { ServeProcess } from './serve-process';

const ROUTE_LABELS: Record<string, string> = {
  review: 'Review',
  accounts: 'Accounts & directions',
  'dry-runs': 'Dry runs',
  snapshots: 'Snapshots',
  reports: 'Reports',
  settings: 'Settings',
};

export const SCREENSHOT_DIR = path.resolve('docs/screenshots');

/** Calls a channel over browser mode's HTTP API (as the page does), expecting success. */
export async function callApi<T>(serve: ServeProcess, channel: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${serve.origin}api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-refund-recon-token': serve.token },
    body: JSON.stringify(body),
  });
  const result = (await response.json()) as { ok: boolean; value: T; error?: unknown };
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.value;
}

/** Chromium logs every non-2xx answer; a 422 is a user error the test provoked on purpose (and the page shows). */
export const expectedUserErrors = (problems: string[]) =>
  problems.filter((p) => !/Failed to load resource: the server responded with a status of 422/.test(p));

/** Collects console errors, page errors and CSP violations; assert `[]` at the end. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

export async function open(page: Page, serve: ServeProcess, route: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(serve.pageUrl);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.getByRole('link', { name: ROUTE_LABELS[route] ?? route, exact: true }).click();
}

/** The two screens the app is checked on (issue 16): a 1280×720 laptop and a 1920×1080 monitor. */
export const SCREENSHOT_SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

/**
 * Light and dark screenshots of the current page at each of SCREENSHOT_SIZES into
 * docs/screenshots/<name>-<width>x<height>-{light,dark}.png; the page's own size is restored after.
 * Opt-in (`npm run screenshots`), so a test run never rewrites files the repository tracks.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  if (process.env.UI_SCREENSHOTS !== '1') return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const size of SCREENSHOT_SIZES) {
    await page.setViewportSize(size);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // Let the layout settle at the new size (virtualised rows are measured after a frame).
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${size.width}x${size.height}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (before) await page.setViewportSize(before);
}
