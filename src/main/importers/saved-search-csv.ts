import type { ErrorLocation } from '../../shared/errors';
import type {
  CanonicalRefund,
  CanonicalRefundInput,
  CreditApplication,
  RecordType,
  RefundStatus,
} from '../../shared/model';
import { resolveCurrency } from '../../shared/money/currencies';
import { type ParseAmountOptions, parseAmount } from '../../shared/money/money';
import { markChecked } from '../store/snapshot-validate';
import {
  badQuantity,
  DateReader,
  dateNote,
  type ImportContext,
  inputError,
  plainDecimalMinor,
  type RefundBatch,
  shown,
} from './common';
import { type ColumnSpec, resolveColumns } from './csv-columns';
import { type CsvBatch, readCsvBatches } from './csv-stream';
import { FinishedIds } from './finished-ids';
import {
  memoStatusOf,
  type NsRecordDraft,
  nsDraftToCanonical,
  parseAppliedTo,
  parseCreatedFrom,
  RoleLookup,
  recordTypeAt,
  statusOf,
} from './netsuite-common';
import { RepeatedDates } from './repeated-dates';
import { AcceptedNsRefunds } from './saved-search-accepted';
import type { TextSource } from './source';

/** The recommended saved-search layout of spec §6 with its header synonyms. */
export const SAVED_SEARCH_COLUMNS: readonly ColumnSpec[] = [
  { key: 'id', name: 'Internal ID', synonyms: ['ID', 'Internal Id'], required: true },
  { key: 'type', name: 'Type', synonyms: ['Transaction Type'], required: true },
  { key: 'date', name: 'Date', synonyms: ['Transaction Date'], required: true },
  { key: 'documentNumber', name: 'Document Number', synonyms: ['Number', 'Tran ID', 'Document Number/ID'] },
  { key: 'storefrontOrder', name: 'Storefront Order', synonyms: [] },
  { key: 'etailOrder', name: 'eTail Order ID', synonyms: ['Order Number'] },
  { key: 'otherRefNum', name: 'Other Ref Num', synonyms: ['PO/Check Number', 'PO/Check No.'] },
  { key: 'externalId', name: 'External ID', synonyms: [] },
  { key: 'createdFrom', name: 'Created From', synonyms: [] },
  { key: 'mainLine', name: 'Main Line', synonyms: [] },
  { key: 'item', name: 'Item', synonyms: ['Item Name', 'SKU'] },
  { key: 'itemId', name: 'Item Internal ID', synonyms: [] },
  { key: 'description', name: 'Description', synonyms: [] },
  { key: 'quantity', name: 'Quantity', synonyms: ['Qty'] },
  // In a multi-currency account "Amount" is in the base currency: prefer the transaction currency.
  {
    key: 'amount',
    name: 'Amount',
    synonyms: ['Amount (Foreign Currency)', 'Amount (Transaction Currency)'],
    required: true,
  },
  { key: 'amountForeign', name: 'Amount (Foreign Currency)', synonyms: ['Amount (Transaction Currency)'] },
  { key: 'tax', name: 'Tax Amount', synonyms: ['Tax'] },
  { key: 'currency', name: 'Currency', synonyms: [] },
  { key: 'memo', name: 'Memo', synonyms: [] },
  { key: 'status', name: 'Status', synonyms: [] },
  { key: 'appliedTo', name: 'Applied To Transaction', synonyms: ['Applied To', 'Applies To', 'Applied To Link'] },
  // Body fields (the same value on every row of a transaction): shipping and handling charged on
  // the record body rather than as an item line, and a body discount. No bare "Shipping" synonym:
  // that label is as likely to hold a ship method or an address.
  { key: 'shippingCost', name: 'Shipping Cost', synonyms: ['Amount (Shipping)', 'Shipping Amount', 'Shipping Charge'] },
  { key: 'handlingCost', name: 'Handling Cost', synonyms: ['Amount (Handling)', 'Handling Amount', 'Handling Charge'] },
  { key: 'discountTotal', name: 'Discount Total', synonyms: ['Amount (Discount)', 'Discount Amount'] },
  // `Discount` lines discount the line above; `Shipping` (ShipItem) lines are shipping by type.
  { key: 'itemType', name: 'Item Type', synonyms: ['Item : Type'] },
  // Tenders (tenders.md §1.4), all optional: the payment method; on a Credit Memo its balance and,
  // one row per application, the amount applied to the transaction named in Applied To Transaction.
  { key: 'paymentMethod', name: 'Payment Method', synonyms: [] },
  { key: 'amountRemaining', name: 'Amount Remaining', synonyms: [] },
  { key: 'appliedLinkAmount', name: 'Applied To Link Amount', synonyms: [] },
];

const BODY_MONEY = [
  ['shippingCost', 'bodyShipping'],
  ['handlingCost', 'bodyHandling'],
  ['discountTotal', 'bodyDiscount'],
] as const;

const PRIME_ROWS = 5000;
/** Distinct type and status texts remembered (a few in practice); past it they are read each time. */
const TEXT_CACHE_LIMIT = 256;
/**
 * Refunds per array yielded: enough to make the async step per array small, few enough that they
 * die young (a whole 1 MB CSV batch of refunds, ~2,000, outlived the young generation and doubled
 * the parse thread's GC).
 */
const YIELD_REFUNDS = 64;

/** Field k of record r trimmed: '' for an empty field without making its string. */
function trimmedAt(b: CsvBatch, r: number, k: number): string {
  return b.fieldIsEmpty(r, k) ? '' : b.field(r, k).trim();
}

/** `Invoice #INV2001` → invoice; `Customer Refund #CR1` → customerRefund (the Applied To text names the type). */
function appliedDocType(raw: string): CreditApplication['docType'] {
  if (/refund/i.test(raw)) return 'customerRefund';
  if (/invoice/i.test(raw)) return 'invoice';
  return 'other';
}

/** `saved-search-csv`: a NetSuite transaction saved search exported as CSV, one row per line. */
export async function* savedSearchCsvRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  for await (const batch of savedSearchCsvRefundBatches(source, ctx)) {
    const accepted = batch.accepted;
    for (let k = 0; k < batch.length; k++) {
      const refund = batch[k]!;
      // Already acceptRefund's value of itself: the consumer checks it at once (markChecked).
      if (accepted?.[k]) markChecked(refund as CanonicalRefund);
      yield refund;
    }
  }
}

/**
 * The same refunds in arrays of up to YIELD_REFUNDS: the parse thread's loop takes them
 * so, because resuming an async generator once per refund (a promise and a microtask each) was
 * ~8 % of its time. When a row fails, the refunds before it are yielded first and the error is
 * thrown after them, so a consumer that checks each refund meets the errors in file order, as
 * with one refund at a time. A common record is made straight into its accepted refund
 * (saved-search-accepted.ts) and marked so in the batch's `accepted`.
 */
export async function* savedSearchCsvRefundBatches(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<RefundBatch> {
  const file = ctx.file;
  const dates = new DateReader(ctx.dateFormat);
  const dateCache = new RepeatedDates(dates);
  const roles = new RoleLookup(ctx);
  const acceptedOf = new AcceptedNsRefunds(roles);
  /** The refund of a finished draft into `done`: accepted as it is made when it is a common one. */
  const finishDraft = (d: NsRecordDraft, into: RefundBatch): void => {
    const refund = acceptedOf.of(d);
    into.accepted!.push(refund !== undefined);
    into.push(refund ?? nsDraftToCanonical(d, roles));
  };
  const newBatch = (): RefundBatch => Object.assign([] as CanonicalRefundInput[], { accepted: [] as boolean[] });
  const amountOptions: ParseAmountOptions = { decimalComma: ctx.decimalComma };
  const currencies = new Map<string, string | undefined>();
  const seen = new FinishedIds();
  let col: Record<string, number> | undefined;
  let width = 0;
  let header: string[] = [];
  let draft: NsRecordDraft | undefined;
  let primed = false;
  let tenderColumns = false;
  /** Body tender fields on the first row of a transaction: payment method, memo status, balance. */
  const readTenderBody = (d: NsRecordDraft, status: string | undefined, get: (k: number) => string): void => {
    const c = col!;
    const f = (key: string): string => (c[key]! >= 0 ? get(c[key]!) : '');
    const method = f('paymentMethod').trim();
    if (method !== '') d.paymentMethod = method;
    if (d.recordType !== 'creditMemo') return;
    const memoStatus = memoStatusOf(c.status! >= 0 ? (status ?? '') : '');
    if (memoStatus) d.memoStatus = memoStatus;
    const remaining = f('amountRemaining').trim();
    if (remaining !== '') d.amountRemaining = amountAt(remaining, d.currency, d.where.line ?? 0, 'amountRemaining');
  };
  /** One application row of a Credit Memo (Applied To Transaction + Applied To Link Amount), once per document. */
  const readApplication = (d: NsRecordDraft, get: (k: number) => string, line: number): void => {
    const c = col!;
    const rawAmount = get(c.appliedLinkAmount!).trim();
    const target = c.appliedTo! >= 0 ? get(c.appliedTo!).trim() : '';
    if (rawAmount === '' || target === '') return;
    const tranId = parseAppliedTo(target);
    d.applications ??= [];
    if (d.applications.some((a) => a.tranId === tranId)) return;
    const createdFromRef = parseCreatedFrom(d.createdFrom)?.ref ?? '';
    d.applications.push({
      docType: appliedDocType(target),
      doc: '',
      tranId,
      amount: Math.abs(amountAt(rawAmount, d.currency, line, 'appliedLinkAmount')),
      date: null,
      isCreatedFrom: createdFromRef !== '' && createdFromRef === tranId,
    });
  };
  // The body-money columns the header has (usually none): looked at on each row only if present.
  let bodyColumns: Array<{
    key: (typeof BODY_MONEY)[number][0];
    index: number;
    field: (typeof BODY_MONEY)[number][1];
  }> = [];

  const plain = !ctx.decimalComma;
  // Error locations are built only when an error is thrown: no closure per row on the hot path.
  const at = (line: number, key: string): ErrorLocation => ({ file, line, column: header[col![key]!] ?? key });
  const amountAt = (raw: string, currency: string, line: number, key: string): number => {
    if (plain) {
      const fast = plainDecimalMinor(raw, currency);
      if (fast !== undefined) return fast;
    }
    const parsed = parseAmount(raw, currency, amountOptions);
    if (parsed.ok) return parsed.minor;
    throw inputError(
      'bad_amount',
      `${parsed.message}. Fix the value, or import with a decimal comma if the export writes amounts as 1.234,56.`,
      at(line, key),
    );
  };
  // A saved search repeats a few types, statuses and (per day) dates on every transaction: each
  // text is read once (the regular expressions, the date parts, the location of an error that
  // never comes were ~10 % of the reader's own time) and looked up after.
  const recordTypes = new Map<string, RecordType>();
  const recordTypeOfText = (raw: string, line: number): RecordType => {
    let type = recordTypes.get(raw);
    if (type === undefined) {
      type = recordTypeAt(raw, at(line, 'type'));
      if (recordTypes.size < TEXT_CACHE_LIMIT) recordTypes.set(raw, type);
    }
    return type;
  };
  const statuses = new Map<string, RefundStatus>();
  const statusOfRow = (raw: string): RefundStatus => {
    let status = statuses.get(raw);
    if (status === undefined) {
      status = statusOf(raw);
      if (statuses.size < TEXT_CACHE_LIMIT) statuses.set(raw, status);
    }
    return status;
  };
  const dateOfRow = (raw: string, line: number): string => dateCache.read(raw, () => at(line, 'date'));
  let lastCurrencyText: string | undefined;
  let lastCurrency = '';
  // The row's line, not its location: the location object is made only for an error.
  const currencyOf = (raw: string, line: number): string => {
    if (raw === lastCurrencyText) return lastCurrency;
    let code = currencies.get(raw);
    if (code === undefined && !currencies.has(raw)) {
      code = raw.trim() === '' ? undefined : resolveCurrency(raw);
      if (raw.trim() !== '' && !code) {
        throw inputError(
          'unknown_currency',
          `Unknown currency ${shown(raw)}: expected an ISO 4217 code (USD, EUR) or a NetSuite currency name ("US Dollar", "Euro", "British pound"). Check the Currency column.`,
          at(line, 'currency'),
        );
      }
      currencies.set(raw, code);
    }
    lastCurrencyText = raw;
    lastCurrency = code ?? '';
    return code ?? '';
  };

  /** The row's currency: the last text's when the field is that text (most rows), without its string. */
  const currencyAt = (b: CsvBatch, r: number, line: number): string => {
    const k = col!.currency!;
    if (k < 0) return currencyOf('', line);
    if (lastCurrencyText !== undefined && b.fieldIs(r, k, lastCurrencyText)) return lastCurrency;
    return currencyOf(b.field(r, k), line);
  };
  let lastTypeText: string | undefined;
  let lastType: RecordType = 'cashRefund';
  const recordTypeOfRow = (raw: string, line: number): RecordType => {
    const type = recordTypeOfText(raw, line);
    lastTypeText = raw;
    lastType = type;
    return type;
  };

  for await (const b of readCsvBatches(source)) {
    let start = 0;
    if (!col) {
      header = b.fields(0);
      width = header.length;
      col = resolveColumns(header, SAVED_SEARCH_COLUMNS, file, ctx.mapping, ctx.currency ? [] : ['currency']);
      tenderColumns = col.paymentMethod! >= 0 || col.amountRemaining! >= 0 || col.status! >= 0;
      const amountMapped = Object.keys(ctx.mapping ?? {}).some((k) => k.trim().toLowerCase() === 'amount');
      if (col.amountForeign! >= 0 && !amountMapped) col.amount = col.amountForeign!;
      const resolved = col;
      bodyColumns = BODY_MONEY.filter(([key]) => resolved[key]! >= 0).map(([key, field]) => ({
        key,
        index: resolved[key]!,
        field,
      }));
      start = 1;
    }
    const c = col;
    if (!primed) {
      primed = true;
      const sample: string[] = [];
      for (let r = start; r < Math.min(b.length, start + PRIME_ROWS); r++) sample.push(b.field(r, c.date!));
      dates.prime(sample);
    }
    // Fields are read with b.field(r, k), made into strings only when read (see CsvBatch).
    let done = newBatch();
    let failure: unknown;
    let failed = false;
    try {
      for (let r = start; r < b.length; r++) {
        const line = b.line(r);
        const fieldCount = b.fieldCount(r);
        ctx.rows++;
        if (fieldCount !== width) {
          if (fieldCount === 1 && b.field(r, 0).trim() === '') continue;
          throw inputError(
            'csv_field_count',
            `Line ${line} has ${fieldCount} fields but the header has ${width}. A field with a comma or line break is probably not quoted, or the file is cut short. Fix the line or export again.`,
            { file, line },
          );
        }
        // A transaction's next rows repeat its id, type and currency: compared where they are, no string made.
        const id = draft !== undefined && b.fieldIs(r, c.id!, draft.id) ? draft.id : b.field(r, c.id!).trim();
        if (id === '') {
          throw inputError(
            'missing_field',
            'The Internal ID is empty; every row needs the internal id of its transaction.',
            {
              file,
              line,
              column: header[c.id!],
            },
          );
        }
        if (!draft || draft.id !== id) {
          if (draft) {
            seen.add(draft.id);
            finishDraft(draft, done);
            if (done.length >= YIELD_REFUNDS) {
              const out = done;
              done = newBatch();
              yield out;
            }
          }
          if (seen.has(id)) {
            throw inputError(
              'rows_not_grouped',
              `The rows of transaction ${id} are not together (it appeared before line ${line}). Sort the saved search by Internal ID (or by Date then Internal ID) and export again.`,
              { file, line, column: header[c.id!] },
            );
          }
          const currency = currencyAt(b, r, line) || ctx.currency || '';
          if (!currency) {
            throw inputError(
              'currency_required',
              'The Currency is empty: add it to the export, or give the currency for this import.',
              at(line, 'currency'),
            );
          }
          const orderRef =
            (c.storefrontOrder! >= 0 ? b.field(r, c.storefrontOrder!).trim() : '') ||
            (c.etailOrder! >= 0 ? b.field(r, c.etailOrder!).trim() : '') ||
            (c.otherRefNum! >= 0 ? b.field(r, c.otherRefNum!).trim() : '');
          const rawStatus = c.status! < 0 || b.fieldIsEmpty(r, c.status!) ? '' : b.field(r, c.status!);
          draft = {
            id,
            documentNumber: c.documentNumber! >= 0 ? b.field(r, c.documentNumber!).trim() : '',
            recordType:
              lastTypeText !== undefined && b.fieldIs(r, c.type!, lastTypeText)
                ? lastType
                : recordTypeOfRow(b.field(r, c.type!), line),
            date: dateOfRow(b.field(r, c.date!), line),
            currency,
            mainAmount: undefined,
            mainTax: undefined,
            orderRef,
            externalId: c.externalId! >= 0 ? b.field(r, c.externalId!).trim() : '',
            memo: c.memo! >= 0 ? b.field(r, c.memo!) : '',
            createdFrom: c.createdFrom! >= 0 ? b.field(r, c.createdFrom!) : '',
            appliesTo: c.appliedTo! >= 0 ? parseAppliedTo(b.field(r, c.appliedTo!)) : '',
            status: statusOfRow(rawStatus),
            isTest: false,
            lines: [],
            where: { file, line },
          };
          if (tenderColumns) {
            readTenderBody(draft, rawStatus, (k) => b.field(r, k));
          }
        } else if (c.appliedTo! >= 0 && draft.appliesTo === '') {
          draft.appliesTo = parseAppliedTo(b.field(r, c.appliedTo!));
        }
        if (c.appliedLinkAmount! >= 0 && draft.recordType === 'creditMemo')
          readApplication(draft, (k) => b.field(r, k), line);
        const rowCurrency = c.currency! >= 0 ? currencyAt(b, r, line) || draft.currency : draft.currency;
        if (rowCurrency !== draft.currency) {
          throw inputError(
            'mixed_currency',
            `Transaction ${id} mixes currencies (${draft.currency} and ${rowCurrency}). Export "Amount (Foreign Currency)" with the transaction currency.`,
            at(line, 'currency'),
          );
        }
        const item = c.item! >= 0 ? trimmedAt(b, r, c.item!) : '';
        const mainFlag =
          c.mainLine! >= 0 ? (b.fieldIs(r, c.mainLine!, '*') ? '*' : trimmedAt(b, r, c.mainLine!)) : undefined;
        const isMain =
          mainFlag !== undefined
            ? mainFlag === '*' || (mainFlag !== '' && /^(yes|true|t|y)$/i.test(mainFlag))
            : item === '';
        for (let k = 0; k < bodyColumns.length; k++) {
          const { key, index, field } = bodyColumns[k]!;
          if (draft[field] !== undefined) continue;
          const raw = b.field(r, index);
          if (raw.trim() !== '') draft[field] = amountAt(raw, draft.currency, line, key);
        }
        const rawAmount = b.field(r, c.amount!);
        const rawTax = c.tax! >= 0 ? trimmedAt(b, r, c.tax!) : '';
        if (isMain) {
          draft.mainAmount = rawAmount.trim() === '' ? 0 : amountAt(rawAmount, draft.currency, line, 'amount');
          if (rawTax !== '') draft.mainTax = amountAt(rawTax, draft.currency, line, 'tax');
          if (draft.memo === '' && c.memo! >= 0) draft.memo = b.field(r, c.memo!);
          continue;
        }
        if (item === '') continue; // accounting lines without an item (bank, AR): not refund lines
        const rawQty = c.quantity! >= 0 ? trimmedAt(b, r, c.quantity!) : '';
        let quantity: number | undefined;
        if (rawQty !== '') {
          // No regex and no new string for the usual quantity without a thousands separator.
          const q = Number(rawQty.includes(',') ? rawQty.replace(/,/g, '') : rawQty);
          if (!Number.isSafeInteger(q)) {
            throw inputError('bad_quantity', badQuantity(rawQty), at(line, 'quantity'));
          }
          quantity = q;
        }
        const itemType = c.itemType! >= 0 ? b.field(r, c.itemType!).trim() : '';
        draft.lines.push({
          item,
          itemId: c.itemId! >= 0 ? b.field(r, c.itemId!).trim() : '',
          description: c.description! >= 0 ? b.field(r, c.description!) : '',
          quantity,
          amount: rawAmount.trim() === '' ? 0 : amountAt(rawAmount, draft.currency, line, 'amount'),
          tax: rawTax === '' ? 0 : amountAt(rawTax, draft.currency, line, 'tax'),
          discount: itemType !== '' && /^discount$/i.test(itemType),
          shippingType: itemType !== '' && /^(shipitem|shipping( cost item)?)$/i.test(itemType),
        });
      }
    } catch (error) {
      failure = error;
      failed = true;
    }
    if (done.length > 0) {
      const out = done;
      done = newBatch();
      yield out;
    }
    if (failed) throw failure;
  }
  if (!col) {
    throw inputError('empty_file', 'The file has no header row. Export the saved search again as CSV.', {
      file,
      line: 1,
    });
  }
  if (draft) {
    const last = newBatch();
    finishDraft(draft, last);
    yield last;
  }
  const note = dateNote(dates);
  if (note) ctx.notes.push(note);
}
