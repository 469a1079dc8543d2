import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { tempFile } from '../../unit/importers/helpers';

/**
 * Issue 14 defect 2: NetSuite holds shipping (and handling, and a discount) in the record body —
 * `shippingCost`, `handlingCost`, `discountTotal` in the REST record schema (apis.md §1.4; Oracle's
 * REST API Browser, cashRefund) — not as an item line. Such a record must match a Shopify refund
 * whose shipping is refunded through a `shipping_refund` order adjustment (Shopify REST Refund
 * resource, apis.md §2.5).
 */

/** Shopify REST order with one refund: 1 × MUG (10.00 + 0.80 tax) and 5.00 shipping (+0.40 tax). */
const SHOPIFY = {
  orders: [
    {
      id: 450789469,
      name: '#1001',
      currency: 'USD',
      presentment_currency: 'USD',
      test: false,
      refunds: [
        {
          id: 509562969,
          order_id: 450789469,
          created_at: '2026-01-15T10:00:00-05:00',
          processed_at: '2026-01-15T10:00:00-05:00',
          note: 'damaged',
          refund_line_items: [
            {
              id: 104689539,
              quantity: 1,
              line_item_id: 703073504,
              subtotal: 10.0,
              total_tax: 0.8,
              subtotal_set: {
                shop_money: { amount: '10.00', currency_code: 'USD' },
                presentment_money: { amount: '10.00', currency_code: 'USD' },
              },
              total_tax_set: {
                shop_money: { amount: '0.80', currency_code: 'USD' },
                presentment_money: { amount: '0.80', currency_code: 'USD' },
              },
              line_item: { id: 703073504, sku: 'MUG', name: 'Mug', quantity: 1, price: '10.00' },
            },
          ],
          transactions: [
            { id: 179259969, kind: 'refund', status: 'success', amount: '16.20', currency: 'USD', test: false },
          ],
          order_adjustments: [
            {
              id: 1,
              order_id: 450789469,
              refund_id: 509562969,
              amount: '-5.00',
              tax_amount: '-0.40',
              kind: 'shipping_refund',
              reason: 'Shipping refund',
            },
          ],
        },
      ],
    },
  ],
};

/** A cashRefund GET with expandSubResources=true, shipping in the body (`shippingCost`). */
function cashRefund(extra: Record<string, unknown>, items: unknown[]) {
  return {
    links: [{ rel: 'self', href: 'https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/cashRefund/5001' }],
    id: '5001',
    tranId: 'CR1001',
    externalId: 'shopify-refund-509562969',
    tranDate: '2026-01-15',
    currency: { id: '1', refName: 'USD', links: [] },
    exchangeRate: 1,
    otherRefNum: '#1001',
    memo: 'Refund for #1001',
    taxTotal: 1.2,
    item: { links: [], items, totalResults: items.length },
    ...extra,
  };
}

async function reconcile(netsuite: unknown) {
  const db = openWorkspace(':memory:');
  const sf = await importFile(db, { file: tempFile('sf-body.json', JSON.stringify(SHOPIFY)), side: 'storefront' });
  const ns = await importFile(db, {
    file: tempFile('ns-body.json', JSON.stringify(netsuite)),
    side: 'netsuite',
    format: 'record-json',
  });
  const { output } = compareSnapshots(
    db,
    { storefrontSnapshotId: sf.snapshotId, netsuiteSnapshotId: ns.snapshotId },
    { store: false },
  );
  return { output, netsuite: readSnapshotRefunds(db, ns.snapshotId) };
}

const MUG = { line: 1, item: { id: '55', refName: 'MUG', links: [] }, quantity: 1, rate: 10, amount: 10 };

describe('NetSuite body-level shipping, handling and discount (issue 14 defect 2)', () => {
  it('a record with shippingCost in the body matches a Shopify refund with a shipping refund', async () => {
    const { output, netsuite } = await reconcile(cashRefund({ total: 16.2, shippingCost: 5 }, [MUG]));
    expect(netsuite[0]).toMatchObject({ total: 1620, shipping: 500, kind: 'line_item' });
    expect(netsuite[0]!.lines.map((l) => [l.sku, l.amount, l.role])).toEqual([
      ['MUG', 1000, 'item'],
      ['Shipping Cost', 500, 'shipping'],
    ]);
    expect(output.results.map((r) => r.code)).toEqual(['matched']);
  });

  it('control: a record with the same total that names no shipping is still a line_mismatch', async () => {
    const noShipping = await reconcile(cashRefund({ total: 16.2 }, [{ ...MUG, amount: 15, rate: 15 }]));
    expect(noShipping.output.results[0]!.code).toBe('line_mismatch');
  });

  it('handlingCost counts as shipping; a body discountTotal is spread over the item lines', async () => {
    // 12.00 gross − 2.00 body discount = 10.00 for the mug; 3.00 shipping + 2.00 handling = 5.00.
    const { output, netsuite } = await reconcile(
      cashRefund({ total: 16.2, shippingCost: 3, handlingCost: 2, discountTotal: -2 }, [
        { ...MUG, rate: 12, amount: 12 },
      ]),
    );
    expect(netsuite[0]).toMatchObject({ total: 1620, shipping: 500, adjustment: 0 });
    expect(netsuite[0]!.lines.map((l) => [l.sku, l.amount, l.role])).toEqual([
      ['MUG', 1000, 'item'],
      ['Shipping Cost', 300, 'shipping'],
      ['Handling Cost', 200, 'shipping'],
    ]);
    expect(output.results.map((r) => r.code)).toEqual(['matched']);
  });

  it('a Discount item line discounts the line above it', async () => {
    const { output, netsuite } = await reconcile(
      cashRefund({ total: 16.2, shippingCost: 5 }, [
        { ...MUG, rate: 12.5, amount: 12.5 },
        {
          line: 2,
          item: { id: '88', refName: 'Spring sale', links: [] },
          itemType: { id: 'Discount', refName: 'Discount' },
          amount: -2.5,
        },
      ]),
    );
    expect(netsuite[0]!.lines.map((l) => [l.sku, l.amount, l.role])).toEqual([
      ['MUG', 1000, 'item'],
      ['Shipping Cost', 500, 'shipping'],
    ]);
    expect(output.results.map((r) => r.code)).toEqual(['matched']);
  });
});
