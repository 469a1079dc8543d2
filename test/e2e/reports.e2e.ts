import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('reports: export the filtered run to CSV and XLSX, open the files and check them; charts render', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const runs = await callApi<Array<{ id: number }>>(serve, 'run:list');
  const expected = await callApi<{ total: number; rows: Array<{ orderRef: string; difference: string }> }>(
    serve,
    'run:results',
    { runId: runs[0]!.id, severities: ['error'], limit: 1000 },
  );
  const folder = path.join(serve.home, 'exports');
  fs.mkdirSync(folder);

  // Filter on the review screen: errors only.
  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Results' }).click();
  await page.getByLabel('Severity filter').click();
  await page.getByRole('checkbox', { name: /Error/ }).check();
  await expect(page.getByRole('status', { name: 'Result count' })).toHaveText(`${expected.total} results`);

  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  const exportPanel = page.getByRole('region', { name: 'Export' });
  await expect(exportPanel).toContainText('With the review filters: severity error');
  await expect(page.getByRole('img', { name: 'Differences by code' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Differences by day' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Amount at stake per currency' })).toBeVisible();
  await exportPanel.getByLabel('Folder').fill(folder);
  await exportPanel.getByLabel('File name').fill('errors');
  await exportPanel.getByRole('radio', { name: 'CSV' }).check();
  await exportPanel.getByRole('button', { name: 'Export' }).click();
  await expect(exportPanel.getByRole('status')).toContainText(`Exported ${expected.total} results`);
  await screenshots(page, 'reports');

  const csvFile = path.join(folder, 'errors.csv');
  const records = parse(fs.readFileSync(csvFile), { bom: true, columns: true }) as Array<Record<string, string>>;
  expect(records).toHaveLength(expected.total);
  expect(records.every((r) => Object.values(r).some((v) => v === 'error'))).toBe(true);
  const refs = records.map((r) => Object.values(r).find((v) => v.startsWith('#')) ?? '');
  for (const row of expected.rows) if (row.orderRef) expect(refs).toContain(row.orderRef);

  await exportPanel.getByRole('radio', { name: 'Excel (XLSX)' }).check();
  await exportPanel.getByRole('button', { name: 'Export' }).click();
  await expect(exportPanel.getByRole('status')).toContainText('errors.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path.join(folder, 'errors.xlsx'));
  const sheets = workbook.worksheets.map((w) => w.name);
  expect(sheets.length).toBeGreaterThanOrEqual(2);
  const results = workbook.worksheets.find((w) => w.rowCount === expected.total + 1);
  expect(results, `a sheet with ${expected.total} rows + header in ${sheets.join(', ')}`).toBeDefined();
  // Amounts are typed numbers, not text.
  let numeric = 0;
  results!.eachRow((row, n) => {
    if (n > 1) row.eachCell((cell) => (typeof cell.value === 'number' ? numeric++ : 0));
  });
  expect(numeric).toBeGreaterThan(0);
  // The month-end period summary (issue 16) is its own sheet: a row per month and currency.
  const period = workbook.getWorksheet('Period');
  expect(period, `a Period sheet in ${sheets.join(', ')}`).toBeDefined();
  expect(period!.getRow(1).getCell(1).value).toBe('Month');
  const months = await callApi<{ rows: unknown[] }>(serve, 'review:period-summary', { runId: runs[0]!.id });
  expect(period!.rowCount).toBe(months.rows.length + 1);

  await exportPanel.getByRole('radio', { name: 'Printable summary (HTML)' }).check();
  await exportPanel.getByRole('button', { name: 'Export' }).click();
  await expect(exportPanel.getByRole('status')).toContainText('errors.html');
  expect(fs.readFileSync(path.join(folder, 'errors.html'), 'utf8')).toContain('<svg');

  // A folder that does not exist: a clear error.
  await exportPanel.getByLabel('Folder').fill(path.join(folder, 'missing'));
  await exportPanel.getByRole('button', { name: 'Export' }).click();
  await expect(exportPanel.getByRole('alert')).toContainText('does not exist');
  expect(expectedUserErrors(problems)).toEqual([]);
});
