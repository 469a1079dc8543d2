import { csvField } from '../../shared/csv-field';
import type { ErrorLocation } from '../../shared/errors';
import {
  type CanonicalRefund,
  type CanonicalRefundInput,
  CanonicalRefund as CanonicalRefundSchema,
} from '../../shared/model';
import { formatAmount, isCurrencyCode, parseAmount } from '../../shared/money';
import {
  creditDetailCell,
  parseCreditDetailCell,
  parseTendersCell,
  tenderDetailCell,
  tendersCell,
} from './canonical-tenders';
import { badQuantity, type ImportContext, inputError, shown } from './common';
import { readCsv } from './csv-stream';
import type { TextSource } from './source';

/**
 * `canonical-csv`: this app's own model as CSV. One row per refund line; the refund's columns are
 * repeated on each of its rows; a refund without lines has one row with empty line columns. Rows
 * of one refund are consecutive. Amounts are decimals in the refund's currency (`12.34`, JPY `1200`),
 * booleans `true`/`false`, dates `YYYY-MM-DD`. Column order is free; all columns below must be present.
 */
export const CANONICAL_CSV_COLUMNS = [
  'side',
  'id',
  'documentNumber',
  'recordType',
  'orderRef',
  'createdFromType',
  'createdFromRef',
  'date',
  'currency',
  'total',
  'shipping',
  'tax',
  'adjustment',
  'kind',
  'externalId',
  'memo',
  'isTest',
  'status',
  'appliesTo',
  'moneyMoved',
  'presentmentCurrency',
  'presentmentTotal',
  'lineSku',
  'lineDescription',
  'lineQuantity',
  'lineAmount',
  'lineTax',
  'lineRole',
] as const;
/**
 * Optional columns (a file written before them still reads): a storefront refund's parts in
 * presentment money (model.ts `PresentmentParts`), in `presentmentCurrency`. Empty when unknown.
 */
export const CANONICAL_CSV_OPTIONAL_COLUMNS = [
  'presentmentShipping',
  'presentmentTax',
  'presentmentAdjustment',
  'linePresentmentAmount',
  'linePresentmentTax',
  // false when the source carried only the refund's total (model.ts `linesExported`); empty = true.
  'linesExported',
  // How the money went back (tenders.md §6; canonical-tenders.ts): kind:gateway:amount joined by |.
  'tenders',
  'tenderDetail',
  'creditDetail',
] as const;
type Column = (typeof CANONICAL_CSV_COLUMNS)[number] | (typeof CANONICAL_CSV_OPTIONAL_COLUMNS)[number];

/** CSV text rows (with a trailing newline each) for refunds; the first call's caller writes the header. */
export function canonicalCsvHeader(): string {
  return `${[...CANONICAL_CSV_COLUMNS, ...CANONICAL_CSV_OPTIONAL_COLUMNS].join(',')}\n`;
}

export function canonicalCsvRows(refund: CanonicalRefund): string {
  const base: string[] = [
    refund.side,
    refund.id,
    refund.documentNumber,
    refund.recordType,
    refund.orderRef,
    refund.createdFrom?.type ?? '',
    refund.createdFrom?.ref ?? '',
    refund.date,
    refund.currency,
    formatAmount(refund.total, refund.currency),
    formatAmount(refund.shipping, refund.currency),
    formatAmount(refund.tax, refund.currency),
    formatAmount(refund.adjustment, refund.currency),
    refund.kind,
    refund.externalId,
    refund.memo,
    String(refund.isTest),
    refund.status,
    refund.appliesTo,
    String(refund.moneyMoved),
    refund.presentment?.currency ?? '',
    refund.presentment ? formatAmount(refund.presentment.total, refund.presentment.currency) : '',
  ];
  const p = refund.presentment;
  const parts = p?.parts;
  const pres = (minor: number | undefined) =>
    p && parts && minor !== undefined ? formatAmount(minor, p.currency) : '';
  const exported = refund.linesExported === false ? 'false' : '';
  const partCells = [pres(parts?.shipping), pres(parts?.tax), pres(parts?.adjustment)];
  const tenderCells = [
    tendersCell(refund.tenders, refund.currency),
    tenderDetailCell(refund.tenders),
    creditDetailCell(refund),
  ];
  const rows =
    refund.lines.length === 0
      ? [[...base, '', '', '', '', '', '', ...partCells, '', '', exported, ...tenderCells]]
      : refund.lines.map((l, i) => [
          ...base,
          l.sku,
          l.description,
          String(l.quantity),
          formatAmount(l.amount, refund.currency),
          formatAmount(l.tax, refund.currency),
          l.role,
          ...partCells,
          pres(parts?.lines[i]?.amount),
          pres(parts?.lines[i]?.tax),
          exported,
          ...tenderCells,
        ]);
  return rows.map((r) => `${r.map(csvField).join(',')}\n`).join('');
}

export async function* canonicalCsvRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  const file = ctx.file;
  let col: Record<Column, number> | undefined;
  let header: string[] = [];
  let current: (CanonicalRefundInput & { lines: NonNullable<CanonicalRefundInput['lines']> }) | undefined;
  let currentKey = '';
  const finish = (where: ErrorLocation): CanonicalRefundInput | undefined => {
    if (!current) return undefined;
    const parsed = CanonicalRefundSchema.safeParse(current);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw inputError('invalid_refund', `Refund ${current.id}: ${issue.path.join('.')}: ${issue.message}.`, {
        ...where,
        field: issue.path.join('.'),
      });
    }
    return parsed.data;
  };
  let firstLine = 1;
  for await (const batch of readCsv(source)) {
    let start = 0;
    if (!col) {
      header = batch[0]!.fields.map((h) => h.trim());
      const found = {} as Record<Column, number>;
      const missing: string[] = [];
      for (const name of CANONICAL_CSV_COLUMNS) {
        found[name] = header.indexOf(name);
        if (found[name] < 0) missing.push(name);
      }
      if (missing.length > 0) {
        throw inputError(
          'missing_column',
          `Missing canonical column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. The canonical CSV needs all of: ${CANONICAL_CSV_COLUMNS.join(', ')} (see docs/importers.md).`,
          { file, line: 1, column: missing[0] },
        );
      }
      for (const name of CANONICAL_CSV_OPTIONAL_COLUMNS) found[name] = header.indexOf(name);
      col = found;
      start = 1;
    }
    const c = col;
    for (let r = start; r < batch.length; r++) {
      const { fields: f, line } = batch[r]!;
      ctx.rows++;
      if (f.length !== header.length) {
        throw inputError(
          'csv_field_count',
          `Line ${line} has ${f.length} fields but the header has ${header.length}.`,
          { file, line },
        );
      }
      const get = (k: Column) => (c[k] < 0 ? '' : f[c[k]]!);
      const at = (k: Column): ErrorLocation => ({ file, line, column: k });
      const currency = get('currency').trim();
      if (!isCurrencyCode(currency)) {
        throw inputError(
          'unknown_currency',
          `Unknown currency ${shown(currency)}: expected an ISO 4217 code such as USD.`,
          at('currency'),
        );
      }
      const money = (k: Column, cur = currency, optional = true): number => {
        const raw = get(k);
        if (raw.trim() === '' && optional) return 0;
        const parsed = parseAmount(raw, cur);
        if (!parsed.ok) throw inputError('bad_amount', `${parsed.message}.`, at(k));
        return parsed.minor;
      };
      const bool = (k: Column, fallback: boolean): boolean => {
        const raw = get(k).trim().toLowerCase();
        if (raw === '') return fallback;
        if (raw === 'true' || raw === '1') return true;
        if (raw === 'false' || raw === '0') return false;
        throw inputError('bad_value', `Expected true or false, found ${shown(get(k))}.`, at(k));
      };
      const key = `${get('side')}\u0000${get('id')}`;
      if (key !== currentKey) {
        const done = finish({ file, line: firstLine });
        if (done) yield done;
        currentKey = key;
        firstLine = line;
        const side = get('side').trim();
        if (side !== ctx.side && (side === 'storefront' || side === 'netsuite')) {
          throw inputError(
            'wrong_side',
            `This file holds ${side} refunds, but you are importing the ${ctx.side} side. Import it as the ${side} side.`,
            at('side'),
          );
        }
        const presentmentCurrency = get('presentmentCurrency').trim();
        if (presentmentCurrency && !isCurrencyCode(presentmentCurrency)) {
          throw inputError(
            'unknown_currency',
            `Unknown currency ${shown(presentmentCurrency)}.`,
            at('presentmentCurrency'),
          );
        }
        const total = money('total', currency, false);
        const tenders = parseTendersCell(get('tenders'), get('tenderDetail'), currency);
        if (!tenders.ok) throw inputError('bad_value', `${tenders.message}.`, at('tenders'));
        current = {
          ...(tenders.tenders ? { tenders: tenders.tenders } : {}),
          ...parseCreditDetailCell(get('creditDetail'), side === 'netsuite' ? 'netsuite' : 'storefront', total),
          side: side as CanonicalRefund['side'],
          id: get('id'),
          documentNumber: get('documentNumber'),
          recordType: get('recordType') as CanonicalRefund['recordType'],
          orderRef: get('orderRef'),
          createdFrom: get('createdFromType')
            ? {
                type: get('createdFromType') as NonNullable<CanonicalRefund['createdFrom']>['type'],
                ref: get('createdFromRef'),
              }
            : null,
          date: get('date').trim(),
          currency,
          total,
          shipping: money('shipping'),
          tax: money('tax'),
          adjustment: money('adjustment'),
          lines: [],
          kind: get('kind') as CanonicalRefund['kind'],
          externalId: get('externalId'),
          memo: get('memo'),
          isTest: bool('isTest', false),
          status: (get('status') || 'ok') as CanonicalRefund['status'],
          appliesTo: get('appliesTo'),
          moneyMoved: bool('moneyMoved', true),
          ...(get('linesExported').trim() !== '' && !bool('linesExported', true) ? { linesExported: false } : {}),
          presentment: presentmentCurrency
            ? {
                currency: presentmentCurrency,
                total: money('presentmentTotal', presentmentCurrency, false),
                ...(get('presentmentShipping').trim() !== ''
                  ? {
                      parts: {
                        shipping: money('presentmentShipping', presentmentCurrency),
                        tax: money('presentmentTax', presentmentCurrency),
                        adjustment: money('presentmentAdjustment', presentmentCurrency),
                        lines: [],
                      },
                    }
                  : {}),
              }
            : null,
        };
      }
      const hasLine = ['lineSku', 'lineDescription', 'lineQuantity', 'lineAmount', 'lineTax', 'lineRole'].some(
        (k) => get(k as Column) !== '',
      );
      if (hasLine && current) {
        const q = Number(get('lineQuantity').trim() || '0');
        if (!Number.isSafeInteger(q))
          throw inputError('bad_quantity', badQuantity(get('lineQuantity')), at('lineQuantity'));
        current.lines.push({
          sku: get('lineSku'),
          description: get('lineDescription'),
          quantity: q,
          amount: money('lineAmount'),
          tax: money('lineTax'),
          role: (get('lineRole') || 'item') as CanonicalRefund['lines'][number]['role'],
        });
        const parts = current.presentment?.parts;
        if (parts) {
          const pc = current.presentment!.currency;
          parts.lines.push({ amount: money('linePresentmentAmount', pc), tax: money('linePresentmentTax', pc) });
        }
      }
    }
  }
  if (!col) throw inputError('empty_file', 'The file has no header row.', { file, line: 1 });
  const done = finish({ file, line: firstLine });
  if (done) yield done;
}
