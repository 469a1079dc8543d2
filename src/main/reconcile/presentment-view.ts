import type { CanonicalRefund } from '../../shared/model';

/**
 * A storefront refund seen in the currency a comparison uses (issue 14 defect 1): the refund
 * itself when that is its shop currency; when NetSuite recorded the customer's (presentment)
 * currency, a view whose total, shipping, tax, adjustment and lines are the presentment amounts,
 * so lines are compared — and labelled in hints — in the currency they are really in.
 *
 * Returns null when the refund is not in that currency at all, or when its parts are known only
 * in shop money (a source without presentment amounts per part): then only the total can be
 * compared in that currency.
 *
 * The view inherits everything else from the refund (records read from a snapshot are lazy
 * objects: their getters keep working) and hides the snapshot's shop-money line summary, so the
 * line comparison reads the view's lines.
 */
export function refundIn(r: CanonicalRefund, currency: string): CanonicalRefund | null {
  if (r.currency === currency) return r;
  const p = r.presentment;
  if (!p || p.currency !== currency || !p.parts || p.parts.lines.length !== r.lines.length) return null;
  const parts = p.parts;
  const lines = r.lines.map((line, i) => ({ ...line, amount: parts.lines[i]!.amount, tax: parts.lines[i]!.tax }));
  const own = (value: unknown): PropertyDescriptor => ({ value, enumerable: true, writable: true });
  return Object.create(r, {
    currency: own(currency),
    total: own(p.total),
    shipping: own(parts.shipping),
    tax: own(parts.tax),
    adjustment: own(parts.adjustment),
    lines: own(lines),
    lineSummary: own(undefined),
  }) as CanonicalRefund;
}

/** Whether a refund compared in `currency` carries its parts in it (else only its total is compared). */
export function partsKnownIn(r: CanonicalRefund, currency: string): boolean {
  return refundIn(r, currency) !== null;
}
