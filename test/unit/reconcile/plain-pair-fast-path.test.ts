import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReconcileOutput, reconcile } from '../../../src/main/reconcile/engine';
import type { CanonicalRefund } from '../../../src/shared/model';
import { outputForm } from './forms';
import { ns, sf } from './helpers';
import { reconcile as reference } from './reference-engine';

/**
 * The engine's shortcuts for the common case — an order of one storefront refund and one NetSuite
 * record with equal totals (`plainPair`), and a refund key that is the storefront id itself
 * (`keyHit` before the prefix patterns, the ids of the unit's own order before the index) —
 * against the reference engine, on inputs made mostly of
 * such orders and of the near misses around them: totals just outside the tolerance, another
 * currency, presentment money, a Credit Memo with its Customer Refund, voided records, keys with
 * prefixes, blanks and whitespace, a key naming a refund of another order.
 */
const pairs = fc.array(
  fc.record({
    order: fc.integer({ min: 0, max: 40 }),
    sfId: fc.integer({ min: 0, max: 45 }),
    nsId: fc.integer({ min: 0, max: 45 }),
    date: fc.constantFrom('2026-01-01', '2026-01-02', '2026-03-01'),
    nsDate: fc.constantFrom('2026-01-01', '2026-01-04', '2026-05-01'),
    currency: fc.constantFrom('USD', 'USD', 'USD', 'EUR'),
    nsCurrency: fc.constantFrom('USD', 'USD', 'USD', 'EUR', 'CAD'),
    total: fc.constantFrom(0, 1000, 1000, 2500),
    delta: fc.constantFrom(0, 0, 0, 1, 4, 5, 6, -3, 700),
    presentment: fc.option(fc.constantFrom({ currency: 'CAD', total: 1400 }, { currency: 'EUR', total: 1000 }), {
      nil: null,
      freq: 4,
    }),
    moneyMoved: fc.constantFrom(true, true, true, false),
    nsType: fc.constantFrom('cashRefund', 'cashRefund', 'cashRefund', 'creditMemo', 'customerRefund') as fc.Arbitrary<
      CanonicalRefund['recordType']
    >,
    status: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'voided') as fc.Arbitrary<CanonicalRefund['status']>,
    withCustomerRefund: fc.boolean(),
    key: fc.constantFrom('', 'own', 'own', 'OWN', ' own ', 'prefix', 'other', '   '),
    lines: fc.constantFrom('same', 'same', 'none', 'differ'),
    nsOnly: fc.constantFrom(false, false, false, false, true),
  }),
  { maxLength: 30 },
);

function toInputs(
  list: Array<{
    order: number;
    sfId: number;
    nsId: number;
    date: string;
    nsDate: string;
    currency: string;
    nsCurrency: string;
    total: number;
    delta: number;
    presentment: { currency: string; total: number } | null;
    moneyMoved: boolean;
    nsType: CanonicalRefund['recordType'];
    status: CanonicalRefund['status'];
    withCustomerRefund: boolean;
    key: string;
    lines: string;
    nsOnly: boolean;
  }>,
) {
  const storefront: CanonicalRefund[] = [];
  const netsuite: CanonicalRefund[] = [];
  const item = (amount: number) => ({
    sku: 'TEE-CLS-M',
    description: '',
    quantity: 1,
    amount,
    tax: 0,
    role: 'item' as const,
  });
  list.forEach((p, k) => {
    const orderRef = `#${1000 + p.order}`;
    const sfId = `8${p.sfId}`;
    if (!p.nsOnly) {
      storefront.push(
        sf({
          id: sfId,
          orderRef,
          date: p.date,
          currency: p.currency,
          total: p.moneyMoved ? p.total : 0,
          moneyMoved: p.moneyMoved,
          presentment: p.presentment,
          kind: p.lines === 'none' ? 'general' : 'line_item',
          lines: p.lines === 'none' ? [] : [item(p.total)],
        }),
      );
    }
    const key =
      p.key === 'own'
        ? sfId
        : p.key === 'OWN'
          ? `SR-${sfId}`
          : p.key === ' own '
            ? ` ${sfId} `
            : p.key === 'prefix'
              ? `shopify-refund-${sfId}`
              : p.key === 'other'
                ? `8${(p.sfId + 1) % 46}`
                : p.key;
    const nsId = String(4000 + p.nsId);
    const total = p.total + p.delta;
    netsuite.push(
      ns({
        id: nsId,
        // The key in the document number too, for the rules that read it there.
        documentNumber: key.trim() === '' ? `CM${k}` : key,
        memo: key === '' ? '' : `Refund ${key}`,
        orderRef,
        date: p.nsDate,
        currency: p.nsCurrency,
        total,
        recordType: p.nsType,
        status: p.status,
        externalId: key,
        kind: p.lines === 'none' ? 'general' : 'line_item',
        lines: p.lines === 'none' ? [] : [item(p.lines === 'differ' ? total + 100 : total)],
        createdFrom: p.nsType === 'customerRefund' ? null : { type: 'cashSale', ref: 'CS1' },
      }),
    );
    if (p.nsType === 'creditMemo' && p.withCustomerRefund) {
      netsuite.push(
        ns({
          id: String(6000 + p.nsId),
          documentNumber: `CR${k}`,
          orderRef,
          date: p.nsDate,
          currency: p.nsCurrency,
          total,
          recordType: 'customerRefund',
          appliesTo: nsId,
          createdFrom: null,
        }),
      );
    }
  });
  return { storefront, netsuite };
}

describe('plain one-to-one orders and whole-id refund keys ≡ the reference engine', () => {
  it('random orders, mostly one refund a side', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.constantFrom(
          {},
          { tolerance: { default: '0.05', byCurrency: {} } },
          { refundKeyField: 'documentNumber' as const },
          { refundKeyField: 'memo' as const },
        ),
        (list, rules) => {
          const { storefront, netsuite } = toInputs(list);
          expect(outputForm(reconcile(storefront, netsuite, rules))).toEqual(
            outputForm(reference(storefront, netsuite, rules) as unknown as ReconcileOutput),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });
});
