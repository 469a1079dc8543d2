import { formatAmount, type MinorUnits } from '../../../shared/money';

/**
 * The reasons of tenders.md §5.3, word for word where the table gives them (placeholders filled),
 * so the dry run, the push and the app say the same thing.
 */

export function tenderMoney(minor: MinorUnits, currency: string): string {
  return `${currency} ${formatAmount(minor, currency)}`;
}

export const STORE_CREDIT_UNSUPPORTED =
  'The storefront cannot record store credit for this refund; a card refund would pay the customer twice (NetSuite keeps the credit open).';

export function storeCreditGuest(offered: readonly string[]): string {
  return `BigCommerce offers no store credit on this order: ${offered.length ? offered.join(', ') : 'no refund method'}.`;
}

export function storeCreditExceedsPaid(paid: MinorUnits, currency: string): string {
  return `Store credit can't exceed the amount paid (${tenderMoney(paid, currency)}).`;
}

export const SPLIT_TENDER_UNSUPPORTED =
  'This storefront cannot take one refund in several tenders; refund each part by hand.';

export const GIFT_NOT_MAPPED =
  'No gift-card payment method or item is mapped. Map gateway "gift_card" to a NetSuite payment method ("paymentMethods") or set the gift-card tender item ("tenderItems.gift_card") in the account\'s sync options.';

export const GIFT_CARD_NO_SALE = 'The order has no gift-card payment to refund onto.';

export const EXCHANGE_REASON =
  'Exchanges are made in the storefront (Shopify `returnProcess`) and recorded in NetSuite as return + sale; refund sync carries refunds only.';

export function creditAppliedElsewhere(doc: string): string {
  return `NetSuite spent this credit on ${doc}; there is nothing left to refund (\`refundCreate\` cannot issue a gift card either).`;
}

export function chargebackOpen(order: string, status: string): string {
  const words = status.replace(/_/g, ' ').toLowerCase();
  return `Order ${order} has ${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words} chargeback; a refund could pay the customer twice.`;
}
