import { formatAmount, isCurrencyCode } from '../../../shared/money';

/** A stored amount as the contract shows it: a decimal string in its currency. */

export function amount(minor: number | null, currency: string): string | null {
  if (minor === null) return null;
  return isCurrencyCode(currency) ? formatAmount(minor, currency) : String(minor);
}
