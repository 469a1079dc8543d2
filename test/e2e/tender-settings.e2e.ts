import { expect, type Page, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

/**
 * Issue 18: the tender mapping in the settings (tenders.md §1.3). In the demo workspace, a card
 * refund whose Credit Memo was never paid out is `credit_not_paid_out`; the accountant learns the
 * store's gateway really gives store credit, maps it in the settings, compares again, and the open
 * Credit Memo now agrees with the refund.
 */

interface Page0 {
  total: number;
  rows: Array<{ orderRef: string; code: string }>;
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Results' });

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('settings: map a gateway to store credit; the next comparison counts it as store credit', async ({ page }) => {
  const problems = watchProblems(page);
  const [first] = await callApi<Array<{ id: number }>>(serve, 'run:list');
  const unpaid = await callApi<Page0>(serve, 'run:results', { runId: first!.id, codes: ['credit_not_paid_out'] });
  expect(unpaid.total).toBe(1);
  const order = unpaid.rows[0]!.orderRef;

  await open(page, serve, 'settings');
  const section = page.getByRole('region', { name: 'How refunds went back' });
  await expect(section.getByLabel('Gateway name, as the store reports it')).toHaveCount(0);
  // A row without a name is refused in words, and nothing is saved.
  await section.getByRole('button', { name: 'Add a gateway' }).click();
  await section.getByRole('button', { name: 'Save how refunds went back' }).click();
  await expect(section.getByRole('alert')).toContainText('Row 1 of the Shopify gateways has no gateway');
  // Named: the Shopify gateway of the demo's card refunds counts as store credit.
  await section.getByLabel('Gateway name, as the store reports it').fill('shopify_payments');
  await section.getByLabel('Counts as').selectOption({ label: 'Store credit' });
  await section.getByLabel('Days an open Credit Memo may wait for its Customer Refund').fill('10');
  await section.getByRole('button', { name: 'Save how refunds went back' }).click();
  await expect(section.getByRole('status')).toHaveText('Saved. The next comparison uses it.');
  await screenshots(page, 'settings-tenders');
  const saved = await callApi<{ storefront: unknown[]; creditPayoutDays: number }>(serve, 'tender-mapping:get');
  expect(saved.storefront).toEqual([{ platform: 'shopify', gateway: 'shopify_payments', kind: 'store_credit' }]);
  expect(saved.creditPayoutDays).toBe(10);

  // Reloaded, the screen shows the saved row.
  await page.reload();
  await expect(section.getByLabel('Gateway name, as the store reports it')).toHaveValue('shopify_payments');

  // Compare the demo's snapshots again: the review opens on the new run.
  await page.getByRole('link', { name: 'Snapshots', exact: true }).click();
  await page.getByRole('region', { name: 'Compare two snapshots' }).getByRole('button', { name: 'Compare' }).click();
  await page.getByRole('tab', { name: 'Results' }).click();
  const runs = await callApi<Array<{ id: number; rules: { creditPayoutDays: number } }>>(serve, 'run:list');
  expect(runs).toHaveLength(2);
  await expect(page.getByLabel('Comparison run')).toHaveValue(String(runs[0]!.id));
  expect(runs[0]!.rules.creditPayoutDays).toBe(10);
  // The order's refund was store credit all along: the open Credit Memo is what NetSuite should hold.
  await page.getByRole('searchbox', { name: 'Search' }).fill(order);
  await page.keyboard.press('Enter');
  const row = grid(page).locator('tbody tr').first();
  await expect(row).toContainText(order);
  await expect(row).toContainText('Matched');
  const again = await callApi<Page0>(serve, 'run:results', { runId: runs[0]!.id, search: order });
  expect(again.rows.map((r) => r.code)).toEqual(['matched']);
  // Its detail says how the money went back as the settings map it: store credit, not a card.
  await grid(page).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const detail = page.getByRole('complementary', { name: 'Result detail' });
  const storefrontTenders = detail.getByRole('region', { name: 'Storefront tenders' });
  await expect(storefrontTenders).toContainText('Store credit');
  await expect(storefrontTenders).not.toContainText('Card');
  // So do the plain matches, whose tenders the detail rebuilds from the records (none stored with them).
  const matched = await callApi<{ rows: Array<{ id: number }> }>(serve, 'run:results', {
    runId: runs[0]!.id,
    codes: ['matched'],
    offset: 0,
    limit: 40,
  });
  const kinds = new Set<string>();
  for (const r of matched.rows) {
    const d = await callApi<{ tenders: { detail: { storefront: Array<{ kind: string; gateway: string }> } } | null }>(
      serve,
      'run:result-detail',
      { resultId: r.id },
    );
    for (const t of d.tenders?.detail.storefront ?? []) if (t.gateway === 'shopify_payments') kinds.add(t.kind);
  }
  expect([...kinds]).toEqual(['store_credit']);
  expect(expectedUserErrors(problems)).toEqual([]);
});
