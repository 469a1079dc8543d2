import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCsvRefunds } from '../../../src/main/importers/canonical-csv';
import { readSimpleCanonicalCsv } from '../../../src/main/importers/canonical-csv-simple';
import { makeContext } from '../../../src/main/importers/common';
import { openSource } from '../../../src/main/importers/source';
import { acceptRefund } from '../../../src/main/store/snapshot-writer';
import type { CanonicalRefund } from '../../../src/shared/model';
import { tempFile } from './helpers';

/**
 * The fast reader of one-row canonical CSV refunds (issue 15) either gives up (the caller reads
 * the file with the full importer) or returns exactly the refunds the full importer + validation
 * give: checked on generated files mixing valid and invalid cells.
 */
const HEADER =
  'side,id,documentNumber,recordType,orderRef,createdFromType,createdFromRef,date,currency,total,shipping,tax,adjustment,kind,externalId,memo,isTest,status,appliesTo,moneyMoved,presentmentCurrency,presentmentTotal,lineSku,lineDescription,lineQuantity,lineAmount,lineTax,lineRole';

/** A cell: mostly one of the valid forms, now and then one the fast reader must not accept as it is. */
const cell = (valid: string[], odd: string[] = []) =>
  odd.length === 0
    ? fc.constantFrom(...valid)
    : fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });
const row = fc.record({
  side: cell(['storefront'], [' storefront ', 'netsuite', 'shop']),
  id: cell(['1', '2', 'R-9', ' 3 '], ['']),
  documentNumber: cell(['', 'D1', '"D,2"', '=X']),
  recordType: cell(['refund'], ['cashRefund', 'returnAuthorization', 'nope']),
  orderRef: cell(['#1', 'ORD-2', ' so 3', '', '"a,b"', 'ORDER 7']),
  createdFromType: cell([''], ['cashSale', 'bogus']),
  createdFromRef: cell(['', 'CS1']),
  date: cell(['2026-01-02', ' 2026-02-28 '], ['2026-02-30', '02/01/2026']),
  currency: cell(['USD', 'JPY', ' EUR'], ['usd', 'XXQ']),
  total: cell(
    ['12.34', '0.50', '1200', '-3.00', '12.3', '007.10', ' 5.00', 'USD 5.00'],
    ['1,200.00', '', 'abc', '99999999999999999'],
  ),
  shipping: cell(['', '1.00', ' '], ['x']),
  tax: cell(['', '0.10']),
  adjustment: cell(['', '-0.01']),
  kind: cell(['general', 'line_item'], ['odd']),
  externalId: cell(['', 'E1']),
  memo: cell(['', '"m, n"', ' spaced ']),
  isTest: cell(['false', '', 'TRUE', '1'], ['maybe']),
  status: cell(['ok', '', 'failed', 'voided'], ['weird']),
  appliesTo: cell(['', 'CM1']),
  moneyMoved: cell(['true', '', '0'], ['no']),
  presentmentCurrency: cell([''], ['EUR']),
  presentmentTotal: cell(['', '1.00']),
  lineSku: cell([''], ['SKU']),
});
type Row = { [K in keyof typeof row extends fc.Arbitrary<infer R> ? keyof R : never]: string };

function csv(rows: Row[]): string {
  const columns = HEADER.split(',');
  return `${HEADER}\n${rows
    .map((r) => columns.map((c) => (r as Record<string, string>)[c] ?? '').join(','))
    .join('\n')}\n`;
}

async function fast(file: string): Promise<{ simple: boolean; refunds: CanonicalRefund[] }> {
  const refunds: CanonicalRefund[] = [];
  const out = await readSimpleCanonicalCsv(await openSource(file, { hash: false }), 'storefront', (r) =>
    refunds.push(r),
  );
  return { simple: out.simple, refunds };
}

async function full(file: string): Promise<CanonicalRefund[]> {
  const ctx = makeContext({ file: 'f.csv', side: 'storefront', format: 'canonical-csv' });
  const out: CanonicalRefund[] = [];
  let index = 0;
  for await (const r of canonicalCsvRefunds(await openSource(file, { hash: false }), ctx)) {
    out.push(acceptRefund(r, ++index, 'storefront'));
  }
  return out;
}

describe('canonical CSV fast reader', () => {
  it('returns what the full importer returns, or gives up', async () => {
    let n = 0;
    let simple = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 4 }), async (rows) => {
        const file = tempFile(`simple-${n++}.csv`, csv(rows as Row[]));
        const f = await fast(file);
        if (!f.simple) return;
        simple++;
        expect(await full(file)).toEqual(f.refunds);
      }),
      { numRuns: 300 },
    );
    // The generator must reach the fast path often enough for the property to mean something.
    expect(simple).toBeGreaterThan(30);
  });

  it('reads a plain flat export', async () => {
    const file = tempFile(
      'plain.csv',
      `${HEADER}\nstorefront,900,900,refund,#1,,,2026-01-02,USD,12.34,,,,general,,,false,ok,,true,,,,,,,,\nstorefront,901,901,refund,#2,,,2026-01-03,JPY,1200,,,,general,,,false,ok,,true,,,,,,,,\n`,
    );
    const f = await fast(file);
    expect(f.simple).toBe(true);
    expect(f.refunds.map((r) => [r.id, r.total, r.currency])).toEqual([
      ['900', 1234, 'USD'],
      ['901', 1200, 'JPY'],
    ]);
    expect(await full(file)).toEqual(f.refunds);
  });
});
