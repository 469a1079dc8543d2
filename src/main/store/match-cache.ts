/**
 * The matching columns of one snapshot (`SnapshotColumns`), encoded as one blob for
 * `snapshot_match_cache` (migration 005). Snapshots never change once written, so the blob is
 * written on the first comparison and read by every later one: one row instead of a scan of the
 * wide `refunds` table (≈2.2 s of CPU per million refunds, whatever columns are selected).
 *
 * Layout: u32 header length, JSON header, then 8-byte aligned sections: Float64 (row id, total,
 * presentment total, shipping), Int32 (day), Uint8 (flags), Uint16 dictionary codes (currency,
 * presentment currency, record type, created-from type; 0 = null) and, per text column, value
 * lengths or Uint32 offsets and the text itself (latin1 when every character fits, else UTF-16).
 * Decoding makes one JS string per text column; only `id` and `orderKey` (read for every record by
 * the global rules and the order walk) are split into per-value strings, the others stay one
 * string plus offsets (`TextColumn`) and are cut on demand, for the records of the order matched.
 *
 * Format 5 (issue 15: the first comparison of a 1M snapshot read 468 MB, ≈ 6 s of CPU, mostly the
 * page faults of SQLite's and the Buffer's copies of it; now 190 MB) stores fewer bytes:
 * - the tender table compact (`TenderTable.compact`): no tenders text (41 % of a storefront index),
 *   only the refs, each gateway once and any text its parts do not give back; the tenders column is
 *   rebuilt per record when read (`TenderText`);
 * - a typed section of one value stores only that value (`repeated`), one of at most 256 values a
 *   byte code a value (`palettes`);
 * - text value lengths as one byte each when every value is shorter than 256 characters;
 * - a document number or order ref that is a prefix and the id or order key (`derived`): only the
 *   rule and its exceptions (`DerivedText`).
 *
 * Format 4 adds the tender table (tender-table.ts: kind, state and amounts per tender part, a quick
 * class per record; gateways and refs as offsets into the tenders text), read once when the
 * columns are built, so a comparison does not search or parse tender text per record. Indexes of
 * an older format are read again with SQL on their snapshot's next comparison (and stored anew).
 *
 * Format 3 adds the tender columns (migration 015's `tenders` and `credit_detail` text, '' for the
 * defaults), so the matcher compares tenders without reading the table (tenders.md §2).
 *
 * Format 2: records are stored in the matcher's order (order key, day, id, total, document number,
 * currency, external id, record type), so its sorts find them sorted (one pass, no reordering).
 */
import type { Db } from './open';
import { TENDER_ARRAY_FIELDS, type TenderArrays, TenderTable } from './tender-table';
import { LazyTextColumn, TextColumn } from './text-column';

export { TextColumn };

export const MATCH_CACHE_FORMAT = 5;

/**
 * Formats `decodeColumns` reads: only the current one. An index of an older format is read again
 * with SQL on its snapshot's next comparison and stored anew (match-columns.ts `snapshotColumns`).
 */
export function readableMatchCacheFormat(format: number): boolean {
  return format === MATCH_CACHE_FORMAT;
}

/** Which refunds column a NetSuite refund key is read from ('none': the storefront side). */
export type KeyField = 'none' | 'externalId' | 'memo' | 'documentNumber';

export interface SnapshotColumns {
  n: number;
  rowId: Float64Array;
  day: Int32Array;
  total: Float64Array;
  presTotal: Float64Array;
  shipping: Float64Array;
  /** 1 status ok, 2 money moved, 4 kind line_item, 8 has item lines. */
  flags: Uint8Array;
  currency: string[];
  presCurrency: Array<string | null>;
  recordType: string[];
  createdFromType: Array<string | null>;
  id: string[];
  orderKey: string[];
  appliesTo: TextColumn;
  keyValue: TextColumn;
  summary: TextColumn;
  orderRef: TextColumn;
  documentNumber: TextColumn;
  /** `refunds.tenders` text ('' = the default: one `other` tender of the total), tender-columns.ts. */
  tenders: TextColumn;
  /** `refunds.credit_detail` text ('' = the defaults). */
  creditDetail: TextColumn;
  /**
   * The tenders as typed columns (tender-table.ts), read from `tenders` when the columns were
   * built; absent: the matcher reads them from the text. Stored in the match index (format 4).
   */
  tenderTable?: TenderTable;
}

/** The column groups by storage: memory-snapshot.ts hands the same columns across threads. */
export const DICT_COLUMNS = ['currency', 'presCurrency', 'recordType', 'createdFromType'] as const;
export const ARRAY_TEXT_COLUMNS = ['id', 'orderKey'] as const;
export const LAZY_TEXT_COLUMNS = [
  'appliesTo',
  'keyValue',
  'summary',
  'orderRef',
  'documentNumber',
  'tenders',
  'creditDetail',
] as const;
const TEXT_COLUMNS = [...ARRAY_TEXT_COLUMNS, ...LAZY_TEXT_COLUMNS] as const;
const F64_COLUMNS = ['rowId', 'total', 'presTotal', 'shipping'] as const;

interface Header {
  format: number;
  n: number;
  dicts: Record<string, Array<string | null>>;
  /**
   * Per text column: its text section, and its value lengths (`lengths`, one byte each when every
   * value is shorter than 256 characters) or offsets. `derived`: the values are `prefix` + the
   * `of` column's, except at the rows of section `<name>.rows`, whose values the text holds.
   */
  text: Record<
    string,
    {
      encoding: 'latin1' | 'utf16le';
      offset: number;
      bytes: number;
      lengths: boolean;
      derived?: { of: (typeof ARRAY_TEXT_COLUMNS)[number]; prefix: string; rows: number };
    }
  >;
  sections: Record<string, number>;
  /**
   * Typed sections whose values are all one value: no bytes stored, the value's bytes in hex here
   * (a column of zeros, presentment amounts all null, one gateway for every tender part...).
   */
  repeated: Record<string, string>;
  /**
   * Typed sections of few distinct values (at most 256: shipping amounts, gateway offsets...): a
   * byte a value in section `<name>.codes`, the values' bytes in hex here.
   */
  palettes: Record<string, string[]>;
  /** Tender parts in the tender table's sections (`tenders.<field>`). */
  tenderParts: number;
}

/**
 * Text columns often equal to a prefix and the value of an id column (a storefront refund's
 * document number is its id, an order ref is `#` and its order key): stored as that rule and the
 * rows where it does not hold (`DerivedText`), when those are few.
 */
const DERIVED_TEXT_COLUMNS = ['orderRef', 'documentNumber'] as const;

/** The rule `column` follows with the fewest exceptions (at most 1 in 8 rows), or null. */
function derivation(
  c: SnapshotColumns,
  column: TextColumn,
): { of: (typeof ARRAY_TEXT_COLUMNS)[number]; prefix: string; rows: Uint32Array; other: TextColumn } | null {
  const n = c.n;
  if (n === 0) return null;
  let best: { of: (typeof ARRAY_TEXT_COLUMNS)[number]; prefix: string; rows: number[] } | null = null;
  for (const of of ARRAY_TEXT_COLUMNS) {
    const values = c[of];
    const tried = new Set<string>();
    for (const i of [0, n >> 1, n - 1]) {
      const v = column.get(i);
      const b = values[i]!;
      if (!v.endsWith(b)) continue;
      const prefix = v.slice(0, v.length - b.length);
      if (tried.has(prefix)) continue;
      tried.add(prefix);
      const limit = Math.min(n >> 3, best ? best.rows.length - 1 : n);
      const rows: number[] = [];
      const { text, offsets } = column;
      for (let k = 0; k < n && rows.length <= limit; k++) {
        const at = offsets[k]!;
        const from = values[k]!;
        if (
          offsets[k + 1]! - at !== prefix.length + from.length ||
          !text.startsWith(from, at + prefix.length) ||
          !text.startsWith(prefix, at)
        )
          rows.push(k);
      }
      if (rows.length <= limit) best = { of, prefix, rows };
    }
  }
  if (!best) return null;
  return {
    of: best.of,
    prefix: best.prefix,
    rows: Uint32Array.from(best.rows),
    other: TextColumn.from(best.rows.map((k) => column.get(k))),
  };
}

/** A column stored as a rule (`derivation`): value i is `prefix + of[i]`, except at `rows` (sorted). */
class DerivedText extends LazyTextColumn {
  constructor(
    private readonly of: readonly string[],
    private readonly prefix: string,
    private readonly rows: Uint32Array,
    private readonly other: TextColumn,
  ) {
    super(of.length);
  }
  protected value(i: number): string {
    const rows = this.rows;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return lo < rows.length && rows[lo] === i ? this.other.get(lo) : this.prefix + this.of[i]!;
  }
  detached(own: (a: Uint32Array) => Uint32Array): DerivedText {
    return new DerivedText(this.of, this.prefix, own(this.rows), detachedText(this.other, own));
  }
}

/**
 * `column` holding no typed array of `buffer` (a decoded blob's): `own` copies one that is a view
 * into it (packed-column-collector.ts, so the comparison does not keep the blob alive).
 */
export function detachedText(column: TextColumn, own: (a: Uint32Array) => Uint32Array): TextColumn {
  if (column instanceof DerivedText) return column.detached(own);
  return new TextColumn(column.text, own(column.offsets));
}

/**
 * A byte code per value when `a` holds at most 256 distinct values (and is long enough for codes to
 * pay): `values` are the index of each code's first value in `a`. Zero and minus zero, and every
 * NaN, are told apart by their bits only through `Object.is` (minus zero is kept; NaN is one value).
 */
function paletteOf(a: ArrayLike<number>): { codes: Uint8Array; values: number[] } | null {
  const n = a.length;
  if (n < 64) return null;
  const codes = new Uint8Array(n);
  const index = new Map<number, number>();
  const values: number[] = [];
  let minusZero = -1;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    let code = v === 0 && Object.is(v, -0) ? minusZero : index.get(v);
    if (code === undefined || code < 0) {
      if (values.length === 256) return null;
      code = values.length;
      values.push(i);
      if (v === 0 && Object.is(v, -0)) minusZero = code;
      else index.set(v, code);
    }
    codes[i] = code;
  }
  return { codes, values };
}

/**
 * Writes `palette`'s value of each code into `out` (2, 4 or 8 bytes a value), as 16 or 32-bit words:
 * the bytes exactly, in loops of one array type each (one generic loop over every typed array
 * type was several times slower).
 */
function expand(out: ArrayBufferView & { length: number }, palette: Buffer, codes: Uint8Array): void {
  const width = out.byteLength / Math.max(1, out.length);
  if (width === 2) {
    const values = new Uint16Array(palette.buffer.slice(palette.byteOffset, palette.byteOffset + palette.length));
    expand16(new Uint16Array(out.buffer, out.byteOffset, out.length), values, codes);
    return;
  }
  const values = new Uint32Array(palette.buffer.slice(palette.byteOffset, palette.byteOffset + palette.length));
  const words = new Uint32Array(out.buffer, out.byteOffset, out.byteLength / 4);
  if (width === 4) expand32(words, values, codes);
  else expand64(words, values, codes);
}

function expand16(out: Uint16Array, values: Uint16Array, codes: Uint8Array): void {
  for (let i = 0; i < codes.length; i++) out[i] = values[codes[i]!]!;
}

function expand32(out: Uint32Array, values: Uint32Array, codes: Uint8Array): void {
  for (let i = 0; i < codes.length; i++) out[i] = values[codes[i]!]!;
}

function expand64(out: Uint32Array, values: Uint32Array, codes: Uint8Array): void {
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]! << 1;
    out[i << 1] = values[c]!;
    out[(i << 1) + 1] = values[c + 1]!;
  }
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return false;
  return true;
}

/**
 * The blob is allocated once and the text written straight into it: joining encoded parts
 * (Buffer.concat) held every text column twice at the end of an import (~100 MB more peak RSS for
 * 1M refunds, on the parse thread that builds them).
 */
export function encodeColumns(c: SnapshotColumns): Buffer {
  /** A section: the bytes of a typed array (a view), or text written in an encoding. */
  type Part = { bytes: Buffer } | { text: string; encoding: 'latin1' | 'utf16le' };
  const parts: Array<{ part: Part; at: number; length: number }> = [];
  let size = 0;
  const sections: Record<string, number> = {};
  const repeated: Record<string, string> = {};
  const palettes: Record<string, string[]> = {};
  const push = (name: string, part: Part) => {
    const length = 'bytes' in part ? part.bytes.length : Buffer.byteLength(part.text, part.encoding);
    sections[name] = size;
    parts.push({ part, at: size, length });
    size += length;
    size += (8 - (size % 8)) % 8;
  };
  const view = (a: ArrayBufferView) => ({ bytes: Buffer.from(a.buffer, a.byteOffset, a.byteLength) });
  /** A typed section, or only its value when every value is the same (row ids: always stored, see columnsFromBlob). */
  const pushTyped = (name: string, a: ArrayBufferView & { BYTES_PER_ELEMENT: number }) => {
    const { bytes } = view(a);
    const width = a.BYTES_PER_ELEMENT;
    if (bytes.length > 0 && bytes.subarray(width).equals(bytes.subarray(0, bytes.length - width))) {
      repeated[name] = bytes.toString('hex', 0, width);
      return;
    }
    const palette = width > 1 ? paletteOf(a as unknown as ArrayLike<number>) : null;
    if (!palette) return push(name, { bytes });
    palettes[name] = palette.values.map((at) => bytes.toString('hex', at * width, (at + 1) * width));
    push(`${name}.codes`, view(palette.codes));
  };
  push('rowId', view(c.rowId));
  for (const name of F64_COLUMNS) if (name !== 'rowId') pushTyped(name, c[name]);
  pushTyped('day', c.day);
  pushTyped('flags', c.flags);
  const dicts: Header['dicts'] = {};
  for (const name of DICT_COLUMNS) {
    const values = c[name] as Array<string | null>;
    const codes = new Uint16Array(c.n);
    const dict: Array<string | null> = [];
    const index = new Map<string, number>();
    for (let i = 0; i < c.n; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      let code = index.get(v);
      if (code === undefined) {
        if (dict.length >= 65_000) throw new Error(`match cache: too many distinct ${name} values`);
        dict.push(v);
        code = dict.length;
        index.set(v, code);
      }
      codes[i] = code;
    }
    dicts[name] = dict;
    pushTyped(name, codes);
  }
  // The tender table with its strings compacted: the tenders text is not stored (TenderText
  // rebuilds it), only its refs, each gateway once, and text the parts do not give back.
  const table = (c.tenderTable ?? TenderTable.fromText(c.tenders)).for(c.tenders).compact();
  const text: Header['text'] = {};
  for (const name of TEXT_COLUMNS) {
    const value = name === 'tenders' ? table.column : c[name];
    let column = Array.isArray(value) ? TextColumn.from(value) : value;
    const derived = DERIVED_TEXT_COLUMNS.includes(name as never) ? derivation(c, column) : null;
    if (derived) {
      pushTyped(`${name}.rows`, derived.rows);
      column = derived.other;
    }
    const joined = column.text;
    const encoding = isLatin1(joined) ? 'latin1' : 'utf16le';
    const offsets = column.offsets;
    const lengths = new Uint8Array(offsets.length - 1);
    let short = true;
    for (let i = 0; i < lengths.length && short; i++) {
      const length = offsets[i + 1]! - offsets[i]!;
      lengths[i] = length;
      short = length < 256;
    }
    pushTyped(short ? `${name}.lengths` : `${name}.offsets`, short ? lengths : offsets);
    push(name, { text: joined, encoding });
    text[name] = {
      encoding,
      offset: sections[name]!,
      bytes: Buffer.byteLength(joined, encoding),
      lengths: short,
      ...(derived ? { derived: { of: derived.of, prefix: derived.prefix, rows: derived.rows.length } } : {}),
    };
  }
  for (const name of TENDER_ARRAY_FIELDS) pushTyped(`tenders.${name}`, table.arrays[name]);
  const tenderParts = table.arrays.first[c.n]!;
  const header: Header = {
    format: MATCH_CACHE_FORMAT,
    n: c.n,
    dicts,
    text,
    sections,
    repeated,
    palettes,
    tenderParts,
  };
  const headerText = JSON.stringify(header);
  const headerBytes = Buffer.byteLength(headerText, 'utf8');
  const base = 4 + headerBytes + ((8 - ((4 + headerBytes) % 8)) % 8);
  // Zeroed: the padding between sections is part of the blob's bytes.
  const blob = Buffer.alloc(base + size);
  blob.writeUInt32LE(headerBytes, 0);
  blob.write(headerText, 4, 'utf8');
  for (const { part, at, length } of parts) {
    if ('bytes' in part) part.bytes.copy(blob, base + at);
    else blob.write(part.text, base + at, length, part.encoding);
  }
  return blob;
}

/**
 * The row id section of a blob of the current format, as a view into it (writable: the import moves
 * its ids in place, packed-column-collector.ts), with the blob's row count; null when the blob is of
 * another format or the section is not 8-byte aligned in memory (a view cannot be made). Reads only
 * the header, not the columns.
 */
export function blobRowIds(blob: Buffer): { n: number; rowId: Float64Array } | null {
  const headerLen = blob.readUInt32LE(0);
  const header = JSON.parse(blob.toString('utf8', 4, 4 + headerLen)) as Header;
  if (!readableMatchCacheFormat(header.format)) return null;
  const base = 4 + headerLen + ((8 - ((4 + headerLen) % 8)) % 8);
  const start = blob.byteOffset + base + header.sections.rowId!;
  if (start % 8 !== 0) return null;
  return { n: header.n, rowId: new Float64Array(blob.buffer as ArrayBuffer, start, header.n) };
}

/** The columns back from a blob; null when the blob is of another format (re-read and re-cache). */
export function decodeColumns(blob: Buffer): SnapshotColumns | null {
  const headerLen = blob.readUInt32LE(0);
  const header = JSON.parse(blob.toString('utf8', 4, 4 + headerLen)) as Header;
  if (!readableMatchCacheFormat(header.format)) return null;
  const base = 4 + headerLen + ((8 - ((4 + headerLen) % 8)) % 8);
  const n = header.n;
  // Sections are 8-byte aligned within the blob: when the blob itself is (it is when SQLite's copy
  // has its own allocation), the columns are views into it, not copies. Copies of 2 × 130 MB of
  // external memory made V8 run full collections for "external memory pressure" (~0.3 s per comparison).
  const aligned = blob.byteOffset % 8 === 0;
  const copy = <T extends Float64Array | Int32Array | Int8Array | Uint8Array | Uint16Array | Uint32Array>(
    name: string,
    Typed: { new (length: number): T; new (buffer: ArrayBuffer, byteOffset: number, length: number): T },
    count: number,
  ): T => {
    const value = header.repeated[name];
    if (value !== undefined) {
      const out = new Typed(count);
      if (/[^0]/.test(value)) Buffer.from(out.buffer, out.byteOffset, out.byteLength).fill(value, 'hex');
      return out;
    }
    const palette = header.palettes[name];
    if (palette !== undefined) {
      const out = new Typed(count);
      expand(out, Buffer.from(palette.join(''), 'hex'), copy(`${name}.codes`, Uint8Array, count));
      return out;
    }
    const start = base + header.sections[name]!;
    if (aligned) return new Typed(blob.buffer as ArrayBuffer, blob.byteOffset + start, count);
    const out = new Typed(count);
    Buffer.from(out.buffer, out.byteOffset, out.byteLength).set(blob.subarray(start, start + out.byteLength));
    return out;
  };
  const f64 = (name: string) => copy(name, Float64Array, n);
  const dict = (name: string): Array<string | null> => {
    const codes = copy(name, Uint16Array, n);
    const values = header.dicts[name]!;
    const out: Array<string | null> = new Array(n);
    for (let i = 0; i < n; i++) out[i] = codes[i] === 0 ? null : values[codes[i]! - 1]!;
    return out;
  };
  const textColumn = (name: string): TextColumn => {
    const t = header.text[name]!;
    const count = t.derived ? t.derived.rows : n;
    let offsets: Uint32Array;
    if (t.lengths) {
      const lengths = copy(`${name}.lengths`, Uint8Array, count);
      offsets = new Uint32Array(count + 1);
      let at = 0;
      for (let i = 0; i < count; i++) {
        offsets[i] = at;
        at += lengths[i]!;
      }
      offsets[count] = at;
    } else offsets = copy(`${name}.offsets`, Uint32Array, count + 1);
    const start = base + t.offset;
    const stored = new TextColumn(blob.toString(t.encoding, start, start + t.bytes), offsets);
    if (!t.derived) return stored;
    const of = t.derived.of === 'id' ? id : orderKey;
    return new DerivedText(of, t.derived.prefix, copy(`${name}.rows`, Uint32Array, count), stored);
  };
  const id = textColumn('id').toArray();
  const orderKey = textColumn('orderKey').toArray(true);
  const m = header.tenderParts;
  const tenderArrays: TenderArrays = {
    first: copy('tenders.first', Uint32Array, n + 1),
    flags: copy('tenders.flags', Uint8Array, n),
    quick: copy('tenders.quick', Int8Array, n),
    kind: copy('tenders.kind', Uint8Array, m),
    state: copy('tenders.state', Uint8Array, m),
    amount: copy('tenders.amount', Float64Array, m),
    presentment: copy('tenders.presentment', Float64Array, m),
    gwStart: copy('tenders.gwStart', Uint32Array, m),
    gwEnd: copy('tenders.gwEnd', Uint32Array, m),
    refStart: copy('tenders.refStart', Uint32Array, m),
    refEnd: copy('tenders.refEnd', Uint32Array, m),
  };
  // The stored strings of the compact table; the tenders column is its `source` (TenderText).
  const tenderTable = new TenderTable(textColumn('tenders'), tenderArrays, true);
  return {
    n,
    rowId: f64('rowId'),
    total: f64('total'),
    presTotal: f64('presTotal'),
    shipping: f64('shipping'),
    day: copy('day', Int32Array, n),
    flags: copy('flags', Uint8Array, n),
    currency: dict('currency') as string[],
    presCurrency: dict('presCurrency'),
    recordType: dict('recordType') as string[],
    createdFromType: dict('createdFromType'),
    id,
    orderKey,
    appliesTo: textColumn('appliesTo'),
    keyValue: textColumn('keyValue'),
    summary: textColumn('summary'),
    orderRef: textColumn('orderRef'),
    documentNumber: textColumn('documentNumber'),
    tenders: tenderTable.source,
    tenderTable,
    creditDetail: textColumn('creditDetail'),
  };
}

/**
 * Stores a snapshot's matching columns in `snapshot_match_cache` (the snapshot's match index): by
 * the import that wrote the snapshot, or by its first comparison when the import did not.
 */
export function writeMatchCache(db: Db, snapshotId: number, keyField: KeyField, columns: SnapshotColumns): void {
  if (db.readonly) return;
  writeMatchCacheBlob(db, snapshotId, keyField, encodeColumns(columns));
}

/** writeMatchCache with the columns already encoded (encodeColumns; the import's parse thread does it). */
export function writeMatchCacheBlob(db: Db, snapshotId: number, keyField: KeyField, blob: Buffer): void {
  if (db.readonly) return;
  // Below SQLite's 1 GB value limit with room to spare; bigger snapshots are simply read each time.
  if (blob.length < 512 << 20) {
    db.prepare(
      'INSERT OR REPLACE INTO snapshot_match_cache (snapshot_id, key_field, format, data) VALUES (?, ?, ?, ?)',
    ).run(snapshotId, keyField, MATCH_CACHE_FORMAT, blob);
  }
}
