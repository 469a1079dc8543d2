import { expect, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';

interface Accounts {
  storefront: { name: string }[];
  netsuite: { name: string }[];
}
interface Snapshot {
  label: string;
}

let serve: ServeProcess;

test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

async function callApi<T>(channel: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${serve.origin}api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-refund-recon-token': serve.token },
    body: JSON.stringify(body),
  });
  const result = (await response.json()) as { ok: boolean; value: T };
  expect(result.ok).toBe(true);
  return result.value;
}

test('browser mode shows the demo workspace’s accounts and snapshots', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  const accounts = await callApi<Accounts>('account:list');
  const snapshots = await callApi<Snapshot[]>('snapshot:list');
  expect(accounts.storefront.length, 'demo storefront accounts').toBeGreaterThan(0);
  expect(accounts.netsuite.length, 'demo NetSuite accounts').toBeGreaterThan(0);
  expect(snapshots.length, 'demo snapshots').toBeGreaterThan(0);

  await page.goto(serve.pageUrl);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  // The token leaves the address bar as soon as the page has it.
  await expect(page).not.toHaveURL(/token=/);
  await expect(page.getByText('Demo workspace')).toBeVisible();

  await page.getByRole('link', { name: 'Accounts & directions' }).click();
  const storefrontTable = page.getByRole('table', { name: 'Storefront accounts' });
  for (const account of accounts.storefront) {
    await expect(storefrontTable.getByRole('cell', { name: account.name, exact: true })).toBeVisible();
  }
  const netsuiteTable = page.getByRole('table', { name: 'NetSuite accounts' });
  for (const account of accounts.netsuite) {
    await expect(netsuiteTable.getByRole('cell', { name: account.name, exact: true })).toBeVisible();
  }

  await page.getByRole('link', { name: 'Snapshots' }).click();
  const snapshotTable = page.getByRole('table', { name: 'Snapshots' });
  await expect(snapshotTable.getByRole('row')).toHaveCount(snapshots.length + 1);
  for (const snapshot of snapshots) {
    await expect(snapshotTable.getByRole('cell', { name: snapshot.label, exact: true }).first()).toBeVisible();
  }

  // A reload keeps working: the token lives on in this tab's sessionStorage.
  await page.reload();
  await expect(page.getByRole('table', { name: 'Snapshots' })).toBeVisible();

  for (const name of ['Review', 'Dry runs', 'Settings']) {
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  }
  // No CSP violation, no failed request, no script error along the way.
  expect(problems).toEqual([]);
});

test('the page without the token asks for the printed URL and gets no data', async ({ page }) => {
  await page.goto(serve.origin);
  await expect(page.getByText('needs the access token')).toBeVisible();
  const status = await page.evaluate(async () => {
    const response = await fetch('/api/account:list', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return response.status;
  });
  expect(status).toBe(403);
});

test('responses carry the CSP and security headers', async ({ request }) => {
  const response = await request.get(serve.origin);
  const headers = response.headers();
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['content-security-policy']).not.toContain('unsafe');
  expect(headers['x-frame-options']).toBe('DENY');
});
