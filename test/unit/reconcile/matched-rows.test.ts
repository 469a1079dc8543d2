import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/main/reconcile/engine';
import { hintFor } from '../../../src/main/reconcile/hints';
import { MatchedRows } from '../../../src/main/reconcile/matched-rows';
import { writeCsv } from '../../../src/main/reconcile/output';
import { SortedCsvWriter } from '../../../src/main/reconcile/sorted-csv';
import { CanonicalRefund, type CanonicalRefundInput } from '../../../src/shared/model';

/**
 * Issue 15: plain matched results are written from a template (matched-rows.ts); the CSV must be
 * byte for byte what csvRow writes for every result, in the table's order, for any mix of plain
 * and not-plain cells (those go the general way) and of tenders (one a side is written from the
 * template's kind and amount, other mixes as csvRow's cells).
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-matched-rows-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const text = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[0-9]{1,16}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9#-]{1,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('=1', '+2', ' 3', '4 ', 'a,b', 'a;b', 'é', '"q"', '-5', '@x', '\u{1F600}') },
);
const refundPair = fc.record({
  id: text,
  doc: fc.oneof(text, fc.constant('')),
  nsDoc: fc.oneof(text, fc.constant('')),
  order: fc.oneof(text, fc.constant('')),
  currency: fc.constantFrom('USD', 'JPY', 'EUR'),
  total: fc.integer({ min: -500, max: 100_000 }),
  delta: fc.constantFrom(0, 0, 0, 0, 1, 250),
  recordType: fc.constantFrom('cashRefund', 'creditMemo', 'customerRefund'),
  day: fc.integer({ min: 1, max: 28 }),
  kind: fc.constantFrom('general', 'general', 'general', 'line_item'),
  // The storefront's tenders: the default (one `other` of the total), one card, card + store credit.
  tenders: fc.constantFrom('default', 'default', 'card', 'split'),
  nsTenders: fc.constantFrom('default', 'default', 'cash'),
  // Item lines on both sides (the hint's `and on every item line`), the NetSuite record's kind.
  lines: fc.boolean(),
  nsKind: fc.constantFrom('general', 'line_item'),
  // A Credit Memo's open balance (payout pending notes).
  remaining: fc.constantFrom(null, null, 0, 1),
  // A Credit Memo paid out by a Customer Refund applying it (one unit of two records).
  paidOut: fc.constantFrom(false, false, true),
  // Two storefront refunds of the order recorded as one NetSuite record (a roll-up).
  rollUp: fc.constantFrom(false, false, true),
  crDoc: fc.oneof(text, fc.constant('')),
});

const tenders = (how: string, total: number) =>
  total < 2 || how === 'default'
    ? undefined
    : how === 'split'
      ? [
          { kind: 'card' as const, gateway: 'shopify_payments', amount: total - 1 },
          { kind: 'store_credit' as const, amount: 1 },
        ]
      : [{ kind: how as 'card', amount: total }];

function build(pairs: Array<typeof refundPair extends fc.Arbitrary<infer T> ? T : never>) {
  const storefront: CanonicalRefund[] = [];
  const netsuite: CanonicalRefund[] = [];
  pairs.forEach((p, i) => {
    const date = `2026-03-${String(p.day).padStart(2, '0')}`;
    const sf: CanonicalRefundInput = {
      side: 'storefront',
      id: `${p.id}${i}`,
      documentNumber: p.doc,
      recordType: 'refund',
      orderRef: p.order,
      date,
      currency: p.currency,
      total: p.total,
      kind: p.kind as 'general',
      tenders: tenders(p.tenders, p.total),
      ...(p.lines && p.total > 0 ? { lines: [{ sku: 'SKU-1', quantity: 1, amount: p.total }] } : {}),
    };
    const ns: CanonicalRefundInput = {
      side: 'netsuite',
      id: String(5000 + i),
      documentNumber: p.nsDoc,
      recordType: p.recordType as 'cashRefund',
      orderRef: p.order,
      date,
      currency: p.currency,
      total: p.total + p.delta,
      kind: p.nsKind as 'general',
      externalId: `${p.id}${i}`,
      ...(p.lines && p.total + p.delta > 0
        ? { lines: [{ sku: 'SKU-1', quantity: 1, amount: p.total + p.delta }] }
        : {}),
      ...(p.recordType === 'creditMemo' && p.remaining !== null
        ? { amountRemaining: p.remaining === 0 ? 0 : p.total + p.delta }
        : {}),
      tenders: tenders(p.nsTenders, p.total + p.delta),
    };
    const rolled = p.rollUp && p.total >= 2;
    if (rolled) {
      const first = Math.floor(p.total / 2);
      const part = (id: string, total: number): CanonicalRefundInput => ({
        ...sf,
        id,
        total,
        tenders: undefined,
        ...(p.lines ? { lines: [{ sku: 'SKU-1', quantity: 1, amount: total }] } : {}),
      });
      storefront.push(CanonicalRefund.parse(part(`${p.id}${i}`, first)));
      storefront.push(CanonicalRefund.parse(part(`${p.id}${i}r`, p.total - first)));
    } else storefront.push(CanonicalRefund.parse(sf));
    netsuite.push(CanonicalRefund.parse(rolled ? { ...ns, externalId: '' } : ns));
    if (p.paidOut && p.recordType === 'creditMemo') {
      netsuite.push(
        CanonicalRefund.parse({
          side: 'netsuite',
          id: String(90_000 + i),
          documentNumber: p.crDoc,
          recordType: 'customerRefund',
          orderRef: p.order,
          date,
          currency: p.currency,
          total: p.total + p.delta,
          kind: 'general',
          appliesTo: String(5000 + i),
          tenders: tenders(p.nsTenders, p.total + p.delta),
        } satisfies CanonicalRefundInput),
      );
    }
  });
  return { storefront, netsuite };
}

describe('matched rows from a template', () => {
  it('write what csvRow writes, in the table order, merged with the general rows', () => {
    let templated = 0;
    const withNotes = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(refundPair, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(2, 1_000_000),
        (pairs, runRows) => {
          const { storefront, netsuite } = build(pairs);
          const out = reconcile(storefront, netsuite);
          let expected = '';
          writeCsv(out, (c) => (expected += c));
          let actual = '';
          const writer = new SortedCsvWriter(
            (c) => (actual += c),
            () => tmp,
            runRows,
          );
          for (const r of out.results) writer.add(r);
          writer.finish();
          expect(actual).toBe(expected);
          const probe = new MatchedRows();
          for (const r of out.results) {
            if (!probe.add(r)) continue;
            templated++;
            const hint = hintFor(r);
            if (hint.includes('Tender unverified')) withNotes.add('unverified');
            if (hint.includes('payout pending')) withNotes.add('pending');
            if (hint.includes('and on every item line')) withNotes.add('lines');
            if (hint.includes('(paid out by')) withNotes.add('paid out');
            if (hint.includes('compared as a whole')) withNotes.add('roll-up');
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(templated).toBeGreaterThan(100);
    // The template also writes hints with tender notes and the line clause.
    expect(
      withNotes.has('lines') && withNotes.has('unverified') && withNotes.has('paid out') && withNotes.has('roll-up'),
    ).toBe(true);
  });
});
