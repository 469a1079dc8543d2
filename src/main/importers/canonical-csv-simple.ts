import type { CanonicalRefund, CanonicalRefundInput } from '../../shared/model';
import { currencyExponent, isCurrencyCode, parseAmount } from '../../shared/money';
import { fastParseRefund } from '../store/snapshot-validate';
import { CANONICAL_CSV_COLUMNS, CANONICAL_CSV_OPTIONAL_COLUMNS } from './canonical-csv';
import { readCsvBatches } from './csv-stream';
import type { TextSource } from './source';

/**
 * The common case of `canonical-csv` read fast: refunds of one row each with no lines, tenders,
 * credit detail or presentment money (a flat export of refunds). Fields are cut from the batch
 * only when read (CsvBatch), and each refund is validated once by the schema's fast twin
 * (fastParseRefund) instead of zod and then the twin.
 *
 * It never reports an error itself: at the first row it is not sure of — a refund with lines or
 * any optional cell, a wrong side, a value the full importer might word an error about — it stops
 * and returns false, and the caller reads the file again with the full importer (canonical-csv.ts),
 * which then accepts or refuses it with its own messages. For the rows it does accept it builds the
 * same input the full importer builds (same trims, same amounts, same defaults), so the refunds are
 * equal: test/unit/importers/canonical-csv-simple.test.ts checks both ways on generated files.
 */
export async function readSimpleCanonicalCsv(
  source: TextSource,
  side: CanonicalRefund['side'],
  add: (refund: CanonicalRefund) => void,
): Promise<{ simple: true; rows: number } | { simple: false }> {
  const notSimple = { simple: false } as const;
  let col: Record<(typeof CANONICAL_CSV_COLUMNS)[number], number> | undefined;
  let optional: number[] = [];
  let lineColumns: number[] = [];
  let width = 0;
  let rows = 0;
  let lastSide = '';
  let lastId: string | null = null;
  for await (const b of readCsvBatches(source)) {
    let start = 0;
    if (!col) {
      const header: string[] = [];
      for (let k = 0; k < b.fieldCount(0); k++) header.push(b.field(0, k).trim());
      const found = {} as Record<(typeof CANONICAL_CSV_COLUMNS)[number], number>;
      for (const name of CANONICAL_CSV_COLUMNS) {
        found[name] = header.indexOf(name);
        if (found[name] < 0) return notSimple;
      }
      col = found;
      width = header.length;
      optional = CANONICAL_CSV_OPTIONAL_COLUMNS.map((name) => header.indexOf(name)).filter((k) => k >= 0);
      lineColumns = [
        found.lineSku,
        found.lineDescription,
        found.lineQuantity,
        found.lineAmount,
        found.lineTax,
        found.lineRole,
      ];
      start = 1;
    }
    const c = col;
    for (let r = start; r < b.length; r++) {
      rows++;
      if (b.fieldCount(r) !== width) return notSimple;
      for (const k of lineColumns) if (b.field(r, k) !== '') return notSimple;
      for (const k of optional) if (b.field(r, k) !== '') return notSimple;
      const rawSide = b.field(r, c.side);
      const id = b.field(r, c.id);
      // A second row of the same refund: the full importer merges it and checks its cells (a bad
      // currency on it is an error there), so it reads the file.
      if (id === lastId && rawSide === lastSide) return notSimple;
      lastSide = rawSide;
      lastId = id;
      if (rawSide.trim() !== side) return notSimple;
      if (b.field(r, c.presentmentCurrency).trim() !== '') return notSimple;
      const currency = b.field(r, c.currency).trim();
      if (!isCurrencyCode(currency)) return notSimple;
      const total = amount(b.field(r, c.total), currency);
      const shipping = optionalAmount(b.field(r, c.shipping), currency);
      const tax = optionalAmount(b.field(r, c.tax), currency);
      const adjustment = optionalAmount(b.field(r, c.adjustment), currency);
      const isTest = bool(b.field(r, c.isTest), false);
      const moneyMoved = bool(b.field(r, c.moneyMoved), true);
      if (
        total === null ||
        shipping === null ||
        tax === null ||
        adjustment === null ||
        isTest === null ||
        moneyMoved === null
      ) {
        return notSimple;
      }
      const createdFromType = b.field(r, c.createdFromType);
      const input: CanonicalRefundInput = {
        side,
        id,
        documentNumber: b.field(r, c.documentNumber),
        recordType: b.field(r, c.recordType) as CanonicalRefund['recordType'],
        orderRef: b.field(r, c.orderRef),
        createdFrom: createdFromType
          ? {
              type: createdFromType as NonNullable<CanonicalRefund['createdFrom']>['type'],
              ref: b.field(r, c.createdFromRef),
            }
          : null,
        date: b.field(r, c.date).trim(),
        currency,
        total,
        shipping,
        tax,
        adjustment,
        lines: [],
        kind: b.field(r, c.kind) as CanonicalRefund['kind'],
        externalId: b.field(r, c.externalId),
        memo: b.field(r, c.memo),
        isTest,
        status: (b.field(r, c.status) || 'ok') as CanonicalRefund['status'],
        appliesTo: b.field(r, c.appliesTo),
        moneyMoved,
        presentment: null,
      };
      const refund = fastParseRefund(input);
      if (!refund) return notSimple;
      add(refund);
    }
  }
  if (!col) return notSimple;
  return { simple: true, rows };
}

/**
 * `12.34` (exactly the currency's decimals) or `1234` read directly; anything else through
 * parseAmount (what the full importer uses); null where parseAmount refuses.
 */
function amount(raw: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const n = raw.length;
  const dot = n - exponent - 1;
  let plain = n > 0 && n <= 16 && raw.charCodeAt(0) !== 48 /* 0 */;
  let minor = 0;
  for (let i = 0; plain && i < n; i++) {
    const ch = raw.charCodeAt(i);
    if (exponent > 0 && i === dot) {
      plain = ch === 46 && i > 0; // '.'
      continue;
    }
    if (ch < 48 || ch > 57) plain = false;
    else minor = minor * 10 + (ch - 48);
  }
  // Without the dot the digits are whole units.
  if (plain && exponent > 0 && raw.charCodeAt(dot) !== 46) plain = false;
  if (plain && Number.isSafeInteger(minor)) return minor;
  const parsed = parseAmount(raw, currency);
  return parsed.ok ? parsed.minor : null;
}

function optionalAmount(raw: string, currency: string): number | null {
  if (raw === '' || raw.trim() === '') return 0;
  return amount(raw, currency);
}

function bool(raw: string, fallback: boolean): boolean | null {
  if (raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (v === '') return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return null;
}
