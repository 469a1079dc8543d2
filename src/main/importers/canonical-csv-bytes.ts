import { isCalendarDate } from '../../shared/calendar-date';
import { dayNumber } from '../../shared/day-number';
import { RECORD_TYPE_VALUES, REFUND_KIND_VALUES, REFUND_STATUS_VALUES } from '../../shared/model-values';

/**
 * The byte-level helpers of the flat canonical CSV reader (canonical-csv-flat.ts) and of the flat
 * reconcile's tables (reconcile/flat-fast/flat-table.ts): plain functions over bytes, no zod and
 * no store code, so the flat reconcile's helper thread loads only this (issue 15: its start-up is
 * on the critical path).
 */

const DASH = 45;
const DOT = 46;
const ZERO = 48;

/** Columns the flat reader reads; every other known column must be empty on every row. */
export const READ = [
  'side',
  'id',
  'documentNumber',
  'recordType',
  'orderRef',
  'date',
  'currency',
  'total',
  'kind',
  'externalId',
  'memo',
  'isTest',
  'status',
  'appliesTo',
  'moneyMoved',
] as const;
export type ReadColumn = (typeof READ)[number];

/** A few repeated short values (record types, currencies, kinds, statuses) matched on their bytes. */
export class ByteDictionary {
  private readonly bytes: Buffer[] = [];
  private readonly values: string[] = [];
  private last = -1;
  constructor(private readonly accept: (value: string) => boolean) {}

  /** The value of `buf[start, end)`, or null when it is not accepted (or there are too many). */
  get(buf: Buffer, start: number, end: number): string | null {
    const n = end - start;
    const last = this.last;
    if (last >= 0 && this.same(this.bytes[last]!, buf, start, n)) return this.values[last]!;
    for (let i = 0; i < this.bytes.length; i++) {
      if (i !== last && this.same(this.bytes[i]!, buf, start, n)) {
        this.last = i;
        return this.values[i]!;
      }
    }
    if (this.values.length >= 64) return null;
    const value = buf.toString('latin1', start, end);
    if (!this.accept(value)) return null;
    this.bytes.push(Buffer.from(buf.subarray(start, end)));
    this.values.push(value);
    this.last = this.values.length - 1;
    return value;
  }

  private same(known: Buffer, buf: Buffer, start: number, n: number): boolean {
    if (known.length !== n) return false;
    for (let i = 0; i < n; i++) if (known[i] !== buf[start + i]) return false;
    return true;
  }
}

export const RECORD_TYPES = new Set<string>(RECORD_TYPE_VALUES);
export const KINDS = new Set<string>(REFUND_KIND_VALUES);
export const STATUSES = new Set<string>(REFUND_STATUS_VALUES);

/** `s` equals `buf[start, end)` (ASCII). */
export function sameText(s: string, buf: Buffer, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

/** Odd rows beyond this share (plus a few) leave the file to the readers made for them. */
const MAX_ODD_SHARE = 0.02;

/** True when `odd` rows handed to the full importer out of `rows` read so far is past the limit (100 + 2 %). */
export function tooManyOddRows(odd: number, rows: number): boolean {
  return odd > 100 + rows * MAX_ODD_SHARE;
}

/**
 * Minor units of `12.34` (exactly the currency's decimals; `0.50` too) or `1234` (no decimals),
 * read from the bytes; -1 for anything else (signs, spaces, other decimals, leading zeros), which
 * the generic readers' parseAmount then reads or refuses.
 */
export function plainAmount(buf: Buffer, start: number, end: number, exponent: number): number {
  const n = end - start;
  if (n === 0 || n > 16) return -1;
  const dot = exponent > 0 ? end - exponent - 1 : -1;
  if (exponent > 0 && (dot <= start || buf[dot] !== DOT)) return -1;
  // A leading zero only as the single whole digit of a decimal amount (0.50).
  if (buf[start] === ZERO && !(exponent > 0 && dot === start + 1)) return -1;
  let minor = 0;
  for (let i = start; i < end; i++) {
    if (i === dot) continue;
    const d = buf[i]! - ZERO;
    if (d < 0 || d > 9) return -1;
    minor = minor * 10 + d;
  }
  return Number.isSafeInteger(minor) ? minor : -1;
}

/** dayNumber and text of an exact `YYYY-MM-DD` calendar date, cached by its digits; null otherwise. */
export function dateDay(
  buf: Buffer,
  start: number,
  end: number,
  days: Map<number, { day: number; text: string }>,
): { day: number; text: string } | null {
  if (end - start !== 10 || buf[start + 4] !== DASH || buf[start + 7] !== DASH) return null;
  let key = 0;
  for (let i = start; i < end; i++) {
    if (i === start + 4 || i === start + 7) continue;
    const d = buf[i]! - ZERO;
    if (d < 0 || d > 9) return null;
    key = key * 10 + d;
  }
  let day = days.get(key);
  if (day === undefined) {
    const text = buf.toString('latin1', start, end);
    if (!isCalendarDate(text)) return null;
    day = { day: dayNumber(text), text };
    days.set(key, day);
  }
  return day;
}

/** `true`/`1`, `false`/`0`, or empty (the default); null for anything else. */
export function flag(buf: Buffer, start: number, end: number, fallback: boolean): boolean | null {
  const n = end - start;
  if (n === 0) return fallback;
  if (n === 1) return buf[start] === 49 ? true : buf[start] === ZERO ? false : null;
  if (n === 4 && sameText('true', buf, start, end)) return true;
  if (n === 5 && sameText('false', buf, start, end)) return false;
  return null;
}
