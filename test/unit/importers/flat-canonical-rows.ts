import fc from 'fast-check';
import type { Side } from '../../../src/shared/model';

/**
 * Generated canonical CSV rows for the flat readers' property tests (canonical-csv-flat.test.ts,
 * pack-refunds.test.ts): mostly the flat forms the byte reader takes, now and then a cell it must
 * refuse (the full importer then reads or refuses it).
 */
export const HEADER =
  'side,id,documentNumber,recordType,orderRef,createdFromType,createdFromRef,date,currency,total,shipping,tax,adjustment,kind,externalId,memo,isTest,status,appliesTo,moneyMoved,presentmentCurrency,presentmentTotal,lineSku,lineDescription,lineQuantity,lineAmount,lineTax,lineRole';

const cell = (valid: string[], odd: string[] = []) =>
  odd.length === 0
    ? fc.constantFrom(...valid)
    : fc.oneof(
        { weight: 150, arbitrary: fc.constantFrom(...valid) },
        { weight: 1, arbitrary: fc.constantFrom(...odd) },
      );
export const row = (side: Side) =>
  fc.record({
    side: cell([side], [` ${side}`, side === 'storefront' ? 'netsuite' : 'storefront']),
    id: cell(['1', '2', 'R-9', ' 3 ', '900000001', '5000002'], ['']),
    documentNumber: cell(['', 'D1', 'CR5000002', '900000001', '=X'], ['"D,2"']),
    recordType: cell(['refund', 'cashRefund', 'creditMemo', 'customerRefund'], ['returnAuthorization', 'nope']),
    orderRef: cell(['#1', '#1', '#100002', 'ORD-2', ' so 3', '', 'ORDER 7', '#a-b', 'SO5'], ['"a,b"', 'é']),
    createdFromType: cell([''], ['cashSale']),
    createdFromRef: cell([''], ['CS1']),
    date: cell(['2026-01-02', '2024-02-29', '2025-12-31'], [' 2026-02-28 ', '2026-02-30', '02/01/2026']),
    currency: cell(['USD', 'JPY', 'EUR', 'KWD'], [' EUR', 'usd', 'XXQ']),
    total: cell(
      // A, B and C take the currency's decimals (csv below); the rest as they are.
      ['A', 'B', 'C', '12.34', '1200', '1.000'],
      ['-3.00', '12.3', '007.10', ' 5.00', '1,200.00', '', 'abc', '99999999999999999', '0'],
    ),
    shipping: cell([''], ['1.00', ' ']),
    tax: cell([''], ['0.10']),
    adjustment: cell([''], ['-0.01']),
    kind: cell(['general', 'line_item'], ['odd']),
    externalId: cell(['', 'E1', '900000001']),
    memo: cell(['', ' spaced ', 'a;b'], ['"m, n"']),
    isTest: cell(['false', '', 'true', '1', '0'], ['TRUE', 'maybe']),
    status: cell(['ok', '', 'failed', 'voided'], ['weird']),
    appliesTo: cell(['', 'CM1']),
    moneyMoved: cell(['true', '', '0', 'false'], ['no']),
    presentmentCurrency: cell([''], ['EUR']),
    presentmentTotal: cell([''], ['1.00']),
    lineSku: cell([''], ['SKU']),
  });
export type Row = Record<string, string>;

export function csv(rows: Row[], lastNewline: boolean, header = HEADER): string {
  const columns = header.split(',');
  const forms: Record<string, string[]> = { JPY: ['1200', '7', '30000'], KWD: ['1.000', '0.005', '12.345'] };
  const total = (r: Row): string => {
    const k = 'ABC'.indexOf(r.total ?? '');
    return k < 0 ? r.total! : (forms[r.currency!] ?? ['12.34', '0.50', '0.05'])[k]!;
  };
  // A tenders cell's A is the row's total.
  const value = (r: Row, c: string) =>
    c === 'total' ? total(r) : c === 'tenders' ? (r.tenders ?? '').replace('A', total(r)) : (r[c] ?? '');
  const body = rows.map((r) => columns.map((c) => value(r, c)).join(',')).join('\n');
  return `${header}\n${body}${lastNewline ? '\n' : ''}`;
}
