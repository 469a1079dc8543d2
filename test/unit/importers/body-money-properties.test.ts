import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceRefundedProduct } from '../../../src/main/importers/bigcommerce-order-products';
import { makeContext } from '../../../src/main/importers/common';
import { type NsLineDraft, nsDraftToCanonical, RoleLookup } from '../../../src/main/importers/netsuite-common';

/** Property tests for the money arithmetic of issue 14 defects 2 and 6 (integers only, never floats). */

const roles = new RoleLookup(makeContext({ file: 'p', side: 'netsuite', format: 'record-json' }));

function draft(lines: NsLineDraft[], extra: { bodyDiscount?: number; bodyShipping?: number }) {
  return {
    id: '1',
    documentNumber: 'CR1',
    recordType: 'cashRefund' as const,
    date: '2026-01-01',
    currency: 'USD',
    mainAmount: undefined,
    mainTax: undefined,
    orderRef: '#1',
    externalId: '',
    memo: '',
    createdFrom: '',
    appliesTo: '',
    status: 'ok' as const,
    isTest: false,
    lines,
    where: { file: 'p' },
    ...extra,
  };
}

describe('body discount spread over item lines', () => {
  it('lines sum to gross − discount exactly; each share within one minor unit of proportional', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.boolean(),
        (amounts, seed, negative) => {
          const gross = amounts.reduce((a, b) => a + b, 0);
          const discount = seed % (gross + 1);
          const sign = negative ? -1 : 1;
          const lines = amounts.map((a, i) => ({
            item: `SKU${i}`,
            itemId: '',
            description: '',
            quantity: sign,
            amount: sign * a,
            tax: 0,
          }));
          const r = nsDraftToCanonical(draft(lines, { bodyDiscount: -discount }), roles);
          const out = r.lines!.map((l) => l.amount);
          expect(out.reduce((a, b) => a + b, 0)).toBe(gross - discount);
          for (const [i, a] of amounts.entries()) {
            const exact = a - (discount * a) / gross;
            expect(Math.abs(out[i]! - exact)).toBeLessThan(1);
          }
          expect(r.total).toBe(gross - discount);
        },
      ),
    );
  });
});

describe('BigCommerce product price from order products', () => {
  it('price × quantity − the refunded share of the discount, rounded half up to minor units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 100_000 }),
        (price4, ordered, q, discount4) => {
          const quantity = Math.min(q, ordered);
          const four = (n: number) => `${Math.floor(n / 10_000)}.${String(n % 10_000).padStart(4, '0')}`;
          const product = {
            id: 1,
            order_id: 2,
            product_id: 3,
            sku: 'S',
            name: 'N',
            quantity: ordered,
            price_ex_tax: four(price4),
            applied_discounts: [{ amount: four(discount4) }],
          };
          const line = priceRefundedProduct(product, quantity, 'USD', undefined);
          if (quantity === 0) {
            expect(line).toBeUndefined();
            return;
          }
          // In 1/10,000 units with exact rationals: price × q − discount × q / ordered, then to cents.
          const net = price4 * quantity * ordered - discount4 * quantity; // × ordered
          const cents = net / ordered / 100;
          expect(Math.abs(line!.amount - cents)).toBeLessThanOrEqual(0.51); // half a cent, plus the 1/10,000 rounding of the discount share;
          expect(Number.isInteger(line!.amount)).toBe(true);
        },
      ),
    );
  });
});
