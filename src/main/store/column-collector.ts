import { dayNumber } from '../../shared/day-number';
import { summaryHasItems } from './line-summary';
import { type KeyField, type SnapshotColumns, TextColumn } from './match-cache';
import type { Db } from './open';
import { externalIdReader, refundIdsByOrderKey } from './refunds';
import { REFUND_COLUMN_INDEX as C, type RefundRowSink } from './snapshot-writer';
import { TenderTable } from './tender-table';

export type { KeyField };

const KEY_COLUMN = { externalId: C.external_id, memo: C.memo, documentNumber: C.document_number } as const;

export type Typed = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * An append-only typed array (capacity doubles): numbers without a JS array's per-value slots.
 * One subclass per element type, each with its own `push`: a single push shared by five
 * typed-array kinds is a megamorphic store (~0.4 µs a value, the collector's largest frame).
 */
abstract class Growable<T extends Typed> {
  length = 0;
  constructor(public data: T) {}
  protected grow(): void {
    const bigger = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }
}
export class GrowableF64 extends Growable<Float64Array> {
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
}
export class GrowableI32 extends Growable<Int32Array> {
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
}
export class GrowableU32 extends Growable<Uint32Array> {
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
}
export class GrowableU16 extends Growable<Uint16Array> {
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
}
export class GrowableU8 extends Growable<Uint8Array> {
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
}
const f64 = () => new GrowableF64(new Float64Array(1024));

/**
 * Text values kept as joined chunks of 4,096 values plus offsets, not one heap string each: for
 * 1M refunds that is the difference between ~40 bytes of text and ~100 bytes of strings and slots.
 */
export class TextChunks {
  private static readonly SHIFT = 12;
  private readonly chunks: string[] = [];
  private parts: string[] = [];
  private readonly starts = new GrowableU32(new Uint32Array(1024));
  private at = 0;
  push(value: string): void {
    this.starts.push(this.at);
    this.parts.push(value);
    this.at += value.length;
    if (this.parts.length === 1 << TextChunks.SHIFT) this.seal();
  }
  seal(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(this.parts.join(''));
    this.parts = [];
    this.at = 0;
  }
  /** Value i (after `seal`). */
  get(i: number): string {
    const chunk = this.chunks[i >> TextChunks.SHIFT]!;
    const next = i + 1;
    const end =
      (next & ((1 << TextChunks.SHIFT) - 1)) === 0 || next === this.starts.length
        ? chunk.length
        : this.starts.data[next]!;
    return chunk.substring(this.starts.data[i]!, end);
  }
  /**
   * The values in import order as a TextColumn (after `seal`): the same text and offsets as
   * `TextColumn.from` of every `get(i)`, without a string per value (the one-shot's display
   * columns built a million strings each only to join them again).
   */
  column(): TextColumn {
    const shift = TextChunks.SHIFT;
    const n = this.starts.length;
    const starts = this.starts.data;
    const offsets = new Uint32Array(n + 1);
    let base = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const to = Math.min((c + 1) << shift, n);
      for (let i = c << shift; i < to; i++) offsets[i] = base + starts[i]!;
      base += this.chunks[c]!.length;
    }
    offsets[n] = base;
    return new TextColumn(this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join(''), offsets);
  }

  /**
   * The values in the order of `perm` (a permutation of 0…length-1; after `seal`) as a
   * TextColumn: the same text and offsets as `TextColumn.from` of `get(perm[i])` for each i, but
   * read a run at a time. Why: the matcher's order is nearly the import order (exports come sorted
   * by order), so consecutive values of a chunk stay consecutive and one substring takes the whole
   * run, where a string per value made this the largest part of the parse thread's finish (~1 s per
   * 1M refunds and seven columns, on the import's critical path while the writer commits).
   */
  permuted(perm: Uint32Array): TextColumn {
    const shift = TextChunks.SHIFT;
    const n = perm.length;
    const total = this.starts.length;
    if (n !== total) throw new Error(`text chunks: a permutation of ${n} values for ${total}`);
    const starts = this.starts.data;
    const offsets = new Uint32Array(n + 1);
    const pieces: string[] = [];
    let out = 0;
    for (let i = 0; i < n; ) {
      const first = perm[i]!;
      const chunkIndex = first >> shift;
      const chunkEnd = Math.min((chunkIndex + 1) << shift, total);
      // The run: perm[i…j) = first, first + 1, … within one chunk.
      let j = i + 1;
      while (j < n && perm[j] === first + (j - i) && first + (j - i) < chunkEnd) j++;
      const chunk = this.chunks[chunkIndex]!;
      const after = first + (j - i);
      const from = starts[first]!;
      const to = after === chunkEnd ? chunk.length : starts[after]!;
      const move = out - from;
      for (let k = i; k < j; k++) offsets[k] = starts[perm[k]!]! + move;
      pieces.push(from === 0 && to === chunk.length ? chunk : chunk.substring(from, to));
      out += to - from;
      i = j;
    }
    offsets[n] = out;
    return new TextColumn(pieces.join(''), offsets);
  }
}

/** Repeated small text (currencies, record types) as codes into a dictionary; code 0 is null. */
export class DictColumn {
  readonly codes = new GrowableU16(new Uint16Array(1024));
  readonly values: Array<string | null> = [null];
  private readonly index = new Map<string, number>();
  push(value: string | null): void {
    if (value === null) {
      this.codes.push(0);
      return;
    }
    let code = this.index.get(value);
    if (code === undefined) {
      if (this.values.length > 65_000)
        throw new Error('match columns: too many distinct values in a dictionary column');
      code = this.values.length;
      this.values.push(value);
      this.index.set(value, code);
    }
    this.codes.push(code);
  }
  get(i: number): string | null {
    return this.values[this.codes.data[i]!]!;
  }
}

/** The values of one flat refund (`MatchColumnCollector.flatRow`, `MemorySnapshotBuilder.addFlat`); reused row to row. */
export interface FlatRowValues {
  rowId: number;
  id: string;
  documentNumber: string;
  recordType: string;
  orderRef: string;
  orderKey: string;
  /** dayNumber of the date. */
  day: number;
  currency: string;
  total: number;
  kind: string;
  externalId: string;
  memo: string;
  isTest: boolean;
  status: string;
  appliesTo: string;
  moneyMoved: boolean;
}

/**
 * Builds one snapshot's matching columns (`SnapshotColumns`, what `readMatchColumns` would read back
 * with SQL) from the rows the snapshot writer inserts, so a comparison right after an import (the
 * CLI's `reconcile` on files) does not scan the table it has just written: that re-read cost ~7 s of
 * CPU for 1M + 1M refunds. Values are kept compactly in import order while the import runs (typed
 * arrays, dictionary codes, chunked text); `finish` puts them in the matcher's order.
 */
export class MatchColumnCollector implements RefundRowSink {
  private n = 0;
  private firstRowId = 0;
  private readonly id: string[] = [];
  private readonly orderKey: string[] = [];
  private readonly day = new GrowableI32(new Int32Array(1024));
  private readonly total = f64();
  private readonly presTotal = f64();
  private readonly shipping = f64();
  private readonly flags = new GrowableU8(new Uint8Array(1024));
  private readonly currency = new DictColumn();
  private readonly presCurrency = new DictColumn();
  private readonly recordType = new DictColumn();
  private readonly createdFromType = new DictColumn();
  private readonly appliesTo = new TextChunks();
  private readonly keyValue = new TextChunks();
  private readonly summary = new TextChunks();
  private readonly orderRef = new TextChunks();
  private readonly documentNumber = new TextChunks();
  private readonly tenders = new TextChunks();
  private readonly creditDetail = new TextChunks();
  private readonly keyColumn: number;
  private lastOrderKey = '';

  constructor(keyField: KeyField) {
    this.keyColumn = keyField === 'none' ? -1 : KEY_COLUMN[keyField];
  }

  /** One inserted row: `p[k…]` holds the refunds columns in the writer's order (REFUND_COLUMN_INDEX). */
  row(p: readonly unknown[], k: number): void {
    const rowId = p[k + C.id] as number;
    if (this.n === 0) this.firstRowId = rowId;
    // The writer numbers a snapshot's rows consecutively; finish() relies on it.
    else if (rowId !== this.firstRowId + this.n) throw new Error('match columns: refund rows out of sequence');
    this.n++;
    this.id.push(p[k + C.source_id] as string);
    // Refunds of one order usually arrive together: share the key string.
    const key = p[k + C.order_key] as string;
    if (key !== this.lastOrderKey) this.lastOrderKey = key;
    this.orderKey.push(this.lastOrderKey);
    this.day.push(dayNumber(p[k + C.date] as string));
    this.currency.push(p[k + C.currency] as string);
    this.total.push(p[k + C.total] as number);
    this.presCurrency.push(p[k + C.presentment_currency] as string | null);
    this.presTotal.push((p[k + C.presentment_total] as number | null) ?? 0);
    this.shipping.push(p[k + C.shipping] as number);
    this.recordType.push(p[k + C.record_type] as string);
    this.createdFromType.push(p[k + C.created_from_type] as string | null);
    const summary = p[k + C.line_summary] as string;
    // The same bits as readSnapshotColumns: 1 ok, 2 money moved, 4 line-item refund, 8 has item lines.
    this.flags.push(
      (p[k + C.status] === 'ok' ? 1 : 0) |
        (p[k + C.money_moved] ? 2 : 0) |
        (p[k + C.kind] === 'line_item' ? 4 : 0) |
        (summaryHasItems(summary) ? 8 : 0),
    );
    this.appliesTo.push(p[k + C.applies_to] as string);
    this.keyValue.push(this.keyColumn < 0 ? '' : (p[k + this.keyColumn] as string));
    this.summary.push(summary);
    this.orderRef.push(p[k + C.order_ref] as string);
    this.documentNumber.push(p[k + C.document_number] as string);
    this.tenders.push((p[k + C.tenders] as string | null) ?? '');
    this.creditDetail.push((p[k + C.credit_detail] as string | null) ?? '');
  }

  /**
   * One refund of a flat canonical CSV (importers/canonical-csv-flat.ts) without the row array:
   * the values `row` would read from the writer's row for a refund without lines, presentment,
   * tenders, credit detail or created-from (summary `[0,0]`, the rest null, '' or 0).
   */
  flatRow(v: FlatRowValues): void {
    if (this.n === 0) this.firstRowId = v.rowId;
    else if (v.rowId !== this.firstRowId + this.n) throw new Error('match columns: refund rows out of sequence');
    this.n++;
    this.id.push(v.id);
    if (v.orderKey !== this.lastOrderKey) this.lastOrderKey = v.orderKey;
    this.orderKey.push(this.lastOrderKey);
    this.day.push(v.day);
    this.currency.push(v.currency);
    this.total.push(v.total);
    this.presCurrency.push(null);
    this.presTotal.push(0);
    this.shipping.push(0);
    this.recordType.push(v.recordType);
    this.createdFromType.push(null);
    this.flags.push((v.status === 'ok' ? 1 : 0) | (v.moneyMoved ? 2 : 0) | (v.kind === 'line_item' ? 4 : 0));
    this.appliesTo.push(v.appliesTo);
    const k = this.keyColumn;
    this.keyValue.push(
      k === C.external_id ? v.externalId : k === C.memo ? v.memo : k === C.document_number ? v.documentNumber : '',
    );
    this.summary.push('[0,0]');
    this.orderRef.push(v.orderRef);
    this.documentNumber.push(v.documentNumber);
    this.tenders.push('');
    this.creditDetail.push('');
  }

  /**
   * The collected columns in the matcher's order. The order keys' order comes from the snapshot's
   * `refunds(snapshot_id, order_key)` index (a covering index scan, the order of the SQL read), so
   * only the records of one order are compared here.
   */
  /** Seals every text column before the columns are read (both finishes: one list). */
  private sealText(): void {
    for (const text of [
      this.appliesTo,
      this.keyValue,
      this.summary,
      this.orderRef,
      this.documentNumber,
      this.tenders,
      this.creditDetail,
    ])
      text.seal();
  }

  finish(db: Db, snapshotId: number): SnapshotColumns {
    const n = this.n;
    this.sealText();
    const byKey = refundIdsByOrderKey(db, snapshotId);
    if (byKey.length !== n) throw new Error(`match columns: ${byKey.length} rows in snapshot, ${n} collected`);
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = byKey[i]! - this.firstRowId;
    const externalId = externalIdReader(db);
    this.sortWithinOrders(perm, (i) => externalId(this.firstRowId + i));
    return this.permuted(perm);
  }

  /**
   * The collected columns in the matcher's order without a workspace (the one-shot `reconcile`,
   * store/memory-snapshot.ts): the order keys are sorted here as SQLite's BINARY collation (UTF-8
   * bytes, i.e. code points) orders the index `finish` reads, equal keys in import order as the
   * index keeps them; then each order's records as in `finish`.
   */
  finishInMemory(externalIdOf: (i: number) => string): SnapshotColumns {
    const n = this.n;
    this.sealText();
    const { orderKey } = this;
    const perm = new Uint32Array(n);
    let sorted = true;
    for (let i = 0; i < n; i++) {
      perm[i] = i;
      if (sorted && i > 0 && compareCodePoints(orderKey[i - 1]!, orderKey[i]!) > 0) sorted = false;
    }
    // Exports often come in order-number order: then the one pass above is all the sorting.
    if (!sorted) {
      // Without surrogates or U+E000–U+FFFF, UTF-16 order (JS's `<`, native) is code-point order.
      const plain = orderKey.every(belowSurrogates);
      perm.sort(
        plain
          ? (a, b) => {
              const x = orderKey[a]!;
              const y = orderKey[b]!;
              return x < y ? -1 : x > y ? 1 : a - b;
            }
          : (a, b) => compareCodePoints(orderKey[a]!, orderKey[b]!) || a - b,
      );
    }
    this.sortWithinOrders(perm, externalIdOf);
    return this.permuted(perm);
  }

  /**
   * Orders each run of equal order keys by (day, id, total, document number, currency, external id,
   * record type), the order of readSnapshotColumns' SQL: runs are short (one order's refunds), and
   * the external id (not collected) is looked up only for the rare records equal up to the currency.
   */
  private sortWithinOrders(perm: Uint32Array, externalIdOf: (i: number) => string): void {
    const { orderKey, id, documentNumber, currency, recordType } = this;
    const day = this.day.data;
    const total = this.total.data;
    const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    const cmp = (a: number, b: number): number =>
      day[a]! - day[b]! ||
      cmpStr(id[a]!, id[b]!) ||
      total[a]! - total[b]! ||
      cmpStr(documentNumber.get(a), documentNumber.get(b)) ||
      cmpStr(currency.get(a)!, currency.get(b)!) ||
      cmpStr(externalIdOf(a), externalIdOf(b)) ||
      cmpStr(recordType.get(a)!, recordType.get(b)!);
    let start = 0;
    for (let i = 1; i <= perm.length; i++) {
      if (i < perm.length && orderKey[perm[i]!] === orderKey[perm[start]!]) continue;
      if (i - start > 1) perm.subarray(start, i).sort(cmp);
      start = i;
    }
  }

  private permuted(perm: Uint32Array): SnapshotColumns {
    const n = perm.length;
    const typed = <T extends Typed>(from: T, out: T): T => {
      for (let i = 0; i < n; i++) out[i] = from[perm[i]!]!;
      return out;
    };
    const strings = (from: string[]): string[] => {
      const out: string[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = from[perm[i]!]!;
      return out;
    };
    const dict = (from: DictColumn): Array<string | null> => {
      const out: Array<string | null> = new Array(n);
      for (let i = 0; i < n; i++) out[i] = from.get(perm[i]!);
      return out;
    };
    const text = (from: TextChunks): TextColumn => from.permuted(perm);
    const rowId = new Float64Array(n);
    for (let i = 0; i < n; i++) rowId[i] = this.firstRowId + perm[i]!;
    const tenders = text(this.tenders);
    return {
      n,
      rowId,
      day: typed(this.day.data, new Int32Array(n)),
      total: typed(this.total.data, new Float64Array(n)),
      presTotal: typed(this.presTotal.data, new Float64Array(n)),
      shipping: typed(this.shipping.data, new Float64Array(n)),
      flags: typed(this.flags.data, new Uint8Array(n)),
      currency: dict(this.currency) as string[],
      presCurrency: dict(this.presCurrency),
      recordType: dict(this.recordType) as string[],
      createdFromType: dict(this.createdFromType),
      id: strings(this.id),
      orderKey: strings(this.orderKey),
      appliesTo: text(this.appliesTo),
      keyValue: text(this.keyValue),
      summary: text(this.summary),
      orderRef: text(this.orderRef),
      documentNumber: text(this.documentNumber),
      tenders,
      // Read here, while the snapshot is imported (a parse thread for memory snapshots), and kept
      // in the match index: a comparison reads the typed columns, not the text.
      tenderTable: TenderTable.fromText(tenders),
      creditDetail: text(this.creditDetail),
    };
  }
}

/**
 * `a` vs `b` in code-point order, which is UTF-8 byte order (SQLite's BINARY collation); JS's `<`
 * compares UTF-16 units and puts U+E000–U+FFFF after the astral planes.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return codePointRank(x) - codePointRank(y);
    return x - y;
  }
  return a.length - b.length;
}

/** Every unit below the surrogates: compareCodePoints and `<` then agree. */
function belowSurrogates(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0xd800) return false;
  return true;
}

/** Surrogates (0xD800–0xDFFF, the astral planes) rank above the rest of the BMP. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
