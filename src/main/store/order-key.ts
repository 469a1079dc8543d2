import { normaliseOrderRef } from '../../shared/model-values';

/** An order ref that is `#` then capitals and digits (or only those): normaliseOrderRef's result without its regexes. */
const PLAIN_ORDER_REF = /^#?[0-9A-Z][0-9A-Z_.-]*$/;

/**
 * normaliseOrderRef, with a fast path for the common plain references (`#1001`, `1001`, `#SO-12`).
 * A leaf module: the flat reconcile's helper thread uses it without the store's other code.
 */
export function orderKeyOf(orderRef: string): string {
  if (PLAIN_ORDER_REF.test(orderRef)) {
    // "ORD5" and "SO5" would lose their prefix in normaliseOrderRef: only when a '#' comes first is the rest kept as is.
    if (orderRef.charCodeAt(0) === 35) return orderRef.slice(1);
    if (!/^(ORD|SO)/.test(orderRef)) return orderRef;
  }
  return normaliseOrderRef(orderRef);
}
