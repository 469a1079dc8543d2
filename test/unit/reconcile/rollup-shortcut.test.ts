import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReconcileResult, reconcile } from '../../../src/main/reconcile/engine';
import type { CanonicalDispute, CanonicalRefund } from '../../../src/shared/model';
import { resultForm } from './forms';
import { ns, sf } from './helpers';
import { reconcile as reference } from './reference-engine';

/**
 * engine.ts `rollupOfTwo`: an order of two storefront refunds and one NetSuite refund that rule 3
 * rolls up is emitted without running rules 2 and 3. With the shortcut (default) and without it
 * (`plainBlock: false`, the general path) every result and the summary must be the same, also for
 * the orders it must leave alone: one refund's total equal to the unit's, three refunds, sums off
 * by the tolerance, lines that do not sum, other and presentment currencies, no money moved, a
 * refund key naming one of them, a Credit Memo with its Customer Refund, disputes.
 */
const SKUS = ['TEE-CLS-L', 'CAP-WOOL'];
const lines = fc.array(
  fc.record({
    sku: fc.constantFrom(...SKUS),
    quantity: fc.integer({ min: 1, max: 2 }),
    amount: fc.constantFrom(1200, 2400),
  }),
  { maxLength: 2 },
);
const refund = fc.record({
  // 0 and 1: a refund whose partner alone is within tolerance of the unit (rule 2 pairs it).
  total: fc.constantFrom(1200, 1200, 2400, 3600, 1201, 1, 0),
  failed: fc.constantFrom(false, false, false, false, true),
  currency: fc.constantFrom('USD', 'USD', 'USD', 'EUR'),
  presentment: fc.option(fc.record({ currency: fc.constantFrom('EUR', 'CAD'), total: fc.constantFrom(1100, 2200) }), {
    freq: 6,
    nil: null,
  }),
  date: fc.constantFrom('2026-01-01', '2026-01-02', '2026-01-20', '2026-03-01'),
  moneyMoved: fc.constantFrom(true, true, true, false),
  lines,
});
const order = fc.record({
  // Mostly two refunds (the shortcut's case), some one or three.
  sfs: fc
    .integer({ min: 0, max: 5 })
    .chain((n) => fc.array(refund, { minLength: [1, 2, 2, 2, 2, 3][n]!, maxLength: [1, 2, 2, 2, 2, 3][n]! })),
  // The NetSuite total: the storefront sum, that sum off by one or two minor units, or another.
  nsTotal: fc.constantFrom('sum', 'sum', 'sum', 'sum', 'sum', 'plus1', 'plus2', 'other'),
  nsCurrency: fc.constantFrom('same', 'same', 'same', 'EUR', 'CAD'),
  nsLines: fc.constantFrom('concat', 'concat', 'none', 'other'),
  type: fc.constantFrom('cashRefund', 'cashRefund', 'cashRefund', 'creditMemo', 'memoPaid'),
  // A refund key naming a refund of this order or of the next (two units may name one refund).
  keyOf: fc.option(fc.record({ next: fc.boolean(), at: fc.integer({ min: 0, max: 2 }) }), { freq: 4, nil: null }),
  dispute: fc.constantFrom(false, false, false, true),
});
const inputs = fc.record({
  orders: fc.array(order, { minLength: 1, maxLength: 6 }),
  tolerance: fc.constantFrom('0.01', '0.00', '0.02'),
});

type Order = typeof order extends fc.Arbitrary<infer T> ? T : never;

function build(orders: Order[]) {
  const storefront: CanonicalRefund[] = [];
  const netsuite: CanonicalRefund[] = [];
  const disputes: CanonicalDispute[] = [];
  const idsOf = orders.map((o, k) => o.sfs.map((_, i) => `9${k}${i}`));
  orders.forEach((o, k) => {
    const orderRef = `#${2000 + k}`;
    o.sfs.forEach((x, i) => {
      const id = idsOf[k]![i]!;
      storefront.push(
        sf({
          id,
          orderRef,
          currency: x.currency,
          total: x.moneyMoved ? x.total : 0,
          presentment: x.presentment,
          date: x.date,
          moneyMoved: x.moneyMoved,
          status: x.failed ? 'failed' : 'ok',
          kind: x.lines.length > 0 ? 'line_item' : 'general',
          lines: x.lines.map((l) => ({ ...l, description: '', tax: 0, role: 'item' as const })),
        }),
      );
    });
    const first = o.sfs[0]!;
    const sum = o.sfs.reduce((acc, x) => acc + (x.moneyMoved ? x.total : 0), 0);
    const total = o.nsTotal === 'sum' ? sum : o.nsTotal === 'plus1' ? sum + 1 : o.nsTotal === 'plus2' ? sum + 2 : 2400;
    const currency = o.nsCurrency === 'same' ? first.currency : o.nsCurrency;
    const allLines = o.sfs.flatMap((x) => x.lines);
    const nsLines =
      o.nsLines === 'concat' ? allLines : o.nsLines === 'other' ? [{ sku: 'CAP-WOOL', quantity: 3, amount: 999 }] : [];
    const memo = o.type !== 'cashRefund';
    netsuite.push(
      ns({
        id: String(7000 + k),
        orderRef,
        currency,
        total,
        date: first.date,
        recordType: memo ? 'creditMemo' : 'cashRefund',
        createdFrom: memo ? { type: 'invoice', ref: 'INV1' } : { type: 'cashSale', ref: 'CS1' },
        externalId: (o.keyOf && idsOf[o.keyOf.next ? k + 1 : k]?.[o.keyOf.at]) ?? '',
        kind: nsLines.length > 0 ? 'line_item' : 'general',
        lines: nsLines.map((l) => ({ ...l, description: '', tax: 0, role: 'item' as const })),
      }),
    );
    if (o.type === 'memoPaid') {
      netsuite.push(
        ns({
          id: String(8000 + k),
          orderRef,
          currency,
          total,
          date: first.date,
          recordType: 'customerRefund',
          createdFrom: null,
          appliesTo: String(7000 + k),
        }),
      );
    }
    if (o.dispute) {
      disputes.push({
        id: `D${k}`,
        orderRef,
        type: 'chargeback',
        status: 'lost',
        amount: total,
        currency,
        initiatedAt: '2026-01-05',
        finalizedOn: null,
      });
    }
  });
  return { storefront, netsuite, disputes };
}

const form = (r: ReconcileResult) => ({
  ...resultForm(r),
  tenderCheck: r.tenderCheck,
  dispute: r.dispute,
  codeSeverity: r.codeSeverity,
});

describe('the roll-up of two refunds into one, decided before rules 2 and 3', () => {
  it('gives exactly the general path’s results and summary', () => {
    let shortcut = 0;
    fc.assert(
      fc.property(inputs, ({ orders, tolerance }) => {
        const { storefront, netsuite, disputes } = build(orders);
        const rules = { tolerance: { default: tolerance, byCurrency: {} } };
        const fast = reconcile(storefront, netsuite, rules, { disputes });
        const general = reconcile(storefront, netsuite, rules, { disputes, plainBlock: false });
        expect(fast.results.map(form)).toEqual(general.results.map(form));
        expect(fast.summary).toEqual(general.summary);
        expect(fast.notCompared.map((r) => r.id)).toEqual(general.notCompared.map((r) => r.id));
        shortcut += fast.results.filter(
          (r) => r.matchedBy === 'order_rollup' && r.storefront.length === 2 && r.netsuite.length === 1,
        ).length;
      }),
      { numRuns: 1500 },
    );
    // The generator reaches the shortcut's case often (not only the cases it must refuse).
    expect(shortcut).toBeGreaterThan(100);
  });

  it('agrees with the object engine', () => {
    fc.assert(
      fc.property(inputs, ({ orders, tolerance }) => {
        const { storefront, netsuite } = build(orders);
        const rules = { tolerance: { default: tolerance, byCurrency: {} } };
        expect(reconcile(storefront, netsuite, rules).results.map(resultForm)).toEqual(
          (reference(storefront, netsuite, rules).results as ReconcileResult[]).map(resultForm),
        );
      }),
      { numRuns: 500 },
    );
  });
});
