import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { open, screenshots } from './ui-helpers';

/**
 * Accessibility and laptop fit (issue 16 items 4 and 10): every screen, light and dark, at
 * 1280×720: no serious or critical axe violation, no sideways scroll, a title naming the screen,
 * and a skip link to the content.
 */

const SCREENS: Array<[string, string]> = [
  ['review', 'Review'],
  ['accounts', 'Accounts & directions'],
  ['dry-runs', 'Dry runs'],
  ['snapshots', 'Snapshots'],
  ['reports', 'Reports'],
  ['settings', 'Settings'],
];

/** Resolves once the page's DOM has not changed for 500 ms (at most 15 s). */
async function settled(page: Page): Promise<void> {
  // A string: this file is type-checked without the DOM library.
  await page.evaluate(`new Promise((resolve) => {
    const done = () => { observer.disconnect(); clearTimeout(limit); resolve(); };
    let timer = setTimeout(done, 500);
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 500); });
    const limit = setTimeout(done, 15000);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  })`);
}

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

for (const [route, label] of SCREENS) {
  test(`${label}: axe finds nothing serious in light and dark; no sideways scroll at 1280×720`, async ({ page }) => {
    await open(page, serve, route);
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect(page).toHaveTitle(`${label} · Refund Reconciler`);
    await expect(page.locator('main h1').first()).toBeVisible();
    // Let the screen's data arrive before judging it. Not 'networkidle': the app keeps its event
    // stream open for as long as the page lives, so the network is never idle.
    await settled(page);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(bad, `${label}, ${scheme}`).toEqual([]);
    }
    await screenshots(page, `screen-${route}`);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow as number, `${label} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
  });
}

test('the skip link takes the keyboard to the content', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(serve.pageUrl);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('button', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('a search that finds nothing keeps the focus in the search box', async ({ page }) => {
  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Results' }).click();
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill('no-such-order-anywhere');
  await search.press('Enter');
  await expect(page.getByText('No result matches these filters.')).toBeVisible();
  await expect(search).toBeFocused();
});

/** Pixels the results grid scrolls sideways inside its frame, and the headers cut short (ellipsis or a third line). */
async function gridFit(page: Page): Promise<{ overflow: number; clipped: string[]; headers: string[] }> {
  // A string, not a function: this file is type-checked without the DOM's types.
  return (await page.evaluate(`(() => {
    const wrap = document.querySelector('.grid-wrap');
    const heads = [...document.querySelectorAll('.grid-head th:not(.col-select)')];
    return {
      overflow: wrap.scrollWidth - wrap.clientWidth,
      clipped: heads
        .filter((th) => th.scrollWidth > th.clientWidth || th.scrollHeight > th.clientHeight)
        .map((th) => th.textContent),
      headers: heads.map((th) => th.textContent),
    };
  })()`)) as { overflow: number; clipped: string[]; headers: string[] };
}

test('the results grid fits a laptop with its default columns; a monitor shows the hint too', async ({ page }) => {
  await open(page, serve, 'review');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole('tab', { name: 'Results' }).click();
  await expect(page.getByRole('grid', { name: 'Results' }).getByRole('row').nth(1)).toBeVisible();
  await settled(page);
  const laptop = await gridFit(page);
  expect(laptop.overflow, `the grid scrolls sideways by ${laptop.overflow} px at 1280×720`).toBeLessThanOrEqual(0);
  expect(laptop.clipped, 'headers cut short at 1280×720').toEqual([]);
  expect(laptop.headers.join('|')).not.toContain('Hint');
  // Without its column the hint is still one hover away: in the row's tooltip.
  await expect(page.getByRole('grid', { name: 'Results' }).getByRole('row').nth(1)).toHaveAttribute('title', /.+/);
  await screenshots(page, 'review-results');

  // With a result's detail open beside it, the list keeps the order, difference, result, currency and status.
  await page.getByRole('grid', { name: 'Results' }).getByRole('row').nth(1).click();
  await expect(page.getByRole('heading', { name: 'Result detail' })).toBeVisible();
  await settled(page);
  const beside = await gridFit(page);
  expect(
    beside.overflow,
    `with the detail open the grid scrolls sideways by ${beside.overflow} px`,
  ).toBeLessThanOrEqual(0);
  expect(beside.clipped, 'headers cut short beside the detail').toEqual([]);
  expect(beside.headers.join('|')).toContain('Result');
  await screenshots(page, 'review-detail-beside');
  await page.keyboard.press('Escape');

  await page.setViewportSize({ width: 1920, height: 1080 });
  await settled(page);
  const monitor = await gridFit(page);
  expect(monitor.overflow, `the grid scrolls sideways by ${monitor.overflow} px at 1920×1080`).toBeLessThanOrEqual(0);
  expect(monitor.clipped, 'headers cut short at 1920×1080').toEqual([]);
  expect(monitor.headers.join('|')).toContain('Hint');
});
