import { csvField } from '../../shared/csv-field';
import type { ErrorLocation } from '../../shared/errors';
import {
  type CanonicalRefund,
  type CanonicalRefundInput,
  CanonicalRefund as CanonicalRefundSchema,
} from '../../shared/model';
import { formatAmount, isCurrencyCode, parseAmount } from '../../shared/money';
import { fastParseRefund, markChecked } from '../store/snapshot-validate';
import { CANONICAL_CSV_COLUMNS, CANONICAL_CSV_OPTIONAL_COLUMNS } from './canonical-csv-columns';
import {
  creditDetailCell,
  parseCreditDetailCell,
  parseTendersCell,
  tenderDetailCell,
  tendersCell,
} from './canonical-tenders';
import { badQuantity, type ImportContext, inputError, plainDecimalMinor, shown } from './common';
import { type CsvBatch, readCsvBatches } from './csv-stream';
import type { TextSource } from './source';

export { CANONICAL_CSV_COLUMNS, CANONICAL_CSV_OPTIONAL_COLUMNS } from './canonical-csv-columns';

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

type Draft = CanonicalRefundInput & { lines: NonNullable<CanonicalRefundInput['lines']> };

/**
 * A refund's first row is read into a draft; its `finish` validates the draft with the writer's
 * fast twin of the zod schema (snapshot-validate.ts, property-tested equal) and runs zod only for
 * the message of a refund that fails. The result is marked as checked, so the writer (or the parse
 * thread) does not validate it a second time.
 */
function finishDraft(draft: Draft | undefined, where: ErrorLocation): CanonicalRefund | undefined {
  if (!draft) return undefined;
  const fast = fastParseRefund(draft);
  if (fast) return markChecked(fast);
  const parsed = CanonicalRefundSchema.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw inputError('invalid_refund', `Refund ${draft.id}: ${issue.path.join('.')}: ${issue.message}.`, {
      ...where,
      field: issue.path.join('.'),
    });
  }
  return parsed.data;
}

/** Column positions (-1: an optional column the file does not have; CsvBatch reads it as ''). */
type Columns = Record<Column, number>;

/**
 * One row's reading context: the batch and row, where errors point, and the row's currency. The
 * helpers below take it instead of closing over the row (no closure per row on the hot path).
 */
interface Row {
  b: CsvBatch;
  r: number;
  c: Columns;
  file: string;
  line: number;
  currency: string;
}

const at = (row: Row, k: Column): ErrorLocation => ({ file: row.file, line: row.line, column: k });
const get = (row: Row, k: Column): string => row.b.field(row.r, row.c[k]);

/** An amount of column k in minor units (blank = 0 when optional). */
function money(row: Row, k: Column, cur: string, optional = true): number {
  const raw = get(row, k);
  const fast = plainDecimalMinor(raw, cur);
  if (fast !== undefined) return fast;
  if (optional && raw.trim() === '') return 0;
  const parsed = parseAmount(raw, cur);
  if (!parsed.ok) throw inputError('bad_amount', `${parsed.message}.`, at(row, k));
  return parsed.minor;
}

function bool(row: Row, k: Column, fallback: boolean): boolean {
  const cell = get(row, k);
  if (cell === '') return fallback;
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  const raw = cell.trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw inputError('bad_value', `Expected true or false, found ${shown(cell)}.`, at(row, k));
}

/** The refund columns of a refund's first row, as a draft with no lines yet. */
function readRefund(row: Row, ctx: ImportContext): Draft {
  const side = get(row, 'side').trim();
  if (side !== ctx.side && (side === 'storefront' || side === 'netsuite')) {
    throw inputError(
      'wrong_side',
      `This file holds ${side} refunds, but you are importing the ${ctx.side} side. Import it as the ${side} side.`,
      at(row, 'side'),
    );
  }
  const presentmentCurrency = get(row, 'presentmentCurrency').trim();
  if (presentmentCurrency && !isCurrencyCode(presentmentCurrency)) {
    throw inputError(
      'unknown_currency',
      `Unknown currency ${shown(presentmentCurrency)}.`,
      at(row, 'presentmentCurrency'),
    );
  }
  const currency = row.currency;
  const total = money(row, 'total', currency, false);
  const tendersRaw = get(row, 'tenders');
  const tenders = tendersRaw === '' ? NO_TENDERS : parseTendersCell(tendersRaw, get(row, 'tenderDetail'), currency);
  if (!tenders.ok) throw inputError('bad_value', `${tenders.message}.`, at(row, 'tenders'));
  const creditRaw = get(row, 'creditDetail');
  const credit =
    creditRaw === ''
      ? undefined
      : parseCreditDetailCell(creditRaw, side === 'netsuite' ? 'netsuite' : 'storefront', total);
  const createdFromType = get(row, 'createdFromType');
  const draft: Draft = {
    ...(tenders.tenders ? { tenders: tenders.tenders } : {}),
    ...credit,
    side: side as CanonicalRefund['side'],
    id: get(row, 'id'),
    documentNumber: get(row, 'documentNumber'),
    recordType: get(row, 'recordType') as CanonicalRefund['recordType'],
    orderRef: get(row, 'orderRef'),
    createdFrom: createdFromType
      ? {
          type: createdFromType as NonNullable<CanonicalRefund['createdFrom']>['type'],
          ref: get(row, 'createdFromRef'),
        }
      : null,
    date: get(row, 'date').trim(),
    currency,
    total,
    shipping: money(row, 'shipping', currency),
    tax: money(row, 'tax', currency),
    adjustment: money(row, 'adjustment', currency),
    lines: [],
    kind: get(row, 'kind') as CanonicalRefund['kind'],
    externalId: get(row, 'externalId'),
    memo: get(row, 'memo'),
    isTest: bool(row, 'isTest', false),
    status: (get(row, 'status') || 'ok') as CanonicalRefund['status'],
    appliesTo: get(row, 'appliesTo'),
    moneyMoved: bool(row, 'moneyMoved', true),
    presentment: null,
  };
  if (get(row, 'linesExported').trim() !== '' && !bool(row, 'linesExported', true)) draft.linesExported = false;
  if (presentmentCurrency) {
    const total = money(row, 'presentmentTotal', presentmentCurrency, false);
    draft.presentment =
      get(row, 'presentmentShipping').trim() !== ''
        ? {
            currency: presentmentCurrency,
            total,
            parts: {
              shipping: money(row, 'presentmentShipping', presentmentCurrency),
              tax: money(row, 'presentmentTax', presentmentCurrency),
              adjustment: money(row, 'presentmentAdjustment', presentmentCurrency),
              lines: [],
            },
          }
        : { currency: presentmentCurrency, total };
  }
  return draft;
}

const NO_TENDERS = { ok: true, tenders: undefined } as const;

/** Adds the row's line (when its line columns are not all empty) to the draft. */
function readLine(row: Row, draft: Draft): void {
  const { b, r, c } = row;
  if (
    b.fieldIsEmpty(r, c.lineSku) &&
    b.fieldIsEmpty(r, c.lineDescription) &&
    b.fieldIsEmpty(r, c.lineQuantity) &&
    b.fieldIsEmpty(r, c.lineAmount) &&
    b.fieldIsEmpty(r, c.lineTax) &&
    b.fieldIsEmpty(r, c.lineRole)
  ) {
    return;
  }
  const quantityRaw = get(row, 'lineQuantity');
  const q = Number(quantityRaw.trim() || '0');
  if (!Number.isSafeInteger(q)) throw inputError('bad_quantity', badQuantity(quantityRaw), at(row, 'lineQuantity'));
  const currency = row.currency;
  draft.lines.push({
    sku: get(row, 'lineSku'),
    description: get(row, 'lineDescription'),
    quantity: q,
    amount: money(row, 'lineAmount', currency),
    tax: money(row, 'lineTax', currency),
    role: (get(row, 'lineRole') || 'item') as CanonicalRefund['lines'][number]['role'],
  });
  const parts = draft.presentment?.parts;
  if (parts) {
    const pc = draft.presentment!.currency;
    parts.lines.push({
      amount: money(row, 'linePresentmentAmount', pc),
      tax: money(row, 'linePresentmentTax', pc),
    });
  }
}

/**
 * Reads the file with the offset-based CSV reader (csv-stream.ts CsvBatch): a field becomes a
 * string only when read, and a line-less row's six empty line columns are never made into strings.
 */
export async function* canonicalCsvRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  const file = ctx.file;
  let c: Columns | undefined;
  let headerLength = 0;
  let current: Draft | undefined;
  let currentSide = '';
  let currentId = '';
  let firstLine = 1;
  for await (const b of readCsvBatches(source)) {
    let start = 0;
    if (!c) {
      const header = b.fields(0).map((h) => h.trim());
      const found = {} as Columns;
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
      c = found;
      headerLength = header.length;
      start = 1;
    }
    const row: Row = { b, r: 0, c, file, line: 0, currency: '' };
    for (let r = start; r < b.length; r++) {
      const line = b.line(r);
      row.r = r;
      row.line = line;
      ctx.rows++;
      const count = b.fieldCount(r);
      if (count !== headerLength) {
        throw inputError('csv_field_count', `Line ${line} has ${count} fields but the header has ${headerLength}.`, {
          file,
          line,
        });
      }
      const currency = get(row, 'currency').trim();
      if (!isCurrencyCode(currency)) {
        throw inputError(
          'unknown_currency',
          `Unknown currency ${shown(currency)}: expected an ISO 4217 code such as USD.`,
          at(row, 'currency'),
        );
      }
      row.currency = currency;
      const side = get(row, 'side');
      const id = get(row, 'id');
      if (current === undefined || side !== currentSide || id !== currentId) {
        const done = finishDraft(current, { file, line: firstLine });
        if (done) yield done;
        currentSide = side;
        currentId = id;
        firstLine = line;
        current = readRefund(row, ctx);
      }
      readLine(row, current);
    }
  }
  if (!c) throw inputError('empty_file', 'The file has no header row.', { file, line: 1 });
  const done = finishDraft(current, { file, line: firstLine });
  if (done) yield done;
}
