import type { CanonicalRefund } from '../../shared/model';
import { formatAmount } from '../../shared/money';
import { RECORD_TYPE_LABELS } from '../../shared/record-labels';
import { summaryHasItems } from '../store/line-summary';
import type { ReconcileResult } from './engine';
import type { LineComparison } from './lines';
import { refundIn } from './presentment-view';
import {
  agreeingTenderNotes,
  chargebackMissingText,
  chargebackText,
  creditNotPaidOutText,
  exchangeText,
  storedValueMissingText,
  tenderCheckOf,
  tenderDifferenceClue,
  tenderMismatchText,
} from './tender-hints';

/**
 * Plain-language hints (spec §5): what differs, by how much, which records and lines, and the
 * likely cause (reference: refund-domain.md §4). Built on demand so a 1M-result run does not
 * hold a million strings it may never show.
 */

const RECORD_LABEL = RECORD_TYPE_LABELS;
const SOURCE_LABEL: Record<string, string> = {
  cashSale: 'Cash Sale',
  invoice: 'Invoice',
  salesOrder: 'Sales Order',
  returnAuthorization: 'Return Authorization',
  creditMemo: 'Credit Memo',
  customerDeposit: 'Customer Deposit',
  other: 'another record',
};

export function money(minor: number, currency: string): string {
  try {
    return `${currency} ${formatAmount(minor, currency)}`;
  } catch {
    return `${currency} ${minor} (minor units)`;
  }
}

export function describeNetsuite(r: CanonicalRefund): string {
  const label = RECORD_LABEL[r.recordType] ?? r.recordType;
  const doc = r.documentNumber || `internal id ${r.id}`;
  return `${label} ${doc}`;
}

function describeStorefront(r: CanonicalRefund): string {
  return `storefront refund ${r.id}${r.documentNumber && r.documentNumber !== r.id ? ` (${r.documentNumber})` : ''}`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function nsList(result: ReconcileResult): string {
  return list(
    result.units.map((u) =>
      u.members.length > 1
        ? `${describeNetsuite(u.primary)} (paid out by ${list(u.members.slice(1).map(describeNetsuite))})`
        : describeNetsuite(u.primary),
    ),
  );
}

export function sfList(result: ReconcileResult): string {
  return list(result.storefront.map(describeStorefront));
}

function createdFromText(r: CanonicalRefund): string {
  if (!r.createdFrom) return '';
  return `${SOURCE_LABEL[r.createdFrom.type] ?? r.createdFrom.type}${r.createdFrom.ref ? ` ${r.createdFrom.ref}` : ''}`;
}

/** A NetSuite record built from a source order that disagrees: NetSuite's configuration decides how. */
function configurationCause(result: ReconcileResult): string {
  const source = result.units.map((u) => u.primary).find((r) => r.createdFrom);
  if (!source) return '';
  return ` NetSuite created ${describeNetsuite(source)} from ${createdFromText(source)}; when a refund record created from its source order disagrees with the storefront, the cause is in NetSuite's configuration (items, tax codes, shipping item, rounding), not in the connector, which does not decide how NetSuite builds refund records.`;
}

function lineText(line: LineComparison, currency: string): string {
  const s = line.storefront;
  const n = line.netsuite;
  const name = line.role === 'shipping' ? 'shipping' : `SKU ${line.sku}`;
  switch (line.status) {
    case 'missing_in_netsuite':
      return `${name} (${s!.quantity > 0 ? `${s!.quantity} × ` : ''}${money(s!.amount, currency)}) is on the storefront refund but not in NetSuite`;
    case 'missing_in_storefront':
      return `${name} (${n!.quantity > 0 ? `${n!.quantity} × ` : ''}${money(n!.amount, currency)}) is in NetSuite but not on the storefront refund`;
    case 'quantity_differs':
      return `${name}: quantity ${s!.quantity} on the storefront, ${n!.quantity} in NetSuite`;
    case 'amount_differs':
      return `${name}: ${money(s!.amount, currency)} on the storefront, ${money(n!.amount, currency)} in NetSuite`;
    default:
      return `${name} agrees`;
  }
}

/** Which part of the refund a difference equals, if any: a strong clue to the cause. */
function differenceClue(result: ReconcileResult): string {
  const diff = Math.abs(result.difference);
  if (diff === 0) return '';
  // The storefront's parts in the compared currency (presentment money when NetSuite recorded it);
  // parts known only in shop money cannot explain a difference in another currency.
  const inCurrency = result.storefront.map((r) => refundIn(r, result.currency));
  if (inCurrency.includes(null) || result.storefront.some((r) => r.linesExported === false)) return '';
  const sf = inCurrency as CanonicalRefund[];
  const shipping = sf.reduce((acc, r) => acc + r.shipping, 0);
  const tax = sf.reduce((acc, r) => acc + r.tax, 0);
  const ns = result.netsuite.filter((r) => r.recordType !== 'customerRefund');
  const nsShipping = ns.reduce((acc, r) => acc + r.shipping, 0);
  const nsTax = ns.reduce((acc, r) => acc + r.tax, 0);
  if (shipping > 0 && diff === shipping && nsShipping === 0) {
    return ' The difference equals the shipping refunded on the storefront: the NetSuite record has no shipping line (check the shipping item mapping).';
  }
  if (nsShipping > 0 && diff === nsShipping && shipping === 0) {
    return ' The difference equals the shipping on the NetSuite record: shipping was refunded in NetSuite but not on the storefront.';
  }
  if (tax > 0 && diff === tax && nsTax === 0) {
    return ' The difference equals the tax refunded on the storefront: NetSuite recorded the refund without tax (check tax codes on the refund items, or a tax-only refund that needs a workaround item).';
  }
  if (nsTax > 0 && diff === nsTax && tax === 0) {
    return ' The difference equals the tax on the NetSuite record: NetSuite added tax the storefront did not refund (check the tax codes NetSuite applies).';
  }
  for (const line of result.lines ?? []) {
    const amount = line.storefront?.amount ?? line.netsuite?.amount ?? 0;
    if ((line.status === 'missing_in_netsuite' || line.status === 'missing_in_storefront') && amount === diff) {
      return ` The difference equals ${line.role === 'shipping' ? 'the shipping' : `SKU ${line.sku}`}, which only one side has.`;
    }
  }
  const adjustment = sf.reduce((acc, r) => acc + r.adjustment, 0);
  if (adjustment !== 0 && Math.abs(adjustment) === diff) {
    return ' The difference equals the storefront refund’s discrepancy adjustment (an amount refunded beside the lines): NetSuite needs a generic refund item for it.';
  }
  return '';
}

/** The refund has an item line; records read from a snapshot answer from their line summary (no lines rebuilt). */
export function hasItemLines(r: CanonicalRefund): boolean {
  const summary = (r as { lineSummary?: string }).lineSummary;
  if (summary !== undefined) return summaryHasItems(summary);
  return r.lines.some((l) => l.role === 'item');
}

/**
 * A storefront refund of items whose lines the export could not describe (BigCommerce product
 * refunds without their order's products): kind `line_item` but no item line. It is compared on its
 * total, and the hint says so. Unlike `linesExported` (set by the importer, read back only when a
 * record is hydrated), this is known from the matcher's columns alone (kind and line summary), so a
 * stored `matched` result gets its hint too.
 */
export function linesNotKnown(refund: CanonicalRefund): boolean {
  if (refund.kind !== 'line_item' || refund.side !== 'storefront') return false;
  const summary = (refund as { lineSummary?: string }).lineSummary;
  if (summary !== undefined) return !summaryHasItems(summary);
  return !refund.lines.some((l) => l.role === 'item');
}

/** True when some storefront refund of the result was compared on its total only. */
export function comparedOnTotalOnly(result: ReconcileResult): boolean {
  return result.storefront.some((r) => r.linesExported === false || linesNotKnown(r));
}

export function hintFor(result: ReconcileResult): string {
  const base = baseHint(result);
  const ids = totalOnlyIds(result.storefront);
  if (ids.length === 0) return base;
  return `${base}${base ? ' ' : ''}Storefront refund${ids.length === 1 ? '' : 's'} ${ids.join(', ')} refunded items that the export does not describe (no SKU or price on the refund's items), so ${ids.length === 1 ? 'it was' : 'they were'} compared on the total only, not line by line. For BigCommerce, give the orders' products beside the refunds to compare the lines.`;
}

/**
 * Ids of the refunds compared on their total only for want of lines; those flagged
 * `linesExported: false` are already explained by the base hint. A loop, not `filter` + `map`: the
 * result's refund arrays come in more than one elements kind and each new one met by `filter`
 * deoptimised the CSV row writer it is inlined into (output.ts joinedIds).
 */
function totalOnlyIds(refunds: readonly CanonicalRefund[]): string[] {
  const ids: string[] = [];
  for (let i = 0; i < refunds.length; i++) {
    const r = refunds[i]!;
    if (r.linesExported !== false && linesNotKnown(r)) ids.push(r.id);
  }
  return ids;
}

/** The hint's roll-up sentence (several storefront refunds or NetSuite records), '' for one of each. */
export function rollUpText(result: ReconcileResult): string {
  return result.storefront.length > 1 || result.units.length > 1
    ? ` The ${result.storefront.length} storefront refund${result.storefront.length === 1 ? '' : 's'} (${sfList(result)}) were recorded in NetSuite as ${result.units.length === 1 ? 'one combined refund' : `${result.units.length} records`} (${nsList(result)}); compared as a whole for the order.`
    : '';
}

function baseHint(result: ReconcileResult): string {
  const c = result.currency;
  const sfTotal = result.storefrontTotal ?? 0;
  const nsTotal = result.netsuiteTotal ?? 0;
  const order = result.orderRef ? `order ${result.orderRef}` : 'an unknown order';
  const rollUp = rollUpText(result);
  const totalOnly = result.storefront.filter((r) => r.linesExported === false);
  const notExported =
    totalOnly.length > 0
      ? ` The storefront export carried only the total of ${list(totalOnly.map(describeStorefront))}, not its lines, so it was compared on its total; export or pull the refund's lines to compare them.`
      : '';
  const linesInShopMoneyOnly =
    result.presentment && totalOnly.length === 0 && result.storefront.some((r) => refundIn(r, c) === null);
  const presentment = result.presentment
    ? ` Compared in ${c}, the customer's (presentment) currency that NetSuite recorded; the shop currency amount is kept beside it.${
        linesInShopMoneyOnly
          ? ` The storefront refund's lines are known only in the shop currency (${result.storefront[0]!.currency}), so they were not compared; only the totals were.`
          : ''
      }`
    : '';
  const also =
    result.issues.includes('record_type_mismatch') && result.code !== 'record_type_mismatch'
      ? ` ${recordTypeText(result)}`
      : '';
  switch (result.code) {
    case 'matched': {
      const lines = result.storefront.some(hasItemLines);
      return `${sfList(result)} and ${nsList(result)} agree on ${money(sfTotal, c)}${lines && !linesInShopMoneyOnly && result.netsuite.some((r) => r.kind === 'line_item') ? ' and on every item line' : ''}.${agreeingTenderNotes(result, describeNetsuite, money)}${rollUp}${presentment}${notExported}`;
    }
    case 'tender_mismatch': {
      const check = tenderCheckOf(result);
      if (!check) return '';
      return `${tenderMismatchText(result, check, sfList(result), nsList(result), money)}${rollUp}${presentment}${also}`;
    }
    case 'credit_not_paid_out': {
      const check = tenderCheckOf(result);
      if (!check || check.overdue.length === 0) return '';
      return `${creditNotPaidOutText(result, check, sfList(result), describeNetsuite, money)}${rollUp}${also}`;
    }
    case 'exchange':
      return `${exchangeText(result, nsList(result), money)}${rollUp}${also}`;
    case 'chargeback':
      return `${chargebackText(result, sfList(result), nsList(result), money)}${rollUp}${also}`;
    case 'rounding':
      return `Totals differ by ${money(Math.abs(result.difference), c)} (storefront ${money(sfTotal, c)}, NetSuite ${money(nsTotal, c)}), within the tolerance of ${money(result.tolerance, c)}: typically tax or discount rounded per line on one side and per order on the other.${rollUp}${presentment}${notExported}${also}`;
    case 'amount_mismatch': {
      const moved = result.storefront.every((r) => r.moneyMoved && r.status === 'ok');
      const base = `${sfList(result)} refunded ${money(sfTotal, c)} but ${nsList(result)} in NetSuite total${result.units.length === 1 ? 's' : ''} ${money(nsTotal, c)}: a difference of ${money(result.difference, c)}.`;
      const notMoved = moved
        ? ''
        : ' The storefront refund moved no money (no successful refund transaction: a restock-only or failed refund), yet NetSuite recorded a refund.';
      const lines = (result.lines ?? []).filter((l) => l.status !== 'same');
      const lineDetail = lines.length > 0 ? ` Lines: ${lines.map((l) => lineText(l, c)).join('; ')}.` : '';
      return `${base}${notMoved}${differenceClue(result) || tenderDifferenceClue(result, money)}${lineDetail}${rollUp}${presentment}${notExported}${configurationCause(result)}${also}`;
    }
    case 'line_mismatch': {
      const lines = (result.lines ?? []).filter((l) => l.status !== 'same');
      return `Totals agree (${money(sfTotal, c)}) but the item lines differ: ${lines.map((l) => lineText(l, c)).join('; ')}. Check the item mapping (storefront SKU ↔ NetSuite item) and whether the refund was entered against the right items.${rollUp}${presentment}${configurationCause(result)}${also}`;
    }
    case 'general_refund':
      return `${sfList(result)} refunded item lines (${result.storefront
        .flatMap((r) =>
          r.lines.filter((l) => l.role === 'item').map((l) => `${l.quantity} × ${l.sku || l.description}`),
        )
        .join(
          ', ',
        )}) but ${nsList(result)} records only a generic refund of ${money(nsTotal, c)}, so the line detail is lost in NetSuite. ${
        result.severity === 'info'
          ? 'The storefront account cannot refund single lines, so this is expected.'
          : 'The connector posts amounts against a generic refund item when it cannot map lines (FarApp: "Post positive/negative refund adjustments against item"); check the item mapping and the account’s line-item refund setting.'
      }${rollUp}${also}`;
    case 'record_type_mismatch':
      return `Totals agree (${money(sfTotal, c)}). ${recordTypeText(result)}${rollUp}`;
    case 'currency_mismatch': {
      const sf = result.storefront[0]!;
      const ns = result.units[0]!;
      return `${sfList(result)} is in ${sf.currency} (${money(sf.total, sf.currency)}${sf.presentment ? `; presentment ${money(sf.presentment.total, sf.presentment.currency)}` : ''}) but ${nsList(result)} is in ${ns.currency} (${money(ns.total, ns.currency)}): the totals cannot be compared. Usually the store's base currency differs from the currency NetSuite records the customer in; check the currency mapping of the connector and of the customer record.`;
    }
    case 'missing_in_netsuite':
      return `${sfList(result)} on ${order} refunded ${money(sfTotal, c)} on ${result.date} but no NetSuite refund record was found for it. Likely causes: the refund has not synced yet (sync lag, or the refund ran before the order or its billing existed in NetSuite), refund sync is off for this store, or the NetSuite record lacks the order reference (check records listed as no_order_reference).${storedValueMissingText(result)}${notExported}`;
    case 'missing_in_storefront': {
      const r = result.units[0]!.primary;
      return `${nsList(result)} on ${order} (${money(nsTotal, c)}, ${r.date}) has no storefront refund. Likely causes: a refund entered by hand in NetSuite (it will not sync to the storefront when the direction is storefront→NetSuite, and is a common source of doubles), the order was edited or deleted in the storefront, or the storefront export does not cover this date.${r.createdFrom ? ` It was created from ${createdFromText(r)}.` : ''}${chargebackMissingText(result)}${also}`;
    }
    case 'duplicate': {
      const who = result.storefront.length > 0 ? sfList(result) : nsList(result);
      const side = result.storefront.length > 0 ? 'storefront' : 'NetSuite';
      const why = result.duplicateReason ?? 'same order, total and date';
      return `${who} (${money(result.storefront.length > 0 ? sfTotal : nsTotal, c)}) is a second ${side} record for a refund already paired (${why}${result.duplicateOf ? `; see ${result.duplicateOf}` : ''}). The refund is ${side === 'NetSuite' ? 'probably recorded twice in NetSuite: a webhook and a manual entry, a retried sync, or sync running in both directions' : 'probably issued twice on the storefront (double click, or a gateway retry)'}; ${side === 'NetSuite' ? 'void one of the records' : 'check the payment gateway'}.`;
    }
    case 'no_order_reference': {
      const r = result.units[0]!.primary;
      return `${nsList(result)} (${money(nsTotal, c)}, ${r.date}) carries no storefront order reference (Storefront Order, eTail Order ID, Other Ref Num or Memo), so it cannot be matched to a storefront refund. Fill in the order reference on the record, or its External ID with the storefront refund id.`;
    }
    case 'no_money_moved':
      return `${sfList(result)} on ${order} moved no money (no successful refund transaction: restock only, or the refund attempt failed or is pending) and has no NetSuite record, which is correct.`;
    default:
      return '';
  }
}

function recordTypeText(result: ReconcileResult): string {
  const bad = result.units.map((u) => u.primary).find((r) => r.createdFrom);
  if (!bad) return '';
  const expected = bad.recordType === 'cashRefund' ? 'a Cash Sale' : 'an Invoice';
  return `${describeNetsuite(bad)} was created from ${createdFromText(bad)}, but NetSuite's own Refund button makes a ${RECORD_LABEL[bad.recordType]} only from ${expected} (a Cash Sale is refunded by a Cash Refund, an Invoice by a Credit Memo). The cause is in NetSuite's configuration (the connector's record-type settings or the billing record the order created), not in the connector's matching.`;
}
