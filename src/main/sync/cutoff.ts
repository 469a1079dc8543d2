import { type CanonicalRefund, normaliseOrderRef } from '../../shared/model';
import type { OrderContexts } from './sources';

/**
 * Spec §2 / §8: the connector syncs only orders created after the "Import Orders Created After"
 * date, so neither a push nor a dry run may touch an older order. The order's date comes from its
 * order context (either side); without one, a refund made before the cutoff proves the order is
 * older too, and a later refund of an order of unknown date is kept (and the dry run says so).
 * Returns why the refund is out of scope, or null.
 */
export function beforeCutoff(refund: CanonicalRefund, contexts: OrderContexts, cutoff: string | null): string | null {
  if (!cutoff) return null;
  const key = normaliseOrderRef(refund.orderRef);
  const orderDate = contexts.netsuite.get(key)?.orderDate || contexts.storefront.get(key)?.orderDate || '';
  const ref = refund.orderRef || '(no reference)';
  if (orderDate) {
    return orderDate < cutoff
      ? `Order ${ref} was created on ${orderDate}, before the "Import Orders Created After" date ${cutoff}: the sync leaves it alone.`
      : null;
  }
  return refund.date < cutoff
    ? `Refund ${refund.documentNumber || refund.id} was made on ${refund.date}, before the "Import Orders Created After" date ${cutoff}, so order ${ref} is older still: the sync leaves it alone.`
    : null;
}
