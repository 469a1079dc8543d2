import type { TenderMapping } from '../../shared/contract/snapshot';
import type { CreditApplication, RecordType, Tender, TenderKind } from '../../shared/model';

/**
 * NetSuite tenders (tenders.md §1.4): payment-method kinds, Credit Memo parts and tender items.
 */

/** Default kind of a payment method by its name (§1.3): none → other. */
export function defaultPaymentMethodKind(name: string): TenderKind {
  const n = name.trim().toLowerCase();
  if (n === '') return 'other';
  if (/store credit/.test(n)) return 'store_credit';
  if (/gift/.test(n)) return 'gift_card';
  if (/cash|cheque|check/.test(n)) return 'cash';
  return 'card';
}

/** The user's NetSuite tender mapping, looked up by payment method or item (name or internal id). */
export class NetsuiteTenderKinds {
  private readonly methods = new Map<string, TenderKind>();
  readonly items = new Map<string, TenderKind>();
  constructor(mapping: TenderMapping | undefined, tenderItems: readonly { item: string; kind: TenderKind }[] = []) {
    for (const t of tenderItems) this.items.set(t.item.trim().toLowerCase(), t.kind);
    for (const m of mapping?.netsuite ?? []) {
      if ('paymentMethod' in m) this.methods.set(m.paymentMethod.trim().toLowerCase(), m.kind);
      else this.items.set(m.item.trim().toLowerCase(), m.kind);
    }
  }
  /** A payment method's kind: the mapping by name or id, else the default by name. */
  method(name: string, id = ''): TenderKind {
    return (
      this.methods.get(name.trim().toLowerCase()) ??
      (id ? this.methods.get(id.trim().toLowerCase()) : undefined) ??
      defaultPaymentMethodKind(name)
    );
  }
  /** A tender item's kind, or undefined when the item is no tender item. */
  item(name: string, id = ''): TenderKind | undefined {
    if (this.items.size === 0) return undefined;
    return this.items.get(name.trim().toLowerCase()) ?? (id ? this.items.get(id.trim().toLowerCase()) : undefined);
  }
}

/**
 * An application as a pull reads it: with the other document's payment method when the query has
 * it (a Customer Refund's method gives the kind of the memo part it pays out, §1.4).
 */
export type MemoApplication = CreditApplication & { paymentMethod?: string };

export interface NsTenderInput {
  recordType: RecordType;
  /** NetSuite's own total (magnitude). */
  recordTotal: number;
  paymentMethod: string;
  paymentMethodId?: string;
  /** Credit Memo: balance the export gives, or undefined. */
  amountRemaining: number | undefined;
  /** Credit Memo: `open`, `fullyApplied`, or undefined when the export does not say. */
  memoStatus: 'open' | 'fullyApplied' | undefined;
  applications: readonly MemoApplication[];
  /** Tender-item lines: kind, item name, magnitude. */
  tenderItems: readonly { kind: TenderKind; item: string; amount: number }[];
}

function tender(
  kind: TenderKind,
  gateway: string,
  amount: number,
  state: Tender['state'] = 'settled',
  ref = '',
): Tender {
  return { kind, gateway, amount, presentmentAmount: null, state, ref };
}

/**
 * The record's tenders, summing to `recordTotal + Σ tender items`; undefined when the export says
 * nothing about them (no payment method, no memo detail, no tender items): the default `other`.
 */
export function netsuiteTenders(d: NsTenderInput, kinds: NetsuiteTenderKinds): Tender[] | undefined {
  if (d.recordType === 'returnAuthorization') return [];
  const out: Tender[] = [];
  for (const t of d.tenderItems) if (t.amount > 0) out.push(tender(t.kind, t.item, t.amount));
  const total = d.recordTotal;
  if (d.recordType === 'creditMemo') {
    const explained =
      d.applications.length > 0 || d.amountRemaining !== undefined || d.memoStatus !== undefined || out.length > 0;
    if (!explained) return undefined;
    let left = total;
    const take = (amount: number): number => {
      const a = Math.min(Math.max(amount, 0), left);
      left -= a;
      return a;
    };
    // (1) paid out by Customer Refunds, (2) applied to invoices, in the export's order.
    for (const a of d.applications) {
      if (a.docType !== 'customerRefund') continue;
      const amount = take(a.amount);
      // The Customer Refund's payment method when the source gives it (the pull's link query), else other.
      const method = a.paymentMethod ?? '';
      const kind = method ? kinds.method(method) : 'other';
      if (amount > 0) out.push(tender(kind, method, amount, 'paid_out', a.tranId || a.doc));
    }
    for (const a of d.applications) {
      if (a.docType === 'customerRefund') continue;
      const amount = take(a.amount);
      if (amount <= 0) continue;
      if (a.isCreatedFrom) out.push(tender('other', 'receivable', amount, 'applied', a.tranId || a.doc));
      else out.push(tender('store_credit', '', amount, 'applied', a.tranId || a.doc));
    }
    // (3) the open remainder: the export's balance, else what the applications leave on an open memo.
    const remaining =
      d.amountRemaining !== undefined ? take(d.amountRemaining) : d.memoStatus === 'open' ? take(left) : 0;
    if (remaining > 0) out.push(tender('store_credit', 'open-credit', remaining, 'open'));
    // A part the export does not explain: `applied` when it gave memo detail, else the plain default.
    const memoDetail = d.applications.length > 0 || d.amountRemaining !== undefined || d.memoStatus !== undefined;
    if (left > 0) out.push(memoDetail ? tender('other', 'applied', left, 'applied') : tender('other', '', left));
    return out;
  }
  // Cash Refund, Customer Refund: one tender of the record total with the payment method's kind.
  if (d.paymentMethod === '' && out.length === 0) return undefined;
  if (total > 0) out.push(tender(kinds.method(d.paymentMethod, d.paymentMethodId), d.paymentMethod, total));
  return out;
}
