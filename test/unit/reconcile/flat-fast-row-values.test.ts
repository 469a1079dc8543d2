import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_CSV_COLUMNS } from '../../../src/main/importers/canonical-csv';
import { flatTableOf } from '../../../src/main/reconcile/flat-fast/flat-table';
import { emptyValues, rowValues } from '../../../src/main/reconcile/flat-fast/row-values';
import { orderKeyOf } from '../../../src/main/store/memory-snapshot';
import { dayNumber } from '../../../src/shared/day-number';

// rowValues reads a row without memo and appliesTo from the table's offsets (the date's end found by
// its comma) and any other row by splitting it on commas: both must give the cells a plain split
// of the row gives, whatever the column order (the date last, say) and cell contents.
const cellText = fc.stringMatching(/^[0-9A-Za-z #.;=_-]{0,10}$/);
const row = fc.record({
  id: fc.stringMatching(/^[0-9a-zA-Z]{1,8}$/),
  doc: fc.oneof(fc.constant(''), fc.constant('same'), cellText),
  orderRef: fc.oneof(
    fc.integer({ min: 1, max: 99999 }).map((n) => `#${n}`),
    cellText,
  ),
  date: fc
    .tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  externalId: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 999999 }).map(String), cellText),
  memo: fc.oneof(fc.constant(''), fc.constant(''), cellText),
  appliesTo: fc.oneof(fc.constant(''), fc.constant(''), cellText),
});

describe('flat-fast rowValues', () => {
  it('gives the cells of a plain split of the row, with or without memo and appliesTo', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...CANONICAL_CSV_COLUMNS], { minLength: CANONICAL_CSV_COLUMNS.length }),
        fc.array(row, { minLength: 1, maxLength: 40 }),
        (names, rows) => {
          const lines = rows.map((r, k) => {
            const cells: Record<string, string> = {
              side: 'netsuite',
              id: `${r.id}x${k}`,
              documentNumber: r.doc === 'same' ? `${r.id}x${k}` : r.doc,
              recordType: 'cashRefund',
              orderRef: r.orderRef,
              date: r.date,
              currency: 'USD',
              total: '12.34',
              kind: 'general',
              externalId: r.externalId,
              memo: r.memo,
              isTest: 'false',
              status: 'ok',
              appliesTo: r.appliesTo,
              moneyMoved: 'true',
            };
            return names.map((n) => cells[n] ?? '').join(',');
          });
          const t = flatTableOf(Buffer.from(`${names.join(',')}\n${lines.join('\n')}\n`, 'latin1'), 'netsuite');
          expect(t).not.toBeNull();
          for (let k = 0; k < rows.length; k++) {
            const split = lines[k]!.split(',');
            const cell = (name: string) => split[names.indexOf(name as (typeof names)[number])]!;
            const v = rowValues(t!, k, emptyValues());
            expect(v).toMatchObject({
              id: cell('id'),
              documentNumber: cell('documentNumber'),
              orderRef: cell('orderRef'),
              orderKey: orderKeyOf(cell('orderRef')),
              day: dayNumber(cell('date')),
              externalId: cell('externalId'),
              memo: cell('memo'),
              appliesTo: cell('appliesTo'),
              recordType: 'cashRefund',
              currency: 'USD',
              total: 1234,
              kind: 'general',
              status: 'ok',
              isTest: false,
              moneyMoved: true,
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
