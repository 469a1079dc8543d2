import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { tenderCaseArgs } from '../support/tender-cases';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

/**
 * The review's tender filter (tenders.md §6), in browser mode, on a workspace holding a run of the
 * §7 cases (store credit, gift cards, open credit, an exchange, chargebacks): an accountant narrows
 * the results to tender problems and to one way of paying back, and keeps it as a saved view.
 */

const count = (page: Page) => page.getByRole('status', { name: 'Result count' });
let dir: string;
let serve: ServeProcess;
let runId: number;

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-e2e-tenders-'));
  const workspace = path.join(dir, 'tenders.sqlite');
  const cli = spawnSync(
    process.execPath,
    [
      path.resolve('bin/refund-recon.js'),
      ...tenderCaseArgs(dir),
      '--workspace',
      workspace,
      '--out',
      path.join(dir, 'o'),
    ],
    { encoding: 'utf8' },
  );
  expect(cli.stderr).toContain('stored in');
  serve = await startServe(['--workspace', workspace]);
  runId = (await callApi<Array<{ id: number }>>(serve, 'run:list'))[0]!.id;
});
test.afterAll(async () => {
  await serve?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an accountant filters a run to its tender problems and to store credit, in words, and saves the view', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const all = await callApi<{ total: number }>(serve, 'run:results', { runId });
  const differently = await callApi<{ total: number; rows: Array<{ orderRef: string }> }>(serve, 'run:results', {
    runId,
    tenderProblem: 'tender_mismatch',
  });
  const storeCredit = await callApi<{ total: number; rows: Array<{ orderRef: string }> }>(serve, 'run:results', {
    runId,
    tenderProblem: 'any',
    tenderClasses: ['stored_value'],
  });
  expect(differently.total).toBe(4);
  expect(storeCredit.total).toBeGreaterThan(differently.total);
  expect(storeCredit.total).toBeLessThan(all.total);

  await open(page, serve, 'review');
  await page.getByRole('tab', { name: 'Results' }).click();
  const grid = page.getByRole('grid', { name: 'Results' });
  const rows = grid.locator('tbody tr');
  await expect(count(page)).toHaveText(`${all.total} results`);

  // One kind of tender problem: only those results, each named in words.
  const problem = page.getByLabel('Tender problem');
  await expect(problem.locator('option')).toHaveText([
    'All results',
    'Any tender difference',
    'Paid back differently',
    'Credit not paid out',
    'Exchanges',
    'Chargebacks',
  ]);
  await problem.selectOption({ label: 'Paid back differently' });
  await expect(count(page)).toHaveText(`${differently.total} results`);
  await expect(rows).toHaveCount(differently.total);
  for (const row of await rows.all()) await expect(row).toContainText('Paid back differently');

  // Any tender difference, paid back (on either side) in store credit or gift cards.
  await problem.selectOption({ label: 'Any tender difference' });
  await page.getByLabel('Paid back as filter').click();
  const classes = page.getByRole('group', { name: 'Paid back as' });
  await expect(classes.getByRole('checkbox')).toHaveCount(4);
  await classes.getByRole('checkbox', { name: 'Store credit and gift cards' }).check();
  await page.keyboard.press('Escape');
  await expect(count(page)).toHaveText(`${storeCredit.total} results`);
  await expect(rows).toHaveCount(storeCredit.total);
  const shown = (await rows.allInnerTexts()).join('\n');
  for (const r of storeCredit.rows) expect(shown).toContain(r.orderRef);
  // The exchange (money and exchange credit only) and the plain matches are not among them.
  expect(shown).not.toContain('#1020');
  expect(shown).not.toContain('#1001');
  // Accountant words only: no codes, no class identifiers.
  const filters = (await page.getByRole('form', { name: 'Filters' }).textContent()) ?? '';
  for (const raw of ['tender_mismatch', 'stored_value', 'credit_not_paid_out', 'tenderProblem']) {
    expect(filters).not.toContain(raw);
    expect(shown).not.toContain(raw);
  }
  await screenshots(page, 'review-tender-filter');

  // Kept as a saved view: cleared, then brought back.
  await page.getByRole('button', { name: 'Save view…' }).click();
  await page.getByLabel('View name').fill('Store credit differences');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(count(page)).toHaveText(`${all.total} results`);
  await expect(problem).toHaveValue('');
  await page.getByLabel('Saved view').selectOption({ label: 'Store credit differences' });
  await expect(count(page)).toHaveText(`${storeCredit.total} results`);
  await expect(problem).toHaveValue('any');
  expect(expectedUserErrors(problems)).toEqual([]);
});
