/**
 * One quoting rule for every CSV this app writes (reports, the CLI's compare output, canonical
 * CSV, demo exports). A field is quoted when it holds a comma, a semicolon, a double quote, a CR
 * or LF, or starts or ends with blanks. The semicolon matters: Excel in a locale whose list
 * separator is `;` splits an unquoted cell there, and a part that starts with `=` becomes a
 * formula (E1 of issue 17). Quoting never changes the value read back (RFC 4180).
 */
const NEEDS_QUOTES = /[",;\r\n]|^\s|\s$/;

export function csvField(value: string): string {
  if (value === '') return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
