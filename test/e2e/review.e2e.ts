import { expect, type Page, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

interface Page0 {
  total: number;
  rows: Array<{ id: number; orderRef: string; code: string; currency: string; difference: string }>;
  totals: Record<string, { storefront: string; netsuite: string; difference: string }>;
}

const count = (page: Page) => page.getByRole('status', { name: 'Result count' });

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('review: filter, sort, search, open the detail with both sides, keyboard', async ({ page }) => {
  const problems = watchProblems(page);
  const runs = await callApi<Array<{ id: number }>>(serve, 'run:list');
  const runId = runs[0]!.id;
  const all = await callApi<Page0>(serve, 'run:results', { runId, limit: 1000 });
  const mismatches = await callApi<Page0>(serve, 'run:results', { runId, codes: ['amount_mismatch'], limit: 1000 });
  expect(mismatches.total).toBeGreaterThan(0);

  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Results' }).click();
  const grid = page.getByRole('grid', { name: 'Results' });
  await expect(grid).toBeVisible();
  await expect(count(page)).toHaveText(`${all.total} results`);
  // Unfiltered totals per currency are shown.
  const totals = page.getByRole('region', { name: 'Totals' });
  for (const currency of Object.keys(all.totals)) {
    await expect(totals.getByLabel(`${currency} totals`)).toBeVisible();
  }
  await screenshots(page, 'review');

  // Filter by code: the count and the totals follow.
  await page.getByLabel('Code filter').click();
  await page.getByRole('checkbox', { name: 'Amount mismatch' }).check();
  await page.getByLabel(/Code filter/).click();
  await expect(count(page)).toHaveText(`${mismatches.total} results`);
  const filteredTotals = page.getByRole('region', { name: 'Totals of the filtered results' });
  for (const [currency, t] of Object.entries(mismatches.totals)) {
    const card = filteredTotals.getByLabel(`${currency} totals`);
    await expect(card).toContainText(t.difference.replace(/^-/, '').split('.')[1] ?? '');
  }
  const rows = grid.locator('tbody tr');
  await expect(rows).toHaveCount(mismatches.total);
  for (const row of await rows.all()) await expect(row).toContainText('Amount mismatch');

  // Sort by difference (header), ascending then descending.
  await grid.getByRole('button', { name: 'Difference', exact: true }).click();
  await expect(grid.getByRole('columnheader', { name: /Difference/ })).toHaveAttribute('aria-sort', 'descending');
  await grid.getByRole('button', { name: 'Difference', exact: true }).click();
  await expect(grid.getByRole('columnheader', { name: /Difference/ })).toHaveAttribute('aria-sort', 'ascending');

  // Keyboard: focus the grid, arrow down, Enter opens the detail of that row.
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const detail = page.getByRole('complementary', { name: 'Result detail' });
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('region', { name: 'Storefront side' })).toBeVisible();
  await expect(detail.getByRole('region', { name: 'NetSuite side' })).toBeVisible();
  await expect(detail.getByRole('table', { name: 'Lines aligned by SKU' })).toBeVisible();
  const parts = detail.getByRole('table', { name: 'Parts of each total' });
  for (const part of ['Shipping', 'Tax', 'Adjustment'])
    await expect(parts.getByRole('cell', { name: part })).toBeVisible();
  await expect(detail.getByText('Amount mismatch').first()).toBeVisible();
  await screenshots(page, 'review-detail');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();

  // `/` focuses the search; search by an order reference finds that order only.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(count(page)).toHaveText(`${all.total} results`);
  const target = mismatches.rows[0]!;
  await grid.focus();
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused();
  await page.keyboard.type(target.orderRef);
  await page.keyboard.press('Enter');
  await expect(rows.first()).toContainText(target.orderRef);
  const found = await callApi<Page0>(serve, 'run:results', { runId, search: target.orderRef });
  await expect(count(page)).toHaveText(`${found.total} results`);
  expect(expectedUserErrors(problems)).toEqual([]);
});

test('review: annotate a result (reason required), history, and sign off as preparer and reviewer', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Results' }).click();
  const grid = page.getByRole('grid', { name: 'Results' });
  // Names come from the workspace's people, chosen once.
  await page.getByLabel('You are').selectOption('+');
  await page.getByLabel('New person’s name').fill('Ada Preparer');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await grid.locator('tbody tr').first().click();
  const detail = page.getByRole('complementary', { name: 'Result detail' });
  const panel = detail.getByRole('region', { name: 'Annotation' });
  await panel.getByRole('radio', { name: 'Explained' }).check();
  await panel.getByRole('button', { name: 'Save annotation' }).click();
  // Explained needs a reason: the error says so.
  await expect(panel.getByRole('alert')).toContainText(/reason/i);
  await panel.getByLabel(/Reason/).fill('Shipping refunded on a separate credit memo');
  await panel.getByLabel('Note').fill('Checked with AR on Monday');
  await panel.getByRole('button', { name: 'Save annotation' }).click();
  const history = panel.getByRole('list', { name: 'Annotation history' });
  await expect(history).toContainText('explained by Ada Preparer');
  await expect(history).toContainText('Shipping refunded on a separate credit memo');
  await expect(grid.locator('tbody tr').first()).toContainText('Explained');

  // Status filter: only the explained one.
  await page.getByLabel('Status filter').click();
  await page.getByRole('checkbox', { name: 'Explained' }).check();
  await expect(count(page)).toHaveText('1 results');

  const signoff = page.getByRole('region', { name: 'Sign-off' });
  await signoff.getByRole('button', { name: 'Sign off as preparer' }).click();
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: /Sign off with \d+ open/ })
    .click();
  await expect(signoff).toContainText('Preparer: Ada Preparer');
  await page.getByLabel('You are').selectOption('+');
  await page.getByLabel('New person’s name').fill('Rui Reviewer');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await signoff.getByRole('button', { name: 'Sign off as reviewer' }).click();
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: /Sign off with \d+ open/ })
    .click();
  await expect(signoff).toContainText('Reviewer: Rui Reviewer');
  const runs = await callApi<Array<{ signoffs: Array<{ role: string; name: string }> }>>(serve, 'run:list');
  expect(runs[0]!.signoffs.map((s) => `${s.role}:${s.name}`).sort()).toEqual([
    'preparer:Ada Preparer',
    'reviewer:Rui Reviewer',
  ]);

  // Run-to-run diff: compare again, the new run shows what changed since the first.
  const snapshots = await callApi<Array<{ id: number; side: string }>>(serve, 'snapshot:list');
  const second = await callApi<{ runId: number }>(serve, 'run:compare', {
    storefrontSnapshotId: snapshots.find((s) => s.side === 'storefront')!.id,
    netsuiteSnapshotId: snapshots.find((s) => s.side === 'netsuite')!.id,
    rules: { tolerance: { default: '10.00', byCurrency: {} }, dateWindowDays: 0 },
  });
  await page.reload();
  await page.getByLabel('Comparison run').selectOption(String(second.runId));
  await page.getByRole('tab', { name: 'Since the last run' }).click();
  await expect(page.getByText(/Since run \d+: \d+ new, \d+ resolved, \d+ changed/)).toBeVisible();
  // A wider tolerance turns the small amount mismatches into rounding differences: resolved.
  await expect(page.getByRole('region', { name: 'Resolved since the last run' })).toContainText('Rounding');
  await screenshots(page, 'review-diff-rounding');
  expect(expectedUserErrors(problems)).toEqual([]);
});
