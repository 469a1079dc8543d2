import { formatAmount } from '../../shared/money';
import type { DemoDispute } from './tender-cases';

/**
 * The demo's disputes file: Shopify Payments disputes in the shape of a GraphQL Admin API response
 * (`shopifyPaymentsAccount { disputes { nodes { … } } }`, `ShopifyPaymentsDispute` fields of
 * tenders.md §3.1 [doc S8]), which names each order — a REST dispute names only the order id.
 */
export function shopifyDisputesText(disputes: readonly DemoDispute[]): string {
  const nodes = disputes.map((d) => ({
    id: `gid://shopify/ShopifyPaymentsDispute/${d.id}`,
    legacyResourceId: String(d.id),
    amount: { amount: formatAmount(d.amount, d.order.currency), currencyCode: d.order.currency },
    initiatedAt: d.initiatedAt,
    finalizedOn: d.finalizedOn,
    status: d.status,
    type: d.type,
    order: {
      id: `gid://shopify/Order/${d.order.id}`,
      legacyResourceId: String(d.order.id),
      name: `#${d.order.number}`,
    },
  }));
  return `${JSON.stringify({ data: { shopifyPaymentsAccount: { disputes: { nodes } } } }, null, 2)}\n`;
}

const DAY_MS = 86_400_000;

/** `2026-03-05T15:00:00Z` plus `days`, as a REST timestamp with the same time of day. */
function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString().replace('.000Z', 'Z');
}

/**
 * The same disputes as the REST Admin API's `GET /shopify_payments/disputes.json` returns them
 * (tenders.md §3.1 [doc S8]: `{"disputes":[{ id, order_id, type, amount, currency, reason,
 * network_reason_code, status, evidence_due_by, evidence_sent_on, finalized_on, initiated_at }]}`,
 * enum values lower-case). A REST dispute names its order by id only: the importer resolves it
 * through the orders of the storefront file (the benchmark's REST orders NDJSON).
 */
export function shopifyDisputesRestText(disputes: readonly DemoDispute[]): string {
  const rows = disputes.map((d) => {
    const status = d.status.toLowerCase();
    // Evidence is due three weeks after the dispute opens; a dispute under review or decided has had it sent.
    const sent = status !== 'needs_response' && status !== 'accepted';
    return {
      id: d.id,
      order_id: d.order.id,
      type: d.type.toLowerCase(),
      amount: formatAmount(d.amount, d.order.currency),
      currency: d.order.currency,
      reason: 'fraudulent',
      network_reason_code: '4837',
      status,
      evidence_due_by: plusDays(d.initiatedAt, 21),
      evidence_sent_on: sent ? plusDays(d.initiatedAt, 3) : null,
      finalized_on: d.finalizedOn,
      initiated_at: d.initiatedAt,
    };
  });
  return `${JSON.stringify({ disputes: rows })}\n`;
}
