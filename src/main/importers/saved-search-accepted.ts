import { isCalendarDate } from '../../shared/calendar-date';
import {
  type CanonicalRefund,
  type CreditApplication,
  defaultTenders,
  type RefundLine,
  type Tender,
  TenderKind,
  tenderProblem,
} from '../../shared/model';
import { isCurrencyCode } from '../../shared/money';
import { netsuiteTenders } from '../tenders/netsuite-tenders';
import { type NsRecordDraft, nsRefundHead, nsTenderInput, type RoleLookup } from './netsuite-common';

const TENDER_KINDS = new Set<string>(TenderKind.options);

/** a + b when both and the sum are safe integers (addMinor's asserts), else NaN (which stays NaN). */
function add(a: number, b: number): number {
  const sum = a + b;
  return Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(sum) ? sum : Number.NaN;
}

/**
 * The common NetSuite record straight into the refund that `acceptRefund` makes of
 * `nsDraftToCanonical`'s refund, in one step: no canonical input object, no validation copy of it
 * and its lines (the schema's fast twin), no default tenders built twice. The saved-search reader
 * marks such a refund as already checked (RefundBatch.accepted), so the parse thread and the
 * one-shot's reader pack it as it is.
 *
 * "Common" is what the rich exports hold: no tender items, no discount lines, no body money or
 * body flags, and every sum a safe integer. Anything else gives undefined, and the reader takes
 * the draft through `nsDraftToCanonical` and `acceptRefund` as before (which also word any
 * error). test/unit/importers/saved-search-accepted.test.ts compares the two on generated saved
 * searches.
 */
export class AcceptedNsRefunds {
  /** Dates and currencies already seen to be what the schema accepts (a few hundred texts). */
  private readonly goodDates = new Set<string>();
  private readonly goodCurrencies = new Set<string>();

  constructor(private readonly roles: RoleLookup) {}

  /** The accepted refund of `d`, or undefined when `d` is not a common record. */
  of(d: NsRecordDraft): CanonicalRefund | undefined {
    const roles = this.roles;
    const kinds = roles.tenders;
    if (kinds.items.size > 0) return undefined;
    if (d.bodyShipping !== undefined || d.bodyHandling !== undefined || d.bodyDiscount !== undefined) return undefined;
    if (d.bodyFlags !== undefined) return undefined;
    if (!this.goodDates.has(d.date)) {
      if (!isCalendarDate(d.date)) return undefined;
      this.goodDates.add(d.date);
    }
    if (!this.goodCurrencies.has(d.currency)) {
      if (!isCurrencyCode(d.currency)) return undefined;
      this.goodCurrencies.add(d.currency);
    }
    const drafts = d.lines;
    const n = drafts.length;
    let lineSum = 0;
    for (let i = 0; i < n; i++) {
      const l = drafts[i]!;
      if (l.discount) return undefined;
      lineSum = add(lineSum, l.amount);
    }
    if (Number.isNaN(lineSum)) return undefined;
    const sign = lineSum < 0 ? -1 : 1;
    const lines: RefundLine[] = new Array(n);
    let shipping = 0;
    let adjustment = 0;
    let tax = 0;
    let grand = 0;
    let items = 0;
    for (let i = 0; i < n; i++) {
      const l = drafts[i]!;
      const role = l.shippingType ? 'shipping' : roles.role(l.item, l.itemId);
      const amount = sign * l.amount || 0;
      const lineTax = sign * l.tax || 0;
      const quantity = l.quantity === undefined ? 0 : Math.abs(l.quantity);
      if (!Number.isSafeInteger(quantity)) return undefined;
      lines[i] = { sku: l.item, description: l.description, quantity, amount, tax: lineTax, role };
      // In nsDraftToCanonical's order of additions: an unsafe one there is an error (NaN here).
      grand = add(grand, add(amount, lineTax));
      if (role === 'shipping') shipping = add(shipping, amount);
      else if (role === 'generic') adjustment = add(adjustment, amount);
      else if (role === 'tax') tax = add(tax, amount);
      else items++;
      tax = add(tax, lineTax);
    }
    if (Number.isNaN(grand) || Number.isNaN(shipping) || Number.isNaN(adjustment) || Number.isNaN(tax)) {
      return undefined;
    }
    if (n === 0 && d.mainTax !== undefined) tax = Math.abs(d.mainTax);
    const recordTotal = d.mainAmount !== undefined ? Math.abs(d.mainAmount) : Math.abs(grand);
    if (!Number.isSafeInteger(recordTotal) || !Number.isSafeInteger(tax)) return undefined;
    const applications = d.applications ?? [];
    const amountRemaining = d.amountRemaining === undefined ? undefined : Math.abs(d.amountRemaining);
    const made = netsuiteTenders(nsTenderInput(d, recordTotal, []), kinds);
    let tenders: Tender[];
    if (made === undefined) tenders = defaultTenders({ recordType: d.recordType, total: recordTotal });
    else {
      for (const t of made) {
        if (!Number.isSafeInteger(t.amount) || t.amount <= 0 || !TENDER_KINDS.has(t.kind)) return undefined;
      }
      tenders = made;
    }
    if (tenderProblem({ recordType: d.recordType, total: recordTotal, tenders }) !== null) return undefined;
    const memoRemaining = d.recordType === 'creditMemo' && amountRemaining !== undefined ? amountRemaining : null;
    if (memoRemaining !== null && !Number.isSafeInteger(memoRemaining)) return undefined;
    let copied: CreditApplication[] = [];
    if (applications.length > 0) {
      copied = new Array(applications.length);
      for (let i = 0; i < applications.length; i++) {
        const a = applications[i]!;
        if (!Number.isSafeInteger(a.amount)) return undefined;
        copied[i] = {
          docType: a.docType,
          doc: a.doc,
          tranId: a.tranId,
          amount: a.amount,
          date: a.date,
          isCreatedFrom: a.isCreatedFrom,
        };
      }
    }
    // The tender fields after the head, in the parsed refund's order (fastParseRefund's).
    const refund: ReturnType<typeof nsRefundHead> & Partial<CanonicalRefund> = nsRefundHead(
      d,
      recordTotal,
      shipping,
      tax,
      adjustment,
      lines,
      items,
    );
    refund.tenders = tenders;
    refund.amountRemaining = memoRemaining;
    refund.applications = copied;
    refund.recordTotal = recordTotal;
    return refund as CanonicalRefund;
  }
}
