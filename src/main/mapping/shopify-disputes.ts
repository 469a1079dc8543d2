import type { ErrorLocation } from '../../shared/errors';
import type { CanonicalDispute } from '../../shared/model';
import { currencyAt, inputError, isObj, jsonMoney, type Obj, optString } from '../importers/common';
import { gidTail } from './shopify';

/**
 * Shopify Payments disputes (tenders.md §3.1) as the GraphQL `ShopifyPaymentsDispute` gives them
 * [doc S8]: `amount` (MoneyV2), `initiatedAt` (DateTime), `finalizedOn` (Date or null),
 * `legacyResourceId`, `order { name legacyResourceId }`, `status` (`DisputeStatus`: ACCEPTED, LOST,
 * NEEDS_RESPONSE, UNDER_REVIEW, WON, newer PREVENTED; CHARGE_REFUNDED deprecated) and `type`
 * (`DisputeType`: CHARGEBACK, INQUIRY). The shape of the disputes file format
 * (`shopify-disputes-json`), with the source's order id beside the order name.
 */
export type PulledDispute = CanonicalDispute & {
  /** The order's REST id (`order.legacyResourceId`), '' when Shopify gives no order. */
  orderId: string;
};

const STATUSES: Record<string, CanonicalDispute['status']> = {
  needs_response: 'needs_response',
  under_review: 'under_review',
  accepted: 'accepted',
  won: 'won',
  lost: 'lost',
  prevented: 'prevented',
};

function day(value: unknown): string | null {
  const s = optString(value);
  return /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
}

/**
 * One dispute node → canonical, or undefined for a status the model has no place for (the
 * deprecated CHARGE_REFUNDED: the charge was refunded, so no chargeback is open on it).
 */
export function shopifyGraphqlDisputeToCanonical(node: Obj, where: ErrorLocation = {}): PulledDispute | undefined {
  const id = optString(node.legacyResourceId) || gidTail(node.id);
  if (!id) throw inputError('missing_field', 'A dispute has no id or legacyResourceId.', { ...where, field: 'id' });
  const status = STATUSES[optString(node.status).toLowerCase()];
  if (!status) return undefined;
  const type = optString(node.type).toLowerCase() === 'inquiry' ? 'inquiry' : 'chargeback';
  const amount = isObj(node.amount) ? node.amount : undefined;
  const currency = currencyAt(optString(amount?.currencyCode), { ...where, field: 'amount.currencyCode' });
  const order = isObj(node.order) ? node.order : undefined;
  return {
    id,
    orderRef: optString(order?.name),
    orderId: optString(order?.legacyResourceId) || gidTail(order?.id),
    type,
    status,
    amount:
      amount && amount.amount !== undefined && amount.amount !== null
        ? Math.abs(jsonMoney(amount.amount, currency, { ...where, field: 'amount.amount' }))
        : null,
    currency,
    initiatedAt: day(node.initiatedAt),
    finalizedOn: day(node.finalizedOn),
  };
}
