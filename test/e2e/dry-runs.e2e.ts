import { expect, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { open, screenshots, watchProblems } from './ui-helpers';

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('dry runs: the wizard runs a sample, shows pass/fail per order with the would-be record, and keeps history', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await open(page, serve, 'dry-runs');
  await expect(page.getByRole('region', { name: 'Dry run history' })).toContainText('No dry run yet');
  const wizard = page.getByRole('region', { name: 'Dry run wizard' });
  await expect(wizard.getByLabel('Storefront account')).toBeVisible();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: 'NetSuite → Storefront' }).check();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: 'A sample of recent refunded orders' }).check();
  await wizard.getByLabel('Sample size').fill('4');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard).toContainText('Sample of 4');
  await wizard.getByRole('button', { name: 'Run dry run' }).click();

  const result = page.getByRole('region', { name: /^Dry run \d+ results$/ });
  await expect(result).toBeVisible();
  const orders = result.getByRole('table', { name: 'Dry run orders' });
  await expect(orders.locator('tbody tr')).toHaveCount(4);
  await expect(orders).toContainText(/Pass|Fail/);
  const first = orders.getByRole('button', { name: /^Show record for/ }).first();
  await first.click();
  await expect(result.getByRole('table', { name: /^Checks for/ })).toBeVisible();
  const record = result.getByRole('region', { name: /^Would-be record for/ });
  await expect(record).toBeVisible();
  await expect(record).toContainText(/record/i);
  await result.getByText('Raw record (JSON)').click();
  const raw = await result.locator('pre.json').textContent();
  expect(() => JSON.parse(raw ?? '')).not.toThrow();
  await screenshots(page, 'dry-runs');

  const history = page.getByRole('table', { name: 'Dry runs' });
  await expect(history.locator('tbody tr')).toHaveCount(1);
  await expect(history).toContainText('NetSuite → Storefront');
  expect(problems).toEqual([]);
});

test('dry runs in accountants’ words: the record as a form, checks in sentences, nothing tested is not green', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await open(page, serve, 'dry-runs');
  const wizard = page.getByRole('region', { name: 'Dry run wizard' });
  const run = async (refs: string) => {
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('radio', { name: 'Storefront → NetSuite' }).check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('radio', { name: 'By order reference' }).check();
    await wizard.getByLabel(/Order references/).fill(refs);
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('button', { name: 'Run dry run' }).click();
  };
  await run('#1031');
  const result = page.getByRole('region', { name: /^Dry run \d+ results$/ });
  await result.getByRole('button', { name: 'Show record for #1031' }).click();
  const record = result.getByRole('region', { name: 'Would-be record for #1031' });
  await expect(record).toContainText('Cash Refund');
  await expect(record).toContainText('Order reference');
  await expect(record).toContainText(/From\s*snapshot \d+/);
  const lines = record.getByRole('table', { name: 'Lines of the record for #1031' });
  await expect(lines).toContainText('JKT-RAIN-L');
  await expect(lines).toContainText('GBP 119.00');
  await expect(lines).toContainText('GBP 4.95');
  // Checks and reasons in sentences, not codes.
  await expect(result).not.toContainText('already_synced');
  await expect(result).not.toContainText('build:');
  await expect(result.getByRole('table', { name: 'Checks for #1031' })).toContainText('Not on the target yet');
  // The raw JSON only behind its disclosure.
  await expect(result.locator('pre.json')).toBeHidden();
  // The open record fits a laptop: no sideways scroll at 1280×720.
  await page.setViewportSize({ width: 1280, height: 720 });
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshots(page, 'dry-runs-record');

  await page.reload();
  await run('NO-SUCH-ORDER');
  const empty = page.getByRole('region', { name: /^Dry run \d+ results$/ });
  await expect(empty).toContainText('Nothing tested');
  await expect(empty).toContainText('Nothing was tested: no order matched this selection (NO-SUCH-ORDER)');
  await expect(empty).not.toContainText('Pass');
  expect(problems).toEqual([]);
});
