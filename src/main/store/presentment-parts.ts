import type { CanonicalRefund, PresentmentParts } from '../../shared/model';

/**
 * `refunds.presentment_parts` (migration 009): a storefront refund's parts in presentment money as
 * JSON text, written beside `presentment_currency` / `presentment_total` and read back with them.
 */

/** The column's text for a refund: JSON of its presentment parts, or null. */
export function presentmentPartsText(refund: Pick<CanonicalRefund, 'presentment'>): string | null {
  const parts = refund.presentment?.parts;
  return parts ? JSON.stringify(parts) : null;
}

/** Parses the column's text (null, or text this app wrote); anything else reads as "parts unknown". */
export function parsePresentmentParts(text: unknown): PresentmentParts | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const v = JSON.parse(text) as PresentmentParts;
    return Array.isArray(v?.lines) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A presentment object with its parts attached when the column holds them. */
export function withParts(
  presentment: { currency: string; total: number },
  text: unknown,
): NonNullable<CanonicalRefund['presentment']> {
  const parts = parsePresentmentParts(text);
  return parts ? { ...presentment, parts } : presentment;
}
