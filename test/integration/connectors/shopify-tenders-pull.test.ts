import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { ShopifyClient } from '../../../src/main/connectors/shopify/client';
import { ordersWithRefunds, queryFeatures } from '../../../src/main/connectors/shopify/queries';
import { pullShopifyOrders, shopifyQueryFeatures } from '../../../src/main/connectors/shopify/refunds';
import type { PulledDispute } from '../../../src/main/mapping/shopify-disputes';
import { pullShopifyRefunds } from '../../../src/main/pull/shopify';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { CanonicalRefund } from '../../../src/shared/model';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { sevenCasesShopify } from '../../emulators/shopify/tender-cases';

/**
 * The Shopify pull reads how money went back (tenders.md §1.2, §4.1, §3.1) end to end over
 * loopback HTTP: refund transactions' gateways (store credit, gift card, manual), the return with
 * its exchange items, and Shopify Payments disputes — each only where the API version and the
 * token's scopes allow it, as Shopify does.
 */

beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

const ALL_SCOPES = ['read_orders', 'write_orders', 'read_returns', 'read_shopify_payments_disputes'];

function clientFor(emu: ShopifyEmulator, apiVersion?: string): ShopifyClient {
  return new ShopifyClient({
    baseUrl: emu.url,
    accessToken: emu.accessToken,
    limiter: new ConcurrencyLimiter(2),
    baseDelayMs: 5,
    maxDelayMs: 50,
    ...(apiVersion ? { apiVersion } : {}),
  });
}

async function collect(client: ShopifyClient): Promise<Map<string, CanonicalRefund>> {
  const features = await shopifyQueryFeatures(client);
  const out = new Map<string, CanonicalRefund>();
  for await (const r of pullShopifyOrders(client, { features })) out.set(r.id, CanonicalRefund.parse(r));
  return out;
}

const tender = (kind: string, gateway: string, amount: number, ref: string) => ({
  kind,
  gateway,
  amount,
  presentmentAmount: null,
  state: 'settled',
  ref,
});

describe('Shopify pull with returns and disputes in scope', () => {
  let emu: ShopifyEmulator;
  beforeAll(async () => {
    emu = await startShopifyEmulator({ data: sevenCasesShopify(), scopes: ALL_SCOPES });
  });
  afterAll(async () => emu?.close());

  it('asks for what the version and scopes allow', async () => {
    expect(await shopifyQueryFeatures(clientFor(emu))).toEqual({ manualGateway: true, returns: true, disputes: true });
  });

  it('store credit, split, gift card and manual refunds become their tenders', async () => {
    const got = await collect(clientFor(emu));
    expect(got.get('905')!.tenders.map((t) => [t.kind, t.gateway, t.amount])).toEqual([
      ['store_credit', 'shopify_store_credit', 5000],
    ]);
    expect(got.get('910')!.tenders.map((t) => [t.kind, t.gateway, t.amount])).toEqual([
      ['card', 'shopify_payments', 2000],
      ['store_credit', 'shopify_store_credit', 3000],
    ]);
    expect(got.get('912')!.tenders.map((t) => t.kind)).toEqual(['gift_card']);
    // manualPaymentGateway: true → other, whatever the gateway's name.
    expect(got.get('930')!.tenders.map((t) => [t.kind, t.gateway])).toEqual([['other', 'Cash on Delivery (COD)']]);
  });

  it('exchanges: the return block and the exchange tender of §4.1 (cases 20, 21, 23)', async () => {
    const got = await collect(clientFor(emu));
    const r20 = got.get('920')!;
    expect(r20.exchange).toEqual({ returnId: '20', returnedValue: 5000, exchangeValue: 4000, balanceDue: 0 });
    expect(r20.tenders).toEqual([
      expect.objectContaining({ kind: 'card', gateway: 'shopify_payments', amount: 1000 }),
      tender('exchange', '', 4000, '20'),
    ]);
    expect(r20.total).toBe(5000);
    // 21: the exchange credit is its own transaction: no tender added.
    const r21 = got.get('921')!;
    expect(r21.tenders.map((t) => [t.kind, t.amount])).toEqual([
      ['exchange', 4000],
      ['card', 1000],
    ]);
    expect(r21.total).toBe(5000);
    // 23: nothing refunded in money; the customer owes 15.00.
    const r23 = got.get('923')!;
    expect(r23.exchange).toEqual({ returnId: '23', returnedValue: 3000, exchangeValue: 4500, balanceDue: 1500 });
    expect(r23.tenders).toEqual([tender('exchange', '', 3000, '23')]);
    expect(r23.moneyMoved).toBe(false);
    expect(r23.total).toBe(3000);
  });

  it('tenders sum to every pulled total; the snapshot keeps them; disputes come with the pull', async () => {
    const db = openWorkspace(':memory:');
    let stored: PulledDispute[] = [];
    const result = await pullShopifyRefunds(db, clientFor(emu), {
      onDisputes: (_id, disputes) => {
        stored = disputes;
      },
    });
    const refunds = readSnapshotRefunds(db, result.snapshotId);
    expect(refunds).toHaveLength(7);
    for (const r of refunds)
      expect(
        r.tenders.reduce((n, t) => n + t.amount, 0),
        r.id,
      ).toBe(r.total);
    expect(result.disputes).toBe(2);
    expect(stored).toEqual([
      {
        id: '2601',
        orderRef: '#1026',
        orderId: '8001026',
        type: 'chargeback',
        status: 'lost',
        amount: 8000,
        currency: 'USD',
        initiatedAt: '2026-03-05',
        finalizedOn: '2026-03-15',
      },
      expect.objectContaining({ id: '2901', type: 'inquiry', status: 'needs_response', finalizedOn: null }),
    ]);
    db.close();
  });
});

describe('Shopify pull without the returns and disputes scopes', () => {
  let emu: ShopifyEmulator;
  beforeAll(async () => {
    emu = await startShopifyEmulator({ data: sevenCasesShopify() });
  });
  afterAll(async () => emu?.close());

  it('goes on without them: no exchange block, no disputes, money tenders as ever', async () => {
    const c = clientFor(emu);
    expect(await shopifyQueryFeatures(c)).toEqual({ manualGateway: true, returns: false, disputes: false });
    const got = await collect(c);
    expect(got.get('920')!.exchange).toBeUndefined();
    expect(got.get('920')!.tenders.map((t) => [t.kind, t.amount])).toEqual([['card', 1000]]);
    let called = false;
    const db = openWorkspace(':memory:');
    const result = await pullShopifyRefunds(db, c, {
      onDisputes: () => {
        called = true;
      },
    });
    expect(called).toBe(false);
    expect(result.disputes).toBeUndefined();
    db.close();
  });
});

describe('Shopify emulator says no where Shopify does', () => {
  it('an older API version refuses fields it does not have (undefinedField)', async () => {
    const emu = await startShopifyEmulator({ data: sevenCasesShopify(), apiVersion: '2024-10', scopes: ALL_SCOPES });
    try {
      const c = clientFor(emu, '2024-10');
      // manualPaymentGateway exists from 2025-01 [S5]; processedQuantity with returnProcess from 2025-07 [S7].
      await expect(
        c.graphql(ordersWithRefunds({ manualGateway: true, returns: false, disputes: false }), { first: 1 }),
      ).rejects.toThrow(/Field 'manualPaymentGateway' doesn't exist on type 'OrderTransaction'/);
      await expect(
        c.graphql(ordersWithRefunds({ manualGateway: false, returns: true, disputes: false }), { first: 1 }),
      ).rejects.toThrow(/Field 'processedQuantity' doesn't exist on type 'ExchangeLineItem'/);
      // The pull asks only for what 2024-10 has, and reads the money tenders.
      expect(await shopifyQueryFeatures(c)).toEqual({ manualGateway: false, returns: false, disputes: true });
      const got = await collect(c);
      expect(got.get('910')!.tenders.map((t) => t.kind)).toEqual(['card', 'store_credit']);
    } finally {
      await emu.close();
    }
  });

  it('a token without read_returns / read_shopify_payments_disputes is refused those fields (ACCESS_DENIED)', async () => {
    const emu = await startShopifyEmulator({ data: sevenCasesShopify() });
    try {
      const c = clientFor(emu);
      await expect(
        c.graphql(ordersWithRefunds(queryFeatures('2025-07', new Set(['read_returns']))), { first: 1 }),
      ).rejects.toThrow(/Access denied for exchangeLineItems field/);
      await expect(
        c.graphql('query { shopifyPaymentsAccount { disputes(first: 5) { nodes { id } } } }'),
      ).rejects.toThrow(/read_shopify_payments_disputes/);
    } finally {
      await emu.close();
    }
  });
});
