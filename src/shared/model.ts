import { z } from 'zod';
import { CALENDAR_DATE_MESSAGE, isCalendarDate } from './calendar-date';
import { RECORD_TYPE_VALUES, REFUND_KIND_VALUES, REFUND_STATUS_VALUES, TENDER_KIND_VALUES } from './model-values';
import { isCurrencyCode } from './money/currencies';

export { normaliseOrderRef } from './model-values';

/** The canonical refund of spec §3: both sides normalise to this before anything compares them. */

export const Side = z.enum(['storefront', 'netsuite']);
export type Side = z.infer<typeof Side>;

export const RecordType = z.enum(RECORD_TYPE_VALUES);
export type RecordType = z.infer<typeof RecordType>;

export const SourceRecordType = z.enum([
  'cashSale',
  'invoice',
  'salesOrder',
  'returnAuthorization',
  'creditMemo',
  'customerDeposit',
  'other',
]);
export type SourceRecordType = z.infer<typeof SourceRecordType>;

export const RefundKind = z.enum(REFUND_KIND_VALUES);
export type RefundKind = z.infer<typeof RefundKind>;

export const Platform = z.enum([
  'shopify',
  'bigcommerce',
  'woocommerce',
  'magento',
  'amazon',
  'ebay',
  'walmart',
  'other',
]);
export type Platform = z.infer<typeof Platform>;

export const CurrencyCode = z.string().refine(isCurrencyCode, { message: 'not an ISO 4217 currency code' });
/** Integer minor units; never a float (see src/shared/money/money.ts). */
export const Minor = z.number().int().refine(Number.isSafeInteger, { message: 'amount out of range' });
/** A calendar date: the pattern, and a day that exists (calendar-date.ts, shared with every importer). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDate, { message: CALENDAR_DATE_MESSAGE });

export const LineRole = z.enum(['item', 'shipping', 'generic', 'tax']);
export type LineRole = z.infer<typeof LineRole>;

export const RefundLine = z.object({
  sku: z.string(),
  description: z.string().default(''),
  /** Positive count; 0 for amount-only lines. Integer: storefronts refund whole units. */
  quantity: z.number().int(),
  /** Positive refund magnitude, ex-tax, minor units. */
  amount: Minor,
  tax: Minor.default(0),
  /** Shipping, generic refund item and tax lines are compared by role, not SKU (spec §3). */
  role: LineRole.default('item'),
});
export type RefundLine = z.infer<typeof RefundLine>;

export const CreatedFrom = z.object({
  type: SourceRecordType,
  /** Document number or internal id of the source record, as the export shows it. */
  ref: z.string(),
});
export type CreatedFrom = z.infer<typeof CreatedFrom>;

export const RefundStatus = z.enum(REFUND_STATUS_VALUES);
export type RefundStatus = z.infer<typeof RefundStatus>;

/** A refund's parts in presentment money; `lines[i]` is `lines[i]` of the refund, in the same order. */
export const PresentmentParts = z.object({
  shipping: Minor,
  tax: Minor,
  adjustment: Minor,
  lines: z.array(z.object({ amount: Minor, tax: Minor })),
});
export type PresentmentParts = z.infer<typeof PresentmentParts>;

/** How money went back (tenders.md §1.1). */
export const TenderKind = z.enum(TENDER_KIND_VALUES);
export type TenderKind = z.infer<typeof TenderKind>;
/** `settled` everywhere but on NetSuite Credit Memo parts (paid out by a Customer Refund, applied, left open). */
export const TenderState = z.enum(['settled', 'paid_out', 'applied', 'open']);
export type TenderState = z.infer<typeof TenderState>;

export const Tender = z.object({
  kind: TenderKind,
  /** The source's own name (Shopify `gateway`, BigCommerce `provider_id`, NetSuite payment method…), or "". */
  gateway: z.string().default(''),
  /** Positive integer minor units of the refund's `currency`. */
  amount: Minor.refine((n) => n > 0, { message: 'a tender amount must be positive' }),
  /** Shopify multi-currency refunds: the same tender in presentment money. */
  presentmentAmount: Minor.nullable().default(null),
  state: TenderState.default('settled'),
  /** What settled it: a storefront transaction id, a NetSuite Customer Refund or Invoice number. */
  ref: z.string().default(''),
});
export type Tender = z.infer<typeof Tender>;

export const ApplicationDocType = z.enum(['customerRefund', 'invoice', 'other']);
/** One document a NetSuite Credit Memo is applied to (its apply sublist, or a transaction link). */
export const CreditApplication = z.object({
  docType: ApplicationDocType,
  /** Internal id of the other document. */
  doc: z.string().default(''),
  tranId: z.string().default(''),
  amount: Minor,
  date: IsoDate.nullable().default(null),
  /** True when it is the Invoice the memo was created from (the customer never paid it). */
  isCreatedFrom: z.boolean().default(false),
});
export type CreditApplication = z.infer<typeof CreditApplication>;

/**
 * A storefront refund that belongs to a return with exchange items (tenders.md §4.1): returned value
 * R, exchange value E (null when the export does not say: Shopify REST carries only the return id)
 * and the balance the customer owes, max(0, E − R) (null when E is unknown). Minor units.
 */
export const RefundExchange = z.object({
  returnId: z.string(),
  returnedValue: Minor,
  exchangeValue: Minor.nullable(),
  balanceDue: Minor.nullable(),
});
export type RefundExchange = z.infer<typeof RefundExchange>;

const CanonicalRefundFields = z.object({
  side: Side,
  id: z.string().min(1),
  documentNumber: z.string().default(''),
  recordType: RecordType,
  orderRef: z.string().default(''),
  createdFrom: CreatedFrom.nullable().default(null),
  date: IsoDate,
  currency: CurrencyCode,
  /** Positive money refunded. For a storefront refund: successful refund transactions only. */
  total: Minor,
  shipping: Minor.default(0),
  tax: Minor.default(0),
  adjustment: Minor.default(0),
  lines: z.array(RefundLine).default([]),
  kind: RefundKind,
  externalId: z.string().default(''),
  memo: z.string().default(''),
  isTest: z.boolean().default(false),
  /** Failed or voided records are kept but not compared. */
  status: RefundStatus.default('ok'),
  /**
   * NetSuite: internal id of the Credit Memo a Customer Refund pays out (apply sublist), so the
   * matcher can group the two as one refund. Empty elsewhere.
   */
  appliesTo: z.string().default(''),
  /** Storefront: true when a refund record exists but no successful refund transaction moved money. */
  moneyMoved: z.boolean().default(true),
  /**
   * Storefront: false when the export carried only the refund's total, not its lines (a Shopify
   * bulk file with `totalRefundedSet` only): compared on its total, and the hint says why.
   * Absent means true.
   */
  linesExported: z.boolean().optional(),
  /** Storefront multi-currency orders: the presentment (customer) currency and amount, kept beside shop money. */
  presentment: z
    .object({
      currency: CurrencyCode,
      total: Minor,
      /**
       * Every part in presentment money (Shopify `*_set.presentment_money` / `presentmentMoney`), so
       * a refund NetSuite holds in the customer's currency is compared part by part in that
       * currency (issue 14 defect 1). Absent when the source did not give every part in it.
       */
      parts: PresentmentParts.optional(),
    })
    .nullable()
    .default(null),
  /**
   * How the total went back (tenders.md §1.1): Σ amount = total exactly; `[]` on Return
   * Authorizations and on refunds of no positive total. Absent in input (older canonical files,
   * snapshots written before migration 015): one `other` tender of the total (defaultTenders).
   */
  tenders: z.array(Tender).optional(),
  /** NetSuite Credit Memos: the open balance, when the export gives it; else null. */
  amountRemaining: Minor.nullable().default(null),
  /** NetSuite Credit Memos: the documents it is applied to. */
  applications: z.array(CreditApplication).default([]),
  /**
   * NetSuite: the record's own total, which differs from `total` only when tender items were
   * added to it (§1.4). Absent in input: `total` on NetSuite records, null on storefront ones.
   */
  recordTotal: Minor.nullable().optional(),
  /** Storefront: the return with exchange items this refund belongs to (§4.1); null when none. */
  exchange: RefundExchange.nullable().optional(),
  /**
   * NetSuite: the body checkboxes (`custbody…`) set on the record, by field id. The sync reads the
   * account's `storeCreditMarker` from them (tenders.md §5.2, §6). Absent: none known.
   */
  bodyFlags: z.array(z.string()).optional(),
});

/** The tenders a refund has when its source says nothing about them: one `other` of its total. */
export function defaultTenders(r: { recordType: RecordType; total: number }): Tender[] {
  if (r.recordType === 'returnAuthorization' || r.total <= 0) return [];
  return [{ kind: 'other', gateway: '', amount: r.total, presentmentAmount: null, state: 'settled', ref: '' }];
}

/** Why `tenders` does not fit `total`, or null when it does (the schema's refinement, shared with the fast twin). */
export function tenderProblem(r: { recordType: RecordType; total: number; tenders: readonly Tender[] }): string | null {
  if (r.recordType === 'returnAuthorization') {
    return r.tenders.length === 0 ? null : 'a Return Authorization moves no money and has no tenders';
  }
  let sum = 0;
  for (const t of r.tenders) sum += t.amount;
  if (r.tenders.length === 0 && r.total <= 0) return null;
  return sum === r.total ? null : `the tenders sum to ${sum} but the total is ${r.total} (minor units)`;
}

export const CanonicalRefund = CanonicalRefundFields.transform((r, ctx) => {
  const tenders = r.tenders ?? defaultTenders(r);
  const recordTotal = r.recordTotal !== undefined ? r.recordTotal : r.side === 'netsuite' ? r.total : null;
  const out = { ...r, tenders, recordTotal };
  const problem = tenderProblem(out);
  if (problem) ctx.addIssue({ code: 'custom', path: ['tenders'], message: problem });
  return out;
});
export type CanonicalRefund = z.output<typeof CanonicalRefund>;
/** What importers build before defaults are applied. */
export type CanonicalRefundInput = z.input<typeof CanonicalRefund>;

/** A Shopify Payments dispute (tenders.md §3.1), stored beside the storefront snapshot's refunds. */
export const DisputeType = z.enum(['chargeback', 'inquiry']);
export const DisputeStatus = z.enum(['needs_response', 'under_review', 'accepted', 'won', 'lost', 'prevented']);
export type DisputeStatus = z.infer<typeof DisputeStatus>;
export const CanonicalDispute = z.object({
  id: z.string().min(1),
  /** The order's name (`#1001`) once resolved through the storefront snapshot; else the source's order id. */
  orderRef: z.string(),
  type: DisputeType,
  status: DisputeStatus,
  /** Minor units of `currency`, or null when the source gives no amount. */
  amount: Minor.nullable(),
  currency: CurrencyCode,
  initiatedAt: IsoDate.nullable(),
  finalizedOn: IsoDate.nullable(),
});
export type CanonicalDispute = z.infer<typeof CanonicalDispute>;
