import { type KeyField, MatchColumnCollector, TextChunks, type Typed } from './column-collector';
import {
  blobRowIds,
  decodeColumns,
  detachedText,
  encodeColumns,
  LAZY_TEXT_COLUMNS,
  type SnapshotColumns,
  type TextColumn,
} from './match-cache';
import {
  PACKED_LINE_WIDTH,
  PACKED_REFUND_FIELDS,
  PACKED_REFUND_WIDTH,
  type PackedBatch,
  PackedDictionary,
} from './packed-refunds';
import { REFUND_COLUMN_INDEX as C, fillPackedRow, type RefundRowLayout } from './snapshot-writer';
import { TENDER_ARRAY_FIELDS, TenderTable } from './tender-table';

/** Every optional column: the collector reads rows by REFUND_COLUMN_INDEX, which has them all. */
const FULL_ROW: RefundRowLayout = { summaries: true, parts: true, tenders: true };
const LINE_COUNT_AT = PACKED_REFUND_FIELDS.indexOf('line_count');

/**
 * The matcher's columns of a snapshot built on the parse thread from the packed batches it sends
 * (parse-thread.ts), so the writing thread — the import's critical path — neither collects rows
 * nor puts them in the matcher's order. Each batch is unpacked into the row the writer will bind
 * (the shared `fillPackedRow`) before it is posted, and collected as `MatchColumnCollector.row`
 * does on the writer. Row ids are numbered from 1 here: the writer's first row id is known only
 * once it holds the write lock, and `shiftRowIds` moves them there.
 *
 * The order is `finishInMemory`'s: order keys in SQLite's BINARY order with equal keys in import
 * order, as the `refunds(snapshot_id, order_key)` index that `finish` reads holds them
 * (packed-column-collector.test.ts compares the two).
 */
export class PackedColumnCollector {
  private readonly collector: MatchColumnCollector;
  private readonly dict = new PackedDictionary();
  private readonly decode = (code: unknown) => this.dict.get(code);
  private readonly row: unknown[] = new Array(Object.keys(C).length);
  /** External ids in import order: `finishInMemory` breaks rare ties with them. */
  private readonly externalId = new TextChunks();
  private nextRowId = 1;

  constructor(keyField: KeyField) {
    this.collector = new MatchColumnCollector(keyField);
  }

  get count(): number {
    return this.nextRowId - 1;
  }

  /** One batch, in the order the writer receives them (each exactly once). */
  add(batch: PackedBatch): void {
    this.dict.add(batch);
    const v = batch.refunds;
    const lines = batch.lines;
    const p = this.row;
    let l = 0;
    for (let r = 0, at = 0; r < batch.count; r++, at += PACKED_REFUND_WIDTH) {
      fillPackedRow(p, 0, v, at, lines, l, this.dict, this.decode, this.nextRowId++, 0, FULL_ROW);
      this.collector.row(p, 0);
      this.externalId.push(p[C.external_id] as string);
      l += (v[at + LINE_COUNT_AT] as number) * PACKED_LINE_WIDTH;
    }
  }

  /** The columns in the matcher's order, encoded as the match index stores them (encodeColumns). */
  finish(): Buffer {
    this.externalId.seal();
    return encodeColumns(this.collector.finishInMemory((i) => this.externalId.get(i)));
  }
}

/**
 * The columns of `finish`'s blob with row ids moved to start at `firstRowId`, or null when the
 * blob does not hold `count` rows. `blob` is set when the ids were moved in the blob too (decoded
 * columns are views into it when it is 8-byte aligned, as a transferred buffer is): it can then be
 * stored as the snapshot's match index as it is. The columns returned hold copies of their arrays,
 * not views: the blob's text bytes (~45 MB per 1M refunds, the text is decoded into strings
 * anyway) are not kept alive by the comparison that uses them.
 */
export function columnsFromBlob(
  blob: Buffer,
  firstRowId: number,
  count: number,
): { columns: SnapshotColumns; blob: Buffer | null } | null {
  const columns = decodeColumns(blob);
  if (!columns || columns.n !== count) return null;
  const shift = firstRowId - 1;
  const rowId = columns.rowId;
  for (let i = 0; i < rowId.length; i++) rowId[i] = rowId[i]! + shift;
  return { columns: detached(columns, blob.buffer), blob: rowId.buffer === blob.buffer ? blob : null };
}

/**
 * `finish`'s blob with its row ids moved, in place, to start at `firstRowId`, without decoding the
 * columns: the bytes `columnsFromBlob` gives as its `blob`, for an import that only stores the
 * match index (`refund-recon import`, the app's Import). Why: decoding every column (a string per
 * id and order key, copies of the typed arrays) only to drop them cost ~0.3–0.8 s of the writing
 * thread per 1M refunds, and their garbage, at the very end of the import. Null when the blob does
 * not hold `count` rows, or its ids cannot be moved in place (then use `columnsFromBlob`).
 */
export function moveBlobRowIds(blob: Buffer, firstRowId: number, count: number): Buffer | null {
  const ids = blobRowIds(blob);
  if (!ids || ids.n !== count) return null;
  const shift = firstRowId - 1;
  const rowId = ids.rowId;
  for (let i = 0; i < rowId.length; i++) rowId[i] = rowId[i]! + shift;
  return blob;
}

/** `columns` with every typed array that is a view into `buffer` copied. */
function detached(columns: SnapshotColumns, buffer: ArrayBufferLike): SnapshotColumns {
  const own = <T extends Typed | Int8Array>(a: T): T => (a.buffer === buffer ? (a.slice() as T) : a);
  const out: SnapshotColumns = {
    ...columns,
    rowId: own(columns.rowId),
    day: own(columns.day),
    total: own(columns.total),
    presTotal: own(columns.presTotal),
    shipping: own(columns.shipping),
    flags: own(columns.flags),
  };
  const text = (column: TextColumn) => detachedText(column, own);
  for (const name of LAZY_TEXT_COLUMNS) if (name !== 'tenders') out[name] = text(columns[name]);
  // The decoded table is compact (match-cache.ts): its strings are what the index stores, and the
  // tenders column is the text it rebuilds (`source`).
  const table = columns.tenderTable!;
  const arrays = { ...table.arrays };
  for (const name of TENDER_ARRAY_FIELDS) (arrays as Record<string, Typed | Int8Array>)[name] = own(arrays[name]);
  out.tenderTable = new TenderTable(text(table.column), arrays, true);
  out.tenders = out.tenderTable.source;
  return out;
}
