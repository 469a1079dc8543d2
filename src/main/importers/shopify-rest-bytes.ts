import { type CanonicalRefund, defaultTenders, type RefundLine, type Tender } from '../../shared/model';
import { currencyExponent } from '../../shared/money/currencies';
import { addMinor } from '../../shared/money/money';
import { PENDING_STATUSES, SUCCESS_STATUSES } from '../mapping/shopify';
import { shopifyGatewayKind } from '../tenders/storefront-kinds';
import { type ImportContext, isoDateFast, optString, resolveCurrencyCached, validYmd } from './common';
import {
  cursorAt,
  cursorByte,
  cursorClose,
  cursorEnd,
  cursorExpect,
  cursorOpen,
  cursorScalar,
  cursorSeek,
  cursorSkipString,
  cursorSkipValue,
  cursorWs,
  jsonBail,
} from './json-project';

/**
 * The common line of a Shopify REST NDJSON export — one order in one currency, its refunds with
 * their line items, transactions and order adjustments given in plain amounts — read from its
 * bytes straight into canonical refunds: no projected objects, no neutral refund, no amount
 * strings. The rich bench file spent most of its parse thread building those (docs/benchmarks/
 * import.md, session 9).
 *
 * It checks the whole line as strictly as JSON.parse (json-project.ts's scanner) and gives up —
 * returns undefined, having kept nothing — on anything outside that shape or that it is not sure
 * of: a wrapper or bare refund, duplicate keys, presentment money in another currency, a `*_set`
 * money bag other than `shop_money` in the order's currency (setMinorAt), refund shipping lines, a
 * return, an amount that is not a plain decimal, a value of an unexpected type, a date that is not
 * ISO. The caller then reads the line through the projection
 * and the REST mapping (mapping/shopify.ts), which words any error. What it accepts it maps
 * exactly as that path does, and hands it over as acceptRefund's value of it (every default
 * filled in, valid by construction: amounts of at most 15 digits, checked dates, tenders only when
 * they add up), so its consumers need not check it again (`RefundBatch.accepted`):
 * test/unit/importers/shopify-rest-bytes.test.ts.
 */

/** Key tables: a key's bytes → its index in `names`, by byte length. */
type KeyTable = (Array<{ bytes: Buffer; index: number }> | undefined)[];

function keyTable(names: readonly string[]): KeyTable {
  const table: KeyTable = [];
  names.forEach((name, index) => {
    const bytes = Buffer.from(name, 'latin1');
    const list = table[bytes.length] ?? [];
    list.push({ bytes, index });
    table[bytes.length] = list;
  });
  return table;
}

const ORDER_KEYS = [
  'id',
  'name',
  'order_number',
  'currency',
  'presentment_currency',
  'test',
  'refunds',
  // Any of these makes the line something else (a wrapper or a bare refund): the general path.
  'orders',
  'order',
  'refund',
  'refund_line_items',
  'order_adjustments',
  'transactions',
] as const;
const O_ID = 0;
const O_NAME = 1;
const O_NUMBER = 2;
const O_CURRENCY = 3;
const O_PRESENTMENT = 4;
const O_TEST = 5;
const O_REFUNDS = 6;

const REFUND_KEYS = [
  'id',
  'order_id',
  'processed_at',
  'created_at',
  'note',
  'refund_line_items',
  'transactions',
  'order_adjustments',
  'refund_shipping_lines',
  'return',
] as const;
const R_ID = 0;
const R_ORDER_ID = 1;
const R_PROCESSED = 2;
const R_CREATED = 3;
const R_NOTE = 4;
const R_LINES = 5;
const R_TRANSACTIONS = 6;
const R_ADJUSTMENTS = 7;
const R_SHIPPING_LINES = 8;
const R_RETURN = 9;

const LINE_KEYS = ['quantity', 'subtotal', 'total_tax', 'line_item', 'subtotal_set', 'total_tax_set'] as const;
const L_QUANTITY = 0;
const L_SUBTOTAL = 1;
const L_TAX = 2;
const L_ITEM = 3;
const L_SETS = 4; // from here on: money bags (setMinorAt)

const ITEM_KEYS = ['sku', 'name', 'title'] as const;
const I_SKU = 0;
const I_NAME = 1;
const I_TITLE = 2;

const TRANSACTION_KEYS = ['kind', 'status', 'amount', 'currency', 'test', 'gateway', 'id', 'amount_set'] as const;
const T_KIND = 0;
const T_STATUS = 1;
const T_AMOUNT = 2;
const T_CURRENCY = 3;
const T_TEST = 4;
const T_GATEWAY = 5;
const T_ID = 6;
const T_SETS = 7;

const ADJUSTMENT_KEYS = ['kind', 'amount', 'tax_amount', 'reason', 'amount_set', 'tax_amount_set'] as const;
const A_KIND = 0;
const A_AMOUNT = 1;
const A_TAX = 2;
const A_REASON = 3;
const A_SETS = 4;

// A `*_set` money bag (`{"shop_money":{"amount":…,"currency_code":…},"presentment_money":…}`):
// the camelCase spellings the mapping also reads (moneyBag's `??`) are the general path's.
const SET_KEYS = ['shop_money', 'presentment_money', 'shopMoney', 'presentmentMoney'] as const;
const S_SHOP = 0;
const S_PRESENTMENT = 1;
const MONEY_KEYS = ['amount', 'currency_code', 'currencyCode'] as const;
const M_AMOUNT = 0;
const M_CURRENCY = 1;

const ORDER_TABLE = keyTable(ORDER_KEYS);
const SET_TABLE = keyTable(SET_KEYS);
const MONEY_TABLE = keyTable(MONEY_KEYS);
const REFUND_TABLE = keyTable(REFUND_KEYS);
const LINE_TABLE = keyTable(LINE_KEYS);
const ITEM_TABLE = keyTable(ITEM_KEYS);
const TRANSACTION_TABLE = keyTable(TRANSACTION_KEYS);
const ADJUSTMENT_TABLE = keyTable(ADJUSTMENT_KEYS);

/** Where each member's value starts in the line (-1: absent), per object being read; reused. */
const orderAt = new Int32Array(ORDER_KEYS.length);
const refundAt = new Int32Array(REFUND_KEYS.length);
const memberAt = new Int32Array(8);
const itemAt = new Int32Array(ITEM_KEYS.length);
const setAt = new Int32Array(SET_KEYS.length);
const moneyAt = new Int32Array(MONEY_KEYS.length);

let buf: Buffer = Buffer.alloc(0);

/** The member key at the position (a '"'), checked, with its ':': its index in `table`, or -1 for another key. */
function readKey(table: KeyTable): number {
  if (cursorByte() !== 0x22) jsonBail();
  const ks = cursorAt() + 1;
  // A key spelled with escapes might be one of ours: the general path.
  if (cursorSkipString() & 2) jsonBail();
  const ke = cursorAt() - 1;
  cursorExpect(0x3a);
  cursorWs();
  const candidates = table[ke - ks];
  if (candidates === undefined) return -1;
  for (let k = 0; k < candidates.length; k++) {
    const { bytes, index } = candidates[k]!;
    let m = 0;
    while (m < bytes.length && buf[ks + m] === bytes[m]) m++;
    if (m === bytes.length) return index;
  }
  return -1;
}

/** At '{' or '[': moves in; false when it is empty (and moves past it). */
function enter(close: number): boolean {
  cursorSeek(cursorAt() + 1);
  cursorWs();
  if (cursorByte() === close) {
    cursorSeek(cursorAt() + 1);
    return false;
  }
  return true;
}

/** After a member or element: true at ',' (moved to the next one), false at `close` (moved past it). */
function more(close: number): boolean {
  cursorWs();
  const c = cursorByte();
  cursorSeek(cursorAt() + 1);
  if (c === 0x2c) {
    cursorWs();
    return true;
  }
  if (c !== close) jsonBail();
  return false;
}

/** Records where the member's value starts (a second one of the same key: the general path) and skips it. */
function note(at: Int32Array, key: number, depth: number): void {
  if (at[key]! !== -1) jsonBail();
  at[key] = cursorAt();
  cursorSkipValue(depth);
}

/** The value starting at `p` as JSON.parse builds it (a scalar: arrays and objects give up), or undefined if p < 0. */
function scalarAt(p: number): unknown {
  if (p < 0) return undefined;
  const c = buf[p];
  if (c === 0x7b || c === 0x5b) jsonBail();
  const back = cursorAt();
  cursorSeek(p);
  const value = cursorScalar(0);
  cursorSeek(back);
  return value;
}

/** A list member's value: null or absent is an empty list; anything but an array gives up. Returns true when there are elements (cursor at the first). */
function enterList(): boolean {
  const c = cursorByte();
  if (c === 0x6e) {
    cursorSkipValue(0);
    return false;
  }
  if (c !== 0x5b) jsonBail();
  return enter(0x5d);
}

/** At an element: it must be an object (the mapping would drop anything else); moves in. */
function enterElement(): boolean {
  if (cursorByte() !== 0x7b) jsonBail();
  return enter(0x7d);
}

/** At a list member's value: records where it starts (a second one gives up) and moves in; true when it has elements. */
function listMember(at: Int32Array, key: number): boolean {
  if (at[key]! !== -1) jsonBail();
  at[key] = cursorAt();
  return enterList();
}

/** One element of a list of objects (transactions, adjustments): where its members start, in memberAt. */
function elementMembers(table: KeyTable): void {
  memberAt.fill(-1);
  if (enterElement()) {
    do {
      const k = readKey(table);
      if (k >= 0) note(memberAt, k, 5);
      else cursorSkipValue(5);
    } while (more(0x7d));
  }
}

/** `null` or absent. */
function isNullAt(p: number): boolean {
  return p < 0 || buf[p] === 0x6e;
}

const POW10 = [1, 10, 100, 1000, 10000];

/**
 * Minor units of the amount starting at `p` as the REST mapping reads it (fastJsonMinor of the
 * JSON.parse value): undefined for null or absent; a JSON string is read as plainDecimalMinor
 * reads its text, a number as plainDecimalMinor reads String(number). Anything else gives up.
 */
export function minorAt(bytes: Buffer, p: number, exponent: number): number | undefined {
  if (p < 0) return undefined;
  const c = bytes[p]!;
  if (c === 0x6e) return undefined;
  if (c === 0x22) {
    // The text between the quotes, when it is plain ASCII without escapes: the common "12.34".
    let e = p + 1;
    while (e < bytes.length && bytes[e] !== 0x22 && bytes[e] !== 0x5c && bytes[e]! >= 0x20 && bytes[e]! < 0x80) e++;
    if (bytes[e] !== 0x22) jsonBail();
    const minor = plainDecimalMinorAt(bytes, p + 1, e, exponent);
    if (minor === undefined) jsonBail();
    return minor;
  }
  if (c !== 0x2d && (c < 0x30 || c > 0x39)) jsonBail();
  // A number literal (already checked by the scanner): String(Number(literal)) is the literal
  // with the fraction's trailing zeros dropped when it has at most 15 digits and no exponent.
  let i = p;
  const negative = c === 0x2d;
  if (negative) i++;
  let whole = 0;
  let digits = 0;
  let wholeDigits = 0;
  for (; bytes[i]! >= 0x30 && bytes[i]! <= 0x39; i++) {
    whole = whole * 10 + bytes[i]! - 0x30;
    wholeDigits++;
  }
  digits = wholeDigits;
  let fraction = 0;
  let fractionDigits = 0;
  if (bytes[i] === 0x2e) {
    i++;
    const from = i;
    while (bytes[i]! >= 0x30 && bytes[i]! <= 0x39) i++;
    let last = i;
    while (last > from && bytes[last - 1] === 0x30) last--;
    for (let k = from; k < last; k++) fraction = fraction * 10 + bytes[k]! - 0x30;
    fractionDigits = last - from;
    digits += fractionDigits;
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) jsonBail();
  if (digits > 15 || wholeDigits + exponent > 15 || fractionDigits > exponent) jsonBail();
  const minor = whole * POW10[exponent]! + fraction * POW10[exponent - fractionDigits]!;
  return negative && minor !== 0 ? -minor : minor;
}

/**
 * plainDecimalMinor (common.ts) of the ASCII text bytes[s, e) without making the string: the
 * transactions' and adjustments' amounts are JSON strings (`"25.98"`), one string each was a
 * slice and a parse per amount. Same rules: optional '-', 1+ whole digits, optionally '.' and 1 to
 * `exponent` fraction digits, at most 20 characters and 15 digits of minor units.
 */
export function plainDecimalMinorAt(bytes: Uint8Array, s: number, e: number, exponent: number): number | undefined {
  const n = e - s;
  if (n === 0 || n > 20) return undefined;
  let i = s;
  const negative = bytes[i] === 0x2d;
  if (negative) i++;
  let whole = 0;
  let wholeDigits = 0;
  for (; i < e; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
    wholeDigits++;
  }
  if (wholeDigits === 0 || wholeDigits + exponent > 15) return undefined;
  let fraction = 0;
  let fractionDigits = 0;
  if (i < e) {
    if (bytes[i] !== 0x2e) return undefined;
    for (i++; i < e; i++) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9) return undefined;
      fraction = fraction * 10 + d;
      fractionDigits++;
    }
    if (fractionDigits === 0 || fractionDigits > exponent) return undefined;
  }
  const minor = whole * POW10[exponent]! + fraction * POW10[exponent - fractionDigits]!;
  return negative && minor !== 0 ? -minor : minor;
}

/**
 * The shop amount of the `*_set` money bag at `p` (already checked by the scanner), as the REST
 * mapping reads it when the order has one currency: `shop_money.amount` in minor units, the plain
 * amount beside the bag ignored (restPair); `presentment_money` is not read (the mapping keeps
 * presentment parts only for an order in two currencies, which gives up earlier). It gives up on
 * anything else: no `shop_money` object, a camelCase spelling, a duplicate key, a `currency_code`
 * that is not exactly the order's currency, an amount that is null or absent.
 */
function setMinorAt(p: number, exponent: number, currency: string): number {
  if (buf[p] !== 0x7b) jsonBail();
  const back = cursorAt();
  cursorSeek(p);
  bagMembers(SET_TABLE, setAt, S_PRESENTMENT, 6);
  const shopAt = setAt[S_SHOP]!;
  if (shopAt === -1 || buf[shopAt] !== 0x7b) jsonBail();
  cursorSeek(shopAt);
  bagMembers(MONEY_TABLE, moneyAt, M_CURRENCY, 7);
  cursorSeek(back);
  if (!isQuoted(moneyAt[M_CURRENCY]!, currency)) jsonBail();
  const minor = minorAt(buf, moneyAt[M_AMOUNT]!, exponent);
  if (minor === undefined) jsonBail();
  return minor;
}

/** The object at the cursor ('{'): where each key of `table` up to `last` starts, in `at`; a later key of the table gives up. */
function bagMembers(table: KeyTable, at: Int32Array, last: number, depth: number): void {
  at.fill(-1);
  if (enter(0x7d)) {
    do {
      const k = readKey(table);
      if (k > last) jsonBail();
      if (k >= 0) note(at, k, depth);
      else cursorSkipValue(depth);
    } while (more(0x7d));
  }
}

/** The value at `p` is the JSON string of `text` (ASCII, written without escapes). */
function isQuoted(p: number, text: string): boolean {
  if (p < 0 || buf[p] !== 0x22 || buf[p + text.length + 1] !== 0x22) return false;
  for (let k = 0; k < text.length; k++) if (buf[p + 1 + k] !== text.charCodeAt(k)) return false;
  return true;
}

/**
 * An amount given plainly (`plainAt`) and perhaps as a money bag (`setAt`): the bag's shop amount
 * when there is one (null or absent: the plain amount), as restPair takes it.
 */
function amountOf(plainAt: number, bagAt: number, exponent: number, currency: string): number | undefined {
  return isNullAt(bagAt) ? minorAt(buf, plainAt, exponent) : setMinorAt(bagAt, exponent, currency);
}

/** What the order gives each of its refunds, known once the whole line is read. */
interface Pending {
  refund: CanonicalRefund;
  /** A refund transaction said `test: true`. */
  test: boolean;
  /** Where `order_id` starts (the order reference when the order has neither name nor number). */
  orderIdAt: number;
}

/**
 * The refunds of the REST order in buf[start, end) (refunds of one line, in order), or undefined:
 * then nothing was recorded and the caller reads the line through the general path.
 */
export function restOrderLineRefunds(
  bytes: Buffer,
  start: number,
  end: number,
  ctx: ImportContext,
): CanonicalRefund[] | undefined {
  buf = bytes;
  cursorOpen(bytes, start, end);
  try {
    return readOrder(ctx);
  } catch {
    // JSON_BAIL, or an error the general path will word (a sum out of range…).
    return undefined;
  } finally {
    cursorClose();
    buf = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

function readOrder(ctx: ImportContext): CanonicalRefund[] | undefined {
  cursorWs();
  if (cursorByte() !== 0x7b) return undefined;
  orderAt.fill(-1);
  let currency = '';
  let exponent = 0;
  const pending: Pending[] = [];
  if (enter(0x7d)) {
    do {
      const key = readKey(ORDER_TABLE);
      if (key === O_REFUNDS) {
        if (orderAt[O_REFUNDS]! !== -1) return undefined;
        orderAt[O_REFUNDS] = cursorAt();
        // The amounts need the currency: an export that gives it after the refunds is left to the general path.
        if (orderAt[O_CURRENCY]! === -1) return undefined;
        if (currency === '') {
          const raw = scalarAt(orderAt[O_CURRENCY]!);
          if (typeof raw !== 'string') return undefined;
          currency = resolveCurrencyCached(raw) ?? '';
          if (currency === '') return undefined;
          exponent = currencyExponent(currency);
        }
        if (cursorByte() !== 0x5b) return undefined;
        if (enter(0x5d)) {
          do {
            if (cursorByte() !== 0x7b) return undefined;
            pending.push(readRefund(currency, exponent));
          } while (more(0x5d));
        }
      } else if (key > O_REFUNDS) return undefined;
      else if (key >= 0) note(orderAt, key, 1);
      else cursorSkipValue(1);
    } while (more(0x7d));
  }
  cursorWs();
  if (cursorAt() !== cursorEnd()) return undefined;

  // fromValue's checks on an order: an id (the general path words a missing one), refunds a list.
  if (orderAt[O_ID]! === -1) return undefined;
  const id = scalarAt(orderAt[O_ID]!);
  // One currency: presentment money in another is the general path's (PresentmentPartsBuilder).
  const currencyRaw = orderAt[O_CURRENCY]! === -1 ? '' : optString(scalarAt(orderAt[O_CURRENCY]!));
  const presentmentRaw = optString(scalarAt(orderAt[O_PRESENTMENT]!));
  if (presentmentRaw !== '' && presentmentRaw !== currencyRaw) return undefined;
  // restOrderInfo
  const orderNumber = orderAt[O_NUMBER]!;
  const name =
    optString(scalarAt(orderAt[O_NAME]!)) || (orderNumber !== -1 ? `#${optString(scalarAt(orderNumber))}` : undefined);
  const orderTest = scalarAt(orderAt[O_TEST]!) === true;

  const out: CanonicalRefund[] = new Array(pending.length);
  for (let k = 0; k < pending.length; k++) {
    const p = pending[k]!;
    const refund = p.refund;
    refund.orderRef = name ?? (p.orderIdAt !== -1 ? optString(scalarAt(p.orderIdAt)) : '');
    refund.isTest = orderTest || p.test;
    out[k] = refund;
  }
  // The order's id → name, as fromValue keeps it (ImportContext.orderIdsWanted).
  const wanted = ctx.orderIdsWanted;
  if (id !== null && (wanted === undefined || wanted.size > 0)) {
    const key = String(id);
    if ((wanted === undefined || wanted.has(key)) && name) {
      ctx.orderIds ??= new Map();
      ctx.orderIds.set(key, name);
    }
  }
  return out;
}

const SUCCESS = 'success';
const SUCCESS_BYTES = Buffer.from('"success"', 'latin1');
const REFUND = Buffer.from('"refund"', 'latin1');

/** The value at `p` is exactly the JSON text `quoted` (a string without escapes). */
function isText(p: number, quoted: Buffer): boolean {
  if (p < 0) return false;
  for (let k = 0; k < quoted.length; k++) if (buf[p + k] !== quoted[k]) return false;
  return true;
}

/**
 * isoDateFast of the string at `p` read from its bytes (the usual `2025-05-01T17:36:00-05:00`:
 * one 10-character string instead of the whole timestamp and its slice), or undefined when the
 * value is anything else (then the caller asks isoDateFast of the JSON.parse value).
 */
function isoDateAtBytes(p: number): string | undefined {
  if (p < 0 || buf[p] !== 0x22) return undefined;
  const s = p + 1;
  for (let k = 0; k < 10; k++) {
    const c = buf[s + k]!;
    if (k === 4 || k === 7 ? c !== 0x2d : c < 0x30 || c > 0x39) return undefined;
  }
  const after = buf[s + 10];
  // `"YYYY-MM-DD"` or `"YYYY-MM-DDT…"` (the rest of a T-timestamp is not read, as by isoDateFast).
  if (after !== 0x22 && after !== 0x54) return undefined;
  const y = (buf[s]! - 0x30) * 1000 + (buf[s + 1]! - 0x30) * 100 + (buf[s + 2]! - 0x30) * 10 + buf[s + 3]! - 0x30;
  const m = (buf[s + 5]! - 0x30) * 10 + buf[s + 6]! - 0x30;
  const d = (buf[s + 8]! - 0x30) * 10 + buf[s + 9]! - 0x30;
  if (!validYmd(y, m, d)) return undefined;
  // A file's refunds fall on few days: one string per day, not one per refund.
  const key = y * 10000 + m * 100 + d;
  let date = dateStrings.get(key);
  if (date === undefined) {
    date = buf.toString('latin1', s, s + 10);
    if (dateStrings.size < 100_000) dateStrings.set(key, date);
  }
  return date;
}

/** `YYYY-MM-DD` by y·10000 + m·100 + d (isoDateAtBytes). */
const dateStrings = new Map<number, string>();

/** One refund object (cursor at its '{'), mapped as restRefundToNeutral + neutralToCanonical do. */
function readRefund(currency: string, exponent: number): Pending {
  refundAt.fill(-1);
  const lines: RefundLine[] = [];
  let tax = 0;
  let shipping = 0;
  let adjustment = 0;
  let itemLines = 0;
  let total = 0;
  // Only checked for range, as the general path adds it up (its total when amounts are unknown).
  let lineSum = 0;
  let successes = 0;
  let pending = 0;
  let failures = 0;
  let test = false;
  let tenders: Tender[] | undefined = [];
  // Adjustments and lines are read in file order but mapped lines first, then adjustments (neutralToCanonical).
  const adjustments: RefundLine[] = [];
  if (enter(0x7d)) {
    do {
      const key = readKey(REFUND_TABLE);
      if (key === R_LINES) {
        if (listMember(refundAt, R_LINES)) {
          do {
            const line = readLine(currency, exponent);
            tax = addMinor(tax, line.tax);
            lineSum = addMinor(lineSum, addMinor(line.amount, line.tax));
            lines.push(line);
            itemLines++;
          } while (more(0x5d));
        }
      } else if (key === R_TRANSACTIONS) {
        if (listMember(refundAt, R_TRANSACTIONS)) {
          do {
            elementMembers(TRANSACTION_TABLE);
            const kind = isText(memberAt[T_KIND]!, REFUND) ? 'refund' : optString(scalarAt(memberAt[T_KIND]!));
            if (kind !== 'refund' && kind.toLowerCase() !== 'refund') continue;
            if (scalarAt(memberAt[T_TEST]!) === true) test = true;
            const status = isText(memberAt[T_STATUS]!, SUCCESS_BYTES)
              ? SUCCESS
              : optString(scalarAt(memberAt[T_STATUS]!));
            if (!SUCCESS_STATUSES.has(status)) {
              if (PENDING_STATUSES.has(status)) pending++;
              else failures++;
              continue;
            }
            successes++;
            // A transaction in another currency (or none given) is the general path's (shopKnown, presentment).
            // Compared in place when it is the order's currency written plainly (the usual case).
            const txCurrencyAt = memberAt[T_CURRENCY]!;
            if (!isQuoted(txCurrencyAt, currency)) {
              const txCurrency = optString(scalarAt(txCurrencyAt));
              if (txCurrency !== '' && txCurrency !== currency) jsonBail();
            }
            const shop = amountOf(memberAt[T_AMOUNT]!, memberAt[T_SETS]!, exponent, currency);
            if (shop === undefined) jsonBail();
            total = addMinor(total, shop);
            if (tenders && shop > 0) {
              const gateway = optString(scalarAt(memberAt[T_GATEWAY]!));
              tenders.push({
                kind: shopifyGatewayKind(gateway, false),
                gateway,
                amount: shop,
                presentmentAmount: null,
                state: 'settled',
                ref: optString(scalarAt(memberAt[T_ID]!)),
              });
            } else if (shop < 0) tenders = undefined;
          } while (more(0x5d));
        }
      } else if (key === R_ADJUSTMENTS) {
        if (listMember(refundAt, R_ADJUSTMENTS)) {
          do {
            elementMembers(ADJUSTMENT_TABLE);
            const amount = -(amountOf(memberAt[A_AMOUNT]!, memberAt[A_SETS]!, exponent, currency) ?? 0);
            const adjTax = -(amountOf(memberAt[A_TAX]!, memberAt[A_SETS + 1]!, exponent, currency) ?? 0);
            adjustments.push(
              adjustmentLine(memberAt[A_KIND]!, amount, adjTax, optString(scalarAt(memberAt[A_REASON]!))),
            );
          } while (more(0x5d));
        }
      } else if (key >= 0) note(refundAt, key, 3);
      else cursorSkipValue(3);
    } while (more(0x7d));
  }
  // Refund shipping lines count only without a shipping adjustment, and a return carries an
  // exchange block: both are the general path's.
  const shippingLinesAt = refundAt[R_SHIPPING_LINES]!;
  if (shippingLinesAt !== -1 && buf[shippingLinesAt] !== 0x6e) {
    const back = cursorAt();
    cursorSeek(shippingLinesAt);
    const empty = enterList() === false;
    cursorSeek(back);
    if (!empty) jsonBail();
  }
  if (!isNullAt(refundAt[R_RETURN]!)) jsonBail();
  const rawId = scalarAt(refundAt[R_ID]!);
  if ((typeof rawId !== 'number' && typeof rawId !== 'string') || rawId === '') jsonBail();
  const id = String(rawId);
  const date =
    isoDateAtBytes(refundAt[R_PROCESSED]!) ??
    isoDateFast(scalarAt(refundAt[R_PROCESSED]!) ?? scalarAt(refundAt[R_CREATED]!));
  if (date === undefined) jsonBail();

  for (let k = 0; k < adjustments.length; k++) {
    const a = adjustments[k]!;
    tax = addMinor(tax, a.tax);
    lineSum = addMinor(lineSum, addMinor(a.amount, a.tax));
    if (a.role === 'shipping') shipping = addMinor(shipping, a.amount);
    else adjustment = addMinor(adjustment, a.amount);
    lines.push(a);
  }
  const moneyMoved = successes > 0;
  const status = moneyMoved ? 'ok' : pending > 0 ? 'pending' : failures > 0 ? 'failed' : 'ok';
  const refundTotal = moneyMoved ? total : 0;
  const refund: CanonicalRefund = {
    side: 'storefront',
    id,
    documentNumber: id,
    recordType: 'refund',
    orderRef: '',
    createdFrom: null,
    date,
    currency,
    total: refundTotal,
    shipping,
    tax,
    adjustment,
    lines,
    kind: itemLines > 0 ? 'line_item' : 'general',
    externalId: '',
    memo: optString(scalarAt(refundAt[R_NOTE]!)),
    isTest: false,
    status,
    appliesTo: '',
    moneyMoved,
    presentment: null,
    // The rest as acceptRefund completes it (snapshot-validate.ts, same keys in the same order):
    // the refund is already the checked value, and its consumers skip the check (RefundBatch).
    // Tenders that do not add up to the total are the mapping's "unknown": the default tender.
    tenders:
      tenders && sumAmounts(tenders) === refundTotal
        ? tenders
        : defaultTenders({ recordType: 'refund', total: refundTotal }),
    amountRemaining: null,
    applications: [],
    recordTotal: null,
  };
  return { refund, test, orderIdAt: refundAt[R_ORDER_ID]! };
}

/** One refund line item (cursor at the element), as restRefundToNeutral + neutralToCanonical map it. */
function readLine(currency: string, exponent: number): RefundLine {
  memberAt.fill(-1);
  let sku = '';
  let description = '';
  if (!enterElement()) jsonBail(); // no quantity: the general path's error
  do {
    const k = readKey(LINE_TABLE);
    if (k === L_ITEM) {
      if (memberAt[L_ITEM]! !== -1) jsonBail();
      memberAt[L_ITEM] = cursorAt();
      const c = cursorByte();
      if (c === 0x6e) cursorSkipValue(5);
      else {
        if (c !== 0x7b) jsonBail();
        itemAt.fill(-1);
        if (enter(0x7d)) {
          do {
            const i = readKey(ITEM_TABLE);
            if (i >= 0) note(itemAt, i, 6);
            else cursorSkipValue(6);
          } while (more(0x7d));
        }
        sku = optString(scalarAt(itemAt[I_SKU]!));
        description = optString(scalarAt(itemAt[I_NAME]!) ?? scalarAt(itemAt[I_TITLE]!));
      }
    } else if (k >= 0) note(memberAt, k, 5);
    else cursorSkipValue(5);
  } while (more(0x7d));
  const quantity = scalarAt(memberAt[L_QUANTITY]!);
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity)) jsonBail();
  const amount = amountOf(memberAt[L_SUBTOTAL]!, memberAt[L_SETS]!, exponent, currency) ?? 0;
  const lineTax = amountOf(memberAt[L_TAX]!, memberAt[L_SETS + 1]!, exponent, currency) ?? 0;
  return { sku, description, quantity, amount, tax: lineTax, role: 'item' };
}

/** An order adjustment's line (kindAt: where its `kind` starts). */
function adjustmentLine(kindAt: number, amount: number, adjTax: number, reason: string): RefundLine {
  const shipping = optString(scalarAt(kindAt)) === 'shipping_refund';
  return shipping
    ? { sku: '', description: reason || 'Shipping refund', quantity: 0, amount, tax: adjTax, role: 'shipping' }
    : { sku: '', description: reason || 'Refund discrepancy', quantity: 0, amount, tax: adjTax, role: 'generic' };
}

function sumAmounts(tenders: readonly Tender[]): number {
  let sum = 0;
  for (const t of tenders) sum += t.amount;
  return sum;
}
