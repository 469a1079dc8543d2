/**
 * The canonical model's enum values and order-reference rule as plain data and code, without zod
 * (model.ts builds its schemas from them): what a worker that only reads bytes needs (the flat
 * reconcile's helper thread, reconcile/flat-fast/helper-worker.ts) without loading the schemas.
 */

export const RECORD_TYPE_VALUES = [
  'refund', // storefront
  'cashRefund',
  'creditMemo',
  'customerRefund',
  'returnAuthorization',
] as const;

export const REFUND_KIND_VALUES = ['line_item', 'general'] as const;

export const REFUND_STATUS_VALUES = ['ok', 'failed', 'voided', 'pending'] as const;

export const TENDER_KIND_VALUES = ['card', 'cash', 'store_credit', 'gift_card', 'exchange', 'other'] as const;

/** Normalises an order reference for matching: `#1001`, `1001`, ` #1001 ` and `Order #1001` agree. */
export function normaliseOrderRef(ref: string): string {
  return ref
    .trim()
    .replace(/^(order|ord|so)\s*/i, '')
    .replace(/^#\s*/, '')
    .trim()
    .toUpperCase();
}
