import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { expectedUserErrors, open, watchProblems } from './ui-helpers';

/**
 * Issue 14 defect 5 on the Snapshots screen: a BigCommerce refunds file says no currency, so the
 * import form asks for it (a control, never a CLI flag) and the import uses what is chosen.
 */
let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('import: a BigCommerce file asks for the currency, words the error as a control, then imports', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const file = path.join(serve.home, 'bc-refunds.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      data: [
        {
          id: 12,
          order_id: 180,
          user_id: 0,
          created: '2022-06-16T16:44:15+00:00',
          reason: 'Customer requires a refund.',
          total_amount: 4.5,
          total_tax: 0,
          uses_merchant_override_values: false,
          payments: [{ id: 13, provider_id: 'storecredit', amount: 4.5, offline: true, is_declined: false }],
          items: [{ item_type: 'SHIPPING', item_id: 3, requested_amount: 4.5 }],
        },
      ],
      meta: {},
    }),
  );
  await open(page, serve, 'snapshots');
  const panel = page.getByRole('region', { name: 'Import a file' });
  await panel.getByLabel('File path').fill(file);
  await panel.getByRole('button', { name: 'Detect format' }).click();
  await expect(panel.getByRole('status')).toContainText('bigcommerce-json');
  const currency = panel.getByLabel('Currency');
  await expect(currency).toBeVisible();
  // BigCommerce: the orders' products may be given beside the refunds (optional).
  await expect(panel.getByLabel('Order products file (optional)')).toBeVisible();
  await panel.getByRole('button', { name: 'Import', exact: true }).click();
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('Choose it under Currency');
  await expect(alert).not.toContainText('--');
  await currency.fill('eur');
  await panel.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(panel.getByText(/Imported 1 refunds/)).toBeVisible();
  expect(expectedUserErrors(problems)).toEqual([]);
});
