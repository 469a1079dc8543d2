import type { CanonicalRefund, Side } from '../../shared/model';
import {
  DictColumn,
  type FlatRowValues,
  GrowableF64,
  GrowableU8,
  type KeyField,
  MatchColumnCollector,
  TextChunks,
} from './column-collector';
import { lineSummary } from './line-summary';
import { ARRAY_TEXT_COLUMNS, DICT_COLUMNS, LAZY_TEXT_COLUMNS, type SnapshotColumns, TextColumn } from './match-cache';
import { arrivedText, type MovedText, moveText } from './moved-text';
import { orderKeyOf } from './order-key';
import { presentmentPartsText } from './presentment-parts';
import { REFUND_COLUMN_INDEX as C } from './snapshot-writer';
import { creditDetailText, sameAsDefault } from './tender-columns';
import { TenderPartsBuilder } from './tender-parts';
import { type TenderArrays, TenderTable } from './tender-table';

export { orderKeyOf } from './order-key';

/**
 * A snapshot that lives only in memory: what the one-shot `reconcile` (no workspace) compares.
 * The refunds are turned into the same refunds rows the snapshot writer inserts (REFUND_COLUMN_INDEX)
 * and handed to the same MatchColumnCollector, so the matcher's columns are exactly those of the
 * SQLite path; what the workspace would hold for display (hydrate), for breaking ties and for
 * presentment parts is kept beside them in import order (`MemoryDisplay`), indexed by row id.
 * Nothing is written anywhere: the largest cost of the old one-shot path was inserting two
 * snapshots into a temporary workspace that nothing read back (docs/benchmarks/flat.md).
 */
export interface MemorySnapshot {
  side: Side;
  /** Row id of the first refund (ids are consecutive in import order, as the writer gives them). */
  firstRowId: number;
  columns: SnapshotColumns;
  display: MemoryDisplay;
  /** Source rows read (CSV rows, JSON objects). */
  rows: number;
  notes: string[];
  /**
   * Order id → name pairs of the file (Shopify REST), only for the ids the import was asked about
   * (the order ids a disputes file names: use-cases/import-disputes.ts); absent otherwise.
   */
  orderNames?: Array<[string, string]>;
}

/** Per refund in import order: the fields `hydrate`, `tie` and the presentment parts read from SQLite. */
export interface MemoryDisplay {
  externalId: TextColumn;
  memo: TextColumn;
  /** created_from_ref ('' for null: hydrate reads null as ''). */
  createdFromRef: TextColumn;
  tax: Float64Array;
  adjustment: Float64Array;
  kind: DictCodes;
  status: DictCodes;
  /** 1 is_test, 2 lines not exported (lines_exported = 0). */
  bits: Uint8Array;
  /**
   * The rare JSON text columns (null for the defaults): import index → text. (Tenders are not
   * here: hydration reads them from the match columns' tender table, which holds the same.)
   */
  creditDetail: Map<number, string>;
  presentmentParts: Map<number, string>;
}

/** Dictionary-coded text: value i is `values[codes[i]]` (code 0 is null). */
export interface DictCodes {
  codes: Uint16Array;
  values: Array<string | null>;
}

export const dictValue = (d: DictCodes, i: number): string | null => d.values[d.codes[i]!]!;

const REFUND_WIDTH = Object.keys(C).length;

/** lineSummary of a refund without lines (`[0,shipping]`), without the array and JSON.stringify. */
const NO_LINES_SUMMARY = (shipping: number): string => (shipping === 0 ? '[0,0]' : `[0,${JSON.stringify(shipping)}]`);

/**
 * Builds a MemorySnapshot from validated canonical refunds (`add`), in import order. The row is
 * the one BatchWriter.add (snapshot-writer.ts) binds for the same refund, column for column.
 */
export class MemorySnapshotBuilder {
  private readonly collector: MatchColumnCollector;
  /** The tender table, from the Tender objects (no tenders text: tender-parts.ts). */
  private readonly tenderParts = new TenderPartsBuilder();
  private readonly row: unknown[] = new Array(REFUND_WIDTH);
  private nextRowId: number;
  private count = 0;
  private readonly externalId = new TextChunks();
  private readonly memo = new TextChunks();
  private readonly createdFromRef = new TextChunks();
  private readonly tax = new GrowableF64(new Float64Array(1024));
  private readonly adjustment = new GrowableF64(new Float64Array(1024));
  private readonly kind = new DictColumn();
  private readonly status = new DictColumn();
  private readonly bits = new GrowableU8(new Uint8Array(1024));
  private readonly creditDetail = new Map<number, string>();
  private readonly presentmentParts = new Map<number, string>();

  constructor(
    private readonly side: Side,
    keyField: KeyField,
    readonly firstRowId: number,
  ) {
    this.collector = new MatchColumnCollector(keyField, this.tenderParts);
    this.nextRowId = firstRowId;
  }

  get refundCount(): number {
    return this.count;
  }

  add(refund: CanonicalRefund): void {
    const p = this.row;
    const createdFrom = refund.createdFrom;
    const presentment = refund.presentment;
    p[C.id] = this.nextRowId++;
    p[C.snapshot_id] = 0;
    p[C.source_id] = refund.id;
    p[C.document_number] = refund.documentNumber;
    p[C.record_type] = refund.recordType;
    p[C.order_ref] = refund.orderRef;
    p[C.order_key] = orderKeyOf(refund.orderRef);
    p[C.created_from_type] = createdFrom ? createdFrom.type : null;
    p[C.created_from_ref] = createdFrom ? createdFrom.ref : null;
    p[C.date] = refund.date;
    p[C.currency] = refund.currency;
    p[C.total] = refund.total;
    p[C.shipping] = refund.shipping;
    p[C.tax] = refund.tax;
    p[C.adjustment] = refund.adjustment;
    p[C.kind] = refund.kind;
    p[C.external_id] = refund.externalId;
    p[C.memo] = refund.memo;
    p[C.is_test] = refund.isTest ? 1 : 0;
    p[C.status] = refund.status;
    p[C.applies_to] = refund.appliesTo;
    p[C.money_moved] = refund.moneyMoved ? 1 : 0;
    p[C.presentment_currency] = presentment ? presentment.currency : null;
    p[C.presentment_total] = presentment ? presentment.total : null;
    p[C.line_summary] = refund.lines.length === 0 ? NO_LINES_SUMMARY(refund.shipping) : lineSummary(refund);
    p[C.presentment_parts] = presentmentPartsText(refund);
    p[C.lines_exported] = refund.linesExported === false ? 0 : 1;
    p[C.tenders] = null; // the collector reads the tenders from tenderParts
    p[C.credit_detail] = creditDetailText(refund);
    this.tenderParts.push(sameAsDefault(refund) ? null : refund.tenders);
    this.collector.row(p, 0);
    this.display(p);
  }

  /**
   * One refund of a flat canonical CSV read byte by byte (importers/canonical-csv-flat.ts): what
   * `add` stores for the same refund (no lines, presentment, tenders, credit detail or
   * created-from), without the refund object and the row. `v.rowId` is set here.
   */
  addFlat(v: FlatRowValues): void {
    v.rowId = this.nextRowId++;
    this.collector.flatRow(v);
    this.count++;
    this.externalId.push(v.externalId);
    this.memo.push(v.memo);
    this.createdFromRef.push('');
    this.tax.push(0);
    this.adjustment.push(0);
    this.kind.push(v.kind);
    this.status.push(v.status);
    this.bits.push(v.isTest ? 1 : 0);
  }

  /** The display fields of one row (the ones `hydrate` reads back). */
  private display(p: readonly unknown[]): void {
    const i = this.count++;
    this.externalId.push(p[C.external_id] as string);
    this.memo.push(p[C.memo] as string);
    this.createdFromRef.push((p[C.created_from_ref] as string | null) ?? '');
    this.tax.push(p[C.tax] as number);
    this.adjustment.push(p[C.adjustment] as number);
    this.kind.push(p[C.kind] as string);
    this.status.push(p[C.status] as string);
    this.bits.push((p[C.is_test] ? 1 : 0) | (p[C.lines_exported] === 0 ? 2 : 0));
    const credit = p[C.credit_detail] as string | null;
    if (credit !== null) this.creditDetail.set(i, credit);
    const parts = p[C.presentment_parts] as string | null;
    if (parts !== null) this.presentmentParts.set(i, parts);
  }

  finish(rows: number, notes: string[]): MemorySnapshot {
    for (const t of [this.externalId, this.memo, this.createdFromRef]) t.seal();
    const n = this.count;
    const text = (t: TextChunks): TextColumn => t.column();
    const externalId = text(this.externalId);
    const columns = this.collector.finishInMemory((i) => externalId.get(i));
    const dict = (d: DictColumn): DictCodes => ({ codes: d.codes.data.slice(0, n), values: d.values });
    return {
      side: this.side,
      firstRowId: this.firstRowId,
      columns,
      display: {
        externalId,
        memo: text(this.memo),
        createdFromRef: text(this.createdFromRef),
        tax: this.tax.data.slice(0, n),
        adjustment: this.adjustment.data.slice(0, n),
        kind: dict(this.kind),
        status: dict(this.status),
        bits: this.bits.data.slice(0, n),
        creditDetail: this.creditDetail,
        presentmentParts: this.presentmentParts,
      },
      rows,
      notes,
    };
  }
}

const TEXT_COLUMN_FIELDS = LAZY_TEXT_COLUMNS;
const DISPLAY_TEXT_FIELDS = ['externalId', 'memo', 'createdFromRef'] as const;
const DICT_FIELDS = DICT_COLUMNS;
const STRING_FIELDS = ARRAY_TEXT_COLUMNS;
/** What a packed snapshot holds in place of a text column that crosses as bytes. */
const EMPTY_TEXT = new TextColumn('', new Uint32Array(1));

/**
 * A MemorySnapshot as it crosses from the worker that read the file: each text column as moved
 * bytes (moved-text.ts) and dictionary codes, not arrays of a million strings. Structured cloning copies every string
 * of an array on its own, even the shared ones (four dictionary columns of 1M currencies and
 * record types would arrive as 4M separate strings), which cost seconds and hundreds of MB.
 */
export interface PackedMemorySnapshot {
  /** Without its text columns (empty ones in their place) and tender table: they cross below. */
  snapshot: MemorySnapshot;
  strings: Record<(typeof STRING_FIELDS)[number], MovedText>;
  dicts: Record<(typeof DICT_FIELDS)[number], DictCodes>;
  /** The text columns as bytes (moved-text.ts), match columns and display columns. */
  texts: Record<(typeof TEXT_COLUMN_FIELDS)[number] | `display.${(typeof DISPLAY_TEXT_FIELDS)[number]}`, MovedText>;
  /** The tender table's typed columns: rebuilt on the tenders column it was read from. */
  tenderArrays?: TenderArrays;
  /**
   * The table is compact (tender-parts.ts): `texts.tenders` holds its strings (refs and gateways),
   * not the tenders column, which the table rebuilds from them (`source`).
   */
  tendersCompact?: boolean;
  /**
   * The buffers under its typed arrays, moved to the receiving thread instead of copied (jobs/worker.ts
   * `transfer`): a copy held them twice while the worker's heap was still alive (the import's peak).
   */
  transfer?: ArrayBuffer[];
}

/** Buffers smaller than this are left to be copied (Node's pooled Buffers share an 8 KB one). */
const TRANSFER_MIN_BYTES = 64 * 1024;

/** The ArrayBuffers under the typed arrays reachable from `value` (each once). */
export function typedArrayBuffers(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength >= TRANSFER_MIN_BYTES) found.add(v.buffer);
      return;
    }
    if (v instanceof Map) {
      for (const x of v.values()) walk(x);
      return;
    }
    // Arrays of strings (ids, order keys): nothing to move in them.
    if (Array.isArray(v)) {
      if (v.length > 0 && typeof v[0] !== 'object') return;
      for (const x of v) walk(x);
      return;
    }
    for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return [...found];
}

/** Packs a snapshot for posting to another thread (the snapshot is left without those columns). */
export function packMemorySnapshot(snapshot: MemorySnapshot): PackedMemorySnapshot {
  const c = snapshot.columns;
  const dicts = {} as PackedMemorySnapshot['dicts'];
  for (const f of DICT_FIELDS) {
    const values = c[f] as Array<string | null>;
    const index = new Map<string | null, number>([[null, 0]]);
    const dict: DictCodes = { codes: new Uint16Array(c.n), values: [null] };
    for (let i = 0; i < c.n; i++) {
      const v = values[i] ?? null;
      let code = index.get(v);
      if (code === undefined) {
        code = dict.values.length;
        dict.values.push(v);
        index.set(v, code);
      }
      dict.codes[i] = code;
    }
    dicts[f] = dict;
    (c as unknown as Record<string, unknown>)[f] = [];
  }
  const strings = {} as PackedMemorySnapshot['strings'];
  for (const f of STRING_FIELDS) {
    strings[f] = moveText(TextColumn.from(c[f]));
    c[f] = [];
  }
  const texts = {} as PackedMemorySnapshot['texts'];
  // A compact table's tenders column is text it would rebuild record by record: its strings cross instead.
  const compact = c.tenderTable !== undefined && c.tenderTable.source !== c.tenderTable.column;
  for (const f of TEXT_COLUMN_FIELDS) {
    texts[f] = moveText(f === 'tenders' && compact ? c.tenderTable!.column : c[f]);
    c[f] = EMPTY_TEXT;
  }
  const d = snapshot.display;
  for (const f of DISPLAY_TEXT_FIELDS) {
    texts[`display.${f}`] = moveText(d[f]);
    d[f] = EMPTY_TEXT;
  }
  const packed: PackedMemorySnapshot = {
    snapshot,
    strings,
    dicts,
    texts,
    ...(compact ? { tendersCompact: true } : {}),
  };
  // The table holds the tenders column (its text): only its arrays cross.
  if (c.tenderTable) {
    packed.tenderArrays = c.tenderTable.arrays;
    c.tenderTable = undefined;
  }
  packed.transfer = typedArrayBuffers(packed);
  return packed;
}

/**
 * The snapshot back from a structured clone of `packMemorySnapshot`'s result: TextColumns get
 * their class back, dictionary columns and the id and order-key arrays are rebuilt (shared strings).
 */
export function unpackMemorySnapshot(packed: PackedMemorySnapshot): MemorySnapshot {
  const cloned = packed.snapshot;
  const columns = { ...cloned.columns };
  for (const f of TEXT_COLUMN_FIELDS) columns[f] = arrivedText(packed.texts[f]);
  // The tender table's arrays arrive as they are; its text is the tenders column's (one copy), or
  // a compact table's strings, from which it gives the tenders column back.
  if (packed.tenderArrays) {
    const table = new TenderTable(columns.tenders, packed.tenderArrays, packed.tendersCompact === true);
    columns.tenderTable = table;
    columns.tenders = table.source;
  }
  for (const f of DICT_FIELDS) {
    const { codes, values } = packed.dicts[f];
    const out: Array<string | null> = new Array(columns.n);
    for (let i = 0; i < columns.n; i++) out[i] = values[codes[i]!]!;
    (columns as unknown as Record<string, unknown>)[f] = out;
  }
  columns.id = arrivedText(packed.strings.id).toArray();
  columns.orderKey = arrivedText(packed.strings.orderKey).toArray(true);
  const display = { ...cloned.display };
  for (const f of DISPLAY_TEXT_FIELDS) display[f] = arrivedText(packed.texts[`display.${f}`]);
  return { ...cloned, columns, display };
}
