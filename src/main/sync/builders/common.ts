import { formatAmount, type MinorUnits } from '../../../shared/money';

/**
 * Vendors want JSON numbers (NetSuite `"amount": 19.99`, BigCommerce, WooCommerce `refund_total`).
 * The number is made from the exact decimal text, never by float arithmetic: for amounts below
 * 2^53 minor units with at most 3 decimals, String(Number(text)) === text, so the wire value reads
 * back to the same minor units (minorFromApiNumber). Tested in builders tests.
 */
export function apiNumber(minor: MinorUnits, currency: string): number {
  return Number(formatAmount(minor, currency));
}

/** Decimal string, as Shopify's Money scalar and WooCommerce `amount` take it. */
export function apiDecimal(minor: MinorUnits, currency: string): string {
  return formatAmount(minor, currency);
}

/** A problem that makes a would-be record wrong or unsendable; `code` is stable for tests and the UI. */
export interface BuildProblem {
  code: string;
  message: string;
}

export function problem(code: string, message: string): BuildProblem {
  return { code, message };
}

export function sameSku(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
