import { UserError } from '../../shared/errors';
import type { CanonicalRefund, CanonicalRefundInput, Side } from '../../shared/model';
import { normaliseOrderRef } from '../../shared/model';
import { beginImmediateWhenFree } from './busy';
import { type DefaultGroup, ElidingInsert, insertSql } from './eliding-insert';
import { lineSummary, lineSummaryOfValues } from './line-summary';
import { type Db, nowIso } from './open';
import {
  PACKED_LINE_FIELDS,
  PACKED_LINE_WIDTH,
  PACKED_REFUND_FIELDS,
  PACKED_REFUND_WIDTH,
  type PackedBatch,
  PackedDictionary,
} from './packed-refunds';
import { presentmentPartsText, withParts } from './presentment-parts';
import { checkRefund } from './snapshot-validate';
import { creditDetailText, parseCreditDetail, parseTenders, tendersText } from './tender-columns';

export type { PackedBatch } from './packed-refunds';

/** Where addPacked finds each packed value: the field's position, `*` (dictionary code) dropped from its name. */
const PR = Object.fromEntries(PACKED_REFUND_FIELDS.map((f, i) => [f.replace('*', ''), i])) as {
  readonly [K in (typeof PACKED_REFUND_FIELDS)[number] as K extends `${infer N}*` ? N : K]: number;
};
const PL = Object.fromEntries(PACKED_LINE_FIELDS.map((f, i) => [f.replace('*', ''), i])) as {
  readonly [K in (typeof PACKED_LINE_FIELDS)[number] as K extends `${infer N}*` ? N : K]: number;
};

/**
 * `normaliseOrderRef` for the common shapes without its regular expressions: `#1001` and `1001`
 * (digits, with one leading `#`) give the digits unchanged; anything else goes through
 * normaliseOrderRef itself. A property test checks the two agree.
 */
export function orderKeyOf(ref: string): string {
  const n = ref.length;
  let i = n > 1 && ref.charCodeAt(0) === 35 ? 1 : 0;
  if (n === 0) return normaliseOrderRef(ref);
  const from = i;
  for (; i < n; i++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) return normaliseOrderRef(ref);
  }
  return from === 0 ? ref : ref.slice(1);
}

/** lineSummaryOfValues, with the common line-less refund (`[0,shipping]`) spelled out directly. */
function packedLineSummary(
  values: readonly unknown[],
  at: number,
  count: number,
  decode: (code: unknown) => string | null,
  shipping: number,
): string {
  if (count === 0) return `[0,${shipping}]`;
  return lineSummaryOfValues(values, at, count, PACKED_LINE_WIDTH, PL, decode, shipping);
}

/** Provenance of a snapshot (spec §2): where the refunds came from. */
export interface SnapshotMeta {
  side: Side;
  label: string;
  source: 'file' | 'api' | 'demo';
  /** Importer format id (`shopify-json`, `saved-search-csv`, …) or the API that was pulled. */
  format: string;
  importerVersion: string;
  fileName?: string;
  fileSize?: number;
  fileSha256?: string;
  /** API pulls: the window asked for, e.g. `2026-01-01..2026-01-31`. */
  queryWindow?: string;
  requestCount?: number;
  /** Source rows read (CSV rows, JSON lines or objects). Defaults to the number of refunds written. */
  rowCount?: number;
  storefrontAccountId?: number;
  netsuiteAccountId?: number;
  provenance?: Record<string, unknown>;
}

export interface WriteSnapshotOptions {
  signal?: AbortSignal;
  /** Called every `progressEvery` refunds (default 5,000) and once at the end. */
  onProgress?: (refundsWritten: number) => void;
  progressEvery?: number;
  /**
   * Called once after the last refund, before COMMIT: fields known only at the end of a stream
   * (SHA-256, row count, provenance notes) are merged into the snapshot row. Throwing here rolls back.
   */
  finalMeta?: () => Partial<SnapshotMeta> | undefined;
  /**
   * Called once after finalMeta, before COMMIT, with the new snapshot's id: rows of the snapshot's
   * side tables (its order ids) are written in the same transaction. Throwing here rolls back.
   */
  beforeCommit?: (snapshotId: number) => void;
  /** Refunds whose `side` differs from `meta.side` are refused (default true). */
  enforceSide?: boolean;
  /** Sees every refunds row as it is inserted (the CLI builds the matcher's columns from them). */
  rows?: RefundRowSink;
  /** Called while another connection holds the write lock and this write waits for it (busy.ts). */
  onBusy?: (waitedMs: number) => void;
}

/** Receives each refunds row the writer inserts: `p[k + REFUND_COLUMN_INDEX.<column>]`. */
export interface RefundRowSink {
  row(p: readonly unknown[], k: number): void;
}

const REFUND_COLUMNS = [
  'id',
  'snapshot_id',
  'source_id',
  'document_number',
  'record_type',
  'order_ref',
  'order_key',
  'created_from_type',
  'created_from_ref',
  'date',
  'currency',
  'total',
  'shipping',
  'tax',
  'adjustment',
  'kind',
  'external_id',
  'memo',
  'is_test',
  'status',
  'applies_to',
  'money_moved',
  'presentment_currency',
  'presentment_total',
  // The matcher's exact text of the compared lines (lineSummary(), migration 005), computed where the
  // refund object exists — here for add(), in the parse thread for addPacked() — so no comparison
  // has to fill it afterwards.
  'line_summary',
  // The refund's parts in presentment money (migration 009), JSON or null.
  'presentment_parts',
  'lines_exported',
  // How the money went back (migration 015): JSON text, NULL for the defaults (tender-columns.ts).
  'tenders',
  'credit_detail',
] as const;
/** Position of each column in a refunds row as the writer binds it (see RefundRowSink). */
export const REFUND_COLUMN_INDEX = Object.fromEntries(REFUND_COLUMNS.map((name, i) => [name, i])) as {
  readonly [K in (typeof REFUND_COLUMNS)[number]]: number;
};
const LINE_COLUMNS = ['refund_id', 'line_no', 'sku', 'description', 'quantity', 'amount', 'tax', 'role'] as const;

/**
 * Rows per multi-row INSERT: fewer native calls per row, far below SQLite's 32,766-parameter limit.
 * Measured on the 2-core machine: 16/32 is ~10 % slower, 256/512 no faster than 64/128.
 */
const REFUND_BATCH = 64;
const LINE_BATCH = 128;
const LINE_WIDTH = LINE_COLUMNS.length;

/**
 * Refund columns left to their schema defaults in a batch whose rows all hold the default
 * (eliding-insert.ts): most refunds have no created-from record, no presentment money, default
 * tenders and credit detail, and storefront rows carry no external id.
 */
const REFUND_DEFAULT_GROUPS: readonly DefaultGroup[] = [
  { columns: ['created_from_type', 'created_from_ref'], defaults: [null, null] },
  { columns: ['shipping', 'tax', 'adjustment'], defaults: [0, 0, 0] },
  { columns: ['external_id'], defaults: [''] },
  { columns: ['memo'], defaults: [''] },
  { columns: ['is_test', 'status', 'applies_to', 'money_moved'], defaults: [0, 'ok', '', 1] },
  {
    columns: ['presentment_currency', 'presentment_total', 'presentment_parts', 'lines_exported'],
    defaults: [null, null, null, 1],
  },
  { columns: ['tenders', 'credit_detail'], defaults: [null, null] },
];
const LINE_DEFAULT_GROUPS: readonly DefaultGroup[] = [
  { columns: ['description'], defaults: [''] },
  { columns: ['tax'], defaults: [0] },
  { columns: ['role'], defaults: ['item'] },
];

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof UserError) return reason;
  return new UserError('cancelled', 'The import was cancelled; nothing was saved.');
}

/**
 * Inserts refunds and lines in full multi-row batches inside an open transaction.
 *
 * Refund rows go out 64 at a time; lines wait until their refunds are in (foreign keys hold row
 * by row) and go out 128 at a time from a pending buffer, so nearly every row is written by a
 * full-size statement: only the tail of the import uses an exact-size statement, prepared once.
 * The parameter arrays are allocated once and reused (better-sqlite3 copies values when binding).
 */
class BatchWriter {
  private readonly refundMany: ElidingInsert;
  private readonly lineMany: ElidingInsert;
  /** Columns written: REFUND_COLUMNS, without `line_summary` on a schema older than migration 005. */
  private readonly columns: readonly string[];
  private readonly width: number;
  /** Whether `refunds.line_summary` exists (it does on any migrated workspace). */
  private readonly summaries: boolean;
  /** Whether `refunds.presentment_parts` exists (migration 009). */
  private readonly parts: boolean;
  /** Whether `refunds.tenders` / `credit_detail` exist (migration 015). */
  private readonly tenders: boolean;
  private readonly refundParams: unknown[];
  private refundRows = 0;
  /** Lines of refunds added so far whose rows are not written yet (flat, LINE_WIDTH per line). */
  private pendingLines: unknown[] = [];
  private readonly lineParams: unknown[] = new Array(LINE_BATCH * LINE_WIDTH);
  /** Dictionary of the packed batches received so far (addPacked). */
  private readonly dict = new PackedDictionary();
  private readonly decode = (code: unknown) => this.dict.get(code);
  nextRefundId: number;
  refundCount = 0;
  lineCount = 0;

  constructor(
    private readonly db: Db,
    private readonly snapshotId: number,
    private readonly sink: RefundRowSink | null = null,
  ) {
    const present = new Set(
      (db.prepare("SELECT name FROM pragma_table_info('refunds')").all() as Array<{ name: string }>).map((c) => c.name),
    );
    this.summaries = present.has('line_summary');
    // A row sink reads rows by REFUND_COLUMN_INDEX, which includes line_summary.
    if (sink && !this.summaries) throw new Error('A refunds row sink needs a workspace at migration 005 or later.');
    this.parts = present.has('presentment_parts');
    this.tenders = present.has('tenders');
    // A workspace always migrates to the newest schema on open; older schemas only in migration tests.
    this.columns = REFUND_COLUMNS.filter(
      (c) =>
        (c !== 'line_summary' || this.summaries) &&
        ((c !== 'presentment_parts' && c !== 'lines_exported') || this.parts) &&
        ((c !== 'tenders' && c !== 'credit_detail') || this.tenders),
    );
    if (sink && !this.parts) throw new Error('A refunds row sink needs a workspace at migration 009 or later.');
    this.width = this.columns.length;
    this.refundParams = new Array(REFUND_BATCH * this.width);
    this.refundMany = new ElidingInsert(db, 'refunds', this.columns, REFUND_DEFAULT_GROUPS, REFUND_BATCH);
    this.lineMany = new ElidingInsert(db, 'refund_lines', LINE_COLUMNS, LINE_DEFAULT_GROUPS, LINE_BATCH);
    const max = db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM refunds').get() as { m: number };
    this.nextRefundId = max.m + 1;
  }

  add(refund: CanonicalRefund): void {
    const id = this.nextRefundId++;
    const p = this.refundParams;
    const start = this.refundRows * this.width;
    let k = start;
    const createdFrom = refund.createdFrom;
    const presentment = refund.presentment;
    p[k++] = id;
    p[k++] = this.snapshotId;
    p[k++] = refund.id;
    p[k++] = refund.documentNumber;
    p[k++] = refund.recordType;
    p[k++] = refund.orderRef;
    p[k++] = orderKeyOf(refund.orderRef);
    p[k++] = createdFrom ? createdFrom.type : null;
    p[k++] = createdFrom ? createdFrom.ref : null;
    p[k++] = refund.date;
    p[k++] = refund.currency;
    p[k++] = refund.total;
    p[k++] = refund.shipping;
    p[k++] = refund.tax;
    p[k++] = refund.adjustment;
    p[k++] = refund.kind;
    p[k++] = refund.externalId;
    p[k++] = refund.memo;
    p[k++] = refund.isTest ? 1 : 0;
    p[k++] = refund.status;
    p[k++] = refund.appliesTo;
    p[k++] = refund.moneyMoved ? 1 : 0;
    p[k++] = presentment ? presentment.currency : null;
    p[k++] = presentment ? presentment.total : null;
    if (this.summaries) p[k++] = lineSummary(refund);
    if (this.parts) {
      p[k++] = presentmentPartsText(refund);
      p[k++] = refund.linesExported === false ? 0 : 1;
    }
    if (this.tenders) {
      p[k++] = tendersText(refund);
      p[k] = creditDetailText(refund);
    }
    this.sink?.row(p, start);
    this.refundCount++;
    const lines = refund.lines;
    const pending = this.pendingLines;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      pending.push(id, i + 1, line.sku, line.description, line.quantity, line.amount, line.tax, line.role);
    }
    this.lineCount += lines.length;
    if (++this.refundRows === REFUND_BATCH) {
      this.refundMany.run(p);
      this.refundRows = 0;
      this.flushLines(false);
    }
  }

  /** Adds a packed batch (see packed-refunds.ts): the same rows add() would write for the same refunds. */
  addPacked(batch: PackedBatch): void {
    const dict = this.dict;
    dict.add(batch);
    const v = batch.refunds;
    const lineValues = batch.lines;
    const p = this.refundParams;
    let pending = this.pendingLines;
    const summaries = this.summaries;
    let at = 0;
    let l = 0;
    for (let r = 0; r < batch.count; r++, at += PACKED_REFUND_WIDTH) {
      const id = this.nextRefundId++;
      const start = this.refundRows * this.width;
      const orderRef = v[at + PR.order_ref] as string;
      const shipping = v[at + PR.shipping] as number;
      const lineCount = v[at + PR.line_count] as number;
      // REFUND_COLUMNS order; the dictionary fields of PACKED_REFUND_FIELDS through `dict`.
      let k = start;
      p[k++] = id;
      p[k++] = this.snapshotId;
      p[k++] = v[at + PR.source_id];
      p[k++] = v[at + PR.document_number];
      p[k++] = dict.get(v[at + PR.record_type]);
      p[k++] = orderRef;
      p[k++] = orderKeyOf(orderRef);
      p[k++] = dict.get(v[at + PR.created_from_type]);
      p[k++] = v[at + PR.created_from_ref];
      p[k++] = dict.get(v[at + PR.date]);
      p[k++] = dict.get(v[at + PR.currency]);
      p[k++] = v[at + PR.total];
      p[k++] = shipping;
      p[k++] = v[at + PR.tax];
      p[k++] = v[at + PR.adjustment];
      p[k++] = dict.get(v[at + PR.kind]);
      p[k++] = v[at + PR.external_id];
      p[k++] = v[at + PR.memo];
      p[k++] = v[at + PR.is_test];
      p[k++] = dict.get(v[at + PR.status]);
      p[k++] = v[at + PR.applies_to];
      p[k++] = v[at + PR.money_moved];
      p[k++] = dict.get(v[at + PR.presentment_currency]);
      p[k++] = v[at + PR.presentment_total];
      if (summaries) {
        p[k++] = packedLineSummary(lineValues, l, lineCount, this.decode, shipping);
      }
      if (this.parts) {
        p[k++] = v[at + PR.presentment_parts];
        p[k++] = v[at + PR.lines_exported];
      }
      if (this.tenders) {
        p[k++] = v[at + PR.tenders];
        p[k] = v[at + PR.credit_detail];
      }
      this.sink?.row(p, start);
      for (let i = 0; i < lineCount; i++, l += PACKED_LINE_WIDTH) {
        pending.push(
          id,
          i + 1,
          lineValues[l + PL.sku],
          lineValues[l + PL.description],
          lineValues[l + PL.quantity],
          lineValues[l + PL.amount],
          lineValues[l + PL.tax],
          dict.get(lineValues[l + PL.role]),
        );
      }
      this.lineCount += lineCount;
      this.refundCount++;
      if (++this.refundRows === REFUND_BATCH) {
        this.refundMany.run(p);
        this.refundRows = 0;
        this.flushLines(false);
        pending = this.pendingLines; // flushLines replaces the buffer
      }
    }
  }

  /** Writes the pending lines in full batches (all: the tail too, with an exact-size statement). */
  private flushLines(all: boolean): void {
    const pending = this.pendingLines;
    const batch = this.lineParams;
    const width = LINE_BATCH * LINE_WIDTH;
    let from = 0;
    for (; from + width <= pending.length; from += width) {
      for (let j = 0; j < width; j++) batch[j] = pending[from + j];
      this.lineMany.run(batch);
    }
    if (all && from < pending.length) {
      const rest = pending.slice(from);
      this.db.prepare(insertSql('refund_lines', LINE_COLUMNS, rest.length / LINE_WIDTH)).run(rest);
      from = pending.length;
    }
    if (from > 0) this.pendingLines = from === pending.length ? [] : pending.slice(from);
  }

  /** Writes everything still buffered (the last partial batches). */
  flush(): void {
    if (this.refundRows > 0) {
      const rest = this.refundParams.slice(0, this.refundRows * this.width);
      this.db.prepare(insertSql('refunds', this.columns, this.refundRows)).run(rest);
      this.refundRows = 0;
    }
    this.flushLines(true);
  }
}

/**
 * Refunds already validated and packed by another thread (the parallel import): `batches` yields
 * them in order; throwing from it (a parse error) rolls the snapshot back like any other error.
 */
export interface PackedRefunds {
  packed: AsyncIterable<PackedBatch>;
}

export type RefundFeed = AsyncIterable<CanonicalRefundInput> | Iterable<CanonicalRefundInput> | PackedRefunds;

function isPacked(value: RefundFeed): value is PackedRefunds {
  return typeof (value as PackedRefunds).packed === 'object' && (value as PackedRefunds).packed !== null;
}

/**
 * Validates refund number `index` (1-based) of a snapshot of `side`: the parsed refund, or the
 * UserError the writer reports (the same text whichever thread validates).
 */
export function acceptRefund(
  input: CanonicalRefundInput,
  index: number,
  side: Side,
  enforceSide = true,
): CanonicalRefund {
  const checked = checkRefund(input);
  if (!checked.ok) {
    const id = typeof (input as { id?: unknown })?.id === 'string' ? ` (id ${(input as { id: string }).id})` : '';
    throw new UserError(
      'invalid_refund',
      `Refund number ${index}${id} is not a valid canonical refund: ${checked.issues.slice(0, 5).join('; ')}. Nothing was imported.`,
      { field: checked.issues[0]?.split(':')[0] },
    );
  }
  if (enforceSide && checked.refund.side !== side) {
    throw new UserError(
      'wrong_side',
      `Refund number ${index} (id ${checked.refund.id}) is a ${checked.refund.side} record but this is a ${side} snapshot. Import it as the ${checked.refund.side} side.`,
      { field: 'side' },
    );
  }
  return checked.refund;
}

function isAsyncIterable<T>(value: AsyncIterable<T> | Iterable<T>): value is AsyncIterable<T> {
  return typeof (value as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
}

/**
 * Writes one snapshot and its refunds in a single transaction (BEGIN IMMEDIATE … COMMIT). Any
 * error, a refund that fails validation, or an abort rolls everything back: the snapshot is
 * complete or absent. Returns the new snapshot id.
 *
 * The transaction stays open across `await`s while an async source is read, so give this
 * function a connection nothing else writes to meanwhile (the import job opens its own).
 */
export async function writeSnapshot(
  db: Db,
  meta: SnapshotMeta,
  refunds: RefundFeed,
  opts: WriteSnapshotOptions = {},
): Promise<number> {
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  if (db.inTransaction) {
    throw new Error('writeSnapshot needs a connection with no open transaction (it owns BEGIN … COMMIT).');
  }
  // Import connection settings for the length of the write (restored after): foreign keys are
  // not re-checked row by row — this writer inserts the snapshot row first and gives every line
  // the id of a refund it has just inserted, so they hold by construction (PRAGMA foreign_keys is
  // a no-op inside a transaction, hence before BEGIN); a larger page cache keeps the
  // refunds(snapshot_id, order_key) index pages in memory (order keys do not arrive in index order).
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  db.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
  try {
    return await writeInTransaction(db, meta, refunds, opts);
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}

/** Page cache for the import connection: 64 MB (negative = KiB). Peak RSS stays far below 1 GB. */
const IMPORT_CACHE_KIB = -65536;

async function writeInTransaction(
  db: Db,
  meta: SnapshotMeta,
  refunds: RefundFeed,
  opts: WriteSnapshotOptions,
): Promise<number> {
  const { signal, onProgress } = opts;
  const progressEvery = opts.progressEvery ?? 5000;
  const enforceSide = opts.enforceSide ?? true;
  // Another import or compare may be writing: wait for it without blocking this thread (busy.ts).
  await beginImmediateWhenFree(db, {
    signal,
    onWait: opts.onBusy,
    cancelled: () => (signal ? abortError(signal) : new UserError('cancelled', 'The import was cancelled.')),
  });
  try {
    const info = db
      .prepare(
        `INSERT INTO snapshots (side, label, source, storefront_account_id, netsuite_account_id, format,
           importer_version, file_name, file_size, file_sha256, query_window, request_count, provenance, created_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(
        meta.side,
        meta.label,
        meta.source,
        meta.storefrontAccountId ?? null,
        meta.netsuiteAccountId ?? null,
        meta.format,
        meta.importerVersion,
        meta.fileName ?? null,
        meta.fileSize ?? null,
        meta.fileSha256 ?? null,
        meta.queryWindow ?? null,
        meta.requestCount ?? null,
        JSON.stringify(meta.provenance ?? {}),
        nowIso(),
      );
    const snapshotId = Number(info.lastInsertRowid);
    const writer = new BatchWriter(db, snapshotId, opts.rows ?? null);
    let index = 0;
    const accept = (input: CanonicalRefundInput): void => {
      index++;
      writer.add(acceptRefund(input, index, meta.side, enforceSide));
      if (onProgress && writer.refundCount % progressEvery === 0) onProgress(writer.refundCount);
    };
    if (isPacked(refunds)) {
      let nextReport = progressEvery;
      for await (const batch of refunds.packed) {
        if (signal?.aborted) throw abortError(signal);
        writer.addPacked(batch);
        if (onProgress && writer.refundCount >= nextReport) {
          nextReport = (Math.floor(writer.refundCount / progressEvery) + 1) * progressEvery;
          onProgress(writer.refundCount);
        }
      }
    } else if (isAsyncIterable(refunds)) {
      for await (const refund of refunds) {
        if (signal?.aborted) throw abortError(signal);
        accept(refund);
      }
    } else {
      for (const refund of refunds) {
        if (signal?.aborted) throw abortError(signal);
        accept(refund);
      }
    }
    writer.flush();
    if (signal?.aborted) throw abortError(signal);
    const final = { ...meta, ...(opts.finalMeta?.() ?? {}) };
    db.prepare(
      `UPDATE snapshots SET refund_count = ?, line_count = ?, row_count = ?, label = ?, format = ?,
         file_name = ?, file_size = ?, file_sha256 = ?, query_window = ?, request_count = ?, provenance = ?
       WHERE id = ?`,
    ).run(
      writer.refundCount,
      writer.lineCount,
      final.rowCount ?? writer.refundCount,
      final.label,
      final.format,
      final.fileName ?? null,
      final.fileSize ?? null,
      final.fileSha256 ?? null,
      final.queryWindow ?? null,
      final.requestCount ?? null,
      JSON.stringify(final.provenance ?? {}),
      snapshotId,
    );
    opts.beforeCommit?.(snapshotId);
    db.exec('COMMIT');
    onProgress?.(writer.refundCount);
    return snapshotId;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

interface RefundRow {
  id: number;
  source_id: string;
  document_number: string;
  record_type: CanonicalRefund['recordType'];
  order_ref: string;
  created_from_type: NonNullable<CanonicalRefund['createdFrom']>['type'] | null;
  created_from_ref: string | null;
  date: string;
  currency: string;
  total: number;
  shipping: number;
  tax: number;
  adjustment: number;
  kind: CanonicalRefund['kind'];
  external_id: string;
  memo: string;
  is_test: number;
  status: CanonicalRefund['status'];
  applies_to: string;
  money_moved: number;
  presentment_currency: string | null;
  presentment_total: number | null;
  presentment_parts?: string | null;
  lines_exported?: number;
  tenders?: string | null;
  credit_detail?: string | null;
}

interface LineRow {
  refund_id: number;
  sku: string;
  description: string;
  quantity: number;
  amount: number;
  tax: number;
  role: CanonicalRefund['lines'][number]['role'];
}

function toRefund(side: Side, row: RefundRow): CanonicalRefund {
  const credit = parseCreditDetail(row.credit_detail, { side, total: row.total });
  return {
    side,
    id: row.source_id,
    documentNumber: row.document_number,
    recordType: row.record_type,
    orderRef: row.order_ref,
    createdFrom:
      row.created_from_type !== null ? { type: row.created_from_type, ref: row.created_from_ref ?? '' } : null,
    date: row.date,
    currency: row.currency,
    total: row.total,
    shipping: row.shipping,
    tax: row.tax,
    adjustment: row.adjustment,
    lines: [],
    kind: row.kind,
    externalId: row.external_id,
    memo: row.memo,
    isTest: row.is_test === 1,
    status: row.status,
    appliesTo: row.applies_to,
    moneyMoved: row.money_moved === 1,
    ...(row.lines_exported === 0 ? { linesExported: false } : {}),
    presentment:
      row.presentment_currency !== null && row.presentment_total !== null
        ? withParts({ currency: row.presentment_currency, total: row.presentment_total }, row.presentment_parts)
        : null,
    tenders: parseTenders(row.tenders, { recordType: row.record_type, total: row.total }),
    ...credit,
  };
}

/**
 * Streams a snapshot's refunds, with their lines, in import order. Two cursors walk refunds and
 * lines side by side (both ordered by refund id), so memory stays constant for any snapshot size.
 */
export function* iterateSnapshotRefunds(db: Db, snapshotId: number): Generator<CanonicalRefund> {
  const snap = db.prepare('SELECT side FROM snapshots WHERE id = ?').get(snapshotId) as { side: Side } | undefined;
  if (!snap) throw new UserError('not_found', `There is no snapshot ${snapshotId} in this workspace.`);
  const refunds = db
    .prepare('SELECT * FROM refunds WHERE snapshot_id = ? ORDER BY id')
    .iterate(snapshotId) as IterableIterator<RefundRow>;
  // A second statement needs its own connection while the first iterates: better-sqlite3 allows
  // one open iterator per statement, and several statements per connection, so this is fine.
  const lines = db
    .prepare(
      `SELECT l.refund_id, l.sku, l.description, l.quantity, l.amount, l.tax, l.role
       FROM refund_lines l JOIN refunds r ON r.id = l.refund_id
       WHERE r.snapshot_id = ? ORDER BY l.refund_id, l.line_no`,
    )
    .iterate(snapshotId) as IterableIterator<LineRow>;
  let pending = lines.next();
  try {
    for (const row of refunds) {
      const refund = toRefund(snap.side, row);
      while (!pending.done && pending.value.refund_id < row.id) pending = lines.next();
      while (!pending.done && pending.value.refund_id === row.id) {
        const l = pending.value;
        refund.lines.push({
          sku: l.sku,
          description: l.description,
          quantity: l.quantity,
          amount: l.amount,
          tax: l.tax,
          role: l.role,
        });
        pending = lines.next();
      }
      yield refund;
    }
  } finally {
    lines.return?.();
  }
}

/** All refunds of a snapshot with their lines (see iterateSnapshotRefunds for large snapshots). */
export function readSnapshotRefunds(db: Db, snapshotId: number): CanonicalRefund[] {
  return [...iterateSnapshotRefunds(db, snapshotId)];
}

/**
 * Deletes a snapshot and its refunds (cascade). Refuses when a comparison run uses it: runs are
 * the record of a review and must keep their inputs.
 */
export function deleteSnapshot(db: Db, snapshotId: number): boolean {
  const used = db
    .prepare(
      'SELECT id FROM comparison_runs WHERE storefront_snapshot_id = ? OR netsuite_snapshot_id = ? ORDER BY id LIMIT 1',
    )
    .get(snapshotId, snapshotId) as { id: number } | undefined;
  if (used) {
    throw new UserError(
      'snapshot_in_use',
      `Snapshot ${snapshotId} is used by comparison run ${used.id}; delete that run first if you really want to remove it.`,
    );
  }
  const result = db.transaction(() => {
    db.prepare('DELETE FROM refund_lines WHERE refund_id IN (SELECT id FROM refunds WHERE snapshot_id = ?)').run(
      snapshotId,
    );
    db.prepare('DELETE FROM refunds WHERE snapshot_id = ?').run(snapshotId);
    // Disputes stored beside a storefront snapshot (migration 016) go with it.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'disputes'").get()) {
      db.prepare('DELETE FROM disputes WHERE snapshot_id = ?').run(snapshotId);
    }
    return db.prepare('DELETE FROM snapshots WHERE id = ?').run(snapshotId);
  })();
  return result.changes > 0;
}
