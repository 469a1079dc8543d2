import { parse as csvParse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../../src/main/importers/csv-stream';
import { importFile } from '../../../src/main/importers/import-file';
import { fastParseRefund } from '../../../src/main/store/snapshot-validate';
import { UserError } from '../../../src/shared/errors';
import { CanonicalRefund } from '../../../src/shared/model';
import { CURRENCY_CODES, formatAmount, parseAmount } from '../../../src/shared/money';
import { counts, memoryDb, tempFile } from './helpers';

const csvChar = fc.constantFrom(
  'a',
  'b',
  '1',
  '2',
  '.',
  '-',
  ',',
  '"',
  '\n',
  '\r\n',
  ' ',
  '(',
  ')',
  '$',
  'é',
  '#',
  '*',
  '/',
);
const csvText = fc.array(csvChar, { maxLength: 200 }).map((chars) => chars.join(''));

describe('CSV reader agrees with csv-parse', () => {
  it('returns the same records, or fails where csv-parse fails', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        let expected: string[][] | undefined;
        try {
          expected = csvParse(text, {
            skip_empty_lines: true,
            relax_column_count: true,
            record_delimiter: ['\n', '\r\n'],
          }) as string[][];
        } catch {
          expected = undefined;
        }
        let actual: string[][] | undefined;
        try {
          actual = parseCsvText(text, { delimiter: ',' }).map((r) => r.fields);
        } catch {
          actual = undefined;
        }
        if (expected === undefined) expect(actual).toBeUndefined();
        else expect(actual).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

const NS_HEADER = 'Internal ID,Type,Date,Document Number,Main Line,Item,Quantity,Amount,Currency\n';
const row = fc
  .record({
    id: fc.constantFrom('1', '2', '3', '', 'x'),
    type: fc.constantFrom('Cash Refund', 'Credit Memo', 'Customer Refund', 'Invoice', ''),
    date: fc.constantFrom('1/2/2026', '13/1/2026', '2026-01-02', '2/30/2026', 'yesterday', ''),
    main: fc.constantFrom('*', '', 'T'),
    item: fc.constantFrom('', 'HAT', 'Shipping', 'Refund Adjustment'),
    qty: fc.constantFrom('', '1', '-2', '1.5'),
    amount: fc.oneof(fc.constantFrom('(12.00)', '1,234.56', '-5', '5.001', '', '$3.00'), fc.string({ maxLength: 8 })),
    currency: fc.constantFrom('USD', 'US Dollar', 'JPY', 'Euro', 'XXX', ''),
  })
  .map((r) =>
    [r.id, r.type, r.date, 'CR', r.main, r.item, r.qty, r.amount, r.currency]
      .map((f) => (/[",\n\r]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f))
      .join(','),
  );

describe('saved-search import never crashes and never half-imports', () => {
  it('any rows: either a complete snapshot or a UserError and nothing written', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 12 }), fc.boolean(), async (rows, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = NS_HEADER.replace('\n', eol) + rows.join(eol) + eol;
        const db = memoryDb();
        const file = tempFile(`fuzz-${n++}.csv`, text);
        try {
          const result = await importFile(db, { file, side: 'netsuite' });
          const c = counts(db);
          expect(c.snapshots).toBe(1);
          expect(c.refunds).toBe(result.refundCount);
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
          expect(counts(db)).toEqual({ snapshots: 0, refunds: 0, lines: 0 });
        } finally {
          db.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary bytes as a CSV or JSON file: UserError or success, never a crash', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('.csv', '.json'), async (bytes, ext) => {
        const db = memoryDb();
        const file = tempFile(`bytes-${n++}${ext}`, Buffer.from(bytes));
        for (const side of ['storefront', 'netsuite'] as const) {
          try {
            await importFile(db, { file, side });
          } catch (error) {
            expect(error).toBeInstanceOf(UserError);
          }
        }
        db.close();
      }),
      { numRuns: 150 },
    );
  });
});

describe('amount parsing', () => {
  const currency = fc.constantFrom(...CURRENCY_CODES);
  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), currency, fc.boolean(), (text, cur, comma) => {
        const result = parseAmount(text, cur, { decimalComma: comma });
        if (result.ok) expect(Number.isSafeInteger(result.minor)).toBe(true);
        else expect(result.message).toContain(cur);
      }),
      { numRuns: 3000 },
    );
  });

  it('format then parse is the identity, in any sign notation', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), currency, (minor, cur) => {
        const text = formatAmount(minor, cur);
        expect(parseAmount(text, cur)).toEqual({ ok: true, minor });
        if (minor > 0) expect(parseAmount(`(${text})`, cur)).toEqual({ ok: true, minor: -minor });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the fast refund validator agrees with the zod schema', () => {
  const valid = fc.record(
    {
      side: fc.constantFrom('storefront', 'netsuite', 'other'),
      id: fc.constantFrom('1', '', 2),
      recordType: fc.constantFrom('refund', 'cashRefund', 'creditMemo', 'nope'),
      date: fc.constantFrom('2026-01-02', '2026-1-2', 20260102),
      currency: fc.constantFrom('USD', 'JPY', 'usd', 'XXX'),
      total: fc.oneof(fc.integer(), fc.constant(1.5), fc.constant(2 ** 60), fc.constant('5')),
      kind: fc.constantFrom('line_item', 'general', 'x'),
      shipping: fc.option(fc.oneof(fc.integer(), fc.constant(0.5)), { nil: undefined }),
      createdFrom: fc.option(
        fc.oneof(
          fc.constant({ type: 'cashSale', ref: 'CS1' }),
          fc.constant({ type: 'bad', ref: 'x' }),
          fc.constant(null),
        ),
        { nil: undefined },
      ),
      lines: fc.option(
        fc.array(
          fc.record({
            sku: fc.constantFrom('A', 1),
            quantity: fc.oneof(fc.integer(), fc.constant(1.5), fc.constant(2 ** 60)),
            amount: fc.oneof(fc.integer(), fc.constant(0.1)),
            role: fc.option(fc.constantFrom('item', 'shipping', 'weird'), { nil: undefined }),
          }),
          { maxLength: 3 },
        ),
        { nil: undefined },
      ),
      presentment: fc.option(
        fc.oneof(fc.constant({ currency: 'EUR', total: 5 }), fc.constant({ currency: 'EUR', total: 0.5 })),
        { nil: undefined },
      ),
      isTest: fc.option(fc.constantFrom(true, false, 'yes'), { nil: undefined }),
    },
    { requiredKeys: [] },
  );
  it('accepts exactly what zod accepts, with the same result', () => {
    fc.assert(
      fc.property(fc.oneof(valid, fc.anything()), (input) => {
        const z = CanonicalRefund.safeParse(input);
        const fast = fastParseRefund(input);
        if (z.success) expect(fast).toEqual(z.data);
        else expect(fast).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});
