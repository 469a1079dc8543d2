import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReconcileOutput, reconcile } from '../../../src/main/reconcile/engine';
import type { CanonicalRefund, Tender } from '../../../src/shared/model';
import { outputForm } from './forms';
import { ns, sf } from './helpers';
import { reconcile as reference } from './reference-engine';

/**
 * tenders.md §2 rule 1 — among candidates of equal total, one whose tenders agree wins before the
 * nearer date — holds in orders of more than 256 candidate pairs too, where the engine no longer
 * tries every pair (src/main/reconcile/tender-first-pairs.ts), and the engine agrees with the
 * reference engine, which checks every pair.
 */

const tender = (kind: Tender['kind'], amount: number, state: Tender['state'] = 'settled'): Tender => ({
  kind,
  gateway: kind === 'card' ? 'shopify_payments' : kind === 'store_credit' ? 'shopify_store_credit' : '',
  amount,
  presentmentAmount: null,
  state,
  ref: '',
});

/** Day n of 2026 as a date (n from 1). */
const day = (n: number) => new Date(Date.UTC(2026, 0, n)).toISOString().slice(0, 10);

const RULES = { tolerance: { default: '0.01', byCurrency: {} }, asOf: '2026-03-31' };

describe('§2 rule 1 in a large order', () => {
  it('case 31 twenty times over on one order (40 × 40 candidates): every refund meets its tender', () => {
    const storefront: CanonicalRefund[] = [];
    const netsuite: CanonicalRefund[] = [];
    for (let i = 0; i < 20; i++) {
      // A: card 50.00 a day after B; the Cash Refund is dated like B, the open memo like A.
      storefront.push(sf({ id: `A${i}`, date: day(2 * i + 2), total: 5000, tenders: [tender('card', 5000)] }));
      storefront.push(sf({ id: `B${i}`, date: day(2 * i + 1), total: 5000, tenders: [tender('store_credit', 5000)] }));
      netsuite.push(
        ns({
          id: `CashR${i}`,
          date: day(2 * i + 1),
          total: 5000,
          recordType: 'cashRefund',
          createdFrom: { type: 'cashSale', ref: 'CS1' },
          tenders: [{ ...tender('card', 5000), gateway: 'VISA' }],
        }),
      );
      netsuite.push(
        ns({
          id: `CM${i}`,
          date: day(2 * i + 2),
          total: 5000,
          recordType: 'creditMemo',
          createdFrom: { type: 'invoice', ref: 'INV1' },
          tenders: [{ ...tender('store_credit', 5000, 'open'), gateway: 'open-credit' }],
        }),
      );
    }
    const out = reconcile(storefront, netsuite, RULES);
    const pairs = out.results.map((r) => [r.storefront.map((s) => s.id).join(), r.netsuite.map((n) => n.id).join()]);
    // Nearest date alone would pair A with the memo (old open credit for a card: credit_not_paid_out)
    // and B with the Cash Refund (store credit paid as money: tender_mismatch).
    for (let i = 0; i < 20; i++) {
      expect(pairs).toContainEqual([`A${i}`, `CashR${i}`]);
      expect(pairs).toContainEqual([`B${i}`, `CM${i}`]);
    }
    expect(out.summary.byCode).toEqual({ matched: 40 });
    expect(outputForm(out)).toEqual(outputForm(reference(storefront, netsuite, RULES) as unknown as ReconcileOutput));
  });

  it('random large orders of few tender splits: the same results as the reference engine', () => {
    const KINDS = ['card', 'store_credit', 'gift_card', 'other'] as const;
    const record = fc.record({
      day: fc.integer({ min: 1, max: 60 }),
      total: fc.constantFrom(2000, 2001, 5000),
      kind: fc.constantFrom(...KINDS),
      memo: fc.boolean(),
      open: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 17, maxLength: 30 }),
        fc.array(record, { minLength: 17, maxLength: 30 }),
        (s, n) => {
          const storefront = s.map((x, i) =>
            sf({ id: `S${i}`, date: day(x.day), total: x.total, tenders: [tender(x.kind, x.total)] }),
          );
          const netsuite = n.map((x, i) =>
            ns({
              id: `N${i}`,
              date: day(x.day),
              total: x.total,
              recordType: x.memo ? 'creditMemo' : 'cashRefund',
              createdFrom: x.memo ? { type: 'invoice', ref: 'INV1' } : { type: 'cashSale', ref: 'CS1' },
              tenders: [tender(x.kind, x.total, x.memo && x.open ? 'open' : 'settled')],
            }),
          );
          const out = reconcile(storefront, netsuite, RULES);
          expect(outputForm(out)).toEqual(
            outputForm(reference(storefront, netsuite, RULES) as unknown as ReconcileOutput),
          );
          const seen = out.results.flatMap((r) => [...r.storefront, ...r.netsuite].map((x) => x.id));
          expect(seen.sort()).toEqual([...storefront, ...netsuite].map((x) => x.id).sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});
