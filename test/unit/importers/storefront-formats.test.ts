import { beforeAll, describe, expect, it } from 'vitest';
import { shopifyBulkObjectsToRefunds } from '../../../src/main/importers/shopify-jsonl';
import { fixture, importRefunds } from './helpers';

describe('shopify-json (REST orders, apis.md §2.5)', () => {
  let result: Awaited<ReturnType<typeof importRefunds>>['result'];
  let refunds: Awaited<ReturnType<typeof importRefunds>>['refunds'] = [];
  let byId = new Map<string, (typeof refunds)[number]>();
  beforeAll(async () => {
    ({ result, refunds } = await importRefunds(fixture('shopify-orders.json'), { side: 'storefront' }));
    byId = new Map(refunds.map((r) => [r.id, r]));
  });

  it('detects the format and counts', () => {
    expect(result.format).toBe('shopify-json');
    expect(result.refundCount).toBe(4);
    expect(result.rowCount).toBe(3); // three orders
  });

  it('money refunded = successful refund transactions only (failed and pending ignored)', () => {
    const r = byId.get('509562969')!;
    expect(r.total).toBe(20900);
    expect(r.moneyMoved).toBe(true);
    expect(r.status).toBe('ok');
    expect(r.orderRef).toBe('#1001');
    expect(r.date).toBe('2026-01-15');
    expect(r.memo).toBe('wrong size');
    expect(r.kind).toBe('line_item');
  });

  it('lines from refund_line_items; shipping_refund and refund_discrepancy adjustments', () => {
    const r = byId.get('509562969')!;
    expect(r.lines).toEqual([
      {
        sku: 'IPOD2008BLACK',
        description: 'IPod Nano - 8gb - black',
        quantity: 1,
        amount: 19566,
        tax: 398,
        role: 'item',
      },
      { sku: '', description: 'Shipping refund', quantity: 0, amount: 500, tax: 0, role: 'shipping' },
      { sku: '', description: 'Refund discrepancy', quantity: 0, amount: 436, tax: 0, role: 'generic' },
    ]);
    expect(r.shipping).toBe(500);
    expect(r.adjustment).toBe(436);
    expect(r.tax).toBe(398);
    // The parts add up to the money moved.
    expect(r.lines.reduce((s, l) => s + l.amount + l.tax, 0)).toBe(r.total);
  });

  it('a refund with line items but no successful transaction moved no money (restock only)', () => {
    const r = byId.get('509562970')!;
    expect(r.total).toBe(0);
    expect(r.moneyMoved).toBe(false);
    expect(r.status).toBe('ok');
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ sku: 'TEE-M', quantity: 2, amount: 2000, tax: 160 });
  });

  it('keeps shop money as the total and presentment money beside it', () => {
    const r = byId.get('509562971')!;
    expect(r.currency).toBe('EUR');
    expect(r.total).toBe(1000);
    // No lines: every part (none) is known in presentment money too.
    expect(r.presentment).toEqual({
      currency: 'GBP',
      total: 850,
      parts: { shipping: 0, tax: 0, adjustment: 0, lines: [] },
    });
    expect(r.kind).toBe('general');
    expect(r.isTest).toBe(true);
  });

  it('only failed transactions: kept, status failed, no money moved', () => {
    const r = byId.get('509562972')!;
    expect(r.status).toBe('failed');
    expect(r.moneyMoved).toBe(false);
    expect(r.total).toBe(0);
  });

  it('reads {"refunds":[…]} from the refunds endpoint', async () => {
    const { result, refunds } = await importRefunds(fixture('shopify-refunds.json'), { side: 'storefront' });
    expect(result.format).toBe('shopify-json');
    expect(refunds[0]).toMatchObject({ id: '929361462', total: 1080, currency: 'USD', orderRef: '450789469' });
  });
});

describe('shopify-jsonl (GraphQL bulk operation)', () => {
  it('assembles refunds from __parentId children, with presentment money', async () => {
    const { result, refunds } = await importRefunds(fixture('shopify-bulk.jsonl'), { side: 'storefront' });
    expect(result.format).toBe('shopify-jsonl');
    expect(refunds).toHaveLength(2);
    const [a, b] = refunds;
    expect(a).toMatchObject({
      id: '7001',
      orderRef: '#2001',
      currency: 'USD',
      total: 2500,
      shipping: 500,
      presentment: { currency: 'CAD', total: 3375 },
      kind: 'line_item',
      date: '2026-03-01',
    });
    expect(a!.lines.map((l) => [l.sku, l.role, l.amount])).toEqual([
      ['CAP-1', 'item', 2000],
      ['', 'shipping', 500],
    ]);
    // Refund 7002 has lines but no transaction: restock only.
    expect(b).toMatchObject({ id: '7002', orderRef: '#2002', moneyMoved: false, total: 0, isTest: true });
  });

  it('is usable on objects directly (the Pull job)', async () => {
    const out = [];
    for await (const r of shopifyBulkObjectsToRefunds([
      {
        value: {
          id: 'gid://shopify/Order/1',
          name: '#9',
          currencyCode: 'JPY',
          refunds: [{ id: 'gid://shopify/Refund/5', createdAt: '2026-01-01T00:00:00Z' }],
        },
        line: 1,
      },
      {
        value: {
          __parentId: 'gid://shopify/Refund/5',
          kind: 'REFUND',
          status: 'SUCCESS',
          amountSet: { shopMoney: { amount: '1200', currencyCode: 'JPY' } },
        },
        line: 2,
      },
    ]))
      out.push(r);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: '5', total: 1200, currency: 'JPY' });
  });
});

describe('shopify-csv (admin Export orders)', () => {
  it('one general refund per order with a refunded amount; CRLF and quoted commas', async () => {
    const { result, refunds } = await importRefunds(fixture('shopify-orders-export.csv'), { side: 'storefront' });
    expect(result.format).toBe('shopify-csv');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      id: '5550001-refunded',
      orderRef: '#1001',
      total: 1250,
      kind: 'general',
      date: '2024-01-15',
    });
    expect(result.rowCount).toBe(3);
  });
});

describe('bigcommerce-json', () => {
  it('reads the v3 collection; declined payments move no money', async () => {
    const { result, refunds } = await importRefunds(fixture('bigcommerce-refunds.json'), {
      side: 'storefront',
      currency: 'USD',
    });
    expect(result.format).toBe('bigcommerce-json');
    expect(refunds[0]).toMatchObject({
      id: '12',
      orderRef: '180',
      total: 5000,
      tax: 500,
      shipping: 450,
      kind: 'line_item',
      status: 'ok',
    });
    expect(refunds[1]).toMatchObject({ id: '14', total: 0, moneyMoved: false, status: 'failed', kind: 'general' });
  });

  it('asks for the currency when the export does not carry one, with a code and no CLI flag in the words', async () => {
    const error = await importRefunds(fixture('bigcommerce-refunds.json'), { side: 'storefront' }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe('currency_required');
    expect(error?.message).toMatch(/give the store's currency/);
    expect(error?.message).not.toMatch(/--/);
  });
});

describe('woocommerce-json', () => {
  it('reads refunds: negative line values made positive, 6-decimal totals rounded, order from _links', async () => {
    const { result, refunds } = await importRefunds(fixture('woocommerce-refunds.json'), {
      side: 'storefront',
      currency: 'USD',
    });
    expect(result.format).toBe('woocommerce-json');
    expect(refunds[0]).toMatchObject({
      id: '726',
      orderRef: '#723',
      total: 1000,
      tax: 100,
      date: '2017-03-21',
      kind: 'line_item',
    });
    expect(refunds[0]!.lines[0]).toMatchObject({ sku: 'WOO-ALB-2', quantity: 1, amount: 900, tax: 100 });
  });

  it('reads orders carrying refund summaries as general refunds', async () => {
    const { refunds } = await importRefunds(fixture('woocommerce-orders.json'), { side: 'storefront' });
    expect(refunds[0]).toMatchObject({
      id: '801',
      orderRef: '#800',
      currency: 'EUR',
      total: 1550,
      kind: 'general',
      date: '2024-05-03',
    });
  });
});
