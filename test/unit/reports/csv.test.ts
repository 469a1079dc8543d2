import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/main/reports/cells';
import { csvField, writeCsvReport } from '../../../src/main/reports/csv';
import { exportReport } from '../../../src/main/reports/export-run';
import type { ReportRow } from '../../../src/main/reports/report-model';
import { CURRENCY_CODES, currencyExponent } from '../../../src/shared/money';
import { HOSTILE_TEXT, makeInput, makeRow, memorySink, sampleRows, tempDir } from './helpers';

const tmp = tempDir('reports-csv-');
afterAll(tmp.cleanup);

const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);
/** Independent oracle: a cell is dangerous when its first character, or first after blanks, is a trigger. */
function dangerous(cell: string): boolean {
  if (cell.startsWith("'")) return false;
  const first = cell[0];
  const afterBlanks = cell.replace(/^[\s\u200b-\u200d\u2060\ufeff\u00ad]+/, '')[0];
  return (first !== undefined && TRIGGERS.has(first)) || (afterBlanks !== undefined && TRIGGERS.has(afterBlanks));
}

const TEXT_COLUMNS = [
  'Code',
  'Severity',
  'Order',
  'Currency',
  'Date',
  'Storefront refund',
  'NetSuite documents',
  'Hint',
  'Status',
  'Reason',
];

function parseCsv(buffer: Buffer): Record<string, string>[] {
  return parse(buffer, { bom: true, columns: true, relax_quotes: false, skip_empty_lines: false });
}

/** Independent exact parser (BigInt, any size) for the amount cells. */
function exactMinor(text: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a plain number: ${text}`);
  const fraction = match[3] ?? '';
  if (fraction.length !== exponent) throw new Error(`${text} does not have ${exponent} decimals`);
  const value = BigInt(match[2]! + fraction) * (match[1] ? -1n : 1n);
  return Number(value);
}

async function csvOf(rows: ReportRow[]): Promise<Buffer> {
  const sink = memorySink();
  await writeCsvReport(makeInput(rows), sink.stream);
  return sink.buffer();
}

describe('CSV export', () => {
  it('writes a UTF-8 BOM, a header, CRLF records and one row per result; parses back exactly', async () => {
    const file = path.join(tmp.dir, 'run.csv');
    const result = await exportReport(makeInput(sampleRows()), 'csv', file);
    expect(result.rows).toBe(6);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFFCode,Severity,Order,Currency,Date,Storefront refund,Storefront total,NetSuite documents,NetSuite total,Difference,Hint,Status,Reason,' +
        'Storefront tenders,NetSuite tenders,Tender split (storefront / NetSuite),Exchange,Chargeback',
    );
    const records = parseCsv(bytes);
    expect(records).toHaveLength(6);
    expect(records[0]).toEqual({
      Code: 'amount_mismatch',
      Severity: 'error',
      Order: '#1001',
      Currency: 'USD',
      Date: '2026-01-02',
      'Storefront refund': '900001',
      'Storefront total': '12.34',
      'NetSuite documents': 'CR1001, CUSTREF7',
      'NetSuite total': '12.35',
      Difference: '-0.01',
      Hint: 'NetSuite recorded 12.35; the storefront refunded 12.34.',
      Status: 'open',
      Reason: '',
      // A row without tenders (a run stored before tenders were compared): the tender columns are empty.
      'Storefront tenders': '',
      'NetSuite tenders': '',
      'Tender split (storefront / NetSuite)': '',
      Exchange: '',
      Chargeback: '',
    });
    // Currency decimals: JPY none, BHD three; missing sides are empty; amounts never neutralised.
    expect(records[2]).toMatchObject({
      Currency: 'JPY',
      'Storefront total': '1200',
      'NetSuite total': '',
      Difference: '1200',
    });
    expect(records[3]).toMatchObject({
      Currency: 'BHD',
      'Storefront total': '',
      'Storefront refund': '',
      'NetSuite total': '1.005',
      Difference: '-1.005',
      Reason: 'Refunded by hand in NetSuite, see ticket 12',
    });
    expect(records[4]).toMatchObject({ Date: '', Difference: '-0.01' });
    expect(records[5]).toMatchObject({
      Order: "'-1006",
      'Storefront total': '1234567.89',
      Hint: `'=HYPERLINK("http://evil.example","x")`,
      Reason: "'@evil",
    });
    // Amount fields are bare numbers in the file (no quotes, no apostrophe).
    expect(text).toContain(',-0.01,');
    expect(text).not.toContain("'-0.01");
  });

  it('neutralises every hostile string in every free-text column and keeps RFC 4180 structure', async () => {
    const rows = HOSTILE_TEXT.map((text, i) =>
      makeRow({
        orderRef: text,
        storefrontRefundId: text,
        netsuiteDocuments: text,
        hint: text,
        annotationReason: text,
        difference: -i,
      }),
    );
    const records = parseCsv(await csvOf(rows));
    expect(records).toHaveLength(HOSTILE_TEXT.length);
    records.forEach((record, i) => {
      for (const column of TEXT_COLUMNS) expect(dangerous(record[column]!), `${column} of row ${i}`).toBe(false);
      const expected = cleanText(HOSTILE_TEXT[i]!);
      for (const column of ['Order', 'Storefront refund', 'NetSuite documents', 'Hint', 'Reason']) {
        expect([expected, `'${expected}`]).toContain(record[column]);
      }
      expect(record.Difference).toBe(i === 0 ? '0.00' : `-0.${String(i).padStart(2, '0')}`);
    });
  });

  it('quotes fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField('')).toBe('');
  });

  it('property: arbitrary free text never yields a formula cell, and reads back as written', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 25 }),
      fc.string({
        unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ' ', '"', ',', 'a', '\u00a0', '\u200b', '\uD800'),
        maxLength: 12,
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 5 }), async (cells) => {
        const rows = cells.map(([a, b, c]) =>
          makeRow({ orderRef: a, hint: b, annotationReason: c, netsuiteDocuments: b }),
        );
        const records = parseCsv(await csvOf(rows));
        expect(records).toHaveLength(rows.length);
        const problems: string[] = [];
        const neutralOrSame = (cell: string | undefined, original: string): boolean =>
          cell === cleanText(original) || cell === `'${cleanText(original)}`;
        records.forEach((record, i) => {
          for (const column of TEXT_COLUMNS)
            if (dangerous(record[column]!)) problems.push(`${column}: ${record[column]}`);
          const [a, b, c] = cells[i]!;
          if (!neutralOrSame(record.Order, a))
            problems.push(`Order ${JSON.stringify(record.Order)} for ${JSON.stringify(a)}`);
          if (!neutralOrSame(record.Hint, b))
            problems.push(`Hint ${JSON.stringify(record.Hint)} for ${JSON.stringify(b)}`);
          if (!neutralOrSame(record.Reason, c))
            problems.push(`Reason ${JSON.stringify(record.Reason)} for ${JSON.stringify(c)}`);
        });
        expect(problems).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('property: amounts round-trip exactly in every currency', async () => {
    const amount = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    const row = fc.record({
      currency: fc.constantFrom(...CURRENCY_CODES),
      storefrontTotal: fc.option(amount, { nil: null }),
      netsuiteTotal: fc.option(amount, { nil: null }),
      difference: amount,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 6 }), async (specs) => {
        const rows = specs.map((s) => makeRow(s));
        const records = parseCsv(await csvOf(rows));
        records.forEach((record, i) => {
          const spec = specs[i]!;
          const back = (cell: string): number | null => {
            if (cell === '') return null;
            return exactMinor(cell, spec.currency);
          };
          const sameOrZero = (v: number | null): number | null => (v === 0 ? 0 : v);
          expect(back(record['Storefront total']!)).toBe(sameOrZero(spec.storefrontTotal));
          expect(back(record['NetSuite total']!)).toBe(sameOrZero(spec.netsuiteTotal));
          expect(back(record.Difference!)).toBe(sameOrZero(spec.difference));
          // Plain numbers: optional minus, digits, the currency's decimals; nothing else.
          expect(record.Difference).toMatch(/^-?\d+(\.\d+)?$/);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads async row sources (a paged store cursor) the same way', async () => {
    async function* paged(): AsyncGenerator<ReportRow> {
      for (const row of sampleRows()) {
        await Promise.resolve();
        yield row;
      }
    }
    const sink = memorySink();
    const result = await writeCsvReport(makeInput(paged()), sink.stream);
    expect(result.rows).toBe(6);
    expect(parseCsv(sink.buffer())).toHaveLength(6);
  });

  it('refuses a row that is not valid report data, naming the row', async () => {
    const sink = memorySink();
    await expect(writeCsvReport(makeInput([makeRow(), makeRow({ currency: 'XXX1' })]), sink.stream)).rejects.toThrow(
      /row 2: "XXX1" is not an ISO 4217/,
    );
    const sink2 = memorySink();
    await expect(writeCsvReport(makeInput([makeRow({ difference: 0.5 })]), sink2.stream)).rejects.toThrow(
      /difference must be an integer of minor units/,
    );
  });
});
