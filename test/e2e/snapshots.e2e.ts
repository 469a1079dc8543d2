import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('snapshots: a broken file shows the error with file and line; a good one is imported and listed', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const demo = fs.readFileSync(path.resolve('resources/demo/netsuite-refunds.csv'), 'utf8').split('\n');
  // Line 3 of the file: an amount that is not a number.
  demo[2] = demo[2]!.replace('24.00', 'twenty-four');
  const broken = path.join(serve.home, 'broken-refunds.csv');
  fs.writeFileSync(broken, demo.join('\n'));
  const before = await callApi<unknown[]>(serve, 'snapshot:list');

  await open(page, serve, 'snapshots');
  const panel = page.getByRole('region', { name: 'Import a file' });
  await panel.getByLabel('File path').fill(broken);
  await panel.getByLabel('Side').selectOption('netsuite');
  await panel.getByRole('button', { name: 'Detect format' }).click();
  await expect(panel.getByRole('status')).toContainText('saved-search-csv');
  await panel.getByRole('button', { name: 'Import', exact: true }).click();
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('broken-refunds.csv');
  await expect(alert).toContainText('line 3');
  await expect(alert).toContainText('twenty-four');
  await screenshots(page, 'snapshots-error');
  // A failed import leaves nothing behind.
  expect(await callApi<unknown[]>(serve, 'snapshot:list')).toHaveLength(before.length);

  // Drag and drop: the file's bytes are staged and imported, the format shown.
  const good = fs
    .readFileSync(path.resolve('resources/demo/netsuite-refunds.csv'), 'utf8')
    .replace(/CR1000/g, 'CR9000');
  // Runs in the page (DOM types are not in the Node tsconfig, hence the globalThis lookups).
  const dataTransfer = await page.evaluateHandle((text) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: string[], name: string, options: { type: string }) => unknown;
    };
    const dt = new g.DataTransfer();
    dt.items.add(new g.File([text], 'dropped-refunds.csv', { type: 'text/csv' }));
    return dt;
  }, good);
  await panel.getByRole('region', { name: 'Drop an export file here' }).dispatchEvent('drop', { dataTransfer });
  await expect(panel.getByText(/Imported \d+ refunds/)).toBeVisible();
  await expect(panel.getByText('Format: saved-search-csv')).toBeVisible();
  const table = page.getByRole('table', { name: 'Snapshots' });
  await expect(table.locator('tbody tr')).toHaveCount(before.length + 1);
  await expect(table).toContainText('dropped-refunds.csv');

  // Compare two snapshots with rules: the review opens on the new run.
  const compare = page.getByRole('region', { name: 'Compare two snapshots' });
  await compare.getByLabel('Tolerance').fill('0.05');
  await compare.getByLabel('Date window (days)').fill('10');
  await compare.getByLabel('Line items').selectOption('yes');
  await screenshots(page, 'snapshots');
  await compare.getByRole('button', { name: 'Compare' }).click();
  await page.getByRole('tab', { name: 'Results' }).click();
  await expect(page.getByRole('grid', { name: 'Results' })).toBeVisible();
  const runs = await callApi<Array<{ id: number; rules: { dateWindowDays: number; tolerance: { default: string } } }>>(
    serve,
    'run:list',
  );
  expect(runs[0]!.rules.dateWindowDays).toBe(10);
  expect(runs[0]!.rules.tolerance.default).toBe('0.05');
  await expect(page.getByLabel('Comparison run')).toHaveValue(String(runs[0]!.id));
  expect(expectedUserErrors(problems)).toEqual([]);
});
