import { validYmd } from '../../shared/calendar-date';
import type { DateFormat, ImportFormat, ItemRoles, TenderMapping } from '../../shared/contract/snapshot';
import { type ErrorLocation, UserError } from '../../shared/errors';
import type { CanonicalRefundInput, Side } from '../../shared/model';
import { currencyExponent, resolveCurrency } from '../../shared/money/currencies';
import { minorFromApiNumber, type ParseAmountOptions, parseAmount } from '../../shared/money/money';

/** Bumped whenever an importer's output for the same file could change. Stored on every snapshot. */
export const IMPORTER_VERSION = '1.2.0';

export const DEFAULT_ITEM_ROLES: Required<ItemRoles> = {
  shipping: ['Shipping'],
  generic: ['Refund Adjustment'],
  tax: [],
  tender: [],
};

/** What every importer gets: the file name for messages, options, and counters it fills in. */
export interface ImportContext {
  file: string;
  side: Side;
  format: ImportFormat;
  dateFormat?: DateFormat;
  decimalComma?: boolean;
  /** For exports that do not say their currency. */
  currency?: string;
  itemRoles: Required<ItemRoles>;
  mapping?: Record<string, string>;
  /** The user's tender mapping (tenders.md §1.3); absent: the default kinds. */
  tenderMapping?: TenderMapping;
  /** BigCommerce order products by order-product id: what prices a product refund's lines. */
  orderProducts?: ReadonlyMap<string, Obj>;
  /**
   * Shopify REST: each order's id → name as the file gives them (orders without refunds too),
   * stored with the snapshot so REST disputes, which name orders by id, find them (§3.1).
   */
  orderIds?: Map<string, string>;
  /**
   * Only these order ids go into `orderIds` (the one-shot comparison asks for those its disputes
   * name; an empty set: none). Absent: every order's, as an import into a workspace stores them.
   */
  orderIdsWanted?: ReadonlySet<string>;
  /** Source rows read (CSV rows, JSON lines or objects). */
  rows: number;
  /** Plain-language remarks shown after the import (guesses made, rows skipped). */
  notes: string[];
}

export function makeContext(
  partial: Omit<Partial<ImportContext>, 'itemRoles'> &
    Pick<ImportContext, 'file' | 'side' | 'format'> & { itemRoles?: ItemRoles | undefined },
): ImportContext {
  return {
    rows: 0,
    notes: [],
    ...partial,
    itemRoles: {
      shipping: partial.itemRoles?.shipping ?? DEFAULT_ITEM_ROLES.shipping,
      generic: partial.itemRoles?.generic ?? DEFAULT_ITEM_ROLES.generic,
      tax: partial.itemRoles?.tax ?? DEFAULT_ITEM_ROLES.tax,
      tender: partial.itemRoles?.tender ?? DEFAULT_ITEM_ROLES.tender,
    },
  };
}

/** An importer: canonical refunds from a decoded text stream, errors naming file/line/field. */
export type Importer = (
  source: import('./source').TextSource,
  ctx: ImportContext,
) => AsyncGenerator<CanonicalRefundInput>;

/**
 * Refunds in an array; `accepted[k]` true says refund k is already acceptRefund's value of itself
 * (every default in place, valid by construction: the Shopify REST byte reader's), so a consumer
 * that checks refunds may hand it to `markChecked` instead of checking it again. Absent: check all.
 */
export type RefundBatch = CanonicalRefundInput[] & { accepted?: boolean[] };

/** An importer that yields its refunds in arrays (see BATCH_IMPORTERS in formats.ts). */
export type BatchImporter = (source: import('./source').TextSource, ctx: ImportContext) => AsyncGenerator<RefundBatch>;

export function inputError(code: string, message: string, location: ErrorLocation): UserError {
  return new UserError(code, message, location);
}

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value as text for messages: short and quoted. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/**
 * The message for a quantity that is not a whole number a refund line can hold: a fraction, a
 * word, or a whole number too large to store exactly (beyond 2^53 − 1, such as 1e20).
 */
export function badQuantity(raw: unknown): string {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.replace(/,/g, '').trim()) : Number.NaN;
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
    return `The quantity ${shown(raw)} is out of range: a quantity must be a whole number no larger than ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}. Check the quantity; the file may be damaged.`;
  }
  return `Expected a whole-number quantity, found ${shown(raw)}.`;
}

const POW10 = [1, 10, 100, 1000, 10000];

/**
 * The common plain decimal (`12.34`, `-5`, `0.5`, `1200`) in minor units, exactly as parseAmount
 * reads it with default options — or undefined for anything else (signs in brackets, grouping,
 * symbols, codes, blanks, too many decimals, 16+ digits, a decimal comma): the caller then runs
 * parseAmount itself. Hot path of the importers; a property test checks it against parseAmount.
 */
export function plainDecimalMinor(text: string, currency: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 20) return undefined;
  const exponent = currencyExponent(currency);
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let whole = 0;
  let wholeDigits = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
    wholeDigits++;
  }
  if (wholeDigits === 0 || wholeDigits + exponent > 15) return undefined;
  let fraction = 0;
  let fractionDigits = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return undefined;
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      fraction = fraction * 10 + d;
      fractionDigits++;
    }
    if (fractionDigits === 0 || fractionDigits > exponent) return undefined;
  }
  const minor = whole * POW10[exponent]! + fraction * POW10[exponent - fractionDigits]!;
  return negative && minor !== 0 ? -minor : minor;
}

/** plainDecimalMinor for a JSON string or number (a number through its shortest decimal string). */
export function fastJsonMinor(value: unknown, currency: string): number | undefined {
  if (typeof value === 'string') return plainDecimalMinor(value, currency);
  if (typeof value === 'number' && Number.isFinite(value)) return plainDecimalMinor(String(value), currency);
  return undefined;
}

/** Parses money from a JSON string ("19.99") or number (19.99) without floats. */
export function jsonMoney(
  value: unknown,
  currency: string,
  where: ErrorLocation,
  options: ParseAmountOptions = {},
): number {
  if (options.decimalComma !== true && options.excessDecimals === undefined) {
    const fast = fastJsonMinor(value, currency);
    if (fast !== undefined) return fast;
  }
  if (typeof value === 'string') {
    const parsed = parseAmount(value, currency, options);
    if (parsed.ok) return parsed.minor;
    throw inputError('bad_amount', `${parsed.message}. Fix the value or export the file again.`, where);
  }
  if (typeof value === 'number') {
    const parsed = minorFromApiNumber(value, currency, options);
    if (parsed.ok) return parsed.minor;
    throw inputError('bad_amount', `${parsed.message}. Fix the value or export the file again.`, where);
  }
  throw inputError(
    'bad_amount',
    `Expected an amount (a number or a decimal string such as "12.34"), found ${shown(value)}.`,
    where,
  );
}

/** Like jsonMoney, but null/undefined/"" count as zero. */
export function optionalMoney(
  value: unknown,
  currency: string,
  where: ErrorLocation,
  options?: ParseAmountOptions,
): number {
  if (value === undefined || value === null || value === '') return 0;
  return jsonMoney(value, currency, where, options);
}

const resolvedCurrencies = new Map<string, string | undefined>();

/** resolveCurrency with a cache (imports see the same few currency texts millions of times). */
export function resolveCurrencyCached(raw: string): string | undefined {
  let code = resolvedCurrencies.get(raw);
  if (code === undefined && !resolvedCurrencies.has(raw)) {
    code = resolveCurrency(raw);
    if (resolvedCurrencies.size < 1000) resolvedCurrencies.set(raw, code);
  }
  return code;
}

/** ISO 4217 code from a code or a NetSuite currency name, or a clear error. */
export function currencyAt(raw: unknown, where: ErrorLocation): string {
  if (typeof raw === 'string') {
    const code = resolveCurrencyCached(raw);
    if (code) return code;
  }
  throw inputError(
    'unknown_currency',
    `Unknown currency ${shown(raw)}: expected an ISO 4217 code such as USD or EUR, or a NetSuite currency name such as "US Dollar". Check the Currency column, or add the currency to the export.`,
    where,
  );
}

export { validYmd };

const ISO_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/;

/** The number written by the ASCII digits text[from, to), or -1. */
function digits(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The calendar date of an ISO date or timestamp as printed (`2026-01-15T23:10:00-05:00` → 2026-01-15):
 * the refund date in the shop's own time zone, which is what the other side records too.
 */
/** isoDateAt's result for the usual `2026-01-15` / `2026-01-15T…`, or undefined (then call isoDateAt). */
export function isoDateFast(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length < 10 || (raw.length !== 10 && raw.charCodeAt(10) !== 84)) return undefined;
  const y = digits(raw, 0, 4);
  const m = digits(raw, 5, 7);
  const d = digits(raw, 8, 10);
  if (y < 0 || m < 0 || d < 0 || raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45 || !validYmd(y, m, d)) {
    return undefined;
  }
  return raw.length === 10 ? raw : raw.slice(0, 10);
}

export function isoDateAt(raw: unknown, where: ErrorLocation): string {
  const fast = isoDateFast(raw);
  if (fast !== undefined) return fast;
  if (typeof raw === 'string') {
    const m = ISO_PREFIX.exec(raw.trim());
    if (m && validYmd(Number(m[1]), Number(m[2]), Number(m[3]))) return `${m[1]}-${m[2]}-${m[3]}`;
  }
  throw inputError(
    'bad_date',
    `Expected a date such as 2026-01-15 or a timestamp such as 2026-01-15T10:30:00-05:00, found ${shown(raw)}.`,
    where,
  );
}

/**
 * Reads a date the way NetSuite users export them: M/D/YYYY (US default), D/M/YYYY, or ISO.
 * In `auto` mode, the first date whose day is above 12 decides between M/D and D/M; until then
 * M/D/YYYY is assumed, and a later date that contradicts it is an error asking to set the date order (each face names its control).
 */
export class DateReader {
  mode: DateFormat | 'auto';
  /** Set when auto mode has seen a date that proves the order. */
  decided: 'mdy' | 'dmy' | undefined;
  assumedAt: number | undefined;

  constructor(mode: DateFormat | undefined) {
    this.mode = mode ?? 'auto';
  }

  /** Looks at sample values before streaming (the first rows) to decide the order early. */
  prime(samples: Iterable<string>): void {
    if (this.mode !== 'auto' || this.decided) return;
    for (const s of samples) {
      const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/.exec(s);
      if (!m) continue;
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > 12 && b <= 12) {
        this.decided = 'dmy';
        return;
      }
      if (b > 12 && a <= 12) {
        this.decided = 'mdy';
        return;
      }
    }
  }

  read(raw: string, where: ErrorLocation): string {
    const s = raw.trim();
    const iso = ISO_PREFIX.exec(s);
    if (iso && this.mode !== 'mdy' && this.mode !== 'dmy') {
      if (validYmd(Number(iso[1]), Number(iso[2]), Number(iso[3]))) return `${iso[1]}-${iso[2]}-${iso[3]}`;
    }
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:$|\s)/.exec(s);
    if (m && this.mode !== 'iso') {
      const a = Number(m[1]);
      const b = Number(m[2]);
      const y = Number(m[3]);
      let order: 'mdy' | 'dmy';
      if (this.mode === 'mdy' || this.mode === 'dmy') order = this.mode;
      else if (this.decided) order = this.decided;
      else if (a > 12 && b <= 12) {
        if (this.assumedAt !== undefined) {
          throw new UserError(
            'ambiguous_date',
            `The date "${raw}" can only be D/M/YYYY, but earlier dates (from line ${this.assumedAt}) were read as M/D/YYYY. Import the file again with the date order set to D/M/YYYY.`,
            where,
            { dateOrder: 'dmy' },
          );
        }
        order = this.decided = 'dmy';
      } else if (b > 12 && a <= 12) order = this.decided = 'mdy';
      else {
        order = 'mdy';
        this.assumedAt ??= where.line;
      }
      const [mm, dd] = order === 'mdy' ? [a, b] : [b, a];
      if (validYmd(y, mm, dd)) return `${y}-${pad(mm)}-${pad(dd)}`;
      const hint =
        this.mode === 'auto'
          ? ' If the export uses the other day/month order, import again with the date order set to D/M/YYYY or M/D/YYYY.'
          : ` The date order is set to ${order === 'mdy' ? 'M/D/YYYY' : 'D/M/YYYY'}; check that it is the export's.`;
      throw new UserError(
        'bad_date',
        `"${raw}" is not a valid date read as ${order === 'mdy' ? 'M/D/YYYY' : 'D/M/YYYY'}.${hint}`,
        where,
        { dateOrder: this.mode === 'auto' ? 'choose' : 'check' },
      );
    }
    const expected =
      this.mode === 'iso'
        ? 'an ISO date such as 2026-01-31'
        : this.mode === 'dmy'
          ? 'a date such as 31/1/2026 (D/M/YYYY)'
          : this.mode === 'mdy'
            ? 'a date such as 1/31/2026 (M/D/YYYY)'
            : 'a date such as 1/31/2026, 31/1/2026 or 2026-01-31';
    throw new UserError(
      'bad_date',
      `Expected ${expected}, found ${shown(raw)}. Check the Date column and the date order.`,
      where,
      { dateOrder: 'check' },
    );
  }
}

/** A note when the date order was assumed rather than proved. */
export function dateNote(reader: DateReader): string | undefined {
  if (reader.mode === 'auto' && !reader.decided && reader.assumedAt !== undefined) {
    return 'Dates were read as M/D/YYYY (the NetSuite default); no date in the file proved the order. If your NetSuite date format is D/M/YYYY, delete this snapshot and import again with the date order set to D/M/YYYY.';
  }
  if (reader.mode === 'auto' && reader.decided) {
    return `Dates were read as ${reader.decided === 'mdy' ? 'M/D/YYYY' : 'D/M/YYYY'} (detected from the file).`;
  }
  return undefined;
}

export function requireString(value: unknown, where: ErrorLocation, what: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw inputError('missing_field', `Expected ${what}, found ${shown(value)}.`, where);
}

export function optString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}
