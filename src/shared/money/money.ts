import { currencyExponent } from './currencies';

/**
 * Money is an integer count of minor units (cents, yen, fils) of one ISO 4217 currency.
 * We use JS numbers restricted to safe integers rather than bigint: 2^53 minor units is about
 * 90 trillion dollars, far beyond any refund, and numbers keep 1M-row imports and SQLite
 * INTEGER columns fast. Every arithmetic helper below re-checks the safe-integer bound so an
 * overflow is an error, never a silently rounded amount. No float ever touches an amount.
 */
export type MinorUnits = number;

export type AmountParse = { ok: true; minor: MinorUnits } | { ok: false; message: string };

export interface ParseAmountOptions {
  /** The export uses a comma as decimal separator (`1.234,56`). Default: a dot. */
  decimalComma?: boolean;
  /**
   * What to do with more decimals than the currency has (WooCommerce writes 6-decimal line
   * totals). `reject` (default) refuses them; `half-up` rounds half away from zero.
   */
  excessDecimals?: 'reject' | 'half-up';
}

const CURRENCY_SYMBOLS =
  /[$€£¥₩₹₽₺₪₫฿₱₦₴₲₡₵₸₭₮₼₾]|US\$|A\$|C\$|NZ\$|HK\$|S\$|R\$|Mex\$|kr|zł|Kč|Fr\.?|CHF|RM|Rp|R(?=\s*\d)/g;

function fail(text: string, currency: string, why: string): AmountParse {
  return { ok: false, message: `"${text}" is not a valid ${currency} amount: ${why}` };
}

/**
 * Parses an amount as exports print it into exact minor units of `currency`.
 * Accepts: `1234.56`, `-1234.56`, `1,234.56`, `(12.00)` (negative), `12.00-`, `$12.00`, `-$12.00`,
 * `USD 12.00`, `12.00 USD`, `€1.234,56` with `decimalComma`. Rejects anything else with a message
 * that says what was found and what is expected.
 */
export function parseAmount(raw: string, currency: string, options: ParseAmountOptions = {}): AmountParse {
  const exponent = currencyExponent(currency);
  const text = raw;
  let s = raw.trim();
  if (s === '') return fail(text, currency, 'the field is empty; expected a number such as 12.34');
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  // A currency code may stand before or after the number.
  const codeMatch = /^([A-Z]{3})\s*(.*)$/.exec(s) ?? /^(.*?)\s*([A-Z]{3})$/.exec(s);
  if (codeMatch) {
    const [code, rest] = /^[A-Z]{3}/.test(s) ? [codeMatch[1], codeMatch[2]] : [codeMatch[2], codeMatch[1]];
    if (code !== currency) {
      return fail(text, currency, `it names the currency ${code}; the record is in ${currency}`);
    }
    s = (rest ?? '').trim();
  }
  if (s.startsWith('-')) {
    if (negative) return fail(text, currency, 'it has two minus signs');
    negative = true;
    s = s.slice(1).trim();
  } else if (s.endsWith('-')) {
    if (negative) return fail(text, currency, 'it has two minus signs');
    negative = true;
    s = s.slice(0, -1).trim();
  } else if (s.startsWith('+')) {
    s = s.slice(1).trim();
  }
  s = s.replace(CURRENCY_SYMBOLS, '').trim();
  if (s.startsWith('-')) {
    if (negative) return fail(text, currency, 'it has two minus signs');
    negative = true;
    s = s.slice(1).trim();
  }
  const decimalSeparator = options.decimalComma ? ',' : '.';
  const groupSeparator = options.decimalComma ? /[.\s\u00a0\u202f']/g : /[,\s\u00a0\u202f']/g;
  const grouped = options.decimalComma
    ? /^\d{1,3}([.\s\u00a0\u202f']\d{3})+(,\d*)?$/
    : /^\d{1,3}([,\s\u00a0\u202f']\d{3})+(\.\d*)?$/;
  if (grouped.test(s)) s = s.replace(groupSeparator, '');
  const plain = options.decimalComma ? /^(\d*)(?:,(\d*))?$/ : /^(\d*)(?:\.(\d*))?$/;
  const match = plain.exec(s);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    const hint = options.decimalComma
      ? 'expected digits with a comma as decimal separator, such as 1.234,56'
      : 'expected digits with a dot as decimal separator, such as 1,234.56 (for comma decimals, set the decimal-comma option)';
    return fail(text, currency, hint);
  }
  const whole = match[1] || '0';
  let fraction = match[2] ?? '';
  let roundUp = false;
  if (fraction.length > exponent) {
    const excess = fraction.slice(exponent);
    if (/^0*$/.test(excess)) {
      fraction = fraction.slice(0, exponent);
    } else if (options.excessDecimals === 'half-up') {
      roundUp = excess.charCodeAt(0) >= 53; // '5'
      fraction = fraction.slice(0, exponent);
    } else {
      const places = exponent === 0 ? 'no decimals' : `at most ${exponent} decimal${exponent === 1 ? '' : 's'}`;
      return fail(
        text,
        currency,
        `${currency} amounts have ${places}; found ${fraction.length} (${decimalSeparator}${fraction})`,
      );
    }
  }
  const digits = (whole + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return fail(text, currency, 'the amount is too large to be a refund');
  let minor = Number(digits) + (roundUp ? 1 : 0);
  if (negative && minor !== 0) minor = -minor;
  return { ok: true, minor };
}

/** Like parseAmount but throws an Error with the same message (for trusted, generated data). */
export function parseAmountOrThrow(raw: string, currency: string, options?: ParseAmountOptions): MinorUnits {
  const result = parseAmount(raw, currency, options);
  if (!result.ok) throw new Error(result.message);
  return result.minor;
}

/** Exact decimal string with the currency's number of decimals: 123456 USD → "1234.56". */
export function formatAmount(minor: MinorUnits, currency: string): string {
  assertSafe(minor);
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Converts a JSON number that an API sent as a decimal (NetSuite `"total": 19.99`, BigCommerce
 * `"amount": 37.89`) to minor units through its shortest decimal string, never through float
 * arithmetic: String(19.99) is "19.99", which then parses exactly.
 */
export function minorFromApiNumber(value: number, currency: string, options?: ParseAmountOptions): AmountParse {
  if (!Number.isFinite(value)) return { ok: false, message: `${value} is not a finite ${currency} amount` };
  const text = String(value);
  if (/e/i.test(text)) {
    return { ok: false, message: `${text} is not a plain decimal ${currency} amount (exponent notation)` };
  }
  return parseAmount(text, currency, options);
}

function assertSafe(value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Amount ${value} is not a safe integer of minor units`);
}

export function addMinor(a: MinorUnits, b: MinorUnits): MinorUnits {
  const sum = a + b;
  assertSafe(a);
  assertSafe(b);
  assertSafe(sum);
  return sum;
}

export function subtractMinor(a: MinorUnits, b: MinorUnits): MinorUnits {
  return addMinor(a, -b);
}

export function sumMinor(values: Iterable<MinorUnits>): MinorUnits {
  let total = 0;
  for (const value of values) total = addMinor(total, value);
  return total;
}

export function compareMinor(a: MinorUnits, b: MinorUnits): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The tolerance string a user types ("0.01") in minor units of a currency, e.g. 1 for USD. */
export function toleranceMinor(tolerance: string, currency: string): MinorUnits {
  const parsed = parseAmount(tolerance, currency, { excessDecimals: 'half-up' });
  if (!parsed.ok || parsed.minor < 0) throw new Error(`Tolerance "${tolerance}" is not a non-negative amount`);
  return parsed.minor;
}
