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
