import fs from 'node:fs';
import type { Side } from '../../../shared/model';
import { currencyExponent, isCurrencyCode } from '../../../shared/money';
import {
  ByteDictionary,
  dateDay,
  flag,
  KINDS,
  plainAmount,
  READ,
  RECORD_TYPES,
  type ReadColumn,
  STATUSES,
  tooManyOddRows,
} from '../../importers/canonical-csv-bytes';
import { CANONICAL_CSV_COLUMNS, CANONICAL_CSV_OPTIONAL_COLUMNS } from '../../importers/canonical-csv-columns';

/**
 * A flat canonical CSV kept as its bytes plus a few typed arrays per row (where each needed field
 * sits, the amount in minor units, dictionary codes): what the fast path of the one-shot
 * reconcile decides and writes from, without a JS string per row. It accepts exactly the files the
 * byte-level reader (importers/canonical-csv-flat.ts) takes without an odd row, with its helpers
 * and rules; anything else answers null and the file goes the general way (whose readers word
 * any error with file, line and field).
 */
export interface FlatTable {
  side: Side;
  bytes: Buffer;
  n: number;
  /** Byte offset of each row, and its length (without the newline). */
  rowStart: Uint32Array;
  rowLength: Uint16Array;
  /** Fields as [start, end) offsets from the row's start. */
  idStart: Uint16Array;
  idEnd: Uint16Array;
  docStart: Uint16Array;
  docEnd: Uint16Array;
  refStart: Uint16Array;
  refEnd: Uint16Array;
  extStart: Uint16Array;
  extEnd: Uint16Array;
  dateStart: Uint16Array;
  totalStart: Uint16Array;
  totalEnd: Uint16Array;
  total: Float64Array;
  /** Index into `currencies`. */
  currency: Uint8Array;
  currencies: string[];
  /** Record type, kind, status and flags as one code (`attrOf` reads it back). */
  attr: Uint32Array;
  recordTypes: string[];
  kinds: string[];
  statuses: string[];
  /** ROW_* bits. */
  flags: Uint8Array;
  /** Rows with a tenders cell (ROW_ODD): the full importer reads them (odd-rows.ts). */
  odd: number;
  /** The header line (column names) and each name's field index. */
  names: string[];
  col: Record<ReadColumn, number>;
}

/** Every text cell the output shows (id, order ref, document number) is a plain CSV cell. */
export const ROW_CELLS_PLAIN = 1;
/** The document number is empty or the id. */
export const ROW_DOC_IS_ID = 2;
/** No memo and no appliesTo. */
export const ROW_QUIET = 4;
/** The id is its own normalised refund id (no capitals, no blank at either end). */
export const ROW_ID_NORMAL = 8;
/** The order reference is `#`/capitals/digits: its order key is its bytes (without the `#`). */
export const ROW_REF_PLAIN = 16;
/** The key field (externalId) is digits only: its one refund key candidate is itself. */
export const ROW_EXT_DIGITS = 32;
/**
 * The row has a `tenders` cell: the byte-level reader hands it to the full importer
 * (importers/canonical-csv-flat.ts `odd`), so the fast path does too (odd-rows.ts) and leaves its
 * order to the general compare. Its other cells are flat ones, read as for any row.
 */
export const ROW_ODD = 64;
/** attr bits above the three codes. */
export const ATTR_TEST = 1 << 18;
export const ATTR_MONEY_MOVED = 1 << 19;

export interface RowAttr {
  recordType: string;
  kind: string;
  status: string;
  isTest: boolean;
  moneyMoved: boolean;
}

export function attrOf(t: FlatTable, attr: number): RowAttr {
  return {
    recordType: t.recordTypes[attr & 63]!,
    kind: t.kinds[(attr >> 6) & 63]!,
    status: t.statuses[(attr >> 12) & 63]!,
    isTest: (attr & ATTR_TEST) !== 0,
    moneyMoved: (attr & ATTR_MONEY_MOVED) !== 0,
  };
}

const COMMA = 44;
const NEWLINE = 10;
const QUOTE = 34;
const SEMICOLON = 59;
const HASH = 35;

/** Rows longer than this are left to the general path (offsets are 16-bit). */
const MAX_ROW = 65_000;

/**
 * Reads `file` into a FlatTable, or null when the file is not entirely flat. `shared`: the bytes
 * and columns live in SharedArrayBuffers, so the table posted to another thread is the same
 * memory there (the helper thread formats rows from both tables, helper-thread.ts).
 */
export function readFlatTable(file: string, side: Side, shared = false): FlatTable | null {
  const bytes = readFileBytes(file, shared);
  return bytes && flatTableOf(bytes, side, shared);
}

/**
 * The whole of `file`, in a SharedArrayBuffer when `shared` (readable by another thread as it is);
 * null when too large for the table's 32-bit offsets or when it shrank while being read.
 */
export function readFileBytes(file: string, shared: boolean): Buffer | null {
  const size = fs.statSync(file).size;
  if (size >= 2 ** 32 - 1) return null;
  if (!shared) return fs.readFileSync(file);
  const bytes = Buffer.from(new SharedArrayBuffer(size));
  const fd = fs.openSync(file, 'r');
  try {
    let at = 0;
    while (at < size) {
      const got = fs.readSync(fd, bytes, at, Math.min(size - at, 1 << 30), at);
      if (got === 0) return null;
      at += got;
    }
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/** A FlatTable over a file's bytes, or null (see readFlatTable). */
export function flatTableOf(bytes: Buffer, side: Side, shared = false): FlatTable | null {
  const size = bytes.length;
  const headerEnd = bytes.indexOf(NEWLINE);
  const names = headerEnd > 0 ? headerNames(bytes, headerEnd) : null;
  if (!names) return null;
  const width = names.length;
  const col = {} as Record<ReadColumn, number>;
  for (const name of READ) col[name] = names.indexOf(name);
  const readColumns = new Set<number>(Object.values(col));
  // A tenders cell makes its row an odd one (ROW_ODD); every other column not read stays empty.
  const tendersCol = names.indexOf('tenders');
  const mustBeEmpty: number[] = [];
  for (let k = 0; k < width; k++) if (!readColumns.has(k) && k !== tendersCol) mustBeEmpty.push(k);
  // As runs of consecutive columns: m empty fields from column k take m bytes (their commas), so
  // one test per run (3 in the canonical header) instead of one per column.
  const emptyRuns = emptyRunsOf(mustBeEmpty);

  // Rows counted first (newlines, found natively), so every column is allocated once at its size.
  let cap = 0;
  for (let at = bytes.indexOf(NEWLINE, headerEnd + 1); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) cap++;
  cap++; // a last row without a newline
  const u16 = () => new Uint16Array(buffer(cap * 2, shared));
  const rowStart = new Uint32Array(buffer(cap * 4, shared));
  const rowLength = u16();
  const idStart = u16();
  const idEnd = u16();
  const docStart = u16();
  const docEnd = u16();
  const refStart = u16();
  const refEnd = u16();
  const extStart = u16();
  const extEnd = u16();
  const dateStart = u16();
  const totalStart = u16();
  const totalEnd = u16();
  const total = new Float64Array(buffer(cap * 8, shared));
  const currency = new Uint8Array(buffer(cap, shared));
  const attr = new Uint32Array(buffer(cap * 4, shared));
  const flags = new Uint8Array(buffer(cap, shared));
  const recordTypeDict = new ByteDictionary((v) => RECORD_TYPES.has(v));
  const currencyDict = new ByteDictionary(isCurrencyCode);
  const kindDict = new ByteDictionary((v) => KINDS.has(v));
  const statusDict = new ByteDictionary((v) => v === '' || STATUSES.has(v));
  const codes = {
    recordType: new Map<string, number>(),
    currency: new Map<string, number>(),
    kind: new Map<string, number>(),
    status: new Map<string, number>(),
  };
  const lists = { recordType: [] as string[], currency: [] as string[], kind: [] as string[], status: [] as string[] };
  const codeOf = (which: keyof typeof codes, value: string): number => {
    let c = codes[which].get(value);
    if (c === undefined) {
      c = lists[which].length;
      lists[which].push(value);
      codes[which].set(value, c);
    }
    return c;
  };
  const exponents: number[] = [];
  const days = new Map<number, { day: number; text: string }>();
  const starts = new Int32Array(width + 1);

  const sideBytes = Buffer.from(side, 'latin1');
  // The last value of each dictionary and its code (null: none yet; '' is a value, an empty status).
  const dates = new DateCheck(days);
  let lastCurrency: string | null = null;
  let lastCurrencyCode = 0;
  let lastRecordType: string | null = null;
  let lastRecordTypeCode = 0;
  let lastKind: string | null = null;
  let lastKindCode = 0;
  let lastStatus: string | null = null;
  let lastStatusCode = 0;
  const fs0 = (k: number) => starts[k]!;
  const fe = (k: number) => starts[k + 1]! - 1;
  let n = 0;
  let odd = 0;
  let pos = headerEnd + 1;
  let prevIdStart = -1;
  let prevIdEnd = -1;
  while (pos < size) {
    const end = scanRow(bytes, pos, starts, width);
    if (end < 0) return null;
    if (end - pos > MAX_ROW) return null;
    starts[width] = end + 1;
    // A second row of the same refund (the full importer merges them): not flat.
    const iS = fs0(col.id);
    const iE = fe(col.id);
    if (iE === iS) return null;
    if (prevIdStart >= 0 && sameBytes(bytes, prevIdStart, prevIdEnd, iS, iE)) return null;
    prevIdStart = iS;
    prevIdEnd = iE;
    for (let k = 0; k < emptyRuns.length; k += 2) {
      const first = emptyRuns[k]!;
      const count = emptyRuns[k + 1]!;
      if (starts[first + count]! - starts[first]! !== count) return null;
    }
    if (!sameBytes2(sideBytes, bytes, fs0(col.side), fe(col.side))) return null;
    const recordType = recordTypeDict.get(bytes, fs0(col.recordType), fe(col.recordType));
    if (recordType === null) return null;
    if (!dates.ok(bytes, fs0(col.date), fe(col.date))) return null;
    const cur = currencyDict.get(bytes, fs0(col.currency), fe(col.currency));
    if (cur === null) return null;
    if (cur !== lastCurrency) {
      lastCurrency = cur;
      lastCurrencyCode = codeOf('currency', cur);
    }
    const curCode = lastCurrencyCode;
    if (curCode > 255) return null;
    let exponent = exponents[curCode];
    if (exponent === undefined) {
      exponent = currencyExponent(cur);
      exponents[curCode] = exponent;
    }
    const amount = plainAmount(bytes, fs0(col.total), fe(col.total), exponent);
    if (amount < 0) return null;
    const kind = kindDict.get(bytes, fs0(col.kind), fe(col.kind));
    if (kind === null) return null;
    const isTest = flag(bytes, fs0(col.isTest), fe(col.isTest), false);
    const moneyMoved = flag(bytes, fs0(col.moneyMoved), fe(col.moneyMoved), true);
    if (isTest === null || moneyMoved === null) return null;
    const status = statusDict.get(bytes, fs0(col.status), fe(col.status));
    if (status === null) return null;

    const r = n++;
    const isOdd = tendersCol >= 0 && fe(tendersCol) !== fs0(tendersCol);
    // The byte-level reader's own limit: past it the general path reads the whole file with other
    // readers, so the fast path leaves the file to it too.
    if (isOdd && tooManyOddRows(++odd, r + 1)) return null;
    rowStart[r] = pos;
    rowLength[r] = end - pos;
    idStart[r] = iS - pos;
    idEnd[r] = iE - pos;
    docStart[r] = fs0(col.documentNumber) - pos;
    docEnd[r] = fe(col.documentNumber) - pos;
    refStart[r] = fs0(col.orderRef) - pos;
    refEnd[r] = fe(col.orderRef) - pos;
    extStart[r] = fs0(col.externalId) - pos;
    extEnd[r] = fe(col.externalId) - pos;
    dateStart[r] = fs0(col.date) - pos;
    totalStart[r] = fs0(col.total) - pos;
    totalEnd[r] = fe(col.total) - pos;
    total[r] = amount;
    currency[r] = curCode;
    attr[r] =
      (recordType === lastRecordType ? lastRecordTypeCode : codeOf('recordType', recordType)) |
      ((kind === lastKind ? lastKindCode : codeOf('kind', kind)) << 6) |
      ((status === lastStatus ? lastStatusCode : codeOf('status', status === '' ? 'ok' : status)) << 12) |
      (isTest ? ATTR_TEST : 0) |
      (moneyMoved ? ATTR_MONEY_MOVED : 0);
    // The dictionaries hand back the same string for the same bytes: the last code is kept by identity.
    lastRecordType = recordType;
    lastRecordTypeCode = attr[r]! & 63;
    lastKind = kind;
    lastKindCode = (attr[r]! >> 6) & 63;
    lastStatus = status;
    lastStatusCode = (attr[r]! >> 12) & 63;
    let f = 0;
    const dS = fs0(col.documentNumber);
    const dE = fe(col.documentNumber);
    const rS = fs0(col.orderRef);
    const rE = fe(col.orderRef);
    if (plainCell(bytes, iS, iE) && plainCell(bytes, rS, rE) && plainCell(bytes, dS, dE)) f |= ROW_CELLS_PLAIN;
    if (dE === dS || sameBytes(bytes, dS, dE, iS, iE)) f |= ROW_DOC_IS_ID;
    if (fe(col.memo) === fs0(col.memo) && fe(col.appliesTo) === fs0(col.appliesTo)) f |= ROW_QUIET;
    if (normalId(bytes, iS, iE)) f |= ROW_ID_NORMAL;
    if (plainOrderRef(bytes, rS, rE)) f |= ROW_REF_PLAIN;
    if (digitsOnly(bytes, fs0(col.externalId), fe(col.externalId))) f |= ROW_EXT_DIGITS;
    if (isOdd) f |= ROW_ODD;
    flags[r] = f;
    pos = end + 1;
  }
  if (n === 0) return null;
  if (lists.recordType.length > 63 || lists.kind.length > 63 || lists.status.length > 63) return null;
  // Exactly n rows unless the file ends in a newline (one spare slot): views, no copies.
  const cut = <T extends { subarray(a: number, b: number): T }>(x: T): T => (n === cap ? x : x.subarray(0, n));
  return {
    side,
    bytes,
    n,
    rowStart: cut(rowStart),
    rowLength: cut(rowLength),
    idStart: cut(idStart),
    idEnd: cut(idEnd),
    docStart: cut(docStart),
    docEnd: cut(docEnd),
    refStart: cut(refStart),
    refEnd: cut(refEnd),
    extStart: cut(extStart),
    extEnd: cut(extEnd),
    dateStart: cut(dateStart),
    totalStart: cut(totalStart),
    totalEnd: cut(totalEnd),
    total: cut(total),
    currency: cut(currency),
    attr: cut(attr),
    flags: cut(flags),
    currencies: lists.currency,
    recordTypes: lists.recordType,
    kinds: lists.kind,
    statuses: lists.status,
    odd,
    names,
    col,
  };
}

/**
 * Sorted column indexes as [first, count] pairs of consecutive runs. Fields k…k+count-1 are all
 * empty exactly when the next field starts count bytes after field k (one comma each).
 */
export function emptyRunsOf(columns: readonly number[]): Int32Array {
  const runs: number[] = [];
  for (let i = 0; i < columns.length; ) {
    let j = i + 1;
    while (j < columns.length && columns[j] === columns[j - 1]! + 1) j++;
    runs.push(columns[i]!, j - i);
    i = j;
  }
  return Int32Array.from(runs);
}

/** The header's column names when they are a flat canonical CSV's (ASCII, known, unique, complete), else null. */
function headerNames(bytes: Uint8Array, headerEnd: number): string[] | null {
  for (let i = 0; i < headerEnd; i++) if (bytes[i]! >= 0x80 || bytes[i]! < 0x20) return null;
  const names = Buffer.from(bytes.buffer, bytes.byteOffset, headerEnd).toString('latin1').split(',');
  const known = new Set<string>([...CANONICAL_CSV_COLUMNS, ...CANONICAL_CSV_OPTIONAL_COLUMNS]);
  if (new Set(names).size !== names.length || names.some((n) => !known.has(n))) return null;
  for (const name of CANONICAL_CSV_COLUMNS) if (!names.includes(name)) return null;
  return names;
}

/**
 * Whether `file` starts with a header flatTableOf takes, from its first 64 KB: the helper checks
 * it before reading a whole file it was handed early (early-helper.ts), so a large file of another
 * format is not read into memory for nothing.
 */
export function hasFlatHeader(file: string): boolean {
  const head = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(file, 'r');
  let got: number;
  try {
    got = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const headerEnd = head.subarray(0, got).indexOf(NEWLINE);
  return headerEnd > 0 && headerNames(head, headerEnd) !== null;
}

/** Memory for a column: shared between threads or not. */
export function buffer(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * csvSafeText leaves the cell as it is (matched-rows.ts `plainCell`, on bytes the row scan already
 * knows are printable ASCII without `"` or `,`): no `;`, no formula trigger or blank first, no blank last.
 */
function plainCell(b: Buffer, start: number, end: number): boolean {
  if (end === start) return true;
  const first = b[start]!;
  if (first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === 0x20) return false;
  if (b[end - 1] === 0x20) return false;
  for (let i = start; i < end; i++) if (b[i] === SEMICOLON) return false;
  return true;
}

/** normaliseRefundId (trim, lower case) leaves the id as it is. */
function normalId(b: Buffer, start: number, end: number): boolean {
  if (b[start] === 0x20 || b[end - 1] === 0x20) return false;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c >= 0x41 && c <= 0x5a) return false;
  }
  return true;
}

/**
 * orderKeyOf's fast case (store/memory-snapshot.ts): `#` then capitals and digits (`[0-9A-Z][0-9A-Z_.-]*`),
 * whose key is the rest; the same without `#` is its own key unless it starts with ORD or SO.
 */
function plainOrderRef(b: Buffer, start: number, end: number): boolean {
  let i = start;
  const hash = b[i] === HASH;
  if (hash) i++;
  if (i >= end) return false;
  const first = b[i]!;
  if (!((first >= 0x30 && first <= 0x39) || (first >= 0x41 && first <= 0x5a))) return false;
  for (let k = i + 1; k < end; k++) {
    const c = b[k]!;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2e || c === 0x2d)) return false;
  }
  if (!hash) {
    if (end - i >= 3 && b[i] === 0x4f && b[i + 1] === 0x52 && b[i + 2] === 0x44) return false; // ORD
    if (end - i >= 2 && b[i] === 0x53 && b[i + 1] === 0x4f) return false; // SO
  }
  return true;
}

function digitsOnly(b: Buffer, start: number, end: number): boolean {
  if (end === start) return false;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Finds the row's end (its newline, or the end of the file) and its fields' starts (`starts[k]`),
 * refusing quotes, control bytes and non-ASCII and any other number of fields than `width`: -1.
 * A small function of its own so the hot loop is optimised on its own.
 */
function scanRow(bytes: Buffer, pos: number, starts: Int32Array, width: number): number {
  const size = bytes.length;
  let field = 0;
  starts[0] = pos;
  let i = pos;
  for (; i < size; i++) {
    const b = bytes[i]!;
    // Digits and letters (most bytes) are above the comma: one test each, then the rest.
    if (b > COMMA) {
      if (b >= 0x7f) return -1;
    } else if (b === COMMA) {
      if (++field >= width) return -1;
      starts[field] = i + 1;
    } else if (b === NEWLINE) break;
    else if (b < 0x20 || b === QUOTE) return -1;
  }
  if (field !== width - 1) return -1;
  starts[width] = i + 1;
  return i;
}

/** bytes[a, aEnd) equals bytes[b, bEnd). */
function sameBytes(bytes: Buffer, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/** `known` equals bytes[start, end). */
function sameBytes2(known: Buffer, bytes: Buffer, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[start + i]) return false;
  return true;
}

/**
 * dateDay's verdict (an exact YYYY-MM-DD calendar date) remembered per date in a typed array
 * indexed by year, month and day: no Map lookup per row. Anything outside that range asks dateDay.
 */
class DateCheck {
  private readonly seen = new Uint8Array(10_000 * 13 * 32);
  constructor(private readonly days: Map<number, { day: number; text: string }>) {}
  ok(b: Buffer, start: number, end: number): boolean {
    if (end - start !== 10 || b[start + 4] !== 45 || b[start + 7] !== 45)
      return dateDay(b, start, end, this.days) !== null;
    let year = 0;
    for (let i = start; i < start + 4; i++) {
      const x = b[i]! - 48;
      if (x < 0 || x > 9) return dateDay(b, start, end, this.days) !== null;
      year = year * 10 + x;
    }
    const m1 = b[start + 5]! - 48;
    const m2 = b[start + 6]! - 48;
    const d1 = b[start + 8]! - 48;
    const d2 = b[start + 9]! - 48;
    if (m1 < 0 || m1 > 1 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 3 || d2 < 0 || d2 > 9) {
      return dateDay(b, start, end, this.days) !== null;
    }
    const month = m1 * 10 + m2;
    const day = d1 * 10 + d2;
    if (month > 12 || day > 31) return dateDay(b, start, end, this.days) !== null;
    const k = (year * 13 + month) * 32 + day;
    const known = this.seen[k]!;
    if (known !== 0) return known === 1;
    const ok = dateDay(b, start, end, this.days) !== null;
    this.seen[k] = ok ? 1 : 2;
    return ok;
  }
}
