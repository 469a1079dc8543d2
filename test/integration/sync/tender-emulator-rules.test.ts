import { afterEach, describe, expect, it } from 'vitest';
import { generateBigcommerceData } from '../../emulators/bigcommerce/dataset';
import { type BigcommerceEmulator, startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import type { Obj } from '../../emulators/shopify/dataset';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';

/**
 * The write side of the emulators says no where the vendors say no on tenders (rules and their
 * sources: test/emulators/shopify/refund-rules.ts, test/emulators/bigcommerce/server.ts
 * `refundMethods`), over real loopback HTTP.
 */

const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const e of started.splice(0)) await e.close();
});

const money = (amount: string) => ({
  shopMoney: { amount, currencyCode: 'USD' },
  presentmentMoney: { amount, currencyCode: 'USD' },
});

/** One paid order: a SALE of 50.00, with or without a customer. */
function shopWith(customer: boolean): Obj[] {
  return [
    {
      id: 'gid://shopify/Order/1041',
      legacyResourceId: '1041',
      name: '#1041',
      currencyCode: 'USD',
      presentmentCurrencyCode: 'USD',
      updatedAt: '2026-03-18T12:00:00Z',
      customer: customer ? { id: 'gid://shopify/Customer/8241' } : null,
      transactions: [
        {
          id: 'gid://shopify/OrderTransaction/9410',
          kind: 'SALE',
          status: 'SUCCESS',
          gateway: 'shopify_payments',
          amountSet: money('50.00'),
        },
      ],
      refunds: [],
    },
  ];
}

async function shopify(version: string, customer = true): Promise<ShopifyEmulator> {
  const emu = await startShopifyEmulator({
    apiVersion: version,
    data: { shopCurrency: 'USD', orders: shopWith(customer), refundCount: 0 },
  });
  started.push(emu);
  return emu;
}

async function gql(emu: ShopifyEmulator, query: string, variables: Obj = {}): Promise<Obj> {
  const res = await fetch(emu.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': emu.accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Obj;
}

const REFUND = `mutation R($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { field message } } }`;
const storeCredit = (amount: string) => ({
  orderId: 'gid://shopify/Order/1041',
  transactions: [],
  refundMethods: [{ storeCreditRefund: { amount: { amount, currencyCode: 'USD' } } }],
});
const userErrors = (answer: Obj) =>
  ((answer.data as Obj).refundCreate as { userErrors: { message: string }[] }).userErrors.map((e) => e.message);

describe('Shopify refundCreate and store credit', () => {
  it('RefundInput.refundMethods only from 2025-10 [S2]: an older version rejects the variable, nothing created', async () => {
    const emu = await shopify('2025-07');
    const answer = await gql(emu, REFUND, { input: storeCredit('10.00') });
    expect((answer.errors as { message: string }[])[0]!.message).toMatch(/Field is not defined on RefundInput/);
    expect(emu.data.orders[0]!.refunds).toEqual([]);
  });

  it('introspection of RefundInput answers per version', async () => {
    const q = `query { __type(name: "RefundInput") { name inputFields { name } } }`;
    const names = async (v: string) =>
      (((await gql(await shopify(v), q)).data as Obj).__type as { inputFields: { name: string }[] }).inputFields.map(
        (f) => f.name,
      );
    expect(await names('2025-04')).not.toContain('refundMethods');
    expect(await names('2025-10')).toContain('refundMethods');
  });

  it('2025-10: store credit is refunded as a shopify_store_credit REFUND transaction [S1]', async () => {
    const emu = await shopify('2025-10');
    const answer = await gql(emu, REFUND, { input: storeCredit('50.00') });
    expect(userErrors(answer)).toEqual([]);
    const refund = (emu.data.orders[0]!.refunds as Obj[])[0]!;
    expect((refund.transactions as { nodes: Obj[] }).nodes).toMatchObject([
      {
        kind: 'REFUND',
        status: 'SUCCESS',
        gateway: 'shopify_store_credit',
        amountSet: { shopMoney: { amount: '50.00' } },
      },
    ]);
  });

  it('store credit needs a customer on the order [S3 prerequisites]', async () => {
    const emu = await shopify('2025-10', false);
    expect(userErrors(await gql(emu, REFUND, { input: storeCredit('10.00') }))).toEqual([
      'The order must be associated with a customer to refund to store credit.',
    ]);
    expect(emu.data.orders[0]!.refunds).toEqual([]);
  });

  it("store credit can't exceed the amount paid [S4]", async () => {
    const emu = await shopify('2025-10');
    expect(userErrors(await gql(emu, REFUND, { input: storeCredit('50.01') }))).toEqual([
      "Refunds issued as store credit can't exceed the amount paid.",
    ]);
    expect(emu.data.orders[0]!.refunds).toEqual([]);
  });
});

describe('BigCommerce refund quote and store credit', () => {
  async function quote(customerId: number, currency: string): Promise<string[]> {
    const data = generateBigcommerceData({ refunds: 3, seed: 5 });
    const order = data.orders[0]!;
    order.customer_id = customerId;
    order.currency_code = currency;
    const emu: BigcommerceEmulator = await startBigcommerceEmulator({ data, quota: 1000 });
    started.push(emu);
    const res = await fetch(`${emu.apiUrl}/orders/${order.id}/payment_actions/refund_quotes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': emu.accessToken, accept: 'application/json' },
      body: JSON.stringify({ items: [{ item_type: 'ORDER', item_id: order.id, amount: 1 }] }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { data: { refund_methods: { provider_id: string }[][] } };
    return body.data.refund_methods.flat().map((m) => m.provider_id);
  }

  it('offers storecredit to a customer in the default currency only (orders.v3.yml; Celigo [S9])', async () => {
    expect(await quote(42, 'USD')).toContain('storecredit');
    expect(await quote(0, 'USD')).not.toContain('storecredit');
    expect(await quote(42, 'EUR')).not.toContain('storecredit');
  });
});
