import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReconcileOutput, reconcile } from '../../../src/main/reconcile/engine';
import { EXCHANGE_BLOCK_BIT, TENDER_CLASS_BITS } from '../../../src/main/reconcile/tender-class-bits';
import { resultTenders, tenderClassBits } from '../../../src/main/reconcile/tender-output';
import type { CanonicalRefund, Tender } from '../../../src/shared/model';
import { outputForm } from './forms';
import { ns, sf } from './helpers';
import { reconcile as reference } from './reference-engine';

/**
 * The engine and the reference engine (its own reading of tenders.md §2–§3) agree on random
 * refunds with tenders: split storefront refunds, Credit Memos with open, applied and paid-out parts
 * and their Customer Refunds, exchanges; and every record ends in exactly one result.
 */

const KINDS = ['card', 'cash', 'store_credit', 'gift_card', 'exchange', 'other'] as const;
const STATES = ['settled', 'open', 'applied', 'paid_out'] as const;

const tender = (kind: Tender['kind'], amount: number, state: Tender['state'] = 'settled', ref = ''): Tender => ({
  kind,
  gateway: kind === 'card' ? 'VISA' : '',
  amount,
  presentmentAmount: null,
  state,
  ref,
});

const split = fc.record({
  total: fc.constantFrom(1000, 2500, 5000),
  first: fc.constantFrom(...KINDS),
  second: fc.option(fc.constantFrom(...KINDS), { nil: null }),
  share: fc.constantFrom(200, 500, 1000),
  state: fc.constantFrom(...STATES),
});

const inputs = fc
  .record({
    s: fc.array(fc.record({ order: fc.integer({ min: 1, max: 4 }), day: fc.integer({ min: 1, max: 28 }), t: split }), {
      maxLength: 8,
    }),
    n: fc.array(
      fc.record({
        order: fc.integer({ min: 1, max: 4 }),
        day: fc.integer({ min: 1, max: 28 }),
        t: split,
        type: fc.constantFrom('cashRefund', 'creditMemo', 'creditMemo'),
        payout: fc.option(fc.constantFrom('card', 'cash', 'store_credit', 'other'), { nil: null }),
      }),
      { maxLength: 8 },
    ),
    asOf: fc.constantFrom('2026-01-05', '2026-01-20', '2026-03-01'),
  })
  .map(({ s, n, asOf }) => {
    const parts = (
      t: { total: number; first: Tender['kind']; second: Tender['kind'] | null; share: number },
      state: Tender['state'],
    ) =>
      t.second === null || t.share >= t.total
        ? [tender(t.first, t.total, state)]
        : [tender(t.first, t.total - t.share, state), tender(t.second, t.share)];
    const storefront = s.map((x, i) =>
      sf({
        id: `S${i}`,
        orderRef: `#${x.order}`,
        date: `2026-01-${String(x.day).padStart(2, '0')}`,
        total: x.t.total,
        tenders: parts(x.t, 'settled'),
      }),
    );
    const netsuite: CanonicalRefund[] = [];
    n.forEach((x, i) => {
      const date = `2026-01-${String(x.day).padStart(2, '0')}`;
      const memo = x.type === 'creditMemo';
      netsuite.push(
        ns({
          id: `N${i}`,
          orderRef: `#${x.order}`,
          date,
          total: x.t.total,
          recordType: x.type as CanonicalRefund['recordType'],
          createdFrom: memo ? { type: 'invoice', ref: 'INV1' } : { type: 'cashSale', ref: 'CS1' },
          tenders: memo ? parts(x.t, x.t.state) : parts(x.t, 'settled'),
        }),
      );
      if (memo && x.payout) {
        netsuite.push(
          ns({
            id: `P${i}`,
            orderRef: `#${x.order}`,
            date,
            total: Math.min(x.t.share, x.t.total),
            recordType: 'customerRefund',
            createdFrom: null,
            appliesTo: `N${i}`,
            tenders: [tender(x.payout as Tender['kind'], Math.min(x.t.share, x.t.total))],
          }),
        );
      }
    });
    return { storefront, netsuite, asOf };
  });

describe('tender matching ≡ the reference engine', () => {
  it('random tenders, memo parts and payouts: same results, codes, hints and per-class totals', () => {
    fc.assert(
      fc.property(inputs, ({ storefront, netsuite, asOf }) => {
        const rules = { tolerance: { default: '0.01', byCurrency: {} }, asOf };
        const out = reconcile(storefront, netsuite, rules);
        expect(outputForm(out)).toEqual(
          outputForm(reference(storefront, netsuite, rules) as unknown as ReconcileOutput),
        );
        // Every record in exactly one result.
        const seen = out.results.flatMap((r) => [...r.storefront.map((x) => x.id), ...r.netsuite.map((x) => x.id)]);
        expect(seen.sort()).toEqual([...storefront.map((x) => x.id), ...netsuite.map((x) => x.id)].sort());
      }),
      { numRuns: 400 },
    );
  });

  it('a compact row’s tender classes (the writer’s quick bits) are the classes of the split the outputs show', () => {
    let withClasses = 0;
    fc.assert(
      fc.property(inputs, ({ storefront, netsuite, asOf }) => {
        const out = reconcile(storefront, netsuite, { tolerance: { default: '0.01', byCurrency: {} }, asOf });
        for (const r of out.results) {
          const split = resultTenders(r);
          const expected =
            split.byClass.reduce((bits, c) => bits | TENDER_CLASS_BITS[c.class], 0) |
            (split.exchange ? EXCHANGE_BLOCK_BIT : 0);
          expect(tenderClassBits(r)).toBe(expected);
          if (expected !== 0) withClasses++;
        }
      }),
      { numRuns: 200 },
    );
    expect(withClasses).toBeGreaterThan(100);
  });
});
