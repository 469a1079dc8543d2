import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { hintFor } from '../../../src/main/reconcile/hints';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { tempFile } from '../../unit/importers/helpers';

/**
 * Issue 14 defect 6: a BigCommerce product refund names only `item_id` (the order product id) and
 * `quantity` (bigcommerce/docs reference/orders.v3.yml, `RefundItem`; the example below is the
 * documented RefundID_Get example). Its SKU and price are on the order's products
 * (reference/orders.v2.oas2.yml, `GET /orders/{order_id}/products`, example shape). With them the
 * lines compare; without them the refund is compared on its total, with a hint that says so — and
 * no invented `item:<id>` line at 0.00.
 */

const REFUNDS = {
  data: [
    {
      id: 12,
      order_id: 180,
      user_id: 0,
      created: '2022-06-16T16:44:15+00:00',
      reason: 'Customer requires a refund.',
      total_amount: 50,
      total_tax: 5,
      uses_merchant_override_values: false,
      payments: [
        { id: 13, provider_id: 'storecredit', amount: 50, offline: true, is_declined: false, declined_message: '' },
      ],
      items: [{ item_type: 'PRODUCT', item_id: 87, quantity: 1, requested_amount: null }],
    },
  ],
  meta: {},
};

// The order's products as GET /v2/orders/180/products answers (fields of the documented example).
const ORDER_PRODUCTS = [
  {
    id: 87,
    order_id: 180,
    product_id: 77,
    order_address_id: 51,
    name: 'Fog Linen Chambray Towel - Beige Stripe',
    sku: 'S-ORAN',
    type: 'physical',
    base_price: '46.5000',
    price_ex_tax: '46.5000',
    price_inc_tax: '51.5000',
    price_tax: '5.0000',
    base_total: '93.0000',
    total_ex_tax: '93.0000',
    total_inc_tax: '103.0000',
    total_tax: '10.0000',
    quantity: 2,
    is_refunded: false,
    quantity_refunded: 1,
    refund_amount: '0.0000',
    applied_discounts: [
      { id: 'manual-discount', amount: '3.0000', name: 'Manual Discount', code: null, target: 'order' },
    ],
  },
];

// NetSuite's Cash Refund for it: 1 × S-ORAN at 45.00 (46.50 less half of the 3.00 discount), tax 5.00.
const NETSUITE = [
  'Internal ID,Type,Date,Document Number,Main Line,Item,Quantity,Amount,Tax Amount,Currency,Other Ref Num',
  '5001,Cash Refund,6/16/2022,CR1001,*,,,-50.00,,USD,180',
  '5001,Cash Refund,6/16/2022,CR1001,,S-ORAN,-1,-45.00,-5.00,USD,180',
].join('\n');

async function reconcile(withProducts: boolean) {
  const db = openWorkspace(':memory:');
  const sf = await importFile(db, {
    file: tempFile('bc-refunds.json', JSON.stringify(REFUNDS)),
    side: 'storefront',
    currency: 'USD',
    ...(withProducts ? { orderProducts: tempFile('bc-order-products.json', JSON.stringify(ORDER_PRODUCTS)) } : {}),
  });
  const ns = await importFile(db, { file: tempFile('bc-netsuite.csv', NETSUITE), side: 'netsuite' });
  const { output } = compareSnapshots(
    db,
    { storefrontSnapshotId: sf.snapshotId, netsuiteSnapshotId: ns.snapshotId },
    { store: false },
  );
  return { output, storefront: readSnapshotRefunds(db, sf.snapshotId) };
}

describe('BigCommerce product refunds (issue 14 defect 6)', () => {
  it('priced through the order products file: SKU and amount on the line, and the pair matches', async () => {
    const { output, storefront } = await reconcile(true);
    expect(storefront[0]!.lines).toEqual([
      {
        sku: 'S-ORAN',
        description: 'Fog Linen Chambray Towel - Beige Stripe',
        quantity: 1,
        amount: 4500,
        tax: 0,
        role: 'item',
      },
    ]);
    expect(output.results.map((r) => r.code)).toEqual(['matched']);
  });

  it('without the order products: no invented line, compared on the total, and the hint says so', async () => {
    const { output, storefront } = await reconcile(false);
    expect(storefront[0]).toMatchObject({ kind: 'line_item', total: 5000, lines: [], linesExported: false });
    const result = output.results[0]!;
    expect(result.code).toBe('matched');
    expect(hintFor(result)).toMatch(/compared on (the|its) total/);
    // Hydrated (the record's linesExported read back) or not, the hint says it.
    result.storefront[0]!.linesExported = false;
    expect(hintFor(result)).toMatch(/not its lines, so it was compared on its total/);
  });

  it('a stored run keeps the hint of a matched refund compared on its total (what the app shows)', async () => {
    const db = openWorkspace(':memory:');
    const sf = await importFile(db, {
      file: tempFile('bc-refunds3.json', JSON.stringify(REFUNDS)),
      side: 'storefront',
      currency: 'USD',
    });
    const ns = await importFile(db, { file: tempFile('bc-netsuite3.csv', NETSUITE), side: 'netsuite' });
    const { runId } = compareSnapshots(db, { storefrontSnapshotId: sf.snapshotId, netsuiteSnapshotId: ns.snapshotId });
    const row = db.prepare('SELECT code, hint FROM results WHERE run_id = ?').get(runId) as {
      code: string;
      hint: string;
    };
    expect(row.code).toBe('matched');
    expect(row.hint).toMatch(/compared on (the|its) total/);
  });

  it('an order products file in another shape is refused naming the file', async () => {
    const db = openWorkspace(':memory:');
    await expect(
      importFile(db, {
        file: tempFile('bc-refunds2.json', JSON.stringify(REFUNDS)),
        side: 'storefront',
        currency: 'USD',
        orderProducts: tempFile('bad-products.json', '[1, 2]'),
      }),
    ).rejects.toMatchObject({ code: 'unexpected_json', location: { file: 'bad-products.json' } });
  });
});
