import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCsvHeader, canonicalCsvRows } from '../../../src/main/importers/canonical-csv';
import { csvSafeText } from '../../../src/main/reconcile/output';
import { csvRecord } from '../../../src/main/reports/csv';
import { csvField } from '../../../src/shared/csv-field';
import { CanonicalRefund } from '../../../src/shared/model';
import { importRefunds, tempFile } from '../importers/helpers';
import { makeRow } from './helpers';

/**
 * E1 of issue 17: Excel in a locale whose list separator is `;` splits an unquoted cell at `;`
 * (and a part starting with `=` becomes a formula). Every CSV writer quotes a cell that holds
 * `;`, `,`, a quote or a line break.
 */

const cellChar = fc.constantFrom('a', '1', ';', ',', '"', '\n', '\r\n', ' ', '=', "'", 'é', '\t');
const cell = fc.array(cellChar, { minLength: 1, maxLength: 12 }).map((c) => c.join(''));

describe('csvField quotes for both list separators', () => {
  it('any value reads back as one cell, whether the reader splits at , or ;', () => {
    fc.assert(
      fc.property(cell, (value) => {
        const text = `${csvField(value)}\r\n`;
        for (const delimiter of [',', ';']) {
          const rows = parse(text, { delimiter, record_delimiter: '\r\n', relax_quotes: false }) as string[][];
          expect(rows).toEqual([[value]]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a semicolon alone is enough to quote', () => {
    expect(csvField('a;=HYPERLINK(1)')).toBe('"a;=HYPERLINK(1)"');
    expect(csvField('plain')).toBe('plain');
  });
});

describe('every CSV writer quotes a cell with a semicolon', () => {
  it('report export (reports/csv.ts)', () => {
    const line = csvRecord(makeRow({ orderRef: '#1001;=1+1', hint: 'see;this' }));
    expect(line).toContain('"#1001;=1+1"');
    expect(line).toContain('"see;this"');
  });

  it('the CLI compare output (reconcile --format csv)', () => {
    expect(csvSafeText('#1001;=1+1')).toBe('"#1001;=1+1"');
  });

  it('canonical CSV, and the file still imports back identical', async () => {
    const refund = CanonicalRefund.parse({
      side: 'storefront',
      id: 'R1',
      recordType: 'refund',
      date: '2026-01-02',
      currency: 'USD',
      total: 500,
      kind: 'line_item',
      orderRef: '#1001',
      memo: 'damaged; =SUM(A1)',
      lines: [{ sku: 'A;B', quantity: 1, amount: 500 }],
    });
    const rows = canonicalCsvRows(refund);
    expect(rows).toContain('"damaged; =SUM(A1)"');
    expect(rows).toContain('"A;B"');
    const file = tempFile('semicolon-canonical.csv', canonicalCsvHeader() + rows);
    const { refunds } = await importRefunds(file, { side: 'storefront' });
    expect(refunds).toEqual([refund]);
  });
});
