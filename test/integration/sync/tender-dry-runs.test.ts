import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { STORE_CREDIT_UNSUPPORTED } from '../../../src/main/sync/builders/tender-reasons';
import { setCapabilities, setDirection } from '../../../src/main/sync/direction-policy';
import { type DryRunOrderResult, runDryRun } from '../../../src/main/sync/dry-run';
import { previewPush } from '../../../src/main/sync/push';
import { ShopifyTarget } from '../../../src/main/sync/targets/storefront-target';
import { OrderContextFile, type SyncOptionsInput } from '../../../src/main/sync/types';
import type { CanonicalRefund } from '../../../src/shared/model';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import * as F from '../../fixtures/sync/refunds';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';

/**
 * tenders.md §7 dry runs D1–D6, from vendor-shaped files (test/fixtures/tenders): the NetSuite
 * saved search with its `Store Credit` tender item, Shopify REST refunds, and the order context
 * file with customers, SALE transactions and disputes. Nothing is sent: the Shopify emulator's log
 * holds the introspection read only.
 */

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'tenders');
const file = (name: string) => path.join(DIR, name);
const contexts = (name: string) => OrderContextFile.parse(JSON.parse(fs.readFileSync(file(name), 'utf8')));

async function imported(name: string, side: 'storefront' | 'netsuite'): Promise<CanonicalRefund[]> {
  const db = openWorkspace(':memory:');
  const format = name.endsWith('.csv') ? 'saved-search-csv' : 'shopify-json';
  const result = await importFile(db, {
    file: file(name),
    side,
    format,
    ...(side === 'netsuite' ? { mapping: file('mapping.json') } : {}),
  });
  return readSnapshotRefunds(db, result.snapshotId);
}

const OPTIONS = (extra: SyncOptionsInput = {}): SyncOptionsInput => ({
  ...F.OPTIONS,
  tenderItems: { store_credit: '77', gift_card: '78' },
  ...extra,
});

let emulator: ShopifyEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function shopifyTarget(version: string): Promise<ShopifyTarget> {
  emulator = await startShopifyEmulator({
    apiVersion: version,
    data: { shopCurrency: 'USD', orders: [], refundCount: 0 },
  });
  return new ShopifyTarget({
    baseUrl: `${emulator.url}/admin/api/${version}`,
    accessToken: emulator.accessToken,
    readBack: 'none',
  });
}

/** A NetSuite → storefront dry run of one order; the account offers store credit and split tender. */
async function netsuiteToStorefront(
  order: string,
  o: { platform?: 'shopify' | 'bigcommerce'; version?: string; target?: ShopifyTarget; context?: string } = {},
): Promise<DryRunOrderResult> {
  const ctx = contexts(o.context ?? 'sync/order-context.json');
  const w = await makeSyncWorkspace({
    platform: o.platform ?? 'shopify',
    storefront: [],
    netsuite: await imported('sync/netsuite-saved-search.csv', 'netsuite'),
    storefrontOrders: ctx.storefront,
    netsuiteOrders: ctx.netsuite,
    options: OPTIONS(o.version ? { shopifyApiVersion: o.version } : {}),
  });
  setCapabilities(w.db, { accountId: w.accountId, storeCredit: true, splitTender: true, actor: 'test' });
  const run = await runDryRun(
    w.db,
    {
      accountId: w.accountId,
      direction: 'netsuite_to_storefront',
      selection: { mode: 'refs', orderRefs: [order] },
      actor: 'test',
    },
    o.target ? { target: o.target } : {},
  );
  expect(run.orders).toHaveLength(1);
  lastCoverage = run.coverage;
  return run.orders[0]!;
}

let lastCoverage: { available: string[]; covered: string[]; missing: string[] } | undefined;

async function storefrontToNetsuite(order: string, refunds: CanonicalRefund[]): Promise<DryRunOrderResult> {
  const ctx = contexts('sync/order-context.json');
  const w = await makeSyncWorkspace({
    storefront: refunds,
    netsuite: [],
    storefrontOrders: ctx.storefront,
    netsuiteOrders: ctx.netsuite,
    options: OPTIONS(),
  });
  const run = await runDryRun(w.db, {
    accountId: w.accountId,
    direction: 'storefront_to_netsuite',
    selection: { mode: 'refs', orderRefs: [order] },
    actor: 'test',
  });
  expect(run.orders).toHaveLength(1);
  lastCoverage = run.coverage;
  return run.orders[0]!;
}

const buildCheck = (r: DryRunOrderResult) => r.checks.find((c) => c.name === 'build')!;
const writesOf = (r: DryRunOrderResult) =>
  (r.payload as { writes: { kind?: string; recordType?: string; body: Record<string, unknown> }[] }).writes;

describe('tenders.md §7 dry runs', () => {
  it('D1: NetSuite → Shopify, CM 50.00 with a Store Credit line, API 2025-04 without refundMethods → store_credit_unsupported', async () => {
    const target = await shopifyTarget('2025-04');
    const r = await netsuiteToStorefront('#1041', { version: '2025-04', target });
    expect(r.status).toBe('fail');
    expect(buildCheck(r).found).toBe('store_credit_unsupported');
    expect(buildCheck(r).message).toBe(
      'The storefront cannot record store credit for this refund; a card refund would pay the customer twice (NetSuite keeps the credit open).',
    );
    // Readiness item (2): the data has a store-credit refund and none passed.
    expect(lastCoverage!.missing).toContain('store_credit');
    // Asked by introspection (a read); nothing written.
    expect(emulator!.requests.map((q) => q.operation)).toEqual(['__type']);
    expect(writesOf(r)).toEqual([]);
  });

  it('D2: same, API 2025-10 and an order with a customer → passes with refundMethods and no transactions', async () => {
    const target = await shopifyTarget('2025-10');
    const r = await netsuiteToStorefront('#1041', { version: '2025-10', target });
    expect(r.reasons).toEqual([]);
    expect(r.status).toBe('pass');
    const input = (writesOf(r)[0]!.body.variables as { input: Record<string, unknown> }).input;
    expect(input.refundMethods).toEqual([{ storeCreditRefund: { amount: { amount: '50.00', currencyCode: 'USD' } } }]);
    expect(input.transactions).toEqual([]);
    expect(input.refundLineItems).toEqual([
      { lineItemId: 'gid://shopify/LineItem/3041', quantity: 1, restockType: 'NO_RESTOCK' },
    ]);
    const tender = r.checks.find((c) => c.name === 'tender')!;
    expect(tender.ok).toBe(true);
    expect(tender.message).toMatch(/store credit USD 50\.00.*stored value USD 50\.00/);
    // 2025-10 documents refundMethods: no introspection needed, and nothing sent.
    expect(emulator!.requests).toEqual([]);
  });

  it('D3: NetSuite → BigCommerce, same memo, guest order; the quote offers braintree only → store_credit_guest', async () => {
    const r = await netsuiteToStorefront('#1041', {
      platform: 'bigcommerce',
      context: 'sync/bigcommerce-order-context.json',
    });
    expect(r.status).toBe('fail');
    expect(buildCheck(r).found).toBe('store_credit_guest');
    expect(buildCheck(r).message).toBe('BigCommerce offers no store credit on this order: braintree.');
    expect(writesOf(r)).toEqual([]);
  });

  it('D4: Shopify → NetSuite, the exchange of test 20 (exchange credit 40.00 + card 10.00) → exchange_not_syncable', async () => {
    const refunds = await imported('sync/shopify-exchange.json', 'storefront');
    expect(refunds[0]!.tenders.map((t) => [t.kind, t.amount])).toEqual([
      ['exchange', 4000],
      ['card', 1000],
    ]);
    const r = await storefrontToNetsuite('#1020', refunds);
    expect(r.status).toBe('fail');
    expect(buildCheck(r).found).toBe('exchange_not_syncable');
    expect(buildCheck(r).message).toBe(
      'Exchanges are made in the storefront (Shopify `returnProcess`) and recorded in NetSuite as return + sale; refund sync carries refunds only.',
    );
    expect(writesOf(r)).toEqual([]);
  });

  it('D5: Shopify → NetSuite, store credit 50.00 of test 5, order billed by Invoice → CM 50.00 without createdFrom, no CR', async () => {
    const refunds = (await imported('shopify-orders.json', 'storefront')).filter((x) => x.orderRef === '#1005');
    const r = await storefrontToNetsuite('#1005', refunds);
    expect(r.reasons).toEqual([]);
    expect(r.status).toBe('pass');
    const writes = writesOf(r);
    expect(writes.map((x) => x.recordType)).toEqual(['creditMemo']);
    const body = writes[0]!.body;
    expect(body.createdFrom).toBeUndefined();
    expect(body.otherRefNum).toBe('#1005');
    expect((body.item as { items: { amount: number }[] }).items.map((l) => l.amount)).toEqual([50]);
    const tender = r.checks.find((c) => c.name === 'tender')!;
    expect(tender).toMatchObject({ ok: true, expected: 'store credit USD 50.00', found: 'stored value USD 50.00' });
    // Readiness item (2) counts a passing store-credit refund.
    expect(lastCoverage!.covered).toContain('store_credit');
    expect(lastCoverage!.missing).not.toContain('store_credit');
  });

  it('D6: NetSuite → Shopify, CashR 80.00 on an order with a CHARGEBACK UNDER_REVIEW → chargeback_open', async () => {
    const r = await netsuiteToStorefront('#1027', { version: '2025-10' });
    expect(r.status).toBe('fail');
    expect(buildCheck(r).found).toBe('chargeback_open');
    expect(buildCheck(r).message).toBe(
      'Order #1027 has an under review chargeback; a refund could pay the customer twice.',
    );
    expect(writesOf(r)).toEqual([]);
  });
});

describe('the push honours the same refusals (nothing is planned or sent)', () => {
  it('NetSuite → Shopify: the store credit before 2025-10 and the chargeback order are listed as not pushable', async () => {
    const ctx = contexts('sync/order-context.json');
    const w = await makeSyncWorkspace({
      storefront: [],
      netsuite: await imported('sync/netsuite-saved-search.csv', 'netsuite'),
      storefrontOrders: ctx.storefront,
      netsuiteOrders: ctx.netsuite,
      options: OPTIONS({ shopifyApiVersion: '2025-07' }),
    });
    setCapabilities(w.db, { accountId: w.accountId, storeCredit: true, splitTender: true, actor: 'test' });
    setDirection(w.db, {
      accountId: w.accountId,
      direction: 'netsuite_to_storefront',
      confirmAgainstRecommendation: true,
      actor: 'test',
    });
    const preview = previewPush(w.db, w.accountId);
    expect(preview.count).toBe(0);
    expect(preview.notPushable.map((n) => [n.orderRef, n.reasons])).toEqual([
      ['#1041', [STORE_CREDIT_UNSUPPORTED]],
      ['#1027', ['Order #1027 has an under review chargeback; a refund could pay the customer twice.']],
    ]);
  });
});

describe('storeCreditMarker (tenders §5.2, §6)', () => {
  it('an open Credit Memo whose custbody checkbox is the marker goes to Shopify as store credit; unmarked, as a card refund', async () => {
    const db = openWorkspace(':memory:');
    const result = await importFile(db, {
      file: file('sync/netsuite-marked-memo.json'),
      side: 'netsuite',
      format: 'record-json',
    });
    const memos = readSnapshotRefunds(db, result.snapshotId);
    expect(memos[0]!.bodyFlags).toEqual(['custbody_store_credit']);
    const ctx = contexts('sync/order-context.json');
    const run = async (marker: string) => {
      const w = await makeSyncWorkspace({
        storefront: [],
        netsuite: memos,
        storefrontOrders: ctx.storefront,
        netsuiteOrders: ctx.netsuite,
        options: OPTIONS({ shopifyApiVersion: '2025-10', storeCreditMarker: marker }),
      });
      setCapabilities(w.db, { accountId: w.accountId, storeCredit: true, splitTender: true, actor: 'test' });
      const r = await runDryRun(w.db, {
        accountId: w.accountId,
        direction: 'netsuite_to_storefront',
        selection: { mode: 'refs', orderRefs: ['#1041'] },
        actor: 'test',
      });
      return (writesOf(r.orders[0]!)[0]!.body.variables as { input: Record<string, unknown> }).input;
    };
    const marked = await run('custbody_store_credit');
    expect(marked.transactions).toEqual([]);
    expect(marked.refundMethods).toEqual([{ storeCreditRefund: { amount: { amount: '50.00', currencyCode: 'USD' } } }]);
    const unmarked = await run('');
    expect(unmarked.refundMethods).toBeUndefined();
    expect((unmarked.transactions as { amount: string; gateway: string }[]).map((t) => [t.amount, t.gateway])).toEqual([
      ['50.00', 'shopify_payments'],
    ]);
  });
});
