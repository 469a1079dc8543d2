import type { ErrorLocation } from '../../shared/errors';
import type { CanonicalRefundInput, CreditApplication, RecordType } from '../../shared/model';
import { resolveCurrency } from '../../shared/money/currencies';
import {
  badQuantity,
  currencyAt,
  type ImportContext,
  inputError,
  isObj,
  isoDateAt,
  jsonMoney,
  makeContext,
  type Obj,
  optString,
  requireString,
  shown,
} from './common';
import { readJson } from './json-stream';
import {
  memoStatusOf,
  type NsLineDraft,
  type NsRecordDraft,
  nsDraftToCanonical,
  RoleLookup,
  recordTypeOf,
  statusOf,
} from './netsuite-common';
import type { TextSource } from './source';

/**
 * `record-json`: NetSuite REST record GETs with `expandSubResources=true` (apis.md §1.4): one record,
 * an array of records, or a collection `{"items":[…]}` of expanded records.
 */

function refName(value: unknown): string {
  if (isObj(value)) return optString(value.refName ?? value.id);
  return optString(value);
}

function typeFromRecord(record: Obj): RecordType | undefined {
  for (const key of ['recordType', 'type']) {
    const t = recordTypeOf(refName(record[key]));
    if (t) return t;
  }
  const links = Array.isArray(record.links) ? record.links : [];
  for (const link of links) {
    if (!isObj(link)) continue;
    const m = /\/record\/v1\/([A-Za-z]+)\//.exec(optString(link.href));
    if (m) {
      const t = recordTypeOf(m[1]!);
      if (t) return t;
    }
  }
  return undefined;
}

function storefrontOrder(record: Obj): string {
  for (const [key, value] of Object.entries(record)) {
    if (/^custbody.*(storefront_?order|etail_?order|order_?(id|number|ref))/i.test(key)) {
      const s = refName(value).trim();
      if (s) return s;
    }
  }
  return optString(record.otherRefNum).trim();
}

function bodyMoney(
  record: Obj,
  key: string,
  currency: string,
  at: (field: string) => ErrorLocation,
): number | undefined {
  const value = record[key];
  return value === undefined || value === null || value === '' ? undefined : jsonMoney(value, currency, at(key));
}

/**
 * Tender fields of a record (tenders.md §1.4): `paymentMethod` (a record ref in SuiteTalk SOAP on
 * Cash Refund and Customer Refund [code]; the REST name is [unconfirmed]), and on a Credit Memo
 * its `apply.items[]` with `apply: true` and its balance `amountRemaining` (SOAP's name; REST
 * [unconfirmed]) — when the balance is absent but the apply sublist is there, the remainder is
 * |total| − Σ applied.
 */
function recordTenderFields(
  record: Obj,
  recordType: string,
  currency: string,
  at: (field: string) => ErrorLocation,
): Partial<NsRecordDraft> {
  const out: Partial<NsRecordDraft> = {};
  // Body checkboxes that are set (REST `true`, SOAP/CSV `T`): the sync's storeCreditMarker is one (§6).
  const flags = Object.entries(record)
    .filter(([k, v]) => /^custbody/i.test(k) && (v === true || v === 'T'))
    .map(([k]) => k);
  if (flags.length > 0) out.bodyFlags = flags;
  const method = record.paymentMethod;
  if (method !== undefined && method !== null && method !== '') {
    out.paymentMethod = refName(method);
    out.paymentMethodId = isObj(method) ? optString(method.id) : '';
  }
  if (recordType !== 'creditMemo') return out;
  const status = memoStatusOf(refName(record.status));
  if (status) out.memoStatus = status;
  const remaining = bodyMoney(record, 'amountRemaining', currency, at);
  const createdFrom = isObj(record.createdFrom) ? optString(record.createdFrom.id) : '';
  const apply = isObj(record.apply) ? record.apply.items : undefined;
  if (Array.isArray(apply)) {
    const applications: CreditApplication[] = [];
    let applied = 0;
    for (const [k, a] of apply.entries()) {
      if (!isObj(a) || a.apply !== true) continue;
      const doc = isObj(a.doc) ? optString(a.doc.id) : optString(a.doc);
      const type = optString(a.type) || (isObj(a.doc) ? refName(a.doc) : '');
      const amount = Math.abs(jsonMoney(a.amount ?? 0, currency, at(`apply.items[${k}].amount`)));
      applied += amount;
      applications.push({
        docType: /refund/i.test(type) ? 'customerRefund' : /invoice/i.test(type) ? 'invoice' : 'other',
        doc,
        tranId: optString(a.refNum),
        amount,
        date: typeof a.applyDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(a.applyDate) ? a.applyDate : null,
        isCreatedFrom: doc !== '' && doc === createdFrom,
      });
    }
    out.applications = applications;
    if (remaining === undefined && record.total !== undefined && record.total !== null) {
      out.amountRemaining = Math.max(0, Math.abs(jsonMoney(record.total, currency, at('total'))) - applied);
    }
  }
  if (remaining !== undefined) out.amountRemaining = remaining;
  return out;
}

/** One expanded NetSuite record → canonical (for the Pull job too). */
export function netsuiteRecordToRefund(
  record: Obj,
  options: {
    file?: string;
    line?: number;
    currency?: string;
    itemRoles?: ImportContext['itemRoles'];
    tenderMapping?: ImportContext['tenderMapping'];
  } = {},
): CanonicalRefundInput {
  const where: ErrorLocation = { file: options.file ?? 'record', line: options.line };
  const at = (field: string): ErrorLocation => ({ ...where, field });
  const id = requireString(record.id, at('id'), 'the record internal id');
  const recordType = typeFromRecord(record);
  if (!recordType) {
    throw inputError(
      'unexpected_record_type',
      `Record ${id} is not a refund record (or does not say its type): expected a cashRefund, creditMemo, customerRefund or returnAuthorization GET with its "links". Export those record types only.`,
      at('links'),
    );
  }
  const currencyRef = record.currency;
  const rawCurrency = isObj(currencyRef) ? optString(currencyRef.refName) : optString(currencyRef);
  // The reference's refName is the name of the account's currency record, which the account names
  // as it likes (Oracle's own credit memo example says "USA"): a name that is no currency falls
  // back to the currency given for the import.
  const named = rawCurrency ? resolveCurrency(rawCurrency) : undefined;
  if (rawCurrency && !named && !options.currency) {
    throw inputError(
      'currency_required',
      `The record's currency is named ${shown(rawCurrency)}, which is not a currency code or a known currency name: give the currency for this import.`,
      at('currency'),
    );
  }
  const currency = named ?? currencyAt(options.currency, at('currency'));
  const lines: NsLineDraft[] = [];
  const sublist = isObj(record.item) ? record.item.items : undefined;
  if (Array.isArray(sublist)) {
    for (const [k, l] of sublist.entries()) {
      if (!isObj(l)) continue;
      const f = (name: string) => at(`item.items[${k}].${name}`);
      const quantity = l.quantity === undefined || l.quantity === null ? undefined : Number(l.quantity);
      if (quantity !== undefined && !Number.isSafeInteger(quantity)) {
        throw inputError('bad_quantity', badQuantity(l.quantity), f('quantity'));
      }
      const itemRef = l.item;
      const itemType = refName(l.itemType);
      lines.push({
        item: refName(itemRef),
        itemId: isObj(itemRef) ? optString(itemRef.id) : '',
        description: optString(l.description),
        quantity,
        amount: l.amount === undefined || l.amount === null ? 0 : jsonMoney(l.amount, currency, f('amount')),
        tax:
          l.taxAmount !== undefined && l.taxAmount !== null
            ? jsonMoney(l.taxAmount, currency, f('taxAmount'))
            : l.tax1Amt !== undefined && l.tax1Amt !== null
              ? jsonMoney(l.tax1Amt, currency, f('tax1Amt'))
              : 0,
        discount: /^discount$/i.test(itemType),
        shippingType: /^shipitem$/i.test(itemType),
      });
    }
  }
  let appliesTo = '';
  const apply = isObj(record.apply) ? record.apply.items : undefined;
  if (Array.isArray(apply)) {
    for (const a of apply) {
      if (isObj(a) && a.apply !== false && isObj(a.doc)) {
        appliesTo = optString(a.doc.id);
        if (appliesTo) break;
      }
    }
  }
  const tenderFields = recordTenderFields(record, recordType, currency, at);
  const draft = {
    ...tenderFields,
    id,
    documentNumber: optString(record.tranId),
    recordType,
    date: isoDateAt(record.tranDate, at('tranDate')),
    currency,
    mainAmount:
      record.total === undefined || record.total === null ? undefined : jsonMoney(record.total, currency, at('total')),
    mainTax:
      record.taxTotal === undefined || record.taxTotal === null
        ? undefined
        : jsonMoney(record.taxTotal, currency, at('taxTotal')),
    orderRef: storefrontOrder(record),
    externalId: optString(record.externalId),
    memo: optString(record.memo),
    createdFrom: refName(record.createdFrom),
    appliesTo,
    status: statusOf(refName(record.status), record.voided === true),
    isTest: false,
    lines,
    // Body-level money as the REST record schema names it (cashRefund, creditMemo): the shipping
    // charge of the default shipping method, the handling charge, and the body discount.
    bodyShipping: bodyMoney(record, 'shippingCost', currency, at),
    bodyHandling: bodyMoney(record, 'handlingCost', currency, at),
    bodyDiscount: bodyMoney(record, 'discountTotal', currency, at),
    where,
  };
  const roles = new RoleLookup({
    ...makeContext({ file: where.file ?? '', side: 'netsuite', format: 'record-json', itemRoles: options.itemRoles }),
    tenderMapping: options.tenderMapping,
  });
  return nsDraftToCanonical(draft, roles);
}

export async function* recordJsonRefunds(source: TextSource, ctx: ImportContext): AsyncGenerator<CanonicalRefundInput> {
  for await (const item of readJson(source, { containerKeys: ['items'] })) {
    if (item.key?.startsWith('.')) continue;
    const where = { file: ctx.file, line: item.line };
    const value = item.value;
    if (!isObj(value))
      throw inputError('unexpected_json', `Expected a NetSuite record object, found ${shown(value)}.`, where);
    const records = item.key === null && Array.isArray(value.items) && value.id === undefined ? value.items : [value];
    for (const record of records) {
      if (!isObj(record))
        throw inputError('unexpected_json', `Expected a NetSuite record object, found ${shown(record)}.`, where);
      ctx.rows++;
      yield netsuiteRecordToRefund(record, {
        file: ctx.file,
        line: item.line,
        currency: ctx.currency,
        itemRoles: ctx.itemRoles,
        tenderMapping: ctx.tenderMapping,
      });
    }
  }
}
