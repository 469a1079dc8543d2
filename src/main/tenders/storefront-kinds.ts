import type { TenderKind } from '../../shared/model';

/**
 * Default tender kinds of storefront gateways (tenders.md §1.2); the user's tender mapping
 * (§1.3, tender-mapping.ts) overrides them.
 */

/**
 * Shopify `transactions[].gateway` → kind. `shopify_store_credit` [doc], `gift_card` [code],
 * `exchange-credit` [code: never counted as money], `cash` [unconfirmed POS name], `manual` or
 * `manualPaymentGateway: true` → other (a manual method says nothing about the tender); any other
 * gateway (shopify_payments, paypal, bogus, …) is an external instrument: card.
 */
export function shopifyGatewayKind(gateway: string, manual: boolean): TenderKind {
  if (manual) return 'other';
  switch (gateway.trim().toLowerCase()) {
    case 'shopify_store_credit':
      return 'store_credit';
    case 'gift_card':
      return 'gift_card';
    case 'exchange-credit':
      return 'exchange';
    case 'cash':
      return 'cash';
    case 'manual':
    case '':
      return 'other';
    default:
      return 'card';
  }
}

/**
 * BigCommerce `payments[]` of a refund → kind: `storecredit` [doc, the documented example value]
 * → store_credit; `offline: true` → other [doc: "marked as offline"]; gift-certificate provider
 * ids are undocumented [unconfirmed] → other unless mapped; anything else → card.
 */
export function bigcommercePaymentKind(providerId: string, offline: boolean): TenderKind {
  const id = providerId.trim().toLowerCase();
  if (id === 'storecredit') return 'store_credit';
  if (offline) return 'other';
  if (id === '' || /gift/.test(id)) return 'other';
  return 'card';
}
