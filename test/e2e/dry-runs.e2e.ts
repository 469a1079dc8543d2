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
  const record = result.getByRole('table', { name: /^Would-be record for/ });
  await expect(record).toBeVisible();
  expect(await record.locator('tbody tr').count()).toBeGreaterThan(2);
  await result.getByText('Raw JSON').click();
  const raw = await result.locator('pre.json').textContent();
  expect(() => JSON.parse(raw ?? '')).not.toThrow();
  await screenshots(page, 'dry-runs');

  const history = page.getByRole('table', { name: 'Dry runs' });
  await expect(history.locator('tbody tr')).toHaveCount(1);
  await expect(history).toContainText('NetSuite → Storefront');
  expect(problems).toEqual([]);
});
