import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

/** Import without the command line (issue 16 item 8). */

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('a NetSuite file picked under "Storefront" switches the side, with a note; the picker takes a typed path', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const file = path.join(serve.home, 'my-netsuite-refunds.csv');
  // Not byte-identical to the demo's own import (that would be "already imported").
  const demo = fs.readFileSync(path.resolve('resources/demo/netsuite-refunds.csv'), 'utf8');
  fs.writeFileSync(file, demo.replace('24.00', '24.01'));
  const before = await callApi<unknown[]>(serve, 'snapshot:list');
  await open(page, serve, 'snapshots');
  const panel = page.getByRole('region', { name: 'Import a file' });
  await expect(panel.getByLabel('Side')).toHaveValue('storefront');

  // The picker: a typed (or pasted) path, icons beside the entries, Esc closes it and the focus returns.
  const browse = panel.getByRole('button', { name: 'Browse…' });
  await browse.click();
  const picker = page.getByRole('dialog', { name: 'Choose a file' });
  await expect(picker.getByLabel('Type or paste a path')).toBeFocused();
  await picker.getByLabel('Type or paste a path').fill(serve.home);
  await picker.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(picker.getByRole('button', { name: /my-netsuite-refunds\.csv/ })).toContainText('📄');
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  await expect(browse).toBeFocused();
  await browse.click();
  await page.getByLabel('Type or paste a path').fill(file);
  await page.keyboard.press('Enter');
  await expect(panel.getByLabel('File path')).toHaveValue(file);

  // Detected as NetSuite: the side follows, and says so.
  await expect(panel.getByLabel('Side')).toHaveValue('netsuite');
  await expect(panel).toContainText('so the side was switched from Storefront to NetSuite');
  await screenshots(page, 'snapshots-side-switched');
  await panel.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(panel.getByText(/Imported \d+ refunds/)).toBeVisible();
  const after = await callApi<Array<{ side: string; fileName: string | null }>>(serve, 'snapshot:list');
  expect(after).toHaveLength(before.length + 1);
  expect(after.find((s) => s.fileName === 'my-netsuite-refunds.csv')?.side).toBe('netsuite');
  expect(expectedUserErrors(problems)).toEqual([]);
});

test('the app offers the controls (format, decimal comma) and its messages name no CLI flag', async ({ page }) => {
  const problems = watchProblems(page);
  const file = path.join(serve.home, 'unknown.csv');
  fs.writeFileSync(file, 'Foo,Bar\n1,2\n');
  await open(page, serve, 'snapshots');
  const panel = page.getByRole('region', { name: 'Import a file' });
  await expect(panel.getByLabel('Format')).toBeVisible();
  await expect(panel.getByLabel('Amounts use a decimal comma (1.234,56)')).toBeVisible();
  await panel.getByLabel('File path').fill(file);
  await panel.getByRole('button', { name: 'Detect format' }).click();
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('Choose its format yourself');
  await expect(alert).not.toContainText('--');
  expect(expectedUserErrors(problems)).toEqual([]);
});
