import { CODE_LABELS, type ResultCode } from '../../shared/codes';
import { currencyExponent, formatAmount, type MinorUnits } from '../../shared/money';

/**
 * Cell-level safety shared by every exporter: text cleaning, formula-injection neutralisation
 * (OWASP "CSV injection"), and exact amount conversion.
 */

/**
 * Characters that make a spreadsheet treat a cell as a formula (or that Excel/LibreOffice strip
 * before looking for one): OWASP's `=`, `+`, `-`, `@`, tab, CR, plus LF as spec §10 asks, plus the
 * full-width forms that East Asian input methods type (`＝＋－＠`), which some spreadsheet builds
 * also accept as a formula start.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** Leading characters skipped before looking for a trigger: whitespace (not tab/CR/LF, which are triggers) and zero-width marks. */
function isSkippable(ch: string): boolean {
  if (ch === '\t' || ch === '\r' || ch === '\n') return false;
  return /^[\s\u200B-\u200D\u2060\uFEFF\u00AD]$/.test(ch);
}

/** True when the text would be read as a formula by a spreadsheet (first non-blank character is a trigger). */
export function startsWithFormulaTrigger(text: string): boolean {
  for (const ch of text) {
    if (isSkippable(ch)) continue;
    return FORMULA_TRIGGERS.has(ch);
  }
  return false;
}

/**
 * OWASP neutralisation: a free-text cell whose first non-blank character is a formula trigger gets
 * a leading apostrophe, so `=HYPERLINK(…)` is shown as text, also after a re-save as CSV.
 * Applied to free text only; amounts are numbers we produce ourselves and are never touched.
 */
export function neutraliseFormula(text: string): string {
  return startsWithFormulaTrigger(text) ? `'${text}` : text;
}

/**
 * Replaces characters that no spreadsheet or XML file can carry (C0 controls other than tab, CR and
 * LF, and DEL; U+FFFE/U+FFFF; unpaired UTF-16 surrogates) with U+FFFD. Without this, a NUL in a memo makes
 * an XLSX that Excel refuses to open, and a lone surrogate cannot be written as UTF-8.
 */
const UNWRITABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(UNWRITABLE, '\uFFFD');
}

/** Excel's limit on the characters of one cell. */
export const MAX_CELL_CHARS = 32_767;

/** A free-text value ready for any cell: cleaned, neutralised. */
export function safeText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return neutraliseFormula(cleanText(String(value)));
}

/** Exact decimal text of an amount (`-0.01`, `1234.56`, `1200` for JPY): minor units, never floats. */
export function amountText(minor: MinorUnits, currency: string): string {
  return formatAmount(minor, currency);
}

/**
 * Largest magnitude written as a spreadsheet number: every decimal with at most 15 significant
 * digits survives the trip to an IEEE double and back (Excel keeps 15 digits), so the number a
 * cell holds is exactly the amount. Larger amounts (10 trillion dollars and up) are written as text.
 */
export const MAX_EXACT_MINOR = 999_999_999_999_999;

/**
 * The amount as a spreadsheet number: the double nearest to the exact decimal string, computed by
 * parsing `formatAmount` (Number("-0.01")), never by dividing minor units. Null when the amount is
 * too large to be held exactly (the caller writes text instead).
 */
export function amountNumber(minor: MinorUnits, currency: string): number | null {
  if (Math.abs(minor) > MAX_EXACT_MINOR) return null;
  return Number(formatAmount(minor, currency));
}

/** Excel number format for a currency: `"USD "#,##0.00;[Red]-"USD "#,##0.00` (JPY 0 decimals, BHD 3). */
export function currencyNumFmt(currency: string): string {
  const exponent = currencyExponent(currency);
  const pattern = exponent === 0 ? '#,##0' : `#,##0.${'0'.repeat(exponent)}`;
  const prefix = `"${currency} "`;
  return `${prefix}${pattern};[Red]-${prefix}${pattern}`;
}

/** `1234567.89` → `1,234,567.89` (display only; the input is formatAmount's exact text). */
export function groupDigits(decimal: string): string {
  const negative = decimal.startsWith('-');
  const body = negative ? decimal.slice(1) : decimal;
  const dot = body.indexOf('.');
  const whole = dot === -1 ? body : body.slice(0, dot);
  const fraction = dot === -1 ? '' : body.slice(dot);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction}`;
}

/** `USD 1,234.56` / `USD -0.01` for display in the printable summary. */
export function displayAmount(minor: MinorUnits, currency: string): string {
  return `${currency} ${groupDigits(formatAmount(minor, currency))}`;
}

export function codeLabel(code: ResultCode): string {
  return CODE_LABELS[code] ?? code;
}

/** The columns of the Results table, shared by CSV and XLSX so both exports read the same. */
export const RESULT_COLUMNS = [
  { key: 'code', header: 'Code', width: 22 },
  { key: 'severity', header: 'Severity', width: 10 },
  { key: 'orderRef', header: 'Order', width: 14 },
  { key: 'currency', header: 'Currency', width: 9 },
  { key: 'date', header: 'Date', width: 12 },
  { key: 'storefrontRefundId', header: 'Storefront refund', width: 18 },
  { key: 'storefrontTotal', header: 'Storefront total', width: 18 },
  { key: 'netsuiteDocuments', header: 'NetSuite documents', width: 22 },
  { key: 'netsuiteTotal', header: 'NetSuite total', width: 18 },
  { key: 'difference', header: 'Difference', width: 18 },
  { key: 'hint', header: 'Hint', width: 60 },
  { key: 'annotationStatus', header: 'Status', width: 11 },
  { key: 'annotationReason', header: 'Reason', width: 40 },
] as const;
export type ResultColumnKey = (typeof RESULT_COLUMNS)[number]['key'];
export const AMOUNT_COLUMNS: ReadonlySet<ResultColumnKey> = new Set(['storefrontTotal', 'netsuiteTotal', 'difference']);

/** The currency an amount cell is in: a side's own when the two sides differ (issue 16), else the row's. */
export function amountCurrency(
  row: { currency: string; sideCurrencies?: { storefront: string; netsuite: string } },
  key: ResultColumnKey,
): string {
  if (key === 'storefrontTotal') return row.sideCurrencies?.storefront ?? row.currency;
  if (key === 'netsuiteTotal') return row.sideCurrencies?.netsuite ?? row.currency;
  return row.currency;
}
