import { expect, type Page, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

/** The accountant's desk (issue 16): what to do, period summary, views, bulk steps, sign-off, diff. */

interface ActionList {
  needAction: number;
  unexplained: Record<string, string>;
  groups: Array<{ id: string; title: string; open: number; atStake: Record<string, string> }>;
}

const count = (page: Page) => page.getByRole('status', { name: 'Result count' });

let serve: ServeProcess;
let runId: number;
test.beforeAll(async () => {
  serve = await startServe();
  runId = (await callApi<Array<{ id: number }>>(serve, 'run:list'))[0]!.id;
});
test.afterAll(async () => {
  await serve?.stop();
});

async function choosePerson(page: Page, name: string) {
  const picker = page.getByLabel('You are');
  await picker.selectOption('+');
  await page.getByLabel('New person’s name').fill(name);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(picker).toHaveValue(name);
}

test('what to do: the open differences by cause, each opening the filtered results', async ({ page }) => {
  const problems = watchProblems(page);
  const list = await callApi<ActionList>(serve, 'review:actions', { runId });
  await open(page, serve, 'review');
  // The top of the review: how many need action, and the unexplained difference per currency.
  await expect(page.getByText(`${list.needAction} results need action`)).toBeVisible();
  await expect(page.getByText(/unexplained difference/)).toBeVisible();
  for (const currency of Object.keys(list.unexplained)) {
    await expect(page.locator('.needs-action')).toContainText(currency);
  }
  const actions = page.getByRole('region', { name: 'Action list' });
  await expect(actions.locator('li')).toHaveCount(list.groups.length);
  await expect(actions).toContainText('Missing in NetSuite: not synced yet');
  await expect(actions).toContainText('USD 161.29');
  await expect(actions).toContainText('Duplicates to void');
  await expect(actions).toContainText('Item mapping: storefront SKU ↔ NetSuite item');
  await screenshots(page, 'review-actions');

  // A group opens the results filtered to it (its open results).
  const notSynced = list.groups.find((g) => g.id === 'not_synced')!;
  await actions.getByRole('button', { name: /Show the \d+ open results: Missing in NetSuite/ }).click();
  await expect(page.getByRole('tab', { name: 'Results' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('Cause: Not synced yet')).toBeVisible();
  await expect(count(page)).toHaveText(`${notSynced.open} results`);
  const grid = page.getByRole('grid', { name: 'Results' });
  for (const row of await grid.locator('tbody tr').all()) await expect(row).toContainText('Missing in NetSuite');

  // A currency mismatch: both sides in their own currencies, in the row and in the detail.
  await page.getByRole('tab', { name: 'What to do' }).click();
  await actions.getByRole('button', { name: /Currency mapping/ }).click();
  const row = grid.locator('tbody tr').first();
  await expect(row).toContainText('EUR 31.90');
  await expect(row).toContainText('USD 34.45');
  await expect(row).toContainText('2 currencies');
  await row.click();
  const detail = page.getByRole('complementary', { name: 'Result detail' });
  await expect(detail.getByRole('table', { name: 'Totals side by side' })).toContainText('EUR 31.90');
  await expect(detail.getByRole('table', { name: 'Parts of each total' })).toContainText('Storefront (EUR)');
  await expect(detail.getByRole('table', { name: 'Parts of each total' })).toContainText('NetSuite (USD)');
  await expect(detail).toContainText('the storefront refund is in EUR and the NetSuite record in USD');
  await expect(detail).not.toContainText('one side has no record');
  expect(expectedUserErrors(problems)).toEqual([]);
});

test('sorting by difference stays within a currency (JPY 21,000 never above USD 161.29)', async ({ page }) => {
  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Results' }).click();
  await page.getByLabel('Sort').selectOption('absDifference:desc');
  const grid = page.getByRole('grid', { name: 'Results' });
  await expect(grid.locator('tbody tr').first()).toBeVisible();
  const currencies = await grid.locator('tbody tr td.col-currency').allTextContents();
  const runs: string[] = [];
  for (const c of currencies) if (runs.at(-1) !== c) runs.push(c);
  // Each currency is one block: the sort never interleaves minor units of different currencies.
  expect(new Set(runs).size).toBe(runs.length);
});

test('period summary: months and currencies, open vs annotated vs resolved, a chosen period', async ({ page }) => {
  const all = await callApi<{ months: string[]; rows: Array<{ month: string }> }>(serve, 'review:period-summary', {
    runId,
  });
  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Period summary' }).click();
  const table = page.getByRole('table', { name: 'Period summary by month and currency' });
  await expect(table.locator('tbody tr')).toHaveCount(all.rows.length);
  for (const h of ['Refunds', 'Storefront', 'NetSuite', 'Difference', 'Open', 'Annotated', 'Resolved']) {
    await expect(table.getByRole('columnheader', { name: h, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await screenshots(page, 'review-period');
  const month = all.months[0]!;
  await page.getByLabel('From').selectOption(month);
  await page.getByLabel('To').selectOption(month);
  const one = all.rows.filter((r) => r.month === month).length;
  await expect(table.locator('tbody tr')).toHaveCount(one);
});

test('a saved view brings back filters, sort and columns; Esc closes a dropdown', async ({ page }) => {
  const usd = await callApi<{ total: number }>(serve, 'run:results', { runId, currencies: ['USD'] });
  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Results' }).click();
  const grid = page.getByRole('grid', { name: 'Results' });
  // Hide the hint column; Esc closes the menu and the focus returns to its button.
  const columns = page.getByLabel(/^Columns:/);
  await columns.click();
  await page.getByRole('checkbox', { name: 'Hint', exact: true }).uncheck();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('checkbox', { name: 'Hint', exact: true })).toBeHidden();
  await expect(columns).toBeFocused();
  await expect(grid.getByRole('columnheader', { name: 'Hint' })).toHaveCount(0);
  await page.getByLabel('Currency filter').click();
  await page.getByRole('checkbox', { name: 'USD' }).check();
  await page.keyboard.press('Escape');
  await expect(count(page)).toHaveText(`${usd.total} results`);
  await page.getByRole('button', { name: 'Save view…' }).click();
  await page.getByLabel('View name').fill('USD without hints');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // Back to everything, then the view again.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel(/^Columns:/).click();
  await page.getByRole('checkbox', { name: 'Hint', exact: true }).check();
  await page.keyboard.press('Escape');
  await expect(grid.getByRole('columnheader', { name: 'Hint' })).toHaveCount(1);
  await page.getByLabel('Saved view').selectOption({ label: 'USD without hints' });
  await expect(count(page)).toHaveText(`${usd.total} results`);
  await expect(grid.getByRole('columnheader', { name: 'Hint' })).toHaveCount(0);
  // Columns resize: by keyboard on the header's handle (a splitter), and by dragging it.
  const header = grid.getByRole('columnheader', { name: 'Order' });
  const before = (await header.boundingBox())!.width;
  const handle = grid.getByRole('separator', { name: 'Resize Order' });
  await handle.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await header.boundingBox())!.width).toBeGreaterThan(before + 15);
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await header.boundingBox())!.width).toBeGreaterThan(before + 60);
  const views = await callApi<Array<{ name: string; hiddenColumns: string[] }>>(serve, 'view:list');
  expect(views).toEqual([expect.objectContaining({ name: 'USD without hints', hiddenColumns: ['hint'] })]);
});

test('bulk annotation with one reason under a person’s name, and its undo', async ({ page }) => {
  const problems = watchProblems(page);
  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Results' }).click();
  await choosePerson(page, 'Ada Preparer');
  const before = await callApi<ActionList>(serve, 'review:actions', { runId });
  await page.getByLabel('Severity filter').click();
  await page.getByRole('checkbox', { name: /Error/ }).check();
  await page.keyboard.press('Escape');
  const grid = page.getByRole('grid', { name: 'Results' });
  const rows = grid.locator('tbody tr');
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  const bulk = page.getByRole('region', { name: 'Selected results' });
  await expect(bulk).toContainText('2 selected');
  await bulk.getByLabel('Mark as').selectOption('explained');
  await expect(bulk.getByRole('button', { name: 'Apply to 2' })).toBeDisabled();
  await bulk.getByLabel('Reason').fill('Checked with AR');
  await bulk.getByRole('button', { name: 'Apply to 2' }).click();
  await expect(rows.nth(0)).toContainText('Explained');
  await expect(rows.nth(1)).toContainText('Explained');
  await expect(page.getByText(`${before.needAction - 2} results need action`)).toBeVisible();
  const undo = page.getByRole('button', { name: 'Undo: 2 explained by Ada Preparer' });
  await screenshots(page, 'review-bulk');
  await undo.click();
  await expect(rows.nth(0)).toContainText('Open');
  await expect(rows.nth(1)).toContainText('Open');
  await expect(page.getByText(`${before.needAction} results need action`)).toBeVisible();
  expect(expectedUserErrors(problems)).toEqual([]);
});

test('sign-off with open errors asks first, records how many, and can be withdrawn with a reason', async ({ page }) => {
  const problems = watchProblems(page);
  const state = await callApi<{ openErrors: number }>(serve, 'signoff:state', { runId });
  expect(state.openErrors).toBeGreaterThan(0);
  await open(page, serve, 'review');
  await page.setViewportSize({ width: 1280, height: 720 });
  await choosePerson(page, 'Ada Preparer');
  const signoff = page.getByRole('region', { name: 'Sign-off' });
  await signoff.getByRole('button', { name: 'Sign off as preparer' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText(`Run ${runId} has ${state.openErrors} open errors`);
  const yes = confirm.getByRole('button', { name: `Sign off with ${state.openErrors} open` });
  await expect(yes).toBeFocused();
  await expect(yes).toBeInViewport();
  // Esc cancels and the focus returns to the button that asked.
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(signoff.getByRole('button', { name: 'Sign off as preparer' })).toBeFocused();
  await signoff.getByRole('button', { name: 'Sign off as preparer' }).click();
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: /Sign off with/ })
    .click();
  await expect(signoff).toContainText('Preparer: Ada Preparer');
  await expect(signoff).toContainText(`${state.openErrors} open errors then`);
  await signoff.getByRole('button', { name: 'Withdraw' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason (required)').fill('Signed before the duplicates were voided');
  await dialog.getByRole('button', { name: 'Withdraw sign-off' }).click();
  await expect(signoff.getByRole('button', { name: 'Sign off as preparer' })).toBeVisible();
  await signoff.getByText('1 withdrawn sign-off').click();
  await expect(signoff).toContainText('Signed before the duplicates were voided');
  expect(expectedUserErrors(problems)).toEqual([]);
});

test('since the last run: the same data, and new + resolved + changed + unchanged add up to the run', async ({
  page,
}) => {
  const snapshots = await callApi<Array<{ id: number; side: string }>>(serve, 'snapshot:list');
  const second = await callApi<{ runId: number; summary: { results: number } }>(serve, 'run:compare', {
    storefrontSnapshotId: snapshots.find((s) => s.side === 'storefront')!.id,
    netsuiteSnapshotId: snapshots.find((s) => s.side === 'netsuite')!.id,
    rules: { tolerance: { default: '10.00', byCurrency: {} }, dateWindowDays: 0 },
  });
  await open(page, serve, 'review');
  await page.getByLabel('Comparison run').selectOption(String(second.runId));
  await page.getByRole('tab', { name: 'Since the last run' }).click();
  const sum = page.locator('.diff-sum');
  await expect(sum).toContainText(`Run ${second.runId} has ${second.summary.results} results`);
  const text = (await sum.textContent()) ?? '';
  const m = /(\d+) new, (\d+) resolved, (\d+) changed, (\d+) unchanged(?:, (\d+) new that agree)? = (\d+)/.exec(text);
  expect(m, text).not.toBeNull();
  const [n, r, c, u, a, total] = [m![1], m![2], m![3], m![4], m![5] ?? '0', m![6]].map(Number);
  expect(n! + r! + c! + u! + a!).toBe(total);
  expect(total).toBe(second.summary.results);
  await expect(
    page.getByText(`Run ${runId} is the last earlier run of the files shopify-orders.json and netsuite-refunds.csv.`),
  ).toBeVisible();
  await screenshots(page, 'review-diff');
});
