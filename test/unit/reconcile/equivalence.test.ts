import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCHED_KINDS, PLANTED_KINDS } from '../../../src/main/demo/cases';
import { type ReconcileOutput, reconcile } from '../../../src/main/reconcile/engine';
import type { CanonicalRefund } from '../../../src/shared/model';
import { outputForm } from './forms';
import { fromCases, ns, sf } from './helpers';
import { reconcile as reference } from './reference-engine';

/**
 * The columnar engine (global rules on indices, one order materialised at a time, results streamed)
 * must give exactly what the object engine it replaced gave: same results, same order, same hints.
 */
const SKUS = ['TEE-CLS-M', 'CAP-WOOL', 'SOCK-3PK', ' CAP-WOOL', ''];
const line = fc.record({
  sku: fc.constantFrom(...SKUS),
  description: fc.constantFrom('', 'Gift wrap'),
  quantity: fc.integer({ min: 0, max: 3 }),
  amount: fc.constantFrom(500, 1000, 1001, 2400),
  tax: fc.constantFrom(0, 41),
  role: fc.constantFrom('item', 'item', 'item', 'shipping', 'generic', 'tax') as fc.Arbitrary<
    CanonicalRefund['lines'][number]['role']
  >,
});
const base = fc.record({
  orderRef: fc.constantFrom('#1001', '#1002', '1003', 'Order #1004', ''),
  date: fc.constantFrom('2026-01-01', '2026-01-03', '2026-01-09', '2026-02-20'),
  currency: fc.constantFrom('USD', 'EUR', 'JPY'),
  total: fc.constantFrom(0, 999, 1000, 1001, 1500, 2500),
  shipping: fc.constantFrom(0, 500),
  lines: fc.array(line, { maxLength: 3 }),
  moneyMoved: fc.boolean(),
  presentment: fc.option(fc.record({ currency: fc.constantFrom('EUR', 'CAD'), total: fc.constantFrom(1000, 1400) }), {
    nil: null,
  }),
});
const inputs = fc
  .record({
    s: fc.array(
      fc.record({ b: base, id: fc.integer({ min: 0, max: 20 }), status: fc.constantFrom('ok', 'ok', 'failed') }),
      {
        maxLength: 16,
      },
    ),
    n: fc.array(
      fc.record({
        b: base,
        id: fc.integer({ min: 0, max: 24 }),
        type: fc.constantFrom('cashRefund', 'creditMemo', 'customerRefund') as fc.Arbitrary<
          CanonicalRefund['recordType']
        >,
        key: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
        keyForm: fc.constantFrom('', 'shopify-refund-', 'SR-', 'gid://shopify/Refund/'),
        status: fc.constantFrom('ok', 'ok', 'ok', 'voided') as fc.Arbitrary<CanonicalRefund['status']>,
        from: fc.constantFrom('cashSale', 'invoice', 'salesOrder', null),
        applies: fc.option(fc.integer({ min: 0, max: 24 }), { nil: null }),
        doc: fc.constantFrom('A', 'B'),
      }),
      { maxLength: 18 },
    ),
  })
  .map(({ s, n }) => ({
    storefront: s.map((x) =>
      sf({
        id: `90${x.id}`,
        ...x.b,
        status: x.status as CanonicalRefund['status'],
        kind: x.b.lines.length > 0 ? 'line_item' : 'general',
        total: x.b.moneyMoved ? x.b.total : 0,
      }),
    ),
    netsuite: n.map((x) =>
      ns({
        id: String(4000 + x.id),
        ...x.b,
        presentment: null,
        documentNumber: `${x.doc}${x.id}`,
        recordType: x.type,
        kind: x.b.lines.length > 0 ? 'line_item' : 'general',
        externalId: x.key === null ? '' : `${x.keyForm}90${x.key}`,
        status: x.status,
        createdFrom: x.type === 'customerRefund' || x.from === null ? null : { type: x.from, ref: 'X1' },
        appliesTo: x.type === 'customerRefund' && x.applies !== null ? String(4000 + x.applies) : '',
        moneyMoved: true,
      }),
    ),
  }));

describe('columnar engine ≡ object engine', () => {
  it('random inputs with repeated ids, keys, roll-ups, presentment money and every line role', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.constantFrom(
          {},
          { tolerance: { default: '0.05', byCurrency: {} } },
          { itemMapping: { 'TEE-CLS-M': 'CAP-WOOL' } },
          { storefrontLineItems: 'no' as const },
          { refundKeyField: 'documentNumber' as const },
        ),
        ({ storefront, netsuite }, rules) => {
          expect(outputForm(reconcile(storefront, netsuite, rules))).toEqual(
            outputForm(reference(storefront, netsuite, rules) as unknown as ReconcileOutput),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('realistic cases of every kind, several seeds', () => {
    for (const seed of [1, 7, 42]) {
      const kinds = [...MATCHED_KINDS, ...PLANTED_KINDS, ...PLANTED_KINDS, ...MATCHED_KINDS];
      const { storefront, netsuite } = fromCases(kinds, seed);
      expect(outputForm(reconcile(storefront, netsuite))).toEqual(
        outputForm(reference(storefront, netsuite) as unknown as ReconcileOutput),
      );
    }
  });
});
