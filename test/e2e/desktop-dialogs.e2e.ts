import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, watchProblems } from './ui-helpers';

/**
 * The desktop app's screens (no Electron binary here): a stand-in `window.api`, installed before
 * the page loads, makes the renderer take its desktop branch. It answers the two dialog channels
 * as a user would (a file, a folder) and forwards every other call to browser mode's HTTP API.
 * Checked: Snapshots imports through "Choose file…", Reports exports through "Choose folder…",
 * and no path field or folder browser (ui:list-folder) is used. The main-process side (grants)
 * is proven by test/unit/security/path-grants*.test.ts.
 */
let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

interface Shim {
  token: string;
  file: string;
  folder: string;
}

test('desktop app: import with "Choose file…" and export with "Choose folder…", no path fields', async ({ page }) => {
  const problems = watchProblems(page);
  const file = path.join(serve.home, 'chosen-refunds.csv');
  fs.writeFileSync(
    file,
    fs.readFileSync(path.resolve('resources/demo/netsuite-refunds.csv'), 'utf8').replace(/CR1000/g, 'CR7000'),
  );
  const folder = path.join(serve.home, 'chosen-exports');
  fs.mkdirSync(folder);
  const before = await callApi<unknown[]>(serve, 'snapshot:list');

  await page.addInitScript(
    (shim: Shim) => {
      const g = globalThis as unknown as Record<string, unknown> & {
        fetch: (url: string, init: unknown) => Promise<{ json(): Promise<unknown> }>;
      };
      const calls: string[] = [];
      g.__calls = calls;
      const channels = new Proxy(
        {},
        {
          get: (_target, name) => async (input: unknown) => {
            calls.push(String(name));
            if (name === 'dialog:open-file') return { ok: true, value: { path: shim.file } };
            if (name === 'dialog:choose-folder') return { ok: true, value: { path: shim.folder } };
            const response = await g.fetch(`/api/${String(name)}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-refund-recon-token': shim.token },
              body: JSON.stringify(input ?? {}),
            });
            return response.json();
          },
        },
      );
      const events = new Proxy({}, { get: () => () => () => {} });
      g.api = Object.freeze({ channels, events });
    },
    { token: serve.token, file, folder } satisfies Shim,
  );

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(serve.pageUrl);
  await page.getByRole('link', { name: 'Snapshots', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Import a file' });
  await expect(panel.getByLabel('File path')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Browse…' })).toHaveCount(0);
  await panel.getByLabel('Side').selectOption('netsuite');
  await panel.getByRole('button', { name: 'Choose file…' }).click();
  await expect(panel.getByLabel('File', { exact: true })).toHaveValue(file);
  await expect(panel.getByLabel('File', { exact: true })).not.toBeEditable();
  await expect(panel.getByRole('status')).toContainText('saved-search-csv');
  await panel.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(panel.getByText(/Imported \d+ refunds/)).toBeVisible();
  expect(await callApi<unknown[]>(serve, 'snapshot:list')).toHaveLength(before.length + 1);

  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  const exportPanel = page.getByRole('region', { name: 'Export' });
  await expect(exportPanel.getByRole('button', { name: 'Browse…' })).toHaveCount(0);
  await expect(exportPanel.getByRole('button', { name: 'Export' })).toBeDisabled();
  await exportPanel.getByRole('button', { name: 'Choose folder…' }).click();
  await expect(exportPanel.getByLabel('Folder')).toHaveValue(folder);
  await expect(exportPanel.getByLabel('Folder')).not.toBeEditable();
  await exportPanel.getByRole('button', { name: 'Export' }).click();
  await expect(exportPanel.getByRole('status')).toContainText(folder);
  expect(fs.readdirSync(folder).filter((f) => f.endsWith('.csv'))).toHaveLength(1);

  const calls = (await page.evaluate(() => (globalThis as unknown as { __calls: string[] }).__calls)) as string[];
  expect(calls).toContain('dialog:open-file');
  expect(calls).toContain('dialog:choose-folder');
  expect(calls).not.toContain('ui:list-folder');
  expect(expectedUserErrors(problems)).toEqual([]);
});
