import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOddRowsAtOnce } from '../../../src/main/importers/canonical-csv-odd-row';
import { flatTableOf, ROW_ODD } from '../../../src/main/reconcile/flat-fast/flat-table';
import { OddRowRefunds } from '../../../src/main/reconcile/flat-fast/odd-row-refund';
import type { Side } from '../../../src/shared/model';
import { csv, HEADER, row } from '../importers/flat-canonical-rows';

// A row with a tenders cell is read from its bytes (odd-row-refund.ts, canonical-tenders-bytes.ts)
// when the cell is a plain one, else by the full importer. Whatever the cell, the byte reader must
// give the importer's refund (same values, same keys in the same order) or nothing: never a refund
// the importer refuses (that row's error is the importer's, worded with file, line and field).

/** `A` is the row's total as written; `6.17|6.17` and `0.25|0.25` split 12.34 and 0.50. */
const plainCells = [
  'store_credit::A',
  'cash::A',
  'card:shopify_payments:A',
  'other::A',
  'exchange:x:A',
  'card::6.17|cash::6.17',
  'gift_card:gc:0.25|store_credit::0.25',
  'cash::12.34',
  'cash::1200',
];
/** What the importer reads differently, or refuses: the byte reader must leave all of these to it. */
const oddCells = [
  ' cash::A',
  'cash::A ',
  'cash: :A',
  'bogus::A',
  'CASH::A',
  '::A',
  'cash:A',
  'cash:a:b:A',
  'cash::-A',
  'cash::A|',
  '|cash::A',
  'cash::A||card::1.00',
  'gift_card:gift%3Acard:A',
  'gift_card:g%7C:A',
  'gift_card:g%25:A',
  'cash::0.00',
  'cash::0',
  'cash::1;200.00',
  'cash::USD 12.34',
  'cash::$12.34',
  'cash::12.3',
  'cash::012.34',
  'cash::A|cash::A',
  ' ',
  'cash::(A)',
];
const kind = fc.constantFrom('cash', 'card', 'store_credit', 'gift_card', 'exchange', 'other', 'nope', '');
const gateway = fc.constantFrom('', '', 'shopify_payments', 'gc', 'a%3Ab', 'a b');
const amount = fc.constantFrom('A', 'A', '6.17', '12.34', '0.50', '0.25', '1200', '7', '-1.00', '1.5', '0.00');
const composed = fc
  .array(fc.tuple(kind, gateway, amount), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map((p) => p.join(':')).join('|'));
const tenders = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...plainCells) },
  { weight: 2, arbitrary: fc.constantFrom(...oddCells) },
  { weight: 2, arbitrary: composed },
);

describe('flat-fast odd row refunds (a tenders cell read from its bytes)', () => {
  it('equal the full importer’s refund, or leave the row to it', async () => {
    let odd = 0;
    let read = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Side>('storefront', 'netsuite').chain((side) => fc.tuple(fc.constant(side), row(side))),
        tenders,
        fc.constantFrom('', ',tenderDetail', ',creditDetail,tenderDetail'),
        async ([side, r], cell, extra) => {
          const header = `${HEADER},tenders${extra}`;
          const text = csv([{ ...r, tenders: cell }], true, header);
          const t = flatTableOf(Buffer.from(text, 'latin1'), side);
          if (!t || (t.flags[0]! & ROW_ODD) === 0) return;
          odd++;
          const byBytes = new OddRowRefunds(t).refund(0);
          const rowText = text.slice(text.indexOf('\n') + 1, -1);
          const byImporter = await readOddRowsAtOnce('f.csv', side, header, [rowText]);
          if (byImporter === null) refused++;
          if (byBytes === null) return;
          read++;
          expect(byImporter).not.toBeNull();
          expect(byBytes).toStrictEqual(byImporter![0]);
          expect(JSON.stringify(byBytes)).toBe(JSON.stringify(byImporter![0]));
        },
      ),
      { numRuns: 1500 },
    );
    // The generator reaches both ways: rows read from their bytes and rows the importer refuses.
    expect(read).toBeGreaterThan(odd / 5);
    expect(refused).toBeGreaterThan(odd / 10);
  });
});
