import { describe, expect, it } from 'vitest';
import { shopifyOrderToRefunds } from '../../../src/main/mapping/shopify';
import { reconcile } from '../../../src/main/reconcile/engine';
import { hintFor } from '../../../src/main/reconcile/hints';
import { CanonicalRefund } from '../../../src/shared/model';
import { ns } from './helpers';

/**
 * Issue 14 defect 1: a refund on a USD shop paid in CAD, against a NetSuite Cash Refund in CAD.
 * The order is Shopify's documented REST shape (apis.md §2.5; https://shopify.dev/docs/api/admin-rest/2025-01/resources/refund):
 * every money field has its `*_set` bag with `shop_money` and `presentment_money`; the refund
 * transaction's `amount` is in the transaction `currency` (the presentment currency).
 */
function bag(shop: string, pres: string) {
  return {
    shop_money: { amount: shop, currency_code: 'USD' },
    presentment_money: { amount: pres, currency_code: 'CAD' },
  };
}

function order(withPresentmentParts = true) {
  const set = (shop: string, pres: string) =>
    withPresentmentParts ? bag(shop, pres) : { shop_money: { amount: shop, currency_code: 'USD' } };
  return {
    id: 450789469,
    name: '#1042',
    currency: 'USD',
    presentment_currency: 'CAD',
    test: false,
    refunds: [
      {
        id: 509562969,
        order_id: 450789469,
        created_at: '2026-03-02T10:15:00-05:00',
        processed_at: '2026-03-02T10:15:00-05:00',
        note: 'wrong size',
        restock: true,
        refund_line_items: [
          {
            id: 104689539,
            quantity: 1,
            line_item_id: 703073504,
            location_id: 487838322,
            restock_type: 'return',
            subtotal: 59.9,
            total_tax: 0.0,
            subtotal_set: set('59.90', '82.73'),
            total_tax_set: set('0.00', '0.00'),
            line_item: {
              id: 703073504,
              sku: 'IPOD2008BLACK',
              name: 'IPod Nano - 8gb - black',
              quantity: 1,
              price: '59.90',
            },
          },
        ],
        transactions: [
          {
            id: 179259969,
            order_id: 450789469,
            kind: 'refund',
            gateway: 'bogus',
            status: 'success',
            amount: '88.72',
            currency: 'CAD',
            test: false,
          },
        ],
        order_adjustments: [
          {
            id: 1030976842,
            order_id: 450789469,
            refund_id: 509562969,
            amount: '-4.34',
            tax_amount: '0.00',
            kind: 'shipping_refund',
            reason: 'Shipping refund',
            amount_set: set('-4.34', '-5.99'),
            tax_amount_set: set('0.00', '0.00'),
          },
        ],
      },
    ],
  };
}

const cashRefund = ns({
  id: '9001',
  orderRef: '#1042',
  date: '2026-03-02',
  currency: 'CAD',
  total: 8872,
  shipping: 599,
  kind: 'line_item',
  lines: [
    { sku: 'IPOD2008BLACK', description: 'IPod Nano', quantity: 1, amount: 8273, tax: 0, role: 'item' },
    { sku: '', description: 'Shipping', quantity: 0, amount: 599, tax: 0, role: 'shipping' },
  ],
});

describe('a foreign-currency refund is compared part by part in the currency NetSuite recorded', () => {
  it('keeps every part in presentment money beside shop money', () => {
    const [r] = shopifyOrderToRefunds(order()).map((x) => CanonicalRefund.parse(x));
    expect(r!.currency).toBe('USD');
    expect(r!.total).toBe(6424);
    expect(r!.presentment).toEqual({
      currency: 'CAD',
      total: 8872,
      parts: {
        shipping: 599,
        tax: 0,
        adjustment: 0,
        lines: [
          { amount: 8273, tax: 0 },
          { amount: 599, tax: 0 },
        ],
      },
    });
  });

  it('CAD 88.72 on a USD shop against a CAD 88.72 Cash Refund matches, lines included', () => {
    const storefront = shopifyOrderToRefunds(order()).map((x) => CanonicalRefund.parse(x));
    const out = reconcile(storefront, [cashRefund]);
    const result = out.results[0]!;
    expect(result.code).toBe('matched');
    expect(result.currency).toBe('CAD');
    expect(result.presentment).toBe(true);
    const hint = hintFor(result);
    expect(hint).toContain('CAD 88.72');
    expect(hint).toContain('on every item line');
    expect(hint).not.toContain('59.90');
  });

  it('a line that really differs is shown in CAD, in CAD amounts', () => {
    const storefront = shopifyOrderToRefunds(order()).map((x) => CanonicalRefund.parse(x));
    const other = ns({
      ...cashRefund,
      lines: [
        { sku: 'IPOD2008BLACK', description: '', quantity: 1, amount: 8073, tax: 0, role: 'item' },
        { sku: '', description: 'Shipping', quantity: 0, amount: 799, tax: 0, role: 'shipping' },
      ],
      shipping: 799,
    });
    const result = reconcile(storefront, [other]).results[0]!;
    expect(result.code).toBe('line_mismatch');
    const hint = hintFor(result);
    expect(hint).toContain('SKU IPOD2008BLACK: CAD 82.73 on the storefront, CAD 80.73 in NetSuite');
    expect(hint).not.toContain('59.90');
  });

  it('parts known only in shop money: compared on the total, and the hint says the lines were not compared', () => {
    const storefront = shopifyOrderToRefunds(order(false)).map((x) => CanonicalRefund.parse(x));
    expect(storefront[0]!.presentment).toEqual({ currency: 'CAD', total: 8872 });
    const result = reconcile(storefront, [cashRefund]).results[0]!;
    expect(result.code).toBe('matched');
    const hint = hintFor(result);
    expect(hint).toContain('known only in the shop currency (USD)');
    expect(hint).not.toContain('on every item line');
  });

  it('an amount mismatch explains itself with CAD parts (shipping missing in NetSuite)', () => {
    const storefront = shopifyOrderToRefunds(order()).map((x) => CanonicalRefund.parse(x));
    const noShipping = ns({ ...cashRefund, total: 8273, shipping: 0, lines: [cashRefund.lines[0]!] });
    const result = reconcile(storefront, [noShipping]).results[0]!;
    expect(result.code).toBe('amount_mismatch');
    const hint = hintFor(result);
    expect(hint).toContain('difference equals the shipping');
    expect(hint).toContain('CAD 5.99');
    expect(hint).not.toContain('4.34');
  });
});
