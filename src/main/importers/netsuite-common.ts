import type { TenderMapping } from '../../shared/contract/snapshot';
import type { ErrorLocation } from '../../shared/errors';
import type {
  CanonicalRefundInput,
  CreatedFrom,
  CreditApplication,
  RecordType,
  RefundLine,
  RefundStatus,
  TenderKind,
} from '../../shared/model';
import { addMinor } from '../../shared/money/money';
import { NetsuiteTenderKinds, type NsTenderInput, netsuiteTenders } from '../tenders/netsuite-tenders';
import { type ImportContext, inputError, shown } from './common';

/**
 * NetSuite records in one draft shape, filled by the saved-search CSV, SuiteQL and record-JSON
 * readers, then normalised by the rules of spec §3:
 * - amounts carry accounting signs that vary by record and line: the record total is the
 *   magnitude of the main line (or of the lines when there is no main line), and lines are turned
 *   so that their sum is positive (a discount line stays negative against the others);
 * - items with roles: shipping items, generic refund items and tax items by name or internal id;
 *   a record whose only item lines are generic (or that has none) is `general`;
 * - a Customer Refund stays its own record, with `appliesTo` naming the Credit Memo it pays out
 *   when the export shows it, so the matcher can pair the two.
 */

export interface NsLineDraft {
  item: string;
  itemId: string;
  description: string;
  /** Signed as exported; undefined when empty. */
  quantity: number | undefined;
  amount: number;
  tax: number;
  /**
   * A Discount item line (record `itemType` Discount, SuiteQL `itemtype` 'Discount', saved search
   * `Item Type`): NetSuite applies it to the line just above it, so it is folded into that line.
   */
  discount?: boolean;
  /** A shipping line by its item type (SuiteQL `ShipItem`), whatever the shipping item is called. */
  shippingType?: boolean;
}

export interface NsRecordDraft {
  id: string;
  documentNumber: string;
  recordType: RecordType;
  date: string;
  currency: string;
  /** Signed main-line amount (the record total) when the export has one. */
  mainAmount: number | undefined;
  mainTax: number | undefined;
  orderRef: string;
  externalId: string;
  memo: string;
  createdFrom: string;
  appliesTo: string;
  status: RefundStatus;
  isTest: boolean;
  lines: NsLineDraft[];
  /**
   * Body-level money (record `shippingCost`, `handlingCost`, `discountTotal`; the same SuiteQL
   * columns and saved-search columns), as exported. Shipping and handling are read as magnitudes
   * (a charge refunded), the discount as a reduction, whatever sign the export gives them.
   */
  bodyShipping?: number;
  bodyHandling?: number;
  bodyDiscount?: number;
  /** Tender fields (tenders.md §1.4), when the export has them: payment method name and id. */
  paymentMethod?: string;
  paymentMethodId?: string;
  /** Credit Memo: its balance, its status (Open / Fully Applied) and what it is applied to. */
  amountRemaining?: number;
  memoStatus?: 'open' | 'fullyApplied';
  applications?: CreditApplication[];
  /** Body checkboxes (`custbody…`) that are set, by field id (record-json). */
  bodyFlags?: string[];
  where: ErrorLocation;
}

const RECORD_TYPES: Record<string, RecordType> = {
  cashrefund: 'cashRefund',
  cashrfnd: 'cashRefund',
  creditmemo: 'creditMemo',
  custcred: 'creditMemo',
  customerrefund: 'customerRefund',
  custrfnd: 'customerRefund',
  returnauthorization: 'returnAuthorization',
  rtnauth: 'returnAuthorization',
};

/** `Cash Refund`, `CashRfnd`, `cashrefund` → cashRefund; undefined for other types. */
export function recordTypeOf(raw: string): RecordType | undefined {
  return RECORD_TYPES[raw.toLowerCase().replace(/[\s_-]+/g, '')];
}

export function recordTypeAt(raw: string, where: ErrorLocation): RecordType {
  const type = recordTypeOf(raw);
  if (type) return type;
  throw inputError(
    'unexpected_record_type',
    `Type ${shown(raw)} is not a refund record: expected Cash Refund, Credit Memo, Customer Refund or Return Authorization. Set the saved search criteria to "Type is Cash Refund, Credit Memo or Customer Refund" and export again.`,
    where,
  );
}

const SOURCE_TYPES: [RegExp, CreatedFrom['type']][] = [
  [/^cash\s*sale/i, 'cashSale'],
  [/^(invoice|custinvc)/i, 'invoice'],
  [/^(sales\s*order|salesord)/i, 'salesOrder'],
  [/^(return\s*authori[sz]ation|rtnauth|rma)/i, 'returnAuthorization'],
  [/^(credit\s*memo|custcred)/i, 'creditMemo'],
  [/^(customer\s*deposit|custdep)/i, 'customerDeposit'],
];

/** `Cash Sale #CS1001` → { type: cashSale, ref: CS1001 }; empty → null. */
export function parseCreatedFrom(raw: string): CreatedFrom | null {
  const s = raw.trim();
  if (s === '') return null;
  const hash = s.indexOf('#');
  const ref = hash >= 0 ? s.slice(hash + 1).trim() : s;
  for (const [re, type] of SOURCE_TYPES) if (re.test(s)) return { type, ref };
  return { type: 'other', ref };
}

/** `Credit Memo #CM1001` → CM1001 (the document the Customer Refund applies to). */
export function parseAppliedTo(raw: string): string {
  const s = raw.trim();
  const hash = s.indexOf('#');
  return hash >= 0 ? s.slice(hash + 1).trim() : s;
}

/** Order reference from a memo such as "Refund for #1001" (the last default place, spec §4). */
export function orderRefFromMemo(memo: string): string {
  const m = /#\s?([A-Za-z0-9][A-Za-z0-9-]*)/.exec(memo);
  return m ? `#${m[1]}` : '';
}

export function statusOf(raw: string, voided = false): RefundStatus {
  if (voided || /void/i.test(raw)) return 'voided';
  if (/reject|fail|declin/i.test(raw)) return 'failed';
  if (/pending approval/i.test(raw)) return 'pending';
  return 'ok';
}

/** Item names whose role (without an item id) RoleLookup remembers; past it they are looked up each time. */
const REMEMBERED_ITEMS = 4096;

export class RoleLookup {
  private readonly roles = new Map<string, RefundLine['role']>();
  /** Role by the item name as written, for lines without an item id. */
  private readonly byItem = new Map<string, RefundLine['role']>();
  /** Payment-method and tender-item kinds (the user's tender mapping over the defaults). */
  readonly tenders: NetsuiteTenderKinds;
  constructor(ctx: Pick<ImportContext, 'itemRoles'> & { tenderMapping?: TenderMapping | undefined }) {
    this.tenders = new NetsuiteTenderKinds(ctx.tenderMapping, ctx.itemRoles.tender ?? []);
    for (const name of ctx.itemRoles.tax) this.roles.set(name.trim().toLowerCase(), 'tax');
    for (const name of ctx.itemRoles.generic) this.roles.set(name.trim().toLowerCase(), 'generic');
    for (const name of ctx.itemRoles.shipping) this.roles.set(name.trim().toLowerCase(), 'shipping');
  }
  role(item: string, itemId: string): RefundLine['role'] {
    if (this.roles.size === 0) return 'item';
    if (itemId === '') {
      // An export repeats a few item names on every line: each is trimmed and lowercased once.
      let role = this.byItem.get(item);
      if (role === undefined) {
        role = this.roles.get(item.trim().toLowerCase()) ?? 'item';
        if (this.byItem.size < REMEMBERED_ITEMS) this.byItem.set(item, role);
      }
      return role;
    }
    return (
      this.roles.get(item.trim().toLowerCase()) ??
      (itemId ? this.roles.get(itemId.trim().toLowerCase()) : undefined) ??
      'item'
    );
  }
}

function roleOf(line: NsLineDraft, roles: RoleLookup): RefundLine['role'] {
  return line.shippingType ? 'shipping' : roles.role(line.item, line.itemId);
}

/**
 * Folds each Discount item line into the line just above it when that is an item line (NetSuite
 * applies a Discount item to the preceding line); a discount with no item line above it is returned
 * (signed as exported) to be spread like a body discount. Without discount lines (the common case)
 * the draft's own array is returned: nothing is allocated on the import's hot path.
 */
function foldDiscountLines(lines: NsLineDraft[], roles: RoleLookup): { lines: NsLineDraft[]; loose: number } {
  let any = false;
  for (const line of lines) if (line.discount) any = true;
  if (!any) return { lines, loose: 0 };
  const out: NsLineDraft[] = [];
  let loose = 0;
  for (const line of lines) {
    if (!line.discount) {
      out.push(line);
      continue;
    }
    const prev = out[out.length - 1];
    if (prev && roleOf(prev, roles) === 'item') {
      out[out.length - 1] = {
        ...prev,
        amount: addMinor(prev.amount, line.amount),
        tax: addMinor(prev.tax, line.tax),
      };
    } else loose = addMinor(loose, line.amount);
  }
  return { lines: out, loose };
}

/**
 * Spreads a discount (a positive reduction) over the item lines in proportion to their amounts,
 * largest remainder first, so the lines sum exactly: storefront refund lines are net of the order's
 * discount allocations (Shopify allocates an order discount to lines the same way), so NetSuite's
 * gross lines plus a body discount compare with them only once the discount is on the lines.
 * Returns false when there is no positive item amount to spread it over.
 */
function spreadDiscount(lines: RefundLine[], discount: number): boolean {
  const items = lines.filter((l) => l.role === 'item' && l.amount > 0);
  let base = 0n;
  for (const l of items) base += BigInt(l.amount);
  if (base === 0n || BigInt(discount) > base) return false;
  const shares = items.map((l) => {
    const scaled = BigInt(discount) * BigInt(l.amount);
    return { line: l, share: scaled / base, rest: scaled % base };
  });
  let left = BigInt(discount);
  for (const s of shares) left -= s.share;
  const byRest = [...shares].sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : 0));
  for (let k = 0; left > 0n; k++, left--) byRest[k % byRest.length]!.share += 1n;
  for (const s of shares) s.line.amount -= Number(s.share);
  return true;
}

export function nsDraftToCanonical(d: NsRecordDraft, roles: RoleLookup): CanonicalRefundInput {
  // Tender-item lines (§1.4) are neither items nor discounts: set aside before discounts fold.
  const kinds = roles.tenders;
  let itemLines = d.lines;
  const tenderLines: { line: NsLineDraft; kind: TenderKind }[] = [];
  if (kinds.items.size > 0) {
    itemLines = [];
    for (const l of d.lines) {
      const kind = kinds.item(l.item, l.itemId);
      if (kind) tenderLines.push({ line: l, kind });
      else itemLines.push(l);
    }
  }
  const { lines: drafts, loose } = foldDiscountLines(itemLines, roles);
  let lineSum = 0;
  for (const l of drafts) lineSum = addMinor(lineSum, l.amount);
  let tenderLineSum = 0;
  for (const t of tenderLines) tenderLineSum = addMinor(tenderLineSum, t.line.amount);
  // The sign comes from the item lines alone: a tender line runs against them (−50.00 of store
  // credit on a 50.00 refund makes a record total of 0.00).
  const sign = lineSum < 0 ? -1 : 1;
  const lines: RefundLine[] = [];
  let shipping = 0;
  let adjustment = 0;
  let tax = 0;
  let grand = 0;
  let items = 0;
  for (const l of drafts) {
    const role = roleOf(l, roles);
    const amount = sign * l.amount || 0;
    const lineTax = sign * l.tax || 0;
    const quantity = l.quantity === undefined ? 0 : Math.abs(l.quantity);
    lines.push({ sku: l.item, description: l.description, quantity, amount, tax: lineTax, role });
    grand = addMinor(grand, addMinor(amount, lineTax));
    if (role === 'shipping') shipping = addMinor(shipping, amount);
    else if (role === 'generic') adjustment = addMinor(adjustment, amount);
    else if (role === 'tax') tax = addMinor(tax, amount);
    else items++;
    tax = addMinor(tax, lineTax);
  }
  // Body-level money: shipping and handling become shipping lines (compared by role with the
  // storefront's shipping refund); the discount goes onto the item lines, else it stays a generic line.
  if (d.bodyShipping || d.bodyHandling) {
    const bodyLine = (amount: number | undefined, sku: string, description: string): void => {
      if (!amount) return;
      const magnitude = Math.abs(amount);
      lines.push({ sku, description, quantity: 0, amount: magnitude, tax: 0, role: 'shipping' });
      shipping = addMinor(shipping, magnitude);
      grand = addMinor(grand, magnitude);
    };
    bodyLine(d.bodyShipping, 'Shipping Cost', 'shipping cost on the record');
    bodyLine(d.bodyHandling, 'Handling Cost', 'handling cost on the record');
  }
  const discount =
    d.bodyDiscount || loose ? addMinor(Math.abs(d.bodyDiscount ?? 0), Math.abs(sign * loose < 0 ? loose : 0)) : 0;
  if (discount > 0) {
    grand = addMinor(grand, -discount);
    if (!spreadDiscount(lines, discount)) {
      lines.push({
        sku: 'Discount',
        description: 'discount on the record',
        quantity: 0,
        amount: -discount,
        tax: 0,
        role: 'generic',
      });
      adjustment = addMinor(adjustment, -discount);
    }
  }
  if (d.lines.length === 0 && d.mainTax !== undefined) tax = Math.abs(d.mainTax);
  const tenderItems = tenderLines.map((t) => ({
    kind: t.kind,
    item: t.line.item || t.line.itemId,
    amount: Math.abs(t.line.amount),
  }));
  let tenderItemSum = 0;
  for (const t of tenderItems) tenderItemSum = addMinor(tenderItemSum, t.amount);
  // NetSuite's own total: the main line, else the lines with the tender items in them.
  const recordTotal =
    d.mainAmount !== undefined ? Math.abs(d.mainAmount) : Math.abs(addMinor(grand, sign * tenderLineSum || 0));
  // `total` is the value returned by any tender: NetSuite's total plus the tender items (§1.1).
  const total = addMinor(recordTotal, tenderItemSum);
  const tenders = netsuiteTenders(nsTenderInput(d, recordTotal, tenderItems), kinds);
  return {
    ...nsRefundHead(d, total, shipping, tax, adjustment, lines, items),
    recordTotal,
    ...(tenders ? { tenders } : {}),
    ...(d.recordType === 'creditMemo' && d.amountRemaining !== undefined
      ? { amountRemaining: Math.abs(d.amountRemaining) }
      : {}),
    ...(d.applications && d.applications.length > 0 ? { applications: d.applications } : {}),
    ...(d.bodyFlags && d.bodyFlags.length > 0 ? { bodyFlags: d.bodyFlags } : {}),
  };
}

/** What netsuiteTenders reads of a record with this total and these tender items. */
export function nsTenderInput(
  d: NsRecordDraft,
  recordTotal: number,
  tenderItems: NsTenderInput['tenderItems'],
): NsTenderInput {
  return {
    recordType: d.recordType,
    recordTotal,
    paymentMethod: d.paymentMethod ?? '',
    paymentMethodId: d.paymentMethodId ?? '',
    amountRemaining: d.amountRemaining === undefined ? undefined : Math.abs(d.amountRemaining),
    memoStatus: d.memoStatus,
    applications: d.applications ?? [],
    tenderItems,
  };
}

/**
 * A record's refund fields from `side` to `presentment`, in the schema's order (the parsed
 * refund's): the head of both makers of a NetSuite refund, nsDraftToCanonical and
 * saved-search-accepted.ts, which add the tender fields after it.
 */
export function nsRefundHead(
  d: NsRecordDraft,
  total: number,
  shipping: number,
  tax: number,
  adjustment: number,
  lines: RefundLine[],
  items: number,
) {
  return {
    side: 'netsuite' as const,
    id: d.id,
    documentNumber: d.documentNumber,
    recordType: d.recordType,
    orderRef: d.orderRef || orderRefFromMemo(d.memo),
    createdFrom: parseCreatedFrom(d.createdFrom),
    date: d.date,
    currency: d.currency,
    total,
    shipping,
    tax,
    adjustment,
    lines,
    kind: items > 0 ? ('line_item' as const) : ('general' as const),
    externalId: d.externalId,
    memo: d.memo,
    isTest: d.isTest,
    status: d.status,
    appliesTo: d.appliesTo,
    moneyMoved: true,
    presentment: null,
  };
}

/** `CustCred:A` / `Open` → open; `CustCred:B` / `Fully Applied` → fullyApplied (§1.4); else undefined. */
export function memoStatusOf(raw: string): 'open' | 'fullyApplied' | undefined {
  const s = raw.trim().toLowerCase();
  if (s === 'custcred:a' || s === 'open') return 'open';
  if (s === 'custcred:b' || s === 'fully applied' || s === 'fullyapplied') return 'fullyApplied';
  return undefined;
}
