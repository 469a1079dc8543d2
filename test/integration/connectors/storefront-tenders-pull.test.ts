import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigcommerceClient } from '../../../src/main/connectors/bigcommerce/client';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { ShopifyClient } from '../../../src/main/connectors/shopify/client';
import { WoocommerceClient } from '../../../src/main/connectors/woocommerce/client';
import { pullBigcommerceSnapshot } from '../../../src/main/pull/bigcommerce';
import { pullShopifyRefunds } from '../../../src/main/pull/shopify';
import { pullWoocommerceSnapshot } from '../../../src/main/pull/woocommerce';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { readTenderSettings, setTenderSettings } from '../../../src/main/use-cases/tender-settings';
import type { CanonicalRefund } from '../../../src/shared/model';
import { generateBigcommerceData } from '../../emulators/bigcommerce/dataset';
import { startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import { startShopifyEmulator } from '../../emulators/shopify/server';
import { sevenCasesShopify } from '../../emulators/shopify/tender-cases';
import { generateWooData } from '../../emulators/woocommerce/dataset';
import { startWooEmulator } from '../../emulators/woocommerce/server';

/**
 * BigCommerce and WooCommerce pulls fill tenders as their file importers do (tenders.md §1.2,
 * through the shared mappings in src/main/mapping/), the tenders sum to every total, and the user's
 * tender mapping (§1.3) applies to pulls.
 */

beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

function sums(refunds: CanonicalRefund[]): void {
  for (const r of refunds) {
    expect(
      r.tenders.reduce((n, t) => n + t.amount, 0),
      `refund ${r.id}`,
    ).toBe(r.total);
    for (const t of r.tenders) expect(t.amount).toBeGreaterThan(0);
  }
}

describe('storefront pulls fill tenders', () => {
  it('BigCommerce: payments → card by provider, storecredit → store credit (§7 case 16), declined dropped', async () => {
    const emu = await startBigcommerceEmulator({
      data: generateBigcommerceData({ refunds: 120, seed: 16 }),
      quota: 1000,
      windowMs: 1000,
    });
    try {
      const db = openWorkspace(':memory:');
      const client = new BigcommerceClient({
        storeHash: emu.storeHash,
        baseUrl: emu.apiUrl,
        accessToken: emu.accessToken,
        limiter: new ConcurrencyLimiter(3),
      });
      const result = await pullBigcommerceSnapshot(db, client, { currency: 'USD' });
      const refunds = readSnapshotRefunds(db, result.snapshotId);
      expect(refunds.length).toBeGreaterThan(50);
      sums(refunds);
      const kinds = new Set(refunds.flatMap((r) => r.tenders.map((t) => `${t.kind}:${t.gateway}`)));
      expect([...kinds].some((k) => k === 'store_credit:storecredit')).toBe(true);
      expect([...kinds].some((k) => k.startsWith('card:'))).toBe(true);
      // The mapping overrides a default (§1.3): store credit recorded as gift card, say.
      const mapped = await pullBigcommerceSnapshot(db, client, {
        currency: 'USD',
        tenderMapping: {
          storefront: [{ platform: 'bigcommerce', gateway: 'STORECREDIT', kind: 'gift_card' }],
          netsuite: [],
        },
      });
      const again = readSnapshotRefunds(db, mapped.snapshotId);
      expect(
        again
          .flatMap((r) => r.tenders)
          .filter((t) => t.gateway === 'storecredit')
          .every((t) => t.kind === 'gift_card'),
      ).toBe(true);
      db.close();
    } finally {
      await emu.close();
    }
  });

  it("WooCommerce: refunded_payment → card on the order's payment_method, else other/manual", async () => {
    const emu = await startWooEmulator({ data: generateWooData({ refunds: 80, seed: 18 }) });
    try {
      const db = openWorkspace(':memory:');
      const client = new WoocommerceClient({
        url: emu.url,
        consumerKey: emu.consumerKey,
        consumerSecret: emu.consumerSecret,
        limiter: new ConcurrencyLimiter(4),
      });
      const result = await pullWoocommerceSnapshot(db, client);
      const refunds = readSnapshotRefunds(db, result.snapshotId);
      sums(refunds);
      const kinds = new Set(refunds.flatMap((r) => r.tenders.map((t) => `${t.kind}:${t.gateway}`)));
      expect(kinds.has('card:stripe')).toBe(true);
      expect(kinds.has('other:manual')).toBe(true);
      db.close();
    } finally {
      await emu.close();
    }
  });

  it('Shopify: the workspace tender mapping setting is kept (audited) and a pull applies it', async () => {
    const emu = await startShopifyEmulator({ data: sevenCasesShopify() });
    try {
      const db = openWorkspace(':memory:');
      setTenderSettings(
        { db },
        {
          mapping: {
            storefront: [{ platform: 'shopify', gateway: 'Cash on Delivery (COD)', kind: 'cash' }],
            netsuite: [],
          },
        },
      );
      const audit = db.prepare("SELECT action FROM audit_log WHERE action = 'settings:tender-mapping'").all();
      expect(audit).toHaveLength(1);
      const settings = readTenderSettings(db);
      const client = new ShopifyClient({
        baseUrl: emu.url,
        accessToken: emu.accessToken,
        limiter: new ConcurrencyLimiter(2),
      });
      const result = await pullShopifyRefunds(db, client, settings.mapping ? { tenderMapping: settings.mapping } : {});
      const refunds = readSnapshotRefunds(db, result.snapshotId);
      sums(refunds);
      expect(refunds.find((r) => r.id === '930')!.tenders.map((t) => t.kind)).toEqual(['cash']);
      db.close();
    } finally {
      await emu.close();
    }
  });
});
