import { formatAmount, type MinorUnits, minorFromApiNumber, parseAmount, sumMinor } from '../../../shared/money';

/** An API amount (number or decimal string) in minor units; null when unreadable. */
export function apiMinor(value: unknown, currency: string): MinorUnits | null {
  if (typeof value === 'number') {
    const parsed = minorFromApiNumber(value, currency);
    return parsed.ok ? parsed.minor : null;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = parseAmount(value, currency);
    return parsed.ok ? parsed.minor : null;
  }
  return null;
}

/** "USD 2.47"; "none" for null. */
export function moneyWords(minor: MinorUnits | null, currency: string): string {
  return minor === null ? 'an unreadable amount' : `${currency} ${formatAmount(minor, currency)}`;
}

/** Sum of readable amounts; null if any is unreadable. */
export function sumOrNull(amounts: readonly (MinorUnits | null)[]): MinorUnits | null {
  return amounts.some((a) => a === null) ? null : sumMinor(amounts as MinorUnits[]);
}
