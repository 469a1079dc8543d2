import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { targetFor } from '../../../src/main/sync/connections';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { listJournal } from '../../../src/main/sync/journal';
import { previewPush, resumePush, startPush } from '../../../src/main/sync/push';
import type { ShopifyData } from '../../emulators/shopify/dataset';
import { DEFAULT_SHOPIFY_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { meetReadiness } from '../../fixtures/sync/readiness';
import * as F from '../../fixtures/sync/refunds';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';
import { FakeTarget } from '../../unit/sync/fake-target';

/**
 * Issue 17, sibling of Y2: the readiness gate follows the system the push WRITES to. A sandbox
 * NetSuite account says nothing about the store a NetSuite → storefront push refunds real
 * customers in: a store is production unless its plan proves it a development store (Shopify),
 * and BigCommerce / WooCommerce stores are production. Before the fix the gate read the NetSuite
 * account's environment, so these pushes went out with the checklist unmet.
 */

/** The fixture's Shopify orders (#2001–#2003), with no refunds yet. */
const SHOP_DATA = (): ShopifyData => ({
  shopCurrency: 'USD',
  refundCount: 0,
  orders: F.SHOPIFY_ORDERS.map((o) => ({
    id: o.orderId,
    legacyResourceId: o.orderId.replace(/\D/g, ''),
    name: o.orderRef,
    test: true,
    currencyCode: 'USD',
    presentmentCurrencyCode: 'USD',
    updatedAt: '2026-02-01T12:00:00Z',
    refunds: [],
  })),
});

let shop: ShopifyEmulator;
const savedToken = process.env.REFUND_RECON_SHOPIFY_TOKEN;

beforeAll(async () => {
  setLoopbackApisAllowed(true);
  process.env.REFUND_RECON_SHOPIFY_TOKEN = DEFAULT_SHOPIFY_TOKEN;
  shop = await startShopifyEmulator({ data: SHOP_DATA() });
});
afterEach(() => {
  shop.plan.partnerDevelopment = false;
  shop.plan.publicDisplayName = 'Basic';
});
afterAll(async () => {
  setLoopbackApisAllowed(undefined);
  if (savedToken === undefined) delete process.env.REFUND_RECON_SHOPIFY_TOKEN;
  else process.env.REFUND_RECON_SHOPIFY_TOKEN = savedToken;
  await shop?.close();
});

/** A sandbox NetSuite account (1234567_SB1), direction NetSuite → Shopify (the emulator). */
async function sandboxNetsuiteToShop() {
  const w = await makeSyncWorkspace({
    environment: 'sandbox',
    storefrontBaseUrl: `${shop.url}/admin/api/2025-07`,
    // The emulator answers the idempotent refundCreate, not the push's lookup query.
    storefrontApiSettings: { readBack: 'none' },
  });
  setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 't' });
  return w;
}

const refundCreates = (from = 0) => shop.requests.slice(from).filter((r) => r.operation === 'refundCreate');

describe('push NetSuite → storefront: the readiness gate asks the store, not the NetSuite account', () => {
  it('sandbox NetSuite, live Shopify store, readiness not met: refused, no refundCreate', async () => {
    const w = await sandboxNetsuiteToShop();
    const before = shop.requests.length;
    const preview = previewPush(w.db, w.accountId);
    expect(preview.count).toBeGreaterThan(0);
    expect(preview.environment).toBe('production'); // a store is production unless proven otherwise
    expect(preview.readinessMet).toBe(false);
    const target = targetFor(w.db, w.accountId)!;
    await expect(
      startPush(w.db, { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' }, target),
    ).rejects.toMatchObject({
      code: 'not_ready_for_production',
      message: expect.stringMatching(/writes to the Shopify store 127\.0\.0\.1:\d+, a live store.*Nothing was sent/),
    });
    await expect(resumePush(w.db, w.accountId, target)).rejects.toMatchObject({ code: 'not_ready_for_production' });
    expect(refundCreates(before)).toEqual([]);
    // Only the read-only plan query reached the store; nothing was journaled.
    expect(shop.requests.slice(before).map((r) => r.operation)).toEqual(['shop', 'shop']);
    expect(listJournal(w.db, w.accountId)).toEqual([]);
  });

  it('the same store proven a development store by its plan: pushed without the checklist', async () => {
    shop.plan.partnerDevelopment = true;
    shop.plan.publicDisplayName = 'Development';
    const w = await sandboxNetsuiteToShop();
    const before = shop.requests.length;
    const preview = previewPush(w.db, w.accountId);
    const out = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' },
      targetFor(w.db, w.accountId)!,
    );
    expect(out.failed).toBe(0);
    expect(out.sent).toBeGreaterThan(0);
    expect(refundCreates(before).length).toBe(out.sent);
    const batch = w.db.prepare('SELECT environment FROM push_batches').get() as { environment: string };
    expect(batch.environment).toBe('sandbox');
  });

  it('a live store with the checklist met through the real functions: pushed, recorded as production', async () => {
    const w = await sandboxNetsuiteToShop();
    await meetReadiness(w.db, w.accountId, { selection: { mode: 'refs', orderRefs: ['#2001', '#2002', '#2003'] } });
    const before = shop.requests.length;
    const preview = previewPush(w.db, w.accountId);
    const out = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' },
      targetFor(w.db, w.accountId)!,
    );
    expect(out.sent).toBeGreaterThan(0);
    expect(refundCreates(before).length).toBe(out.sent);
    const batch = w.db.prepare('SELECT environment FROM push_batches').get() as { environment: string };
    expect(batch.environment).toBe('production');
  });

  it('BigCommerce and WooCommerce stores are production: refused before any request', async () => {
    for (const platform of ['bigcommerce', 'woocommerce'] as const) {
      const w = await makeSyncWorkspace({ environment: 'sandbox', platform });
      setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 't' });
      const target = new FakeTarget();
      const preview = previewPush(w.db, w.accountId);
      await expect(
        startPush(w.db, { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' }, target),
      ).rejects.toMatchObject({ code: 'not_ready_for_production' });
      expect(target.log).toEqual([]);
    }
  });

  it('storefront → NetSuite still follows the NetSuite account: a sandbox needs no checklist', async () => {
    const w = await makeSyncWorkspace({ environment: 'sandbox' });
    setDirection(w.db, {
      accountId: w.accountId,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor: 't',
    });
    const target = new FakeTarget();
    const preview = previewPush(w.db, w.accountId);
    expect(preview.environment).toBe('sandbox');
    const out = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' },
      target,
    );
    expect(out.sent).toBeGreaterThan(0);
  });
});
