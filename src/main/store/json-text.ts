/**
 * Pieces of JSON text written by hand for the small texts stored per refund (the tenders column,
 * the line summary): JSON.stringify of a small array or object per refund was a few per cent of
 * the importers' threads. Each gives exactly what JSON.stringify gives for the same value.
 */

/** Printable ASCII without `"` or `\`: JSON.stringify writes it between quotes as it is. */
export function isPlainJsonString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** JSON.stringify of a string: quoted as it is when no character needs an escape. */
export function jsonString(s: string): string {
  return isPlainJsonString(s) ? `"${s}"` : JSON.stringify(s);
}

/**
 * A value as JSON.stringify writes it as an array element: a finite number as String gives it
 * (the same digits, `-0` as `0`), NaN and the infinities as `null`; anything else through
 * JSON.stringify (undefined → `null`, as in an array).
 */
export function jsonElement(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return JSON.stringify(v) ?? 'null';
}
