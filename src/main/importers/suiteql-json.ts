import type { DateFormat, ItemRoles } from '../../shared/contract/snapshot';
import type { ErrorLocation } from '../../shared/errors';
import type { CanonicalRefundInput } from '../../shared/model';
import {
  badQuantity,
  currencyAt,
  DateReader,
  dateNote,
  type ImportContext,
  inputError,
  isObj,
  jsonMoney,
  makeContext,
  type Obj,
  optString,
  shown,
} from './common';
import { readJson } from './json-stream';
import {
  memoStatusOf,
  type NsRecordDraft,
  nsDraftToCanonical,
  parseAppliedTo,
  RoleLookup,
  recordTypeAt,
  statusOf,
} from './netsuite-common';
import type { TextSource } from './source';

/**
 * `suiteql-json`: pages of the SuiteQL REST envelope (`{"items":[…],"hasMore":…}`, apis.md §1.5),
 * one page per file or an array of pages, with one row per transaction line as produced by the
 * query documented in docs/importers.md (ordered by transaction id, then line).
 *
 * Expected columns (lower case, as SuiteQL returns them; NULL columns may be absent):
 * id, tranid, type, trandate, currency, externalid, otherrefnum, memo, status, voided, createdfrom,
 * appliesto, storefrontorder, mainline, item, itemid, quantity, foreignamount, taxamount, linememo;
 * optional body money shippingcost, handlingcost, discounttotal, tender columns paymentmethod and
 * (foreign)amountremaining, and the line's itemtype
 * ('ShipItem' lines are shipping, 'Discount' lines discount the line above).
 */
export const SUITEQL_COLUMNS = [
  'id',
  'tranid',
  'type',
  'trandate',
  'currency',
  'externalid',
  'otherrefnum',
  'memo',
  'status',
  'voided',
  'createdfrom',
  'appliesto',
  'storefrontorder',
  'mainline',
  'item',
  'itemid',
  'quantity',
  'foreignamount',
  'taxamount',
  'linememo',
  'itemtype',
  'shippingcost',
  'handlingcost',
  'discounttotal',
] as const;

export interface SuiteqlRow {
  row: Obj;
  where: ErrorLocation;
}

export interface SuiteqlOptions {
  file?: string;
  currency?: string;
  dateFormat?: DateFormat;
  itemRoles?: ItemRoles;
}

const BODY_MONEY = [
  ['shippingcost', 'bodyShipping'],
  ['handlingcost', 'bodyHandling'],
  ['discounttotal', 'bodyDiscount'],
] as const;

function text(row: Obj, key: string): string {
  return optString(row[key]).trim();
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'T' || value === 't' || value === 'true' || value === 'Y';
}

/** Rows of the documented SuiteQL query (any order of pages, rows grouped by id) → canonical refunds. */
export async function* suiteqlRowsWithLocation(
  rows: AsyncIterable<SuiteqlRow> | Iterable<SuiteqlRow>,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  const dates = new DateReader(ctx.dateFormat);
  const roles = new RoleLookup(ctx);
  const seen = new Set<string>();
  let draft: NsRecordDraft | undefined;
  for await (const { row, where } of rows as AsyncIterable<SuiteqlRow>) {
    const at = (field: string): ErrorLocation => ({ ...where, field });
    const id = text(row, 'id');
    if (id === '') throw inputError('missing_field', `A row has no "id" column, found ${shown(row.id)}.`, at('id'));
    if (!draft || draft.id !== id) {
      if (draft) {
        seen.add(draft.id);
        yield nsDraftToCanonical(draft, roles);
      }
      if (seen.has(id)) {
        throw inputError(
          'rows_not_grouped',
          `The rows of transaction ${id} are not together. Add ORDER BY t.id, tl.linesequencenumber to the SuiteQL query.`,
          at('id'),
        );
      }
      const rawCurrency = row.currency;
      const currency =
        rawCurrency === undefined || rawCurrency === null || rawCurrency === ''
          ? ctx.currency
            ? currencyAt(ctx.currency, at('currency'))
            : currencyAt(rawCurrency, at('currency'))
          : currencyAt(optString(rawCurrency), at('currency'));
      const memo = optString(row.memo);
      draft = {
        id,
        documentNumber: text(row, 'tranid'),
        recordType: recordTypeAt(text(row, 'type') || text(row, 'recordtype'), at('type')),
        date: dates.read(text(row, 'trandate'), at('trandate')),
        currency,
        mainAmount: undefined,
        mainTax: undefined,
        orderRef: text(row, 'storefrontorder') || text(row, 'otherrefnum'),
        externalId: text(row, 'externalid'),
        memo,
        createdFrom: text(row, 'createdfrom'),
        appliesTo: parseAppliedTo(text(row, 'appliesto')),
        status: statusOf(text(row, 'status'), isTrue(row.voided)),
        isTest: false,
        lines: [],
        where,
      };
      if (row.foreigntotal !== undefined && row.foreigntotal !== null && row.foreigntotal !== '') {
        draft.mainAmount = jsonMoney(row.foreigntotal, currency, at('foreigntotal'));
      }
      // Tenders (tenders.md §1.4): `BUILTIN.DF(t.paymentmethod) AS paymentmethod` [unconfirmed
      // column], the memo status (CustCred:A Open, CustCred:B Fully Applied) and, when selected,
      // `foreignamountremaining` / `amountremaining`.
      const method = text(row, 'paymentmethod');
      if (method) draft.paymentMethod = method;
      if (draft.recordType === 'creditMemo') {
        const memoStatus = memoStatusOf(text(row, 'status'));
        if (memoStatus) draft.memoStatus = memoStatus;
        const remaining = row.foreignamountremaining ?? row.amountremaining;
        if (remaining !== undefined && remaining !== null && remaining !== '') {
          draft.amountRemaining = jsonMoney(remaining, currency, at('amountremaining'));
        }
      }
    }
    // Body columns repeat on every row of the transaction: the first value given counts (looked at
    // only when the query selects them).
    if (row.shippingcost !== undefined || row.handlingcost !== undefined || row.discounttotal !== undefined) {
      for (const [key, field] of BODY_MONEY) {
        const value = row[key];
        if (draft[field] === undefined && value !== undefined && value !== null && value !== '') {
          draft[field] = jsonMoney(value, draft.currency, at(key));
        }
      }
    }
    if (!draft.appliesTo && text(row, 'appliesto')) {
      draft.appliesTo = parseAppliedTo(text(row, 'appliesto'));
    }
    const item = text(row, 'item');
    const main = row.mainline !== undefined ? isTrue(row.mainline) : item === '';
    const amount =
      row.foreignamount === undefined || row.foreignamount === null || row.foreignamount === ''
        ? 0
        : jsonMoney(row.foreignamount, draft.currency, at('foreignamount'));
    const tax =
      row.taxamount === undefined || row.taxamount === null || row.taxamount === ''
        ? 0
        : jsonMoney(row.taxamount, draft.currency, at('taxamount'));
    if (main) {
      if (draft.mainAmount === undefined) draft.mainAmount = amount;
      continue;
    }
    if (item === '') continue;
    let quantity: number | undefined;
    if (row.quantity !== undefined && row.quantity !== null && row.quantity !== '') {
      const q = Number(row.quantity);
      if (!Number.isSafeInteger(q)) {
        throw inputError('bad_quantity', badQuantity(row.quantity), at('quantity'));
      }
      quantity = q;
    }
    const itemType = text(row, 'itemtype');
    draft.lines.push({
      item,
      itemId: text(row, 'itemid'),
      description: optString(row.linememo),
      quantity,
      amount,
      tax,
      discount: /^discount$/i.test(itemType),
      shippingType: /^shipitem$/i.test(itemType),
    });
  }
  if (draft) yield nsDraftToCanonical(draft, roles);
  const note = dateNote(dates);
  if (note) ctx.notes.push(note);
}

/** For the Pull job: SuiteQL rows (already fetched, page by page) → canonical refunds. */
export async function* suiteqlRowsToRefunds(
  rows: AsyncIterable<Obj> | Iterable<Obj>,
  options: SuiteqlOptions = {},
): AsyncGenerator<CanonicalRefundInput> {
  const file = options.file ?? 'SuiteQL';
  const ctx = makeContext({
    file,
    side: 'netsuite',
    format: 'suiteql-json',
    currency: options.currency,
    dateFormat: options.dateFormat,
    itemRoles: options.itemRoles,
  });
  async function* located(): AsyncGenerator<SuiteqlRow> {
    let n = 0;
    for await (const row of rows as AsyncIterable<Obj>) {
      yield { row, where: { file, field: `row ${n++}` } };
    }
  }
  yield* suiteqlRowsWithLocation(located(), ctx);
}

export async function* suiteqlJsonRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  const file = ctx.file;
  async function* rows(): AsyncGenerator<SuiteqlRow> {
    for await (const item of readJson(source, { containerKeys: ['items'] })) {
      if (item.key?.startsWith('.')) continue;
      const where = { file, line: item.line };
      const value = item.value;
      if (!isObj(value)) {
        throw inputError('unexpected_json', `Expected a SuiteQL page or row object, found ${shown(value)}.`, where);
      }
      if (item.key === 'items' || (item.key === '[]' && !Array.isArray(value.items))) {
        ctx.rows++;
        yield { row: value, where: { ...where, field: 'items[]' } };
        continue;
      }
      if (!Array.isArray(value.items)) {
        throw inputError(
          'unexpected_json',
          `Expected a SuiteQL response page ({"items":[…],"hasMore":…}), found an object with ${Object.keys(value).slice(0, 5).join(', ')}. Is this file in another format?`,
          where,
        );
      }
      for (const [k, row] of value.items.entries()) {
        if (!isObj(row))
          throw inputError('unexpected_json', `items[${k}] is not a row object.`, { ...where, field: `items[${k}]` });
        ctx.rows++;
        yield { row, where: { ...where, field: `items[${k}]` } };
      }
    }
  }
  yield* suiteqlRowsWithLocation(rows(), ctx);
}
