/**
 * The matching columns of one snapshot (`SnapshotColumns`), encoded as one blob for
 * `snapshot_match_cache` (migration 005). Snapshots never change once written, so the blob is
 * written on the first comparison and read by every later one: one row instead of a scan of the
 * wide `refunds` table (≈2.2 s of CPU per million refunds, whatever columns are selected).
 *
 * Layout: u32 header length, JSON header, then 8-byte aligned sections: Float64 (row id, total,
 * presentment total, shipping), Int32 (day), Uint8 (flags), Uint16 dictionary codes (currency,
 * presentment currency, record type, created-from type; 0 = null) and, per text column, Uint32
 * offsets and the text itself (latin1 when every character fits, else UTF-16). Decoding makes
 * one JS string per text column; only `id` and `orderKey` (read for every record by the global
 * rules and the order walk) are split into per-value strings, the others stay one string plus
 * offsets (`TextColumn`) and are cut on demand, for the records of the order being matched.
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
import { TextColumn } from './text-column';
import { TENDER_ARRAY_FIELDS, type TenderArrays, TenderTable } from './tender-table';

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
  text: Record<string, { encoding: 'latin1' | 'utf16le'; offset: number; bytes: number; offsets: number }>;
  sections: Record<string, number>;
  /**
   * Typed sections whose values are all one value: no bytes stored, the value's bytes in hex here
   * (a column of zeros, presentment amounts all null, one gateway for every tender part...).
   */
  repeated: Record<string, string>;
  /** Tender parts in the tender table's sections (`tenders.<field>`). */
  tenderParts: number;
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
    } else push(name, { bytes });
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
  const table = (c.tenderTable ?? TenderTable.fromText(c.tenders)).for(c.tenders).compact(c.tenders);
  const text: Header['text'] = {};
  for (const name of TEXT_COLUMNS) {
    const value = name === 'tenders' ? table.column : c[name];
    const column = Array.isArray(value) ? TextColumn.from(value) : value;
    const joined = column.text;
    const encoding = isLatin1(joined) ? 'latin1' : 'utf16le';
    pushTyped(`${name}.offsets`, column.offsets);
    push(name, { text: joined, encoding });
    text[name] = {
      encoding,
      offset: sections[name]!,
      bytes: Buffer.byteLength(joined, encoding),
      offsets: sections[`${name}.offsets`]!,
    };
  }
  for (const name of TENDER_ARRAY_FIELDS) pushTyped(`tenders.${name}`, table.arrays[name]);
  const tenderParts = table.arrays.first[c.n]!;
  const header: Header = { format: MATCH_CACHE_FORMAT, n: c.n, dicts, text, sections, repeated, tenderParts };
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
    const offsets = copy(`${name}.offsets`, Uint32Array, n + 1);
    const start = base + t.offset;
    return new TextColumn(blob.toString(t.encoding, start, start + t.bytes), offsets);
  };
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
    id: textColumn('id').toArray(),
    orderKey: textColumn('orderKey').toArray(true),
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
