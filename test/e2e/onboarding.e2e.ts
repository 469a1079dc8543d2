import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parseAmountOrThrow } from '../../src/shared/money';
import { GENERIC_ITEM, NS_CURRENCIES, SHIPPING_ITEM } from '../emulators/netsuite/dataset';
import { demoNetsuiteData } from '../emulators/netsuite/from-refunds';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../emulators/netsuite/server';
import { demoShopifyData } from '../emulators/shopify/from-rest';
import { type ShopifyEmulator, startShopifyEmulator } from '../emulators/shopify/server';
import { type ServeProcess, startServe } from './serve-process';
import { expectedUserErrors, open, screenshots, watchProblems } from './ui-helpers';

/**
 * Issue 13 "Done when", in browser mode: a new, empty workspace (not the demo) taken to a push
 * against the emulators, every step on a screen: accounts, credentials, test connection, the pulls
 * (Snapshots → Pull a saved account), compare, capabilities, direction, the dry run and the round
 * trip (Dry runs), the NetSuite items of the sync and the order details (Accounts), readiness, a
 * refund the store makes after go-live pulled and pushed, the re-pull and compare. No CLI: the
 * harness only starts the emulators and browser mode, writes the user's order-details file and
 * plays the shop's own admin making that new refund.
 */

let serve: ServeProcess;
let ns: NetsuiteEmulator;
let shop: ShopifyEmulator;
let dir: string;
let ws: string;

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-onboarding-'));
  ws = path.join(dir, 'my-books.sqlite');
  process.env.REFUND_RECON_ALLOW_LOOPBACK_APIS = '1';
  process.env.REFUND_RECON_SECRETS_FILE = path.join(dir, 'secrets.json');
  ns = await startNetsuiteEmulator({ data: (await demoNetsuiteData()).data });
  shop = await startShopifyEmulator({ data: demoShopifyData() });
  serve = await startServe(['--workspace', ws]);
});
test.afterAll(async () => {
  await serve?.stop();
  await Promise.all([ns?.close(), shop?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Shows the Accounts screen afresh (what other screens changed meanwhile included). */
async function remount(page: import('@playwright/test').Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Settings', exact: true }).click();
  await nav.getByRole('link', { name: 'Accounts & directions', exact: true }).click();
}

test('onboarding: new workspace → accounts → connections → capabilities → direction → readiness → push', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const problems = watchProblems(page);
  await open(page, serve, 'accounts');
  await expect(page.getByText('No storefront account yet.')).toBeVisible();
  await expect(page.locator('.workspace-badge')).toContainText('my-books');
  await screenshots(page, 'onboarding-1-new-workspace');

  // Accounts: the NetSuite sandbox first, then the Shopify store linked to it.
  const add = page.getByRole('form', { name: 'Add an account' });
  await add.getByLabel('Name', { exact: true }).fill('NetSuite sandbox');
  await add.getByLabel(/NetSuite account ID/).fill(ns.accountId);
  await expect(add).toContainText('Environment: Sandbox');
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByText('NetSuite sandbox: connection and details')).toBeVisible();
  const add2 = page.getByRole('form', { name: 'Add an account' });
  if (!(await add2.isVisible())) await page.getByText('Add an account', { exact: true }).click();
  await add2.getByRole('radio', { name: 'Storefront' }).check();
  await add2.getByLabel('Name', { exact: true }).fill('Outfitters');
  await add2.getByLabel('Shop address').fill('emulator.myshopify.com');
  await add2.getByLabel('Base currency').fill('USD');
  await add2.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('region', { name: 'Account Outfitters' })).toBeVisible();
  await screenshots(page, 'onboarding-2-accounts');

  // Credentials and Test connection: the store, then NetSuite.
  const shopConnection = page.getByRole('region', { name: 'Connection of Outfitters' });
  await shopConnection.getByLabel(/API address/).fill(shop.url);
  await shopConnection.getByLabel(/Admin API access token/).fill(shop.accessToken);
  await shopConnection.getByRole('button', { name: 'Save connection' }).click();
  await expect(shopConnection.getByText('set', { exact: true })).toBeVisible();
  await expect(shopConnection.getByLabel(/Admin API access token/)).toHaveValue('');
  await shopConnection.getByRole('button', { name: 'Test connection' }).click();
  await expect(shopConnection.getByRole('status')).toContainText('Connected to the Shopify shop emulator');

  await page.getByText('NetSuite sandbox: connection and details').click();
  const nsConnection = page.getByRole('region', { name: 'Connection of NetSuite sandbox' });
  await nsConnection.getByLabel(/API address/).fill(ns.url);
  await nsConnection.getByLabel(/Consumer key/).fill(DEFAULT_TBA.consumerKey);
  await nsConnection.getByLabel(/Consumer secret/).fill(DEFAULT_TBA.consumerSecret);
  await nsConnection.getByLabel(/Token ID/).fill(DEFAULT_TBA.token);
  await nsConnection.getByLabel(/Token secret/).fill(DEFAULT_TBA.tokenSecret);
  await nsConnection.getByRole('button', { name: 'Save connection' }).click();
  await nsConnection.getByRole('button', { name: 'Test connection' }).click();
  await expect(nsConnection.getByRole('status')).toContainText('Connected to NetSuite account');
  await screenshots(page, 'onboarding-3-connections');
  // The page never received a secret back.
  expect(await page.content()).not.toContain(DEFAULT_TBA.tokenSecret);

  // Pull both sides through the stored connections: Snapshots → Pull a saved account.
  const nav = page.getByRole('navigation', { name: 'Main' });
  const pullSaved = async (name: string): Promise<number> => {
    await nav.getByRole('link', { name: 'Snapshots', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Pull a saved account' });
    await panel.getByLabel('Account').selectOption({ label: name });
    await panel.getByRole('button', { name: 'Pull', exact: true }).click();
    const status = panel.getByRole('status');
    await expect(status).toContainText(`from ${name} into snapshot`, { timeout: 60_000 });
    return Number(/into snapshot (\d+)/.exec((await status.textContent()) ?? '')![1]);
  };
  const nsSnap = await pullSaved('NetSuite sandbox');
  const shopSnap = await pullSaved('Outfitters');
  expect(nsSnap).toBeGreaterThan(0);
  await expect(page.getByRole('table', { name: 'Snapshots' })).toContainText(`NetSuite ${ns.accountId}`);
  await screenshots(page, 'onboarding-3a-pulled');

  // Compare the two pulls (Snapshots → Compare two snapshots): the newest of each side are picked.
  const comparePanel = page.getByRole('region', { name: 'Compare two snapshots' });
  await comparePanel.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Comparison run' })).toContainText('Run 1', { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Action list' })).toBeVisible();
  await screenshots(page, 'onboarding-3b-compared');

  // Capabilities learned from a test refund, picked from the pulled snapshot's refunds: the test
  // orders' first, each as order, refund number, date and amount in its currency's decimals (no
  // number to type; the yen has none).
  await remount(page);
  await expect(page.getByRole('region', { name: 'Account Outfitters' })).toBeVisible();
  await page.getByText('Change the capabilities').click();
  const learn = page.getByRole('form', { name: 'Learn from a test refund' });
  await expect(learn).toContainText('From snapshot');
  const pick = learn.getByLabel('Refund to learn from');
  await expect(pick.locator('optgroup').first()).toHaveAttribute('label', 'Test orders');
  const testRefund = pick.locator('optgroup[label="Test orders"] option').first();
  await expect(testRefund).toHaveText(/^Order #1004, refund 908000003, .+ 2026, JPY 12,800$/);
  await pick.selectOption({ label: (await testRefund.textContent()) ?? '' });
  await learn.getByRole('button', { name: 'Learn from this refund' }).click();
  await expect(page.getByRole('list', { name: 'What the refund shows' })).toContainText('Line-item refunds: yes');
  await screenshots(page, 'onboarding-4-capabilities');

  // Direction, with the recommendation and its confirmation.
  const group = page.getByRole('group', { name: 'Direction for Outfitters' });
  await group.getByRole('radio', { name: 'Storefront → NetSuite' }).click();
  await page
    .getByRole('alertdialog', { name: 'Confirm direction' })
    .getByRole('button', { name: /^Yes, use/ })
    .click();
  await expect(group.getByRole('radio', { name: 'Storefront → NetSuite' })).toBeChecked();

  // The NetSuite records a would-be record posts against, on the account (NetSuite items and accounts
  // for the sync): the emulated account's items, refund account and currencies.
  const items = ns.data.items;
  const itemId = (name: string) => String(items.find((i) => i.itemid === name)!.id);
  const outfitters = page.getByRole('region', { name: 'Account Outfitters' });
  await outfitters.getByText('NetSuite items and accounts for the sync').click();
  const options = outfitters.getByRole('form', { name: 'Sync options of Outfitters' });
  await options.getByLabel('Refund item for amounts not tied to a product').fill(itemId(GENERIC_ITEM));
  await options.getByLabel('Shipping refund item').fill(itemId(SHIPPING_ITEM));
  await options.getByLabel('Tax-only refund item').fill(itemId(GENERIC_ITEM));
  // A name where the internal ID belongs: refused, in words, nothing saved.
  await options.getByLabel('Account refunds are paid from').fill('Undeposited Funds');
  await options.getByRole('button', { name: 'Save the sync options' }).click();
  await expect(options.getByRole('alert')).toContainText(
    'Account refunds are paid from: a NetSuite internal ID is a whole number',
  );
  await options.getByLabel('Account refunds are paid from').fill('122');
  for (const [i, currency] of NS_CURRENCIES.entries()) {
    await options.getByRole('button', { name: 'Add a currency' }).click();
    await options.getByLabel(`Currency ${i + 1}`, { exact: true }).fill(currency.symbol);
    await options.getByLabel(`NetSuite currency ID ${i + 1}`, { exact: true }).fill(String(currency.id));
  }
  await options.getByRole('button', { name: 'Save the sync options' }).click();
  await expect(outfitters.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(
    outfitters.getByRole('form', { name: 'Sync options of Outfitters' }).getByLabel('Account refunds are paid from'),
  ).toHaveValue('122');
  await options.evaluate((form) => form.scrollIntoView({ block: 'start' }));
  await screenshots(page, 'onboarding-4a-sync-options');
  await outfitters.getByText('NetSuite items and accounts for the sync').click(); // folded away again

  // The order details (how NetSuite billed each order, its item IDs), uploaded as a file. The file
  // is what the user's NetSuite holds: the demo's, with the emulated account's item IDs, and the
  // test order refunded in full (its NetSuite order total equals that refund).
  const testOrders = ['#1004', '#1029'];
  // What the store refunded on #1029: its successful refund transactions (Shopify's Refund.transactions).
  type Money = { amount: string; currencyCode: string };
  type Txn = { kind: string; status: string; amountSet: { shopMoney: Money } };
  const fullyRefunded = shop.data.orders.find((o) => o.name === '#1029') as {
    refunds: { transactions: { nodes: Txn[] } }[];
  };
  const context = JSON.parse(fs.readFileSync(path.resolve('resources/demo/order-context.json'), 'utf8')) as {
    netsuite: { orderRef: string; orderTotal: number | null; items: { sku: string; itemId: string }[] }[];
  };
  for (const c of context.netsuite) {
    for (const item of c.items) {
      const found = items.find((i) => i.itemid === item.sku);
      if (found) item.itemId = String(found.id);
    }
    if (c.orderRef === '#1029') {
      c.orderTotal = fullyRefunded.refunds
        .flatMap((r) => r.transactions.nodes)
        .filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS')
        .map((t) => parseAmountOrThrow(t.amountSet.shopMoney.amount, t.amountSet.shopMoney.currencyCode))
        .reduce((sum, minor) => sum + minor, 0);
    }
  }
  const contextFile = path.join(dir, 'order-details.json');
  fs.writeFileSync(contextFile, JSON.stringify(context));
  const details = outfitters.getByRole('region', { name: 'Order details for dry runs' });
  await expect(details).toContainText('No order details loaded yet');
  // A file that is not the order details: refused with its name, nothing loaded.
  fs.writeFileSync(path.join(dir, 'notes.json'), '{"netsuite": [');
  await details.getByLabel('Upload the order-details file').setInputFiles(path.join(dir, 'notes.json'));
  await expect(details.getByRole('alert')).toContainText('notes.json: not valid JSON');
  await details.getByLabel('Upload the order-details file').setInputFiles(contextFile);
  await expect(details.getByRole('status')).toContainText(
    `Loaded order-details.json: the workspace now knows the NetSuite details of ${context.netsuite.length} order(s)`,
  );
  await expect(details).toContainText(`NetSuite details of ${context.netsuite.length} order(s)`);
  await details.evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
  await screenshots(page, 'onboarding-4b-order-details');

  // The dry run of the test orders, on the Dry runs screen.
  await nav.getByRole('link', { name: 'Dry runs', exact: true }).click();
  const wizard = page.getByRole('region', { name: 'Dry run wizard' });
  await wizard.getByLabel('Storefront account').selectOption({ label: 'Outfitters' });
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('radio', { name: 'Storefront → NetSuite' })).toBeChecked();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('radio', { name: 'By order reference' }).check();
  await wizard.getByLabel(/Order references/).fill(testOrders.join(', '));
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Run dry run' }).click();
  const dryResult = page.getByRole('region', { name: /^Dry run \d+ results$/ });
  await expect(dryResult.getByRole('heading', { level: 2 })).toContainText('Pass', { timeout: 60_000 });
  await expect(dryResult.getByRole('table', { name: 'Dry run orders' })).toContainText(testOrders[0]!);
  await screenshots(page, 'onboarding-4c-dry-run');

  // Round trip in the sandbox: the button on this dry run, a confirmation naming the sandbox.
  await dryResult.getByRole('button', { name: 'Round trip in the sandbox…' }).click();
  const confirmTrip = page.getByRole('alertdialog', { name: 'Confirm the round trip' });
  await expect(confirmTrip).toContainText(`NetSuite sandbox ${ns.accountId}`);
  await confirmTrip.getByRole('button', { name: /^Send to / }).click();
  const tripResult = page.getByRole('region', { name: /^Dry run \d+ results$/ });
  await expect(tripResult).toContainText(`Round trip to NetSuite sandbox ${ns.accountId}`, { timeout: 60_000 });
  await expect(tripResult).toContainText('every field as sent');
  await screenshots(page, 'onboarding-4d-round-trip');
  // Readiness: the hand-checked items with who and a note, the cutoff date → Ready.
  await remount(page);
  const readiness = page.getByRole('region', { name: 'Readiness checklist' });
  await readiness.getByLabel('Your name (recorded with each confirmation)').fill('Ann Accountant');
  await readiness.getByRole('textbox', { name: /Import Orders Created After/ }).fill('2026-01-01');
  await readiness.getByRole('button', { name: 'Set the cutoff date' }).click();
  await expect(readiness).toContainText('(now 2026-01-01)');
  for (const title of [
    'First two activation steps done',
    'Order sync tested',
    'Production deployment requirements reviewed',
  ]) {
    await readiness.getByRole('button', { name: `Confirm “${title}”` }).click();
    await expect(readiness.getByRole('button', { name: `Confirm “${title}”` })).toHaveCount(0);
  }
  await expect(readiness.getByRole('heading', { name: /Readiness for production sync/ })).toContainText('Ready');
  await expect(readiness.getByRole('heading', { name: /Readiness for production sync/ })).not.toContainText(
    'Not ready',
  );
  await expect(readiness).toContainText('Ann Accountant');
  await screenshots(page, 'onboarding-5-ready');

  // After go-live, the shop refunds shipping on order #1006 in Shopify's own admin (here: the
  // emulated Admin API's refundCreate). The round trip wrote the test orders to this sandbox already,
  // so this refund is the one NetSuite does not have yet: the push must send it.
  const newRefundOrder = '#1006';
  const order = shop.data.orders.find((o) => o.name === newRefundOrder) as { id: string };
  const created = await fetch(shop.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': shop.accessToken },
    body: JSON.stringify({
      query:
        'mutation refundCreate($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { field message } } }',
      variables: {
        input: {
          orderId: order.id,
          note: 'Shipping refunded: parcel arrived late',
          shipping: { amount: '5.00' },
          transactions: [{ amount: '5.00', kind: 'REFUND', gateway: 'shopify_payments', orderId: order.id }],
        },
      },
    }),
  });
  expect(
    ((await created.json()) as { data: { refundCreate: { userErrors: unknown[] } } }).data.refundCreate,
  ).toMatchObject({ userErrors: [] });
  // Pull the store again (Snapshots → Pull a saved account): the new refund is in the newest snapshot.
  const shopAgain = await pullSaved('Outfitters');
  expect(shopAgain).toBeGreaterThan(shopSnap);
  await screenshots(page, 'onboarding-5a-new-refund-pulled');

  // Push: preview (count and amounts), confirm, progress, a result per refund in the journal.
  await remount(page);
  const push = page.getByRole('region', { name: 'Push refunds' });
  await push.getByRole('button', { name: 'Preview the push' }).click();
  const previewPanel = push.getByRole('region', { name: 'Push preview' });
  // The preview reads the workspace's NetSuite pull, from before the round trip: it lists the test
  // orders too. The push looks each one up by its key first and sends only what NetSuite lacks.
  await expect(previewPanel).toContainText(/\d+ refund\(s\) to send to the sandbox account: EUR 5\.00/);
  await screenshots(page, 'onboarding-6-push-preview');
  await previewPanel.getByRole('button', { name: 'Push…' }).click();
  await push
    .getByRole('alertdialog', { name: 'Confirm push' })
    .getByRole('button', { name: /^Yes, push/ })
    .click();
  await expect(push.getByRole('status')).toContainText(/: [1-9]\d* sent, /, { timeout: 60_000 });
  const journal = push.getByRole('table', { name: 'Push journal' });
  // The new refund is sent; the test orders the round trip wrote to this sandbox are found there.
  await expect(journal.getByRole('row').filter({ hasText: newRefundOrder }).first()).toContainText('Sent');
  for (const ref of testOrders) {
    await expect(journal.getByRole('row').filter({ hasText: ref }).first()).toContainText('Already there');
  }
  await screenshots(page, 'onboarding-7-pushed');

  // Re-pull NetSuite and compare (Snapshots): the refund pushed, and the round-trip test orders, are matched.
  const again = await pullSaved('NetSuite sandbox');
  expect(again).toBeGreaterThan(nsSnap);
  const compareAgain = page.getByRole('region', { name: 'Compare two snapshots' });
  await expect(compareAgain.getByLabel('NetSuite snapshot')).toHaveValue(String(again));
  await expect(compareAgain.getByLabel('Storefront snapshot')).toHaveValue(String(shopAgain));
  await compareAgain.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Comparison run' })).toContainText('Run 2', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Results' }).click();
  const results = page.getByRole('grid', { name: 'Results' });
  const search = page.getByRole('searchbox', { name: 'Search' });
  for (const ref of [newRefundOrder, ...testOrders]) {
    await search.fill(ref);
    await search.press('Enter');
    const rows = results.getByRole('row').filter({ hasText: ref });
    await expect(rows.first()).toBeVisible();
    // Every result of the order is matched: the new refund found its NetSuite record.
    for (const row of await rows.all()) await expect(row).toContainText('Matched');
    if (ref === newRefundOrder) {
      await expect(rows.filter({ hasText: '5.00' }).first()).toContainText('Matched');
      await screenshots(page, 'onboarding-7a-matched');
    }
  }

  // Settings: this workspace among the recent ones (the demo labelled), and its comparison settings.
  await nav.getByRole('link', { name: 'Settings', exact: true }).click();
  const recent = page.getByRole('table', { name: 'Recent workspaces' });
  await expect(recent).toContainText('my-books');
  await expect(recent).toContainText('Demo workspace (sample data)');
  const compare = page.getByRole('region', { name: 'Comparison settings' });
  await compare.getByRole('button', { name: 'Add a currency' }).click();
  await compare.getByLabel('Currency', { exact: true }).fill('EUR');
  await compare.getByLabel('Tolerance', { exact: true }).fill('0.05');
  await compare.getByLabel(/Date window/).fill('10');
  await compare.getByRole('button', { name: 'Save the comparison settings' }).click();
  await expect(compare.getByRole('status')).toContainText('Saved');
  await screenshots(page, 'onboarding-8-settings');
  await nav.getByRole('link', { name: 'Review', exact: true }).click();
  await nav.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Comparison settings' }).getByLabel(/Date window/)).toHaveValue('10');
  expect(expectedUserErrors(problems)).toEqual([]);
});
