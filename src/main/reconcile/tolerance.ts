import type { ReconcileRules } from '../../shared/contract/run';
import { currencyExponent, isCurrencyCode } from '../../shared/money';

/**
 * Converts a decimal tolerance in currency units into minor units of `currency`, rounding up to
 * one minor unit when the currency has fewer decimals (0.01 in JPY is 1 yen, not 0): a tolerance
 * never becomes stricter than the user asked for. Pure string arithmetic, no floats.
 */
export function decimalToMinorCeil(text: string, currency: string): number {
  const exponent = isCurrencyCode(currency) ? currencyExponent(currency) : 2;
  const [whole = '0', fraction = ''] = text.split('.');
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const excess = fraction.slice(exponent);
  let minor = Number((whole + kept).replace(/^0+(?=\d)/, ''));
  if (/[1-9]/.test(excess)) minor += 1;
  return minor;
}

/** Tolerance per currency in minor units (default one minor unit), cached per rules object. */
export function toleranceResolver(rules: ReconcileRules): (currency: string) => number {
  const cache = new Map<string, number>();
  return (currency) => {
    let value = cache.get(currency);
    if (value === undefined) {
      const text = rules.tolerance.byCurrency[currency] ?? rules.tolerance.default;
      value = text === null || text === undefined ? 1 : decimalToMinorCeil(text, currency);
      cache.set(currency, value);
    }
    return value;
  };
}
