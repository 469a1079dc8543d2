import { expect, test } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';
import { callApi, expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

interface Account {
  id: number;
  name: string;
  direction: string;
}

let serve: ServeProcess;
test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  await serve?.stop();
});

test('accounts: switch direction against the recommendation with confirmation; "both" cannot be enabled', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const { storefront } = await callApi<{ storefront: Account[] }>(serve, 'account:list');
  const account = storefront[0]!;
  await open(page, serve, 'accounts');
  const control = page.getByRole('region', { name: 'Refund sync direction' });
  const group = control.getByRole('group', { name: `Direction for ${account.name}` });
  await expect(group).toBeVisible();
  // The recommended direction is marked (Shopify: refund in NetSuite and push out).
  await expect(group.getByText('★ Recommended')).toHaveCount(1);
  await expect(group.getByRole('radio', { name: /NetSuite → Storefront.*Recommended/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Capabilities' })).toContainText('refund one item of a test order');
  await expect(page.getByRole('region', { name: 'Readiness checklist' })).toContainText('Next step:');
  await screenshots(page, 'accounts');

  // Choosing against the recommendation asks first; "keep" leaves it as it was.
  await group.getByRole('radio', { name: 'Storefront → NetSuite' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm direction' });
  await expect(confirm).toBeVisible();
  await screenshots(page, 'accounts-confirm');
  await confirm.getByRole('button', { name: /^Keep/ }).click();
  await expect(confirm).toBeHidden();
  await expect(group.getByRole('radio', { name: 'Storefront → NetSuite' })).not.toBeChecked();
  // The confirmation takes the focus and is in view at 720 px; Esc cancels it (issue 16).
  await page.setViewportSize({ width: 1280, height: 720 });
  await group.getByRole('radio', { name: 'Storefront → NetSuite' }).click();
  await expect(confirm).toBeFocused();
  await expect(confirm).toBeInViewport();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(group.getByRole('radio', { name: 'Storefront → NetSuite' })).not.toBeChecked();
  await page.setViewportSize({ width: 1440, height: 900 });

  await group.getByRole('radio', { name: 'Storefront → NetSuite' }).click();
  await confirm.getByRole('button', { name: 'Yes, use Storefront → NetSuite' }).click();
  await expect(control.getByRole('status')).toContainText('Refund sync is now Storefront → NetSuite');
  await expect(group.getByRole('radio', { name: 'Storefront → NetSuite' })).toBeChecked();
  await expect(page.getByRole('table', { name: 'Audit entries' })).toContainText('storefront_to_netsuite');

  // Only one radio can be checked: choosing the other direction replaces it, never adds to it.
  await group.getByRole('radio', { name: /NetSuite → Storefront/ }).click();
  await expect(group.getByRole('radio', { name: /NetSuite → Storefront/ })).toBeChecked();
  await expect(group.getByRole('radio', { name: 'Storefront → NetSuite' })).not.toBeChecked();
  await expect(group.getByRole('radio', { checked: true })).toHaveCount(1);

  // A settings file asking for both directions is refused with the reason; nothing changes.
  await page.getByText('Import sync settings from a file').click();
  await page
    .getByLabel('Settings JSON')
    .fill(JSON.stringify({ accounts: [{ accountId: account.id, direction: 'both' }] }));
  await page.getByRole('button', { name: 'Import settings' }).click();
  await expect(page.getByRole('alert')).toContainText(/both directions/);
  await expect(group.getByRole('radio', { name: /NetSuite → Storefront/ })).toBeChecked();
  // And the contract itself has no way to say it.
  const response = await fetch(`${serve.origin}api/account:set-direction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-refund-recon-token': serve.token },
    body: JSON.stringify({ accountId: account.id, direction: 'both' }),
  });
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
  const after = await callApi<{ storefront: Account[] }>(serve, 'account:list');
  expect(after.storefront[0]!.direction).toBe('netsuite_to_storefront');
  // The audit log in words (issue 16): no raw JSON outside its disclosure, no sideways scroll at 1280×720.
  await page.setViewportSize({ width: 1280, height: 720 });
  const audit = page.getByRole('table', { name: 'Audit entries' });
  await expect(audit).toContainText('direction:');
  await expect(audit.locator('pre.json').first()).toBeHidden();
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshots(page, 'accounts-audit');
  expect(expectedUserErrors(problems)).toEqual([]);
});
