import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_CSV_COLUMNS, CANONICAL_CSV_OPTIONAL_COLUMNS } from '../../../src/main/importers/canonical-csv';
import { flatTableOf, maxRows, rowEstimate } from '../../../src/main/reconcile/flat-fast/flat-table';

// flatTableOf sizes its columns from the first MB's rows (rowEstimate) and grows them when the
// file has more rows than that: every row must be kept, whichever way the columns were sized.
const names = [...CANONICAL_CSV_COLUMNS, ...CANONICAL_CSV_OPTIONAL_COLUMNS] as string[];
const row = (id: number, memo: string) => {
  const cells: Record<string, string> = {
    side: 'netsuite',
    id: String(5_000_000 + id),
    documentNumber: `CR${5_000_000 + id}`,
    recordType: 'cashRefund',
    orderRef: `#${100_000 + id}`,
    date: '2026-01-05',
    currency: 'USD',
    total: `${(id % 900) + 1}.${String(id % 100).padStart(2, '0')}`,
    kind: 'general',
    externalId: String(900_000_000 + id),
    memo,
    isTest: 'false',
    status: 'ok',
    moneyMoved: 'true',
  };
  return names.map((n) => cells[n] ?? '').join(',');
};
const fileOf = (rows: string[], newlineAtEnd: boolean) =>
  Buffer.from(`${names.join(',')}\n${rows.join('\n')}${newlineAtEnd ? '\n' : ''}`, 'latin1');

/** Every row's start and total, as the table has them. */
function expectRows(bytes: Buffer, rows: string[]): void {
  const t = flatTableOf(bytes, 'netsuite');
  expect(t).not.toBeNull();
  expect(t!.n).toBe(rows.length);
  expect(t!.rowStart.length).toBe(rows.length);
  let at = names.join(',').length + 1;
  for (let r = 0; r < rows.length; r++) {
    expect(t!.rowStart[r]).toBe(at);
    expect(t!.rowLength[r]).toBe(rows[r]!.length);
    at += rows[r]!.length + 1;
  }
  expect(t!.total[rows.length - 1]).toBe(Math.round(Number(rows.at(-1)!.split(',')[names.indexOf('total')]) * 100));
}

describe('flat-fast row sizing', () => {
  it('keeps every row when the first MB has long rows and the rest short ones (the columns grow)', () => {
    // ~1.2 MB of rows with a 4 KB memo, then 60,000 short rows: estimated from the first MB at a
    // few hundred rows, the columns grow several times.
    const rows: string[] = [];
    for (let i = 0; i < 300; i++) rows.push(row(i, 'm'.repeat(4000)));
    for (let i = 300; i < 60_300; i++) rows.push(row(i, ''));
    const bytes = fileOf(rows, true);
    expect(rowEstimate(bytes, names.join(',').length + 1)).toBeLessThan(rows.length);
    expectRows(bytes, rows);
    expectRows(fileOf(rows, false), rows);
  });

  it('keeps every row of small files, with or without a last newline', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 300 }), { minLength: 1, maxLength: 40 }), fc.boolean(), (memos, end) => {
        const rows = memos.map((m, i) => row(i, 'x'.repeat(m)));
        expectRows(fileOf(rows, end), rows);
      }),
      { numRuns: 50 },
    );
  });

  it('maxRows bounds the rows of any text whose rows have width − 1 commas', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 50 }),
        fc.boolean(),
        (width, cellLengths, end) => {
          // Rows of exactly `width` cells (lengths cycled from the drawn ones, possibly all empty).
          const rows = cellLengths.map((lengths) =>
            Array.from({ length: width }, (_, k) => 'a'.repeat(lengths[k % lengths.length]!)).join(','),
          );
          const text = `${rows.join('\n')}${end ? '\n' : ''}`;
          expect(maxRows(text.length, width)).toBeGreaterThanOrEqual(rows.length);
        },
      ),
    );
  });
});
