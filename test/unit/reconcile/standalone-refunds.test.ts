import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReconcileOutput, reconcile } from '../../../src/main/reconcile/engine';
import { outputForm } from './forms';
import { ns, sf } from './helpers';
import { reconcile as reference } from './reference-engine';

/**
 * Customer Refunds that name no Credit Memo pay out the unsettled memo of their order with their
 * currency and total, the nearest in date, of equal distance the first in record order
 * (engine.ts `attachStandaloneRefunds`). Dense cases: several memos of one order and total, in an
 * input order unlike record order, ties in date distance, memos of no order; against the object
 * engine (reference-engine.ts).
 */
const DATES = ['2026-01-01', '2026-01-03', '2026-01-05', '2026-01-07'];
const record = fc.record({
  id: fc.integer({ min: 0, max: 30 }),
  order: fc.constantFrom('#1001', '#1002', ''),
  currency: fc.constantFrom('USD', 'USD', 'EUR'),
  total: fc.constantFrom(1000, 1000, 2500),
  date: fc.constantFrom(...DATES),
});
const inputs = fc
  .record({
    // Internal ids unique (a repeated id is a duplicate, another rule), in no particular order.
    memos: fc.uniqueArray(record, { minLength: 1, maxLength: 8, selector: (x) => x.id }),
    refunds: fc.uniqueArray(record, { minLength: 1, maxLength: 8, selector: (x) => x.id }),
    paid: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 2 }),
    storefront: fc.uniqueArray(record, { maxLength: 4, selector: (x) => x.id }),
  })
  .map(({ memos, refunds, paid, storefront }) => ({
    storefront: storefront.map((x) =>
      sf({ id: `90${x.id}`, orderRef: x.order, currency: x.currency, total: x.total, date: x.date }),
    ),
    netsuite: [
      ...memos.map((x) =>
        ns({
          id: String(4000 + x.id),
          recordType: 'creditMemo',
          documentNumber: `CM${x.id % 3}`,
          createdFrom: { type: 'invoice', ref: 'INV1' },
          orderRef: x.order,
          currency: x.currency,
          total: x.total,
          date: x.date,
        }),
      ),
      ...refunds.map((x, k) =>
        ns({
          id: String(5000 + x.id),
          recordType: 'customerRefund',
          createdFrom: null,
          orderRef: x.order,
          currency: x.currency,
          total: x.total,
          date: x.date,
          // A few name their memo (which then is settled: no standalone refund takes it).
          appliesTo: paid.includes(k) && memos[k] ? String(4000 + memos[k]!.id) : '',
        }),
      ),
    ],
  }));

describe('Customer Refunds without a memo named', () => {
  it('pay out the memo the object engine picks', () => {
    fc.assert(
      fc.property(inputs, ({ storefront, netsuite }) => {
        expect(outputForm(reconcile(storefront, netsuite))).toEqual(
          outputForm(reference(storefront, netsuite) as unknown as ReconcileOutput),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
