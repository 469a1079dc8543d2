import { z } from 'zod';
import { CALENDAR_DATE_MESSAGE, isCalendarDate } from './calendar-date';
import { isCurrencyCode } from './money/currencies';

/** The canonical refund of spec §3: both sides normalise to this before anything compares them. */

export const Side = z.enum(['storefront', 'netsuite']);
export type Side = z.infer<typeof Side>;

export const RecordType = z.enum([
  'refund', // storefront
  'cashRefund',
  'creditMemo',
  'customerRefund',
  'returnAuthorization',
]);
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

export const RefundKind = z.enum(['line_item', 'general']);
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

export const RefundStatus = z.enum(['ok', 'failed', 'voided', 'pending']);
export type RefundStatus = z.infer<typeof RefundStatus>;

/** A refund's parts in presentment money; `lines[i]` is `lines[i]` of the refund, in the same order. */
export const PresentmentParts = z.object({
  shipping: Minor,
  tax: Minor,
  adjustment: Minor,
  lines: z.array(z.object({ amount: Minor, tax: Minor })),
});
export type PresentmentParts = z.infer<typeof PresentmentParts>;

export const CanonicalRefund = z.object({
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
});
export type CanonicalRefund = z.infer<typeof CanonicalRefund>;
/** What importers build before defaults are applied. */
export type CanonicalRefundInput = z.input<typeof CanonicalRefund>;

/** Normalises an order reference for matching: `#1001`, `1001`, ` #1001 ` and `Order #1001` agree. */
export function normaliseOrderRef(ref: string): string {
  return ref
    .trim()
    .replace(/^(order|ord|so)\s*/i, '')
    .replace(/^#\s*/, '')
    .trim()
    .toUpperCase();
}
