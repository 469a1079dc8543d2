/**
 * Locale-aware display of exact values through Intl. Amounts arrive as exact decimal strings
 * (`-1234.50`); they are never turned into floats: the whole part goes through Intl as a BigInt
 * (grouping), the fraction is kept digit for digit with the locale's decimal separator.
 */

const LOCALE = typeof navigator !== 'undefined' ? navigator.language : 'en-US';

const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const decimalSeparator =
  new Intl.NumberFormat(LOCALE).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
const minusSign = new Intl.NumberFormat(LOCALE).formatToParts(-1).find((p) => p.type === 'minusSign')?.value ?? '-';

/** `-1234.50` → `-1,234.50` (en), `-1.234,50` (de); anything not a decimal string is shown as is. */
export function formatDecimal(text: string | null | undefined, options: { signed?: boolean } = {}): string {
  if (text === null || text === undefined) return '—';
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  const [, sign, whole = '0', fraction] = match;
  const isZero = /^0*$/.test(whole) && (!fraction || /^0*$/.test(fraction));
  const grouped = integerFormat.format(BigInt(whole));
  const prefix = sign === '-' && !isZero ? minusSign : options.signed && !isZero ? '+' : '';
  return `${prefix}${grouped}${fraction ? decimalSeparator + fraction : ''}`;
}

export function formatCount(n: number): string {
  return integerFormat.format(n);
}

const dateFormat = new Intl.DateTimeFormat(LOCALE, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });

/** `2025-03-04` → `Mar 04, 2025` in the user's locale (a calendar date: no time-zone shift). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return dateFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** An ISO timestamp in the user's locale and time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

/** Is a decimal string zero? (exact, string based) */
export function isZeroDecimal(text: string | null | undefined): boolean {
  return !text || /^-?0*(\.0*)?$/.test(text);
}

export function isNegativeDecimal(text: string | null | undefined): boolean {
  return !!text && text.startsWith('-') && !isZeroDecimal(text);
}
